// Shapes of the approval read API of `distribution.approval.request`
// (models/distribution_approval.py: _ui_row, get_panel_data, get_inbox_data) and of the exposure
// dict of `res.partner._dg_credit_exposure` (models/credit_exposure.py). Type-only.
import type { RelationalRecord } from "@distribution_governance/types/services";

export type RequestState = "pending" | "approved" | "rejected" | "expired" | "cancelled";
export type HoldState = "none" | "on_hold" | "released" | "rejected";
export type DecisionKind = "approve" | "reject";

export interface ApprovalDecision {
    user: string;
    decision: DecisionKind;
    reason: string;
    /** UTC "YYYY-MM-DD HH:MM:SS". */
    at: string;
}

/** One request as `_ui_row` sends it (inbox rows and the panel's current request). */
export interface ApprovalRow {
    id: number;
    name: string;
    kind: string;
    state: RequestState;
    document: string;
    sale_order_id: number | false;
    partner: string | false;
    requester: string;
    amount: number;
    currency_symbol: string;
    exposure_total: number;
    credit_limit: number;
    hold_reason: string;
    approvals_count: number;
    approvals_required: number;
    /** UTC "YYYY-MM-DD HH:MM:SS". */
    requested_at: string;
    can_decide: boolean;
    cannot_decide_reason: string;
    decisions: ApprovalDecision[];
}

/** Live credit exposure of the order's commercial partner, in the company currency. */
export interface Exposure {
    currency_id: number;
    currency_symbol: string;
    /** Open invoices less open credit notes: negative when credit notes exceed invoices. */
    receivables: number;
    uninvoiced: number;
    this_order: number;
    total: number;
    limit: number;
    /** The company checks credit limits and the partner has one above zero. */
    credit_control: boolean;
    overdue: number;
    overdue_count: number;
    overdue_days: number;
}

export interface OverdueInvoice {
    id: number;
    name: string;
    /** "YYYY-MM-DD". */
    due: string;
    residual: number;
}

export interface HistoryEntry {
    /** The event's label, already translated by the server. */
    event: string;
    document: string;
    user: string;
    at: string;
    amount: number;
    reason: string;
}

export interface VisiblePanelData {
    visible: true;
    order_id: number;
    order_name: string;
    hold_state: HoldState;
    hold_reason: string;
    hold_point: string;
    partner: string;
    exposure: Exposure;
    overdue_invoices: OverdueInvoice[];
    history: HistoryEntry[];
    request: ApprovalRow | false;
}

export type CreditPanelData = VisiblePanelData | { visible: false };

export interface InboxData {
    requests: ApprovalRow[];
}

/** The form record a view widget receives, with the save Odoo's buttons run before acting. */
export interface SavableRecord extends RelationalRecord {
    /** Saves pending edits; false when the record could not be saved (invalid fields). */
    save(): Promise<boolean>;
}
