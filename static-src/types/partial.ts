// Shapes of the partial shipment panel's read API
// (models/stock_picking_partial.py: get_partial_panel_data). Type-only.
import type { ApprovalRow } from "@distribution_governance/types/approvals";

export type PartialState = "none" | "pending" | "approved" | "rejected";

/** One move of the transfer: its demand and what validating now ships, in the product's unit. */
export interface PartialMoveRow {
    id: number;
    product: string;
    uom: string;
    demand: number;
    shipped: number;
    short: number;
    /** Cancelled: nothing of its demand ships. */
    cancelled: boolean;
}

export interface VisiblePartialPanelData {
    visible: true;
    picking_id: number;
    /** Not done nor cancelled: the rows are what validating now ships. */
    open: boolean;
    /** Why the transfer ships complete ("" when it no longer has to). */
    requirement: string;
    state: PartialState;
    /** The state's label, already translated by the server. */
    state_label: string;
    /** Products that would ship short. */
    short_count: number;
    /** An approval covers the transfer as it is now: validating it ships what was approved. */
    approved_now: boolean;
    rows: PartialMoveRow[];
    request: ApprovalRow | false;
}

export type PartialPanelData = VisiblePartialPanelData | { visible: false };
