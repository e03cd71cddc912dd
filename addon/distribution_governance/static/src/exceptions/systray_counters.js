/** @odoo-module */
import { _t } from "@web/core/l10n/translation";
const BOARD_ACTION = "distribution_governance.action_exception_board";
const BOARD_FILTERS_CONTEXT_KEY = "dg_board_filters";
function boardTarget(filters) {
  return { action: BOARD_ACTION, context: { [BOARD_FILTERS_CONTEXT_KEY]: filters } };
}
const SYSTRAY_COUNTERS = [
  {
    key: "my_open",
    label: () => _t("My open exceptions"),
    inBadge: true,
    alert: false,
    target: boardTarget({ mine: true })
  },
  {
    key: "breached",
    label: () => _t("SLA breached"),
    inBadge: false,
    alert: true,
    target: boardTarget({ breached: true })
  },
  {
    key: "open",
    label: () => _t("All open exceptions"),
    inBadge: false,
    alert: false,
    target: boardTarget({})
  },
  {
    // sent by the server to override approvers only
    key: "pending_approvals",
    label: () => _t("Approvals waiting for me"),
    inBadge: true,
    alert: false,
    target: { action: "distribution_governance.action_approvals_inbox", context: {} }
  }
];
function shapeSystrayCounters(data, specs = SYSTRAY_COUNTERS) {
  const counters = [];
  for (const spec of specs) {
    const value = data?.[spec.key];
    if (typeof value !== "number" || !Number.isFinite(value)) {
      continue;
    }
    counters.push({
      key: spec.key,
      label: spec.label(),
      value,
      alert: spec.alert && value > 0,
      target: spec.target
    });
  }
  return counters;
}
function systrayBadge(counters, specs = SYSTRAY_COUNTERS) {
  const inBadge = new Set(specs.filter((s) => s.inBadge).map((s) => s.key));
  const value = counters.reduce((sum, c) => sum + (inBadge.has(c.key) ? c.value : 0), 0);
  const alert = counters.some((c) => c.alert);
  return { value, alert, text: value > 0 ? String(value) : alert ? "!" : "" };
}
export {
  BOARD_ACTION,
  BOARD_FILTERS_CONTEXT_KEY,
  SYSTRAY_COUNTERS,
  shapeSystrayCounters,
  systrayBadge
};
