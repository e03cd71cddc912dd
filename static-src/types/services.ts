// Types of the Odoo services the addon calls (type-only: build.mjs emits nothing for types/).

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
    name: string;
    res_model: string;
    domain: Domain;
    views: [false | number, string][];
    target?: "current" | "new";
    context?: Record<string, unknown>;
}

export interface ActionService {
    doAction(action: ActWindowAction | string, options?: Record<string, unknown>): Promise<void>;
}

export interface NotificationService {
    add(
        message: string,
        options?: { type?: "info" | "success" | "warning" | "danger"; title?: string },
    ): () => void;
}
