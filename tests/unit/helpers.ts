import { App, type Component } from "@odoo/owl";
import type {
    ActWindowAction,
    ActionService,
    OrmService,
} from "@distribution_governance/types/services";

declare global {
    interface Window {
        /** Every OWL template of static-src, merged by tests/unit/run.mjs. */
        __DG_TEMPLATES__: string;
    }
}

export interface OrmCall {
    model: string;
    method: string;
    args: unknown[];
    kwargs: Record<string, unknown>;
}

/** An orm service that answers `call` from a table of handlers and records every call. */
export function makeOrm(handlers: Record<string, (call: OrmCall) => unknown>): OrmService & {
    calls: OrmCall[];
} {
    const calls: OrmCall[] = [];
    const call = (model: string, method: string, args: unknown[] = [], kwargs = {}) => {
        const entry = { model, method, args, kwargs };
        calls.push(entry);
        const handler = handlers[`${model}.${method}`];
        if (!handler) {
            return Promise.reject(new Error(`unexpected RPC ${model}.${method}`));
        }
        return Promise.resolve(handler(entry));
    };
    return {
        calls,
        call: call as OrmService["call"],
        searchCount: (model, domain) => call(model, "search_count", [domain]) as Promise<number>,
    };
}

export function makeActionService(): ActionService & { done: (ActWindowAction | string)[] } {
    const done: (ActWindowAction | string)[] = [];
    return {
        done,
        doAction(action) {
            done.push(action);
            return Promise.resolve();
        },
    };
}

export interface Mounted {
    target: HTMLElement;
    destroy: () => void;
}

/** Mounts a component in dev mode (props validated) with the given services in `env`. */
export async function mountWithServices<P extends object>(
    ComponentClass: typeof Component<P>,
    props: P,
    services: Record<string, unknown>,
): Promise<Mounted> {
    const target = document.createElement("div");
    document.getElementById("qunit-fixture")!.appendChild(target);
    const app = new App(ComponentClass, {
        env: { services },
        props,
        templates: window.__DG_TEMPLATES__,
        dev: true,
        test: true,
    });
    await app.mount(target);
    return { target, destroy: () => app.destroy() };
}

/** Lets OWL render after a state change (one microtask + one animation frame). */
export async function nextRender(): Promise<void> {
    await Promise.resolve();
    await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
}
