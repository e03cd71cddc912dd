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
    import type {
        OrmService,
        ActionService,
        NotificationService,
    } from "@distribution_governance/types/services";
    export function useService(name: "orm"): OrmService;
    export function useService(name: "action"): ActionService;
    export function useService(name: "notification"): NotificationService;
}

declare module "@web/webclient/actions/action_service" {
    import type { Component } from "@odoo/owl";
    /** OWL's props schema in its object form (OWL does not export the type by name). */
    type PropsSchema = Exclude<NonNullable<(typeof Component)["props"]>, string[]>;
    export const standardActionServiceProps: PropsSchema;
}
