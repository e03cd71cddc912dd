// Hand-written declarations of the few `@web/...` APIs this addon uses. Odoo ships them as plain
// JS; keep each signature as narrow as the addon needs and true to Odoo 18's source.

declare module "@web/core/registry" {
    export interface Registry<T = unknown> {
        add(key: string, value: T, options?: { force?: boolean; sequence?: number }): Registry<T>;
        get(key: string, defaultValue?: T): T;
        contains(key: string): boolean;
        category(name: string): Registry;
    }
    export const registry: Registry;
}

declare module "@web/core/l10n/translation" {
    export function _t(term: string, ...values: unknown[]): string;
}

declare module "@web/core/utils/hooks" {
    import type { EventBus } from "@odoo/owl";
    import type {
        OrmService,
        ActionService,
        DialogService,
        BarcodeService,
        BusService,
    } from "@distribution_governance/types/services";
    export function useService(name: "orm"): OrmService;
    export function useService(name: "action"): ActionService;
    export function useService(name: "dialog"): DialogService;
    export function useService(name: "barcode"): BarcodeService;
    export function useService(name: "bus_service"): BusService;
    /** Listens to `eventName` on `bus` while the component is mounted. */
    export function useBus(
        bus: EventBus,
        eventName: string,
        callback: (event: CustomEvent<unknown>) => void,
    ): void;
}

declare module "@web/webclient/actions/action_service" {
    import type { Component } from "@odoo/owl";
    /** OWL's props schema in its object form (OWL does not export the type by name). */
    type PropsSchema = Exclude<NonNullable<(typeof Component)["props"]>, string[]>;
    export const standardActionServiceProps: PropsSchema;
}

declare module "@web/core/user" {
    /** The current user (Odoo 18 replaced the user service by this module-level object). */
    export const user: {
        readonly userId: number;
        readonly name: string;
        /** Cached per group; an RPC the first time a group is asked. */
        hasGroup(group: string): Promise<boolean>;
    };
}

declare module "@web/core/dialog/dialog" {
    import { Component } from "@odoo/owl";
    /** Odoo's modal frame; content in the default slot, buttons in the `footer` slot. */
    export class Dialog extends Component<{
        title?: string;
        size?: "sm" | "md" | "lg" | "xl" | "fs" | "fullscreen";
        contentClass?: string;
        bodyClass?: string;
        footer?: boolean;
        header?: boolean;
        technical?: boolean;
        withBodyPadding?: boolean;
    }> {}
}

declare module "@web/core/dropdown/dropdown" {
    import { Component } from "@odoo/owl";
    /** Toggler in the default slot, menu in the `content` slot. */
    export class Dropdown extends Component<{
        position?: string;
        menuClass?: string;
        beforeOpen?: () => void | Promise<void>;
        disabled?: boolean;
    }> {}
}

declare module "@web/core/dropdown/dropdown_item" {
    import { Component } from "@odoo/owl";
    export class DropdownItem extends Component<{
        class?: string | Record<string, boolean>;
        onSelected?: () => void;
        attrs?: Record<string, string>;
    }> {}
}

declare module "@web/views/widgets/standard_widget_props" {
    import type { Component } from "@odoo/owl";
    type PropsSchema = Exclude<NonNullable<(typeof Component)["props"]>, string[]>;
    /** `record` (the form's relational record) and `readonly`, given to every view widget. */
    export const standardWidgetProps: PropsSchema;
}

declare module "@web/model/relational_model/utils" {
    import type { RelationalRecord } from "@distribution_governance/types/services";
    /**
     * Runs `callback` before the first render and again whenever what it read on the record
     * changes (batched per animation frame) or the component receives another record.
     */
    export function useRecordObserver<P extends { record: RelationalRecord }>(
        callback: (record: RelationalRecord, props: P) => void | Promise<void>,
    ): void;
}

declare module "@web/search/action_hook" {
    /** Lets a client action hand back state to restore when the user returns to it. */
    export function useSetupAction(params: {
        getLocalState?: () => Record<string, unknown>;
        beforeLeave?: () => void | Promise<unknown>;
    }): void;
}

declare module "@web/core/currency" {
    /**
     * An amount as Odoo's monetary fields show it to this user: their language's separators,
     * the currency's digits, its symbol on its side (a currency the session does not know: the
     * number alone).
     */
    export function formatCurrency(
        amount: number,
        currencyId: number | false | undefined,
        options?: { digits?: [number, number]; noSymbol?: boolean; humanReadable?: boolean },
    ): string;
}

declare module "@web/core/utils/concurrency" {
    /** Of the promises added, only the last one settles: earlier ones never do. */
    export class KeepLast<T = unknown> {
        add<U extends T>(promise: Promise<U>): Promise<U>;
    }
}

declare module "@web/core/utils/numbers" {
    /** A number with the user's language separators and `digits[1]` decimals. */
    export function formatFloat(value: number, options?: { digits?: [number, number] }): string;
}

declare module "@web/core/l10n/dates" {
    /** A luxon DateTime (the value of a datetime field in the web client). */
    export interface DateTime {
        isValid: boolean;
        /** Milliseconds since the epoch. */
        toMillis(): number;
    }
    /** "YYYY-MM-DD" from the server -> a local date. */
    export function deserializeDate(value: string): DateTime;
    /** A date -> "YYYY-MM-DD" for the server. */
    export function serializeDate(value: DateTime): string;
    /** UTC "YYYY-MM-DD HH:MM:SS" from the server -> the user's time zone. */
    export function deserializeDateTime(value: string): DateTime;
    /** In the user's language date format. */
    export function formatDate(value: DateTime | false): string;
    export function formatDateTime(value: DateTime | false): string;
}

