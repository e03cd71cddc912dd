/** @odoo-module */
import { _t } from "@web/core/l10n/translation";
import { TRIAGE_ACTION } from "@distribution_governance/exceptions/exception_actions";
function triage(...filters) {
  const context = {};
  for (const filter of filters) {
    context[`search_default_${filter}`] = 1;
  }
  return { action: TRIAGE_ACTION, context };
}
const SYSTRAY_COUNTERS = [
  {
    key: "my_open",
    label: () => _t("My open exceptions"),
    help: () => _t("Exceptions you own that are new or in progress"),
    inBadge: true,
    alert: false,
    target: triage("filter_mine")
  },
  {
    key: "my_breached",
    label: () => _t("Mine past their SLA"),
    help: () => _t("Exceptions you own whose SLA deadline has passed"),
    inBadge: false,
    alert: true,
    target: triage("filter_mine", "filter_breached")
  },
  {
    // sent by the server to override approvers only
    key: "pending_approvals",
    label: () => _t("Decisions waiting for me"),
    help: () => _t("Approval requests you may decide"),
    inBadge: true,
    alert: false,
    target: { action: "distribution_governance.action_approvals_inbox", context: {} }
  },
  {
    // sent by the server to exception managers only
    key: "breached",
    label: () => _t("Breached, all owners"),
    help: () => _t("Open exceptions past their SLA deadline in your companies, whoever owns them"),
    inBadge: false,
    alert: true,
    target: triage("filter_breached")
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
      help: spec.help(),
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
  const lines = counters.filter((c) => c.value > 0).map((c) => `${c.label}: ${c.value}`);
  return {
    value,
    alert,
    text: value > 0 ? String(value) : alert ? "!" : "",
    title: lines.length ? _t("Exceptions and approvals \u2014 %s", lines.join(", ")) : _t("Exceptions and approvals: nothing waiting for you")
  };
}
export {
  SYSTRAY_COUNTERS,
  shapeSystrayCounters,
  systrayBadge
};
