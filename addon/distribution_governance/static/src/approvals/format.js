/** @odoo-module */
import { formatCurrency } from "@web/core/currency";
import {
  deserializeDate,
  deserializeDateTime,
  formatDate,
  formatDateTime
} from "@web/core/l10n/dates";
function moneyFormatter(currencyId) {
  return (value) => formatCurrency(Number.isFinite(value) ? value : 0, currencyId);
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
