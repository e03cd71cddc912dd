import { useEnv } from "@odoo/owl";

// Fake of `@web/core/utils/hooks`: services come from `env.services`, as in Odoo.
export function useService(name: string): unknown {
    const env = useEnv<{ services?: Record<string, unknown> }>();
    const service = env.services?.[name];
    if (!service) {
        throw new Error(`Service ${name} is not available`);
    }
    return service;
}
