/** @odoo-module */
import { _t } from "@web/core/l10n/translation";
import { EXCEPTION_MODEL } from "@distribution_governance/exceptions/exception_actions";
function suggestionsById(suggestions) {
  return new Map(suggestions.map((s) => [s.exception_id, s]));
}
function formatExpectedTime(hours) {
  if (hours === false || !Number.isFinite(hours) || hours < 0) {
    return "";
  }
  if (hours * 60 < 1) {
    return _t("under a minute");
  }
  if (hours < 1) {
    return _t("%s min", String(Math.round(hours * 60)));
  }
  if (hours < 48) {
    const rounded = hours < 10 ? Math.round(hours * 2) / 2 : Math.round(hours);
    return _t("%s h", String(rounded));
  }
  return _t("%s days", String(Math.round(hours / 24 * 2) / 2));
}
function votes(suggestion, count) {
  if (suggestion.basis !== "similar" || !suggestion.k) {
    return "";
  }
  return _t("%s of %s", String(count), String(suggestion.k));
}
function suggestionLines(suggestion) {
  const lines = [];
  const add = (part, label, value, count) => {
    const applied = Boolean(suggestion.applied[part]);
    lines.push({
      part,
      label,
      value,
      votes: votes(suggestion, count),
      canApply: Boolean(suggestion.can_apply[part]) && !applied,
      applied
    });
  };
  if (suggestion.owner) {
    add("owner", _t("Owner"), suggestion.owner.name, suggestion.owner.votes);
  }
  if (suggestion.resolution) {
    add("resolution", _t("Playbook"), suggestion.resolution.name, suggestion.resolution.votes);
  }
  if (suggestion.severity) {
    add("severity", _t("Severity"), suggestion.severity.label, suggestion.severity.votes);
  }
  const expected = formatExpectedTime(suggestion.expected_hours);
  if (expected) {
    lines.push({
      part: null,
      label: _t("Expected time"),
      value: expected,
      votes: "",
      canApply: false,
      applied: false
    });
  }
  return lines;
}
function alternativesText(choices, suggested) {
  return choices.filter((c) => !suggested || c.id !== suggested.id).slice(0, 3).map((c) => `${c.name} ${c.votes}`).join(" \xB7 ");
}
function similarCasesAction(suggestion) {
  return {
    type: "ir.actions.act_window",
    name: _t("Similar cases"),
    res_model: EXCEPTION_MODEL,
    domain: [["id", "in", [...suggestion.similar_ids]]],
    views: [
      [false, "list"],
      [false, "form"]
    ],
    target: "current",
    context: { create: false }
  };
}
export {
  alternativesText,
  formatExpectedTime,
  similarCasesAction,
  suggestionLines,
  suggestionsById
};
