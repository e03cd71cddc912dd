// Fake of `@web/core/utils/concurrency`: Odoo's KeepLast, same contract (only the promise added
// last settles; earlier ones never do).
export class KeepLast<T = unknown> {
    private id = 0;

    add<U extends T>(promise: Promise<U>): Promise<U> {
        const current = ++this.id;
        return new Promise<U>((resolve, reject) => {
            promise.then(
                (value) => {
                    if (this.id === current) {
                        resolve(value);
                    }
                },
                (reason: unknown) => {
                    if (this.id === current) {
                        reject(reason instanceof Error ? reason : new Error(String(reason)));
                    }
                },
            );
        });
    }
}
