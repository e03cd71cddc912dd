import { App, EventBus, type Component } from "@odoo/owl";
import type {
    ActWindowAction,
    ActionService,
    ClientAction,
    DialogService,
    OrmService,
    ServerAction,
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
        // A handler that throws plays a server error: the call rejects, as Odoo's orm does.
        return new Promise((resolve) => resolve(handler(entry)));
    };
    return {
        calls,
        call: call as OrmService["call"],
        searchCount: (model, domain) => call(model, "search_count", [domain]) as Promise<number>,
    };
}

/** The shape of Odoo's RPCError for a UserError raised by the server. */
export function serverError(message: string): Error & { data: { message: string } } {
    return Object.assign(new Error(`RPC_ERROR: ${message}`), { data: { message } });
}

/** An action service that records every action it is asked to run (and runs none). */
export function makeActionService(): ActionService & {
    done: (ActWindowAction | ClientAction | ServerAction | string)[];
    options: (Record<string, unknown> | undefined)[];
} {
    const done: (ActWindowAction | ClientAction | ServerAction | string)[] = [];
    const options: (Record<string, unknown> | undefined)[] = [];
    return {
        done,
        options,
        doAction(action, opts) {
            done.push(action);
            options.push(opts as Record<string, unknown> | undefined);
            return Promise.resolve();
        },
    };
}

export interface OpenDialog {
    props: Record<string, unknown>;
    /** Resolves once the dialog is rendered in the fixture. */
    ready: Promise<void>;
    closed: boolean;
    target: HTMLElement;
}

/** A dialog service that really mounts each dialog (its own OWL app) in the QUnit fixture. */
export function makeDialogService(): DialogService & { open: OpenDialog[] } {
    const open: OpenDialog[] = [];
    return {
        open,
        add(component, props) {
            const target = document.createElement("div");
            document.getElementById("qunit-fixture")!.appendChild(target);
            let app: App | null = null;
            const entry: OpenDialog = { props, ready: Promise.resolve(), closed: false, target };
            const close = () => {
                if (!entry.closed) {
                    entry.closed = true;
                    app?.destroy();
                    target.remove();
                }
            };
            app = new App(component as typeof Component, {
                props: { ...props, close },
                env: {},
                templates: window.__DG_TEMPLATES__,
                dev: true,
                test: true,
            });
            entry.ready = app.mount(target).then(() => undefined);
            open.push(entry);
            return close;
        },
    };
}

export interface Mounted<C = Component> {
    target: HTMLElement;
    /** The root component instance, for calling its handlers directly. */
    component: C;
    env: { services: Record<string, unknown>; bus: EventBus };
    destroy: () => void;
}

/**
 * Mounts a component in dev mode (props validated) with the given services in `env`, and
 * what else a view gives its components there (`extraEnv`, e.g. a search model).
 */
export async function mountWithServices<C extends Component>(
    ComponentClass: new (props: never, env: never, node: never) => C,
    props: C["props"],
    services: Record<string, unknown>,
    extraEnv: Record<string, unknown> = {},
): Promise<Mounted<C>> {
    const target = document.createElement("div");
    document.getElementById("qunit-fixture")!.appendChild(target);
    const env = { ...extraEnv, services, bus: new EventBus() };
    const app = new App(ComponentClass as unknown as typeof Component, {
        env,
        props,
        templates: window.__DG_TEMPLATES__,
        dev: true,
        test: true,
    });
    const component = (await app.mount(target)) as unknown as C;
    return { target, component, env, destroy: () => app.destroy() };
}

/** Lets OWL render after a state change (one microtask + one animation frame). */
export async function nextRender(): Promise<void> {
    await Promise.resolve();
    await new Promise((resolve) => requestAnimationFrame(() => resolve(undefined)));
}

/** Waits until `predicate` holds (async work settles in several renders), or fails. */
export async function waitFor(predicate: () => boolean, what = "condition"): Promise<void> {
    for (let i = 0; i < 50; i++) {
        if (predicate()) {
            return;
        }
        await nextRender();
    }
    throw new Error(`timed out waiting for ${what}`);
}
