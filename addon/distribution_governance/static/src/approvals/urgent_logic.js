/** @odoo-module */
import { _t } from "@web/core/l10n/translation";
function urgentStateBadge(state) {
  switch (state) {
    case "pending":
      return "text-bg-info";
    case "approved":
      return "text-bg-success";
    case "rejected":
      return "text-bg-warning";
    default:
      return "text-bg-light";
  }
}
function reservedText(row) {
  const fmt = (value) => String(Math.round(value * 1e3) / 1e3);
  return _t("%s / %s reserved", fmt(row.reserved), fmt(row.demand));
}
function reservedClass(row) {
  return row.reserved + 1e-9 >= row.demand ? "text-success" : "text-danger";
}
function urgentSummary(state, transfers) {
  const urgent = transfers.filter((row) => row.priority === "1").length;
  switch (state) {
    case "pending":
      return _t(
        "Waiting for a warehouse manager: priority and reservations unchanged until then."
      );
    case "approved":
      return urgent ? _t("Expedited: the transfers are urgent and reserved first.") : _t("Expedited: the transfers asked for have shipped.");
    case "rejected":
      return _t("Expedite refused: the transfers keep their place.");
    default:
      return transfers.length ? _t("Normal priority. Expedite to ship ahead of earlier orders.") : _t("No open transfer.");
  }
}
export {
  reservedClass,
  reservedText,
  urgentStateBadge,
  urgentSummary
};
