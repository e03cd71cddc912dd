/** @odoo-module */
const ATTENTION_KEYS = /* @__PURE__ */ new Set(["late_deliveries", "overdue_invoices"]);
function tileTone(tile) {
  if (!ATTENTION_KEYS.has(tile.key)) {
    return "neutral";
  }
  return tile.value > 0 ? "attention" : "clear";
}
function drillDownAction(tile) {
  return {
    type: "ir.actions.act_window",
    name: tile.label,
    res_model: tile.model,
    domain: tile.domain,
    views: [
      [false, "list"],
      [false, "form"]
    ],
    target: "current"
  };
}
function formatCount(value, locale) {
  if (!Number.isFinite(value)) {
    return "\u2013";
  }
  return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}
export {
  drillDownAction,
  formatCount,
  tileTone
};
