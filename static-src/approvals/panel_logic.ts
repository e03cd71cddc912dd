import { _t } from "@web/core/l10n/translation";
import type {
    ApprovalRow,
    DecisionKind,
    HoldState,
    RequestState,
} from "@distribution_governance/types/approvals";

export const APPROVAL_MODEL = "distribution.approval.request";
/**
 * Triggered on env.bus (detail `{ id, kind }`) after a request was decided through the addon's
 * UI, for whatever counts requests (the systray item).
 */
export const APPROVALS_CHANGED = "DISTRIBUTION_GOVERNANCE:APPROVALS-CHANGED";

/** What the Approve / Reject buttons of a request show. */
export interface DecisionButtons {
    /** The request is pending: the buttons are there (enabled or not). */
    show: boolean;
    enabled: boolean;
    /** Why they are disabled, shown beside them ("" when enabled or only busy). */
    reason: string;
}

/**
 * The buttons mirror the server's check (`_refusal`): shown only on a pending request, enabled
 * when the server says this user may decide it, else disabled with the server's reason (e.g.
 * the requester, who never approves their own request). Disabled while a decision is running.
 */
export function decisionButtons(
    request: Pick<ApprovalRow, "state" | "can_decide" | "cannot_decide_reason"> | false | null,
    busy = false,
): DecisionButtons {
    if (!request || request.state !== "pending") {
        return { show: false, enabled: false, reason: "" };
    }
    if (!request.can_decide) {
        return {
            show: true,
            enabled: false,
            reason: request.cannot_decide_reason || _t("You may not decide this request."),
        };
    }
    return { show: true, enabled: !busy, reason: "" };
}

/** The reason dialog's validation: a rejection needs a reason, an approval does not. */
export function reasonError(kind: DecisionKind, reason: string): string | null {
    if (kind === "reject" && !reason.trim()) {
        return _t("Give a reason to reject the request.");
    }
    return null;
}

export function decisionDialogTitle(kind: DecisionKind, document: string): string {
    return kind === "approve" ? _t("Approve %s", document) : _t("Reject %s", document);
}

export function requestStateLabel(state: RequestState): string {
    switch (state) {
        case "pending":
            return _t("Pending");
        case "approved":
            return _t("Approved");
        case "rejected":
            return _t("Rejected");
        case "expired":
            return _t("Expired");
        case "cancelled":
            return _t("Cancelled");
    }
    return String(state);
}

export function requestStateBadge(state: RequestState): string {
    switch (state) {
        case "pending":
            return "text-bg-info";
        case "approved":
            return "text-bg-success";
        case "rejected":
            return "text-bg-danger";
        default:
            return "text-bg-secondary";
    }
}

export function holdStateLabel(state: HoldState): string {
    switch (state) {
        case "on_hold":
            return _t("On credit hold");
        case "released":
            return _t("Released");
        case "rejected":
            return _t("Hold rejected");
        case "none":
            return _t("No hold");
    }
    return String(state);
}

export function holdStateBadge(state: HoldState): string {
    switch (state) {
        case "on_hold":
            return "text-bg-danger";
        case "released":
            return "text-bg-success";
        case "rejected":
            return "text-bg-warning";
        default:
            return "text-bg-light";
    }
}

export function decisionLabel(decision: DecisionKind): string {
    return decision === "approve" ? _t("Approved") : _t("Rejected");
}

/** "1 / 2": approvals given out of those the request's tier requires. */
export function approvalsProgress(
    row: Pick<ApprovalRow, "approvals_count" | "approvals_required">,
) {
    const required = Math.max(row.approvals_required || 1, 1);
    return {
        text: `${row.approvals_count} / ${required}`,
        complete: row.approvals_count >= required,
        /** Another approval after this one is still needed. */
        needsMore: required - row.approvals_count > 1,
    };
}

/** The sale order's form, opened from an inbox row. */
export function saleOrderFormAction(orderId: number) {
    return {
        type: "ir.actions.act_window" as const,
        res_model: "sale.order",
        res_id: orderId,
        views: [[false, "form"]] as [false, string][],
        target: "current" as const,
    };
}
