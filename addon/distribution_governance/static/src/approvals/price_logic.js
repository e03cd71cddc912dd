/** @odoo-module */
import { _t } from "@web/core/l10n/translation";
function priceRowClass(flag) {
  return flag === "ok" ? "" : "o_dg_price_below table-danger";
}
function deviationText(deviation) {
  const rounded = Math.round(Math.abs(deviation) * 10) / 10;
  if (rounded === 0) {
    return _t("at pricelist");
  }
  const percent = `${rounded.toFixed(1)}%`;
  return deviation > 0 ? _t("%s below", percent) : _t("%s above", percent);
}
function flagText(flag) {
  switch (flag) {
    case "discount":
      return _t("Below the allowed discount");
    case "margin":
      return _t("Below the margin floor");
    default:
      return "";
  }
}
function belowSummary(lines) {
  const below = lines.filter((line) => line.flag !== "ok").length;
  if (!below) {
    return _t("All lines within the pricing policy");
  }
  return below === 1 ? _t("1 line below the pricing policy") : _t("%s lines below the pricing policy", String(below));
}
export {
  belowSummary,
  deviationText,
  flagText,
  priceRowClass
};
