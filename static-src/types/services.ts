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

/** An action dictionary as a server method returns it (a notification, a wizard...). */
export interface ServerAction {
    type: string;
    [key: string]: unknown;
}

export interface DoActionOptions {
    additionalContext?: Record<string, unknown>;
    clearBreadcrumbs?: boolean;
    /** Called when the action's dialog closes, or by its `act_window_close` follow-up. */
    onClose?: () => unknown;
    /** Extra props of the action's view, e.g. `dynamicFilters`: facets ({description,
     * domain}) the search bar starts with. */
    props?: Record<string, unknown>;
}

export interface ActionService {
    doAction(
        action: ActWindowAction | ClientAction | ServerAction | string,
        options?: DoActionOptions,
    ): Promise<void>;
}

export interface DialogService {
    /** Opens `component` in the dialog stack with `props` plus a `close` prop; returns `close`. */
    add<P extends object>(
        component: unknown,
        props: Omit<P, "close">,
        options?: { onClose?: () => void },
    ): () => void;
}

/** What a view knows of a field (fields_get); `selection` for selection fields. */
export interface FieldInfo {
    type?: string;
    string?: string;
    selection?: [string, string][];
}

/** The slice of Odoo 18's relational-model `Record` that view widgets use. */
export interface RelationalRecord {
    resModel: string;
    /** False while the record is new (not saved yet). */
    resId: number | false;
    isNew: boolean;
    data: Record<string, unknown>;
    /** The model's fields; absent in the addon's own small fakes. */
    fields?: Record<string, FieldInfo>;
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

/** A search item of the control panel's search model (a filter, a group-by...). */
export interface SearchItem {
    id: number;
    /** The `name` of the filter in the search view's arch. */
    name?: string;
    type?: string;
    isActive?: boolean;
}

/** The slice of Odoo's search model (env.searchModel of a view) the addon uses. */
export interface SearchModel {
    getSearchItems(predicate?: (item: SearchItem) => boolean): SearchItem[];
    toggleSearchItem(id: number): void;
}

/** Odoo's `barcode` service (Community's barcodes module): keyboard-wedge scans as events. */
export interface BarcodeService {
    /** Triggers `barcode_scanned` with `{ barcode, target }`. */
    bus: EventBus;
}

/** Odoo's `bus_service`: notifications the server sends to the user's channels. */
export interface BusService {
    subscribe(type: string, callback: (payload: unknown) => void): void;
    unsubscribe(type: string, callback: (payload: unknown) => void): void;
    start(): Promise<void>;
}
