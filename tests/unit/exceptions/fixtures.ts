import type { ExceptionRow, PanelData } from "@distribution_governance/types/exceptions";
import type { TriageSuggestion } from "@distribution_governance/types/triage";

export const HOUR = 3_600_000;
export const MINUTE = 60_000;

/** An Odoo UTC datetime string, as the server sends it. */
export function serverDatetime(ms: number): string {
    return new Date(ms).toISOString().slice(0, 19).replace("T", " ");
}

/** A row of get_panel_data as the server builds it (_ui_row): labels and rights included. */
export function makeRow(overrides: Partial<ExceptionRow> = {}): ExceptionRow {
    return {
        id: 1,
        name: "EXC/0001",
        type: "Short pick",
        type_code: "short_pick",
        severity: "high",
        severity_label: "High",
        state: "new",
        state_label: "New",
        owner: false,
        partner: "Deco Addict",
        sale_order: [5, "S00005"],
        picking: [9, "WH/OUT/00009"],
        product: "Pallet Wrap",
        quantity_missing: 3,
        uom: "Units",
        description: "WH/OUT/00009 shipped 7 of 10 Units of Pallet Wrap",
        sla_deadline: serverDatetime(Date.now() + 2 * HOUR + 5 * MINUTE + 30_000),
        sla_warning_at: serverDatetime(Date.now() + 30 * MINUTE),
        sla_status: "on_track",
        sla_status_label: "On Track",
        escalation_level: 0,
        can_take: true,
        can_resolve: true,
        why_not_take: false,
        why_not_resolve: false,
        ...overrides,
    };
}

export function rights(overrides: Partial<PanelData> = {}): Omit<PanelData, "exceptions"> {
    return {
        can_work: true,
        can_manage: false,
        user_id: 7,
        server_now: serverDatetime(Date.now()),
        ...overrides,
    };
}

/** What the server answers to an action that went through: a notification, then close. */
export function notification(message: string) {
    return {
        type: "ir.actions.client",
        tag: "display_notification",
        params: { message, type: "success", next: { type: "ir.actions.act_window_close" } },
    };
}

/** The resolve wizard, as action_open_resolve_wizard / action_move answer it. */
export function resolveWizard(id: number) {
    return {
        type: "ir.actions.act_window",
        res_model: "distribution.exception.resolve.wizard",
        views: [[false, "form"]],
        target: "new",
        context: { active_model: "distribution.exception", active_ids: [id] },
    };
}

/** get_triage_suggestion's dict for one exception, as the contract of issue 16 gives it. */
export function makeSuggestion(overrides: Partial<TriageSuggestion> = {}): TriageSuggestion {
    return {
        exception_id: 1,
        basis: "similar",
        similar_count: 9,
        k: 9,
        explanation:
            "7 of the 9 most similar were resolved with Backorder by Jane Smith, median 3 h.",
        resolution: { id: 11, name: "Backorder", votes: 7 },
        owner: { id: 21, name: "Jane Smith", votes: 6 },
        severity: { value: "high", label: "High", votes: 5 },
        expected_hours: 3,
        alternatives: {
            resolution: [
                { id: 11, name: "Backorder", votes: 7 },
                { id: 12, name: "Substitute", votes: 2 },
            ],
            owner: [
                { id: 21, name: "Jane Smith", votes: 6 },
                { id: 22, name: "Bob", votes: 2 },
                { id: 23, name: "Ann", votes: 1 },
            ],
        },
        similar_ids: [101, 102, 103],
        applied: { owner: false, severity: false, resolution: false },
        can_apply: { owner: true, severity: true, resolution: true },
        ...overrides,
    };
}
