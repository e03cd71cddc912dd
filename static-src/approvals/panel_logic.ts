import { _t } from "@web/core/l10n/translation";
import type {
    ApprovalRow,
    HoldState,
    RequestState,
} from "@distribution_governance/types/approvals";
import type { ClientAction } from "@distribution_governance/types/services";

export const APPROVAL_MODEL = "distribution.approval.request";
/**
 * Triggered on env.bus (detail `{ id, kind }`) after a request was decided through the addon's
 * UI, for whatever counts requests (the systray item).
 */
export const APPROVALS_CHANGED = "DISTRIBUTION_GOVERNANCE:APPROVALS-CHANGED";

/** What the reason dialog asks for: a decision's reason, or the requester's justification. */
export type ReasonKind = "approve" | "reject" | "justify";

/** What the Approve / Reject buttons of a request show. */
export interface DecisionButtons {
    /** The buttons are there: the request waits and the server accepts this user's decision. */
    show: boolean;
    /** False while a decision is running. */
    enabled: boolean;
}

/**
 * The buttons mirror the server's check (`can_decide`): shown only to who may decide a pending
 * request, never disabled for who could never use them (the requester, the salesperson, users
 * without the tier's group). Disabled while a decision is running.
 */
export function decisionButtons(
    request: Pick<ApprovalRow, "state" | "can_decide"> | false | null,
    busy = false,
): DecisionButtons {
    if (!request || request.state !== "pending" || !request.can_decide) {
        return { show: false, enabled: false };
    }
    return { show: true, enabled: !busy };
}

/** An `ir.actions.client` as the server returns it (anything else is not run). */
export function isClientAction(value: unknown): value is ClientAction {
    return (
        typeof value === "object" &&
        value !== null &&
        (value as { type?: unknown }).type === "ir.actions.client" &&
        typeof (value as { tag?: unknown }).tag === "string"
    );
}

/**
 * The reason dialog's validation: a rejection needs a reason, a justification needs its text,
 * an approval needs nothing.
 */
export function reasonError(kind: ReasonKind, reason: string): string | null {
    if (reason.trim()) {
        return null;
    }
    switch (kind) {
        case "reject":
            return _t("Give a reason to reject the request.");
        case "justify":
            return _t("Say why this order should go ahead.");
        case "approve":
            return null;
    }
    return null;
}

export function decisionDialogTitle(kind: ReasonKind, document: string): string {
    switch (kind) {
        case "approve":
            return _t("Approve %s", document);
        case "reject":
            return _t("Reject %s", document);
        case "justify":
            return _t("Request credit approval for %s", document);
    }
    return document;
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
            // expired, voided, cancelled: no longer in force
            return "text-bg-secondary";
    }
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
