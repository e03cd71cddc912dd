/** @odoo-module */
import { currencies } from "@web/core/currency";
import {
  deserializeDate,
  deserializeDateTime,
  formatDate,
  formatDateTime
} from "@web/core/l10n/dates";
import { formatFloat } from "@web/core/utils/numbers";
import { formatMoney, moneyFormatFor } from "@distribution_governance/approvals/exposure_bar";
function moneyFormatter(currencyId, symbol) {
  const money = moneyFormatFor(currencies, currencyId, symbol);
  const formatNumber = (value, digits) => formatFloat(value, { digits: [69, digits] });
  return (value) => formatMoney(value, money, formatNumber);
}
function formatServerDateTime(value) {
  return value ? formatDateTime(deserializeDateTime(value)) : "";
}
function formatServerDate(value) {
  return value ? formatDate(deserializeDate(value)) : "";
}
export {
  formatServerDate,
  formatServerDateTime,
  moneyFormatter
};
