/** @odoo-module */
const TYPING_TAGS = /* @__PURE__ */ new Set(["INPUT", "SELECT", "TEXTAREA"]);
function triageCommand(input) {
  if (input.altKey || input.ctrlKey || input.metaKey || input.shiftKey || input.elsewhere) {
    return null;
  }
  const tag = (input.targetTag || "").toUpperCase();
  if (TYPING_TAGS.has(tag)) {
    return null;
  }
  switch (input.key) {
    case "j":
      return "next";
    case "k":
      return "previous";
    case "x":
      return "toggle";
    case "Enter":
      return tag === "BUTTON" || tag === "A" ? null : "open";
    default:
      return null;
  }
}
function listHotkey(hotkey) {
  switch (hotkey) {
    case "j":
      return "arrowdown";
    case "k":
      return "arrowup";
    case "x":
      return "shift+space";
    default:
      return hotkey;
  }
}
const TRIAGE_FILTERS = {
  mine: "filter_mine",
  unassigned: "filter_unassigned",
  breached: "filter_breached",
  at_risk: "filter_at_risk"
};
const TRIAGE_DEFAULT_FILTER = "filter_open";
function kanbanMove(groups, recordId, fromGroupId, toGroupId) {
  if (!toGroupId || toGroupId === fromGroupId) {
    return null;
  }
  const target = groups.find((g) => g.id === toGroupId);
  const source = groups.find((g) => g.id === fromGroupId);
  const record = source?.list.records.find((r) => r.id === recordId);
  if (!target || typeof target.value !== "string" || !record?.resId) {
    return null;
  }
  return { resId: record.resId, state: target.value };
}
export {
  TRIAGE_DEFAULT_FILTER,
  TRIAGE_FILTERS,
  kanbanMove,
  listHotkey,
  triageCommand
};
