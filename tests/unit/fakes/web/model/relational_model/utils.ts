import { onWillDestroy, onWillStart, onWillUpdateProps, reactive, useComponent } from "@odoo/owl";

interface WithRecord {
    record: object;
}

// Fake of `@web/model/relational_model/utils`: like Odoo's, the callback runs before the first
// render and again when something it read on the record changes or another record comes in
// (synchronously here; Odoo batches per animation frame).
export function useRecordObserver<P extends WithRecord>(
    callback: (record: P["record"], props: P) => void | Promise<void>,
): void {
    const component = useComponent();
    const current = () => component.props as P;
    let alive = true;
    const observe = (record: object, props: P): void | Promise<void> => {
        const tracked = reactive(record, () => {
            if (alive && current().record === record) {
                void Promise.resolve(observe(record, current())).catch(() => undefined);
            }
        });
        return callback(tracked, props);
    };
    onWillStart(() => observe(current().record, current()));
    onWillUpdateProps((next: P) =>
        next.record !== current().record ? observe(next.record, next) : undefined,
    );
    onWillDestroy(() => {
        alive = false;
    });
}
