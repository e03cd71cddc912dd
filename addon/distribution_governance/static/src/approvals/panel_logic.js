/** @odoo-module */
import { _t } from "@web/core/l10n/translation";
const APPROVAL_MODEL = "distribution.approval.request";
const APPROVALS_CHANGED = "DISTRIBUTION_GOVERNANCE:APPROVALS-CHANGED";
function decisionButtons(request, busy = false) {
  if (!request || request.state !== "pending" || !request.can_decide) {
    return { show: false, enabled: false };
  }
  return { show: true, enabled: !busy };
}
function isClientAction(value) {
  return typeof value === "object" && value !== null && value.type === "ir.actions.client" && typeof value.tag === "string";
}
function reasonError(kind, reason) {
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
function decisionDialogTitle(kind, document) {
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
function requestStateBadge(state) {
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
function holdStateBadge(state) {
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
function approvalsProgress(row) {
  const required = Math.max(row.approvals_required || 1, 1);
  return {
    text: `${row.approvals_count} / ${required}`,
    complete: row.approvals_count >= required,
    /** Another approval after this one is still needed. */
    needsMore: required - row.approvals_count > 1
  };
}
export {
  APPROVALS_CHANGED,
  APPROVAL_MODEL,
  approvalsProgress,
  decisionButtons,
  decisionDialogTitle,
  holdStateBadge,
  isClientAction,
  reasonError,
  requestStateBadge
};