declare module "@web/core/datetime/datetime_input" {
    import { Component } from "@odoo/owl";
    import type { DateTime } from "@web/core/l10n/dates";
    /** Odoo's date(time) input: a text input in the user's format opening Odoo's date picker;
     * `onChange` when the user picks or types a date (null when cleared). */
    export class DateTimeInput extends Component<{
        type?: "date" | "datetime";
        value?: DateTime | null | false;
        minDate?: DateTime | null | false;
        maxDate?: DateTime | null | false;
        onChange?: (value: DateTime | null) => void;
        placeholder?: string;
        id?: string;
    }> {}
}

declare module "@web/core/assets" {
    /** Loads a bundle's JS and CSS once (cached by name); resolves when all of it has loaded. */
    export function loadBundle(bundleName: string): Promise<void[]>;
}

declare module "@web/search/layout" {
    import { Component } from "@odoo/owl";
    /**
     * The control panel (breadcrumbs from the action) and an `.o_content` around the default
     * slot. Other slots go to the control panel: `layout-actions` (the search bar's place),
     * `layout-buttons`, `control-panel-create-button`, `control-panel-always-buttons`,
     * `control-panel-additional-actions`, `control-panel-navigation-additional`.
     */
    export class Layout extends Component<{
        className?: string;
        display?: { controlPanel?: Record<string, unknown>; searchPanel?: boolean };
    }> {}
}

/** Chart.js 4 from `loadBundle("web.chartjs_lib")`, a global once loaded; what the addon uses. */
declare class Chart {
    constructor(
        canvas: HTMLCanvasElement,
        config: { type: string; data: object; options?: object },
    );
    destroy(): void;
}

declare module "@web/views/fields/standard_field_props" {
    import type { Component } from "@odoo/owl";
    type PropsSchema = Exclude<NonNullable<(typeof Component)["props"]>, string[]>;
    /** `id`, `name` (the field), `readonly` and `record`, given to every field widget. */
    export const standardFieldProps: PropsSchema;
}

/** What a view module registers in the "views" registry (its parts; the addon swaps some). */
interface OdooViewDescriptor {
    type: string;
    Controller: unknown;
    Renderer: unknown;
    [key: string]: unknown;
}

/** The slice of a relational-model list (the view's root) the addon's renderers read. */
interface OdooRootList {
    model: { load(): Promise<void> };
    isGrouped: boolean;
    groupByField?: { name: string; type: string };
    groups: {
        id: string;
        value: unknown;
        list: { records: { id: string; resId: number | false }[] };
    }[];
}

declare module "@web/views/list/list_renderer" {
    import { Component } from "@odoo/owl";
    /** Odoo's list renderer (the table of a list view). */
    export class ListRenderer extends Component<{ list: OdooRootList }> {
        static components: Record<string, unknown>;
        tableRef: { el: HTMLElement | null };
        /** The keyboard of a focused cell in read mode: true when the key did something. */
        onCellKeydownReadOnlyMode(
            hotkey: string,
            cell: HTMLElement,
            group: unknown,
            record: unknown,
        ): boolean;
        /** Focuses a cell (or what it holds) as Odoo's keyboard navigation does. */
        focus(el: HTMLElement): void;
    }
}

declare module "@web/views/list/list_view" {
    export const listView: OdooViewDescriptor;
}

declare module "@web/views/kanban/kanban_renderer" {
    import { Component } from "@odoo/owl";
    /** What Odoo's sortable gives a drop: the card, the column it was dropped on. */
    export interface SortableDropParams {
        element: HTMLElement;
        parent?: HTMLElement;
        previous?: HTMLElement;
        group?: HTMLElement;
        next?: HTMLElement;
    }
    /** Odoo's kanban renderer (columns and cards). */
    export class KanbanRenderer extends Component<{ list: OdooRootList }> {
        static components: Record<string, unknown>;
        /** Cards may be dragged (records_draggable and grouped, or a handle field). */
        get canResequenceRecords(): boolean;
        /** Cards may change column: the group-by field is writable and movable. */
        get canMoveRecords(): boolean;
        sortRecordDrop(
            dataRecordId: string,
            dataGroupId: string,
            params: SortableDropParams,
        ): Promise<void>;
        /** Shows a card as busy (and undraggable) while its move runs. */
        toggleProcessing(dataRecordId: string, value: boolean): void;
    }
}

declare module "@web/views/kanban/kanban_view" {
    export const kanbanView: OdooViewDescriptor;
}

declare module "@web/core/network/rpc" {
    /** What an RPC rejects with when the server cannot be reached (offline, dropped). */
    export class ConnectionLostError extends Error {}
}

declare module "@web/core/utils/patch" {
    /** Extends a class's prototype in place (`super` reaches the patched methods). */
    export function patch<T extends object>(target: T, extension: Partial<T>): () => void;
}

declare module "@web/session" {
    /** The session info of the page; `db` is the database's name. */
    export const session: { db?: string };
}
