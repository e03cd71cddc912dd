// Shapes of the approval read API of `distribution.approval.request`
// (models/distribution_approval.py: _ui_row, get_panel_data, the decisions' notification) and of the exposure dict of `res.partner._dg_credit_exposure`
// (models/credit_exposure.py). Type-only.
import type { ClientAction, RelationalRecord } from "@distribution_governance/types/services";

export type RequestState = "pending" | "approved" | "rejected" | "expired" | "voided" | "cancelled";
export type HoldState = "none" | "on_hold" | "released" | "rejected";
export type HoldPoint = "confirmation" | "delivery";
export type DecisionKind = "approve" | "reject";

export interface ApprovalDecision {
    user: string;
    decision: DecisionKind;
    /** The decision's label, already translated by the server. */
    label: string;
    reason: string;
    /** UTC "YYYY-MM-DD HH:MM:SS". */
    at: string;
}

/** What every reader of a request gets (`_ui_row(full=False)`): where it stands. */
export interface ApprovalRowBase {
    id: number;
    name: string;
    kind: string;
    state: RequestState;
    /** The state's label, already translated by the server. */
    state_label: string;
    requester: string;
    approvals_count: number;
    approvals_required: number;
    /** UTC "YYYY-MM-DD HH:MM:SS". */
    requested_at: string;
    /** Who may decide it now ("" once it is no longer pending). */
    waiting_for: string;
    /** Pending, and the server would accept this user's decision. */
    can_decide: boolean;
}

export interface StatusApprovalRow extends ApprovalRowBase {
    full: false;
}

/** A request with its figures, justification and decisions (credit roles, the salesperson). */
export interface FullApprovalRow extends ApprovalRowBase {
    full: true;
    document: string;
    sale_order_id: number | false;
    partner: string | false;
    amount: number;
    currency_id: number;
    exposure_total: number;
    credit_limit: number;
    hold_reason: string;
    /** The requester's justification ("" until given). */
    justification: string;
    /** The current user requested it, it waits and is not justified yet. */
    can_justify: boolean;
    decisions: ApprovalDecision[];
}

/** One request as `_ui_row` sends it (the panel's current request). */
export type ApprovalRow = StatusApprovalRow | FullApprovalRow;

/** Live credit exposure of the order's commercial partner, in the company currency. */
export interface Exposure {
    /** The company currency, for Odoo's formatCurrency. */
    currency_id: number;
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
    /** "YYYY-MM-DD": invoices due before it are overdue. */
    overdue_before: string;
}

export interface OverdueInvoice {
    id: number;
    name: string;
    /** "YYYY-MM-DD". */
    due: string;
    residual: number;
}

export interface HistoryEntry {
    /** The audit event's code (approve, reject, expire, rehold, void). */
    event_code: string;
    /** The event's label, already translated by the server. */
    event: string;
    document: string;
    user: string;
    at: string;
    amount: number;
    reason: string;
}

/** What every reader of a visible panel gets. */
interface PanelDataBase {
    visible: true;
    order_id: number;
    hold_state: HoldState;
    /** The hold state's label, already translated by the server. */
    hold_label: string;
    hold_point: HoldPoint;
    /**
     * One sentence on where the hold stands, or on what confirming a quotation over the
     * customer's credit will do ("" otherwise).
     */
    status: string;
    /**
     * Something for this reader to look at or do (a hold, a quotation that confirming would
     * hold, a request they may decide or justify): the panel opens on it. Otherwise it is one
     * line, its detail on demand.
     */
    attention: boolean;
}

/** The panel of a user who may read the order's figures (credit roles, the salesperson). */
export interface FiguresPanelData extends PanelDataBase {
    audience: "credit" | "sales";
    order_name: string;
    /** What to do after a rejection ("" otherwise). */
    next_step: string;
    partner: string;
    hold_reason: string;
    exposure: Exposure;
    /** The oldest overdue invoices (credit audience only, else empty). */
    overdue_invoices: OverdueInvoice[];
    /** The customer's recent decisions (credit audience only, else empty). */
    history: HistoryEntry[];
    request: FullApprovalRow | false;
}

/** The panel of anyone else who may read the document: where the hold stands, no figures. */
export interface StatusPanelData extends PanelDataBase {
    audience: "status";
    order_name: "";
    next_step: "";
    partner: "";
    hold_reason: "";
    exposure: false;
    overdue_invoices: [];
    history: [];
    request: StatusApprovalRow | false;
}

export type VisiblePanelData = FiguresPanelData | StatusPanelData;

export type CreditPanelData = VisiblePanelData | { visible: false };

/** How a sale line stands against the pricing policy. */
export type PriceFlag = "ok" | "discount" | "margin";

/** One line of the price panel (distribution.approval.request.get_price_panel_data). */
export interface PriceLineRow {
    id: number;
    product: string;
    qty: number;
    price_unit: number;
    discount: number;
    /** The unit price after discount, in the order's currency. */
    net: number;
    pricelist_price: number;
    /** Percent below the pricelist price (negative: above it). */
    deviation: number;
    flag: PriceFlag;
    /** Sales managers and price approvers only. */
    margin?: number;
    cost?: number;
}

export interface VisiblePricePanelData {
    visible: true;
    order_id: number;
    /** The order's currency. */
    currency_id: number;
    hold_state: HoldState;
    hold_label: string;
    max_discount: number;
    /** The margin floor, for readers of margins only (false otherwise). */
    margin_floor: number | false;
    show_margins: boolean;
    below_count: number;
    /** What the lines below the pricelist give away, formatted ("" for readers without margins). */
    concession: string;
    lines: PriceLineRow[];
    request: StatusApprovalRow | false;
}

export type PricePanelData = VisiblePricePanelData | { visible: false };

/** A client action that reloads the current controller (Odoo's `soft_reload`). */
export interface SoftReloadAction extends ClientAction {
    tag: "soft_reload";
}

/**
 * What `action_approve`, `action_reject` and `action_justify` return: Odoo's notification,
 * then (`next`) a soft reload of the screen.
 */
export interface DecisionNotificationAction extends ClientAction {
    tag: "display_notification";
    params: {
        title: string;
        message: string;
        type: "info" | "success" | "warning" | "danger";
        sticky: boolean;
        next?: SoftReloadAction;
    };
}

/** The form record a view widget receives, with the save Odoo's buttons run before acting. */
export interface SavableRecord extends RelationalRecord {
    /** Saves pending edits; false when the record could not be saved (invalid fields). */
    save(): Promise<boolean>;
}

/** Where an order's urgent override stands (sale.order.dg_urgent_state). */
export type UrgentState = "none" | "pending" | "approved" | "rejected";

/** One open transfer of the order in the urgent panel. */
export interface UrgentTransferRow {
    id: number;
    name: string;
    /** "1": urgent (Odoo's star), "0": normal. */
    priority: "0" | "1";
    state: string;
    state_label: string;
    /** Reserved and demanded quantities, summed over the transfer's moves. */
    reserved: number;
    demand: number;
}

/** The urgent panel (distribution.approval.request.get_urgent_panel_data). */
export interface VisibleUrgentPanelData {
    visible: true;
    order_id: number;
    /** "" for a reader who may not read the order. */
    order_name: string;
    urgent_state: UrgentState;
    urgent_label: string;
    /** The user may ask to expedite the order now (from the order's form). */
    can_request: boolean;
    transfers: UrgentTransferRow[];
    request: (StatusApprovalRow & { justification: string; requested_by: string }) | false;
}

export type UrgentPanelData = VisibleUrgentPanelData | { visible: false };
