/** @odoo-module */
import { _t } from "@web/core/l10n/translation";
const SEVERITIES = ["critical", "high", "medium", "low"];
const STATES = ["new", "in_progress", "resolved", "cancelled"];
function severityLabel(severity) {
  switch (severity) {
    case "critical":
      return _t("Critical");
    case "high":
      return _t("High");
    case "medium":
      return _t("Medium");
    case "low":
      return _t("Low");
  }
}
function severityBadgeClass(severity) {
  switch (severity) {
    case "critical":
      return "text-bg-danger";
    case "high":
      return "text-bg-warning";
    case "medium":
      return "text-bg-info";
    case "low":
      return "text-bg-secondary";
  }
}
function stateLabel(state) {
  switch (state) {
    case "new":
      return _t("New");
    case "in_progress":
      return _t("In Progress");
    case "resolved":
      return _t("Resolved");
    case "cancelled":
      return _t("Cancelled");
  }
}
function stateBadgeClass(state) {
  switch (state) {
    case "new":
      return "text-bg-info";
    case "in_progress":
      return "text-bg-warning";
    case "resolved":
      return "text-bg-success";
    case "cancelled":
      return "text-bg-light";
  }
}
export {
  SEVERITIES,
  STATES,
  severityBadgeClass,
  severityLabel,
  stateBadgeClass,
  stateLabel
};
