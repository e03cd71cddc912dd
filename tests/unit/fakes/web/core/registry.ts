// Fake of Odoo's `@web/core/registry`: the same add/get/category contract, no events.
export class Registry<T = unknown> {
    private entries = new Map<string, T>();
    private categories = new Map<string, Registry>();

    add(key: string, value: T, options: { force?: boolean } = {}): this {
        if (this.entries.has(key) && !options.force) {
            throw new Error(`Cannot add key "${key}" in registry: it already exists`);
        }
        this.entries.set(key, value);
        return this;
    }

    get(key: string, defaultValue?: T): T {
        const value = this.entries.get(key) ?? defaultValue;
        if (value === undefined) {
            throw new Error(`Cannot find key "${key}" in registry`);
        }
        return value;
    }

    contains(key: string): boolean {
        return this.entries.has(key);
    }

    category(name: string): Registry {
        let sub = this.categories.get(name);
        if (!sub) {
            sub = new Registry();
            this.categories.set(name, sub);
        }
        return sub;
    }
}

export const registry = new Registry();
