/** @odoo-module */
import { _t } from "@web/core/l10n/translation";
import { toMillis } from "@distribution_governance/exceptions/sla";
function panelSummary(rows) {
  let urgent = null;
  let urgentAt = Infinity;
  for (const row of rows) {
    const deadline = toMillis(row.sla_deadline) ?? Infinity;
    if (urgent === null || deadline < urgentAt) {
      urgent = row;
      urgentAt = deadline;
    }
  }
  return {
    count: rows.length,
    title: rows.length === 1 ? _t("1 open exception") : _t("%s open exceptions", String(rows.length)),
    breached: rows.filter((r) => r.sla_status === "breached").length,
    urgent,
    single: rows.length === 1 ? rows[0] : null,
    actionable: rows.some((r) => r.can_take || r.can_resolve || r.can_notify_customer)
  };
}
export {
  panelSummary
};
