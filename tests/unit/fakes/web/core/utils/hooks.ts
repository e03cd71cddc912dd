import { status, useComponent, useEffect, useEnv, type EventBus } from "@odoo/owl";

/** Services whose methods Odoo binds to the calling component (its SERVICES_METADATA). */
const PROTECTED = new Set(["orm"]);

// Fake of `@web/core/utils/hooks`: services come from `env.services`, as in Odoo; the ORM's
// answers never come to a component destroyed meanwhile, as Odoo's `_protectMethod` does.
export function useService(name: string): unknown {
    const env = useEnv<{ services?: Record<string, unknown> }>();
    const service = env.services?.[name];
    if (!service) {
        throw new Error(`Service ${name} is not available`);
    }
    if (!PROTECTED.has(name) || typeof service !== "object") {
        return service;
    }
    const component = useComponent();
    const bound = Object.create(service) as Record<string, unknown>;
    for (const [key, value] of Object.entries(service)) {
        if (typeof value === "function") {
            bound[key] = (...args: unknown[]) =>
                Promise.resolve((value as (...a: unknown[]) => unknown).apply(service, args)).then(
                    (result) =>
                        status(component) === "destroyed" ? new Promise(() => undefined) : result,
                );
        }
    }
    return bound;
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
