// Types of the Odoo services the addon calls (type-only: build.mjs emits nothing for types/).
import type { EventBus } from "@odoo/owl";

export type DomainLeaf = [string, string, unknown];
export type Domain = (DomainLeaf | "&" | "|" | "!")[];

export interface OrmService {
    call<T = unknown>(
        model: string,
        method: string,
        args?: unknown[],
        kwargs?: Record<string, unknown>,
    ): Promise<T>;
    searchCount(model: string, domain: Domain, kwargs?: Record<string, unknown>): Promise<number>;
}

export interface ActWindowAction {
    type: "ir.actions.act_window";
    name?: string;
    res_model: string;
    res_id?: number;
    domain?: Domain;
    views: [false | number, string][];
    target?: "current" | "new";
    context?: Record<string, unknown>;
}

/** An `ir.actions.client`: a registered client action (tag) with its params. */
export interface ClientAction {
    type: "ir.actions.client";
    tag: string;
    params?: Record<string, unknown>;
}

export interface ActionService {
    doAction(
        action: ActWindowAction | ClientAction | string,
        options?: Record<string, unknown>,
    ): Promise<void>;
}

export interface NotificationService {
    add(
        message: string,
        options?: { type?: "info" | "success" | "warning" | "danger"; title?: string },
    ): () => void;
}

export interface DialogService {
    /** Opens `component` in the dialog stack with `props` plus a `close` prop; returns `close`. */
    add<P extends object>(
        component: unknown,
        props: Omit<P, "close">,
        options?: { onClose?: () => void },
    ): () => void;
}

/** The slice of Odoo 18's relational-model `Record` that view widgets use. */
export interface RelationalRecord {
    resModel: string;
    /** False while the record is new (not saved yet). */
    resId: number | false;
    isNew: boolean;
    data: Record<string, unknown>;
    model: { root: RelationalRecord };
    /** Re-reads the record from the server; refuses arguments. */
    load(): Promise<void>;
    /** True when the user has unsaved changes (asks pending field edits first). */
    isDirty(): Promise<boolean>;
}

/** The part of Odoo's component env the addon uses beside services. */
export interface DgEnv {
    bus: EventBus;
    services: Record<string, unknown>;
}
