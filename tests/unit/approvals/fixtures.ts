import type {
    ApprovalRowBase,
    DecisionNotificationAction,
    Exposure,
    FiguresPanelData,
    FullApprovalRow,
    StatusApprovalRow,
    StatusPanelData,
} from "@distribution_governance/types/approvals";

const STATE_LABELS: Record<ApprovalRowBase["state"], string> = {
    pending: "Pending",
    approved: "Approved",
    rejected: "Rejected",
    expired: "Expired",
    voided: "Voided",
    cancelled: "Cancelled",
};

/** A request as `_ui_row()` sends it to credit roles and the salesperson (full row). */
export function makeRequest(values: Partial<FullApprovalRow> = {}): FullApprovalRow {
    const state = values.state ?? "pending";
    return {
        id: 31,
        name: "APR/2026/00031",
        kind: "credit_override",
        state,
        state_label: STATE_LABELS[state],
        requester: "Riley Sales Rep",
        approvals_count: 0,
        approvals_required: 1,
        requested_at: "2026-11-27 05:19:07",
        waiting_for: state === "pending" ? "Morgan Manager, Fin Ance" : "",
        can_decide: state === "pending",
        full: true,
        document: "S00026",
        sale_order_id: 26,
        partner: "QuickStop Convenience",
        amount: 1704.3,
        currency_id: 2,
        exposure_total: 1842.3,
        credit_limit: 1500,
        hold_reason: "Credit exposure 1842.30 exceeds the limit 1500.00.",
        justification: "",
        can_justify: false,
        decisions: [],
        ...values,
    };
}

/** The same request as `_ui_row(full=False)` sends it to the status audience. */
export function makeStatusRequest(values: Partial<StatusApprovalRow> = {}): StatusApprovalRow {
    const full = makeRequest({ state: values.state ?? "pending" });
    return {
        id: full.id,
        name: full.name,
        kind: full.kind,
        state: full.state,
        state_label: full.state_label,
        requester: full.requester,
        approvals_count: full.approvals_count,
        approvals_required: full.approvals_required,
        requested_at: full.requested_at,
        waiting_for: full.waiting_for,
        can_decide: false,
        full: false,
        ...values,
    };
}

export function makeExposure(values: Partial<Exposure> = {}): Exposure {
    return {
        currency_id: 2,
        receivables: 138,
        uninvoiced: 0,
        this_order: 1704.3,
        total: 1842.3,
        limit: 1500,
        credit_control: true,
        overdue: 0,
        overdue_count: 0,
        overdue_days: 0,
        overdue_before: "2026-11-27",
        ...values,
    };
}

const HOLD_LABELS: Record<FiguresPanelData["hold_state"], string> = {
    none: "No hold",
    on_hold: "On credit hold",
    released: "Released",
    rejected: "Credit hold upheld",
};

/** The panel of a credit approver (the "credit" audience), unless `audience` says "sales". */
export function makePanelData(values: Partial<FiguresPanelData> = {}): FiguresPanelData {
    const hold_state = values.hold_state ?? "on_hold";
    return {
        visible: true,
        audience: "credit",
        order_id: 26,
        order_name: "S00026",
        hold_state,
        hold_label: HOLD_LABELS[hold_state],
        hold_point: "confirmation",
        status:
            hold_state === "on_hold"
                ? "On credit hold, waiting for approval by: Morgan Manager, Fin Ance."
                : "",
        // as the server: a hold stands (or upheld) is something to look at
        attention: hold_state === "on_hold" || hold_state === "rejected",
        next_step: "",
        partner: "QuickStop Convenience",
        hold_reason: "Credit exposure 1842.30 exceeds the limit 1500.00.\n1 invoice(s) overdue.",
        exposure: makeExposure(),
        overdue_invoices: [],
        history: [],
        request: makeRequest(),
        ...values,
    };
}

/** The panel of a user who may read the document but not the order (no figures). */
export function makeStatusPanelData(values: Partial<StatusPanelData> = {}): StatusPanelData {
    return {
        visible: true,
        audience: "status",
        order_id: 26,
        order_name: "",
        hold_state: "on_hold",
        hold_label: "On credit hold",
        hold_point: "confirmation",
        status: "On credit hold, waiting for approval by: Morgan Manager, Fin Ance.",
        attention: true,
        next_step: "",
        partner: "",
        hold_reason: "",
        exposure: false,
        overdue_invoices: [],
        history: [],
        request: makeStatusRequest(),
        ...values,
    };
}

/** What action_approve / action_reject / action_justify return. */
export function makeNotification(
    message: string,
    type: DecisionNotificationAction["params"]["type"] = "success",
): DecisionNotificationAction {
    return {
        type: "ir.actions.client",
        tag: "display_notification",
        params: {
            title: "Approved",
            message,
            type,
            sticky: false,
            next: { type: "ir.actions.client", tag: "soft_reload" },
        },
    };
}
