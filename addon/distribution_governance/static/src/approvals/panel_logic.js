/** @odoo-module */
import { _t } from "@web/core/l10n/translation";
const APPROVAL_MODEL = "distribution.approval.request";
const APPROVALS_CHANGED = "DISTRIBUTION_GOVERNANCE:APPROVALS-CHANGED";
function decisionButtons(request, busy = false) {
  if (!request || request.state !== "pending") {
    return { show: false, enabled: false, reason: "" };
  }
  if (!request.can_decide) {
    return {
      show: true,
      enabled: false,
      reason: request.cannot_decide_reason || _t("You may not decide this request.")
    };
  }
  return { show: true, enabled: !busy, reason: "" };
}
function reasonError(kind, reason) {
  if (kind === "reject" && !reason.trim()) {
    return _t("Give a reason to reject the request.");
  }
  return null;
}
function decisionDialogTitle(kind, document) {
  return kind === "approve" ? _t("Approve %s", document) : _t("Reject %s", document);
}
function requestStateLabel(state) {
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
function holdStateLabel(state) {
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
function decisionLabel(decision) {
  return decision === "approve" ? _t("Approved") : _t("Rejected");
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
function saleOrderFormAction(orderId) {
  return {
    type: "ir.actions.act_window",
    res_model: "sale.order",
    res_id: orderId,
    views: [[false, "form"]],
    target: "current"
  };
}
export {
  APPROVALS_CHANGED,
  APPROVAL_MODEL,
  approvalsProgress,
  decisionButtons,
  decisionDialogTitle,
  decisionLabel,
  holdStateBadge,
  holdStateLabel,
  reasonError,
  requestStateBadge,
  requestStateLabel,
  saleOrderFormAction
};
