/** @odoo-module */
import { _t } from "@web/core/l10n/translation";
function partialStateBadge(state) {
  switch (state) {
    case "pending":
      return "text-bg-warning";
    case "approved":
      return "text-bg-success";
    case "rejected":
      return "text-bg-danger";
    default:
      return "text-bg-light";
  }
}
function partialRowClass(row) {
  return row.short > 0 ? "o_dg_partial_short table-warning" : "";
}
function shortSummary(rows, open) {
  if (!open) {
    return "";
  }
  const short = rows.filter((row) => row.short > 0).length;
  if (!short) {
    return _t("Validating now ships the whole demand");
  }
  return short === 1 ? _t("Validating now ships 1 move short of its demand") : _t("Validating now ships %s moves short of their demand", String(short));
}
export {
  partialRowClass,
  partialStateBadge,
  shortSummary
};
