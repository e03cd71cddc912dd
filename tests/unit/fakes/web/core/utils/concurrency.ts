// Fake of `@web/core/utils/concurrency`: KeepLast as Odoo's (the last promise added wins).
export class KeepLast {
    private id = 0;

    add<T>(promise: Promise<T>): Promise<T> {
        const current = ++this.id;
        return new Promise<T>((resolve, reject) => {
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
