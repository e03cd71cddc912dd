import { useComponent, useEffect, useEnv, type EventBus } from "@odoo/owl";

// Fake of `@web/core/utils/hooks`: services come from `env.services`, as in Odoo.
export function useService(name: string): unknown {
    const env = useEnv<{ services?: Record<string, unknown> }>();
    const service = env.services?.[name];
    if (!service) {
        throw new Error(`Service ${name} is not available`);
    }
    return service;
}

export function useBus(
    bus: EventBus,
    eventName: string,
    callback: (event: CustomEvent<unknown>) => void,
): void {
    const component = useComponent();
    useEffect(
        () => {
            const listener = (event: Event) => callback.call(component, event as CustomEvent);
            bus.addEventListener(eventName, listener);
            return () => bus.removeEventListener(eventName, listener);
        },
        () => [],
    );
}
