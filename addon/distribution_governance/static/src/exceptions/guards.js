/** @odoo-module */
import { _t } from "@web/core/l10n/translation";
function isOpen(row) {
  return row.state === "new" || row.state === "in_progress";
}
function ownerId(row) {
  return row.owner ? row.owner[0] : false;
}
function canTakeOwnership(row, rights) {
  if (!rights.can_work || !isOpen(row)) {
    return false;
  }
  const owner = ownerId(row);
  return owner !== rights.user_id && (owner === false || rights.can_manage);
}
function canResolve(row, rights) {
  return rights.can_work && isOpen(row) && row.resolutions.length > 0;
}
function canAssign(rights) {
  return rights.can_manage;
}
function resolveFormError(resolutions, resolutionId, note) {
  const resolution = resolutions.find((r) => r.id === resolutionId);
  if (!resolution) {
    return _t("Choose a resolution code.");
  }
  if (resolution.note_required && !note.trim()) {
    return _t("\u201C%s\u201D needs a note.", resolution.name);
  }
  return null;
}
export {
  canAssign,
  canResolve,
  canTakeOwnership,
  isOpen,
  ownerId,
  resolveFormError
};
