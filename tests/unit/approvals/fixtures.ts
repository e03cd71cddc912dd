import type {
    ApprovalRow,
    Exposure,
    VisiblePanelData,
} from "@distribution_governance/types/approvals";

export function makeRequest(values: Partial<ApprovalRow> = {}): ApprovalRow {
    return {
        id: 31,
        name: "APR/2026/00031",
        kind: "credit_override",
        state: "pending",
        document: "S00026",
        sale_order_id: 26,
        partner: "QuickStop Convenience",
        requester: "Riley Sales Rep",
        amount: 1704.3,
        currency_symbol: "$",
        exposure_total: 1842.3,
        credit_limit: 1500,
        hold_reason: "Credit exposure 1842.30 exceeds the limit 1500.00.",
        approvals_count: 0,
        approvals_required: 1,
        requested_at: "2026-11-27 05:19:07",
        can_decide: true,
        cannot_decide_reason: "",
        decisions: [],
        ...values,
    };
}

export function makeExposure(values: Partial<Exposure> = {}): Exposure {
    return {
        currency_id: 2,
        currency_symbol: "$",
        receivables: 138,
        uninvoiced: 0,
        this_order: 1704.3,
        total: 1842.3,
        limit: 1500,
        credit_control: true,
        overdue: 0,
        overdue_count: 0,
        overdue_days: 0,
        ...values,
    };
}

export function makePanelData(values: Partial<VisiblePanelData> = {}): VisiblePanelData {
    return {
        visible: true,
        order_id: 26,
        order_name: "S00026",
        hold_state: "on_hold",
        hold_reason: "Credit exposure 1842.30 exceeds the limit 1500.00.\n1 invoice(s) overdue.",
        hold_point: "confirmation",
        partner: "QuickStop Convenience",
        exposure: makeExposure(),
        overdue_invoices: [],
        history: [],
        request: makeRequest(),
        ...values,
    };
}
