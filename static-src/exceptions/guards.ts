import { _t } from "@web/core/l10n/translation";
import type {
    ExceptionRow,
    ResolutionCode,
    UiRights,
} from "@distribution_governance/types/exceptions";

// The UI mirrors the server's rules (action_take_ownership, action_resolve, action_assign) so
// it only offers what the server will accept; the server still decides.

type Rights = Pick<UiRights, "can_work" | "can_manage" | "user_id">;

export function isOpen(row: Pick<ExceptionRow, "state">): boolean {
    return row.state === "new" || row.state === "in_progress";
}

export function ownerId(row: Pick<ExceptionRow, "owner">): number | false {
    return row.owner ? row.owner[0] : false;
}

/** Someone else's exception can only be taken over by a manager. */
export function canTakeOwnership(row: ExceptionRow, rights: Rights): boolean {
    if (!rights.can_work || !isOpen(row)) {
        return false;
    }
    const owner = ownerId(row);
    return owner !== rights.user_id && (owner === false || rights.can_manage);
}

export function canResolve(row: ExceptionRow, rights: Rights): boolean {
    return rights.can_work && isOpen(row) && row.resolutions.length > 0;
}

export function canAssign(rights: Rights): boolean {
    return rights.can_manage;
}

/** Why the resolve form cannot be submitted yet, or null when it can. */
export function resolveFormError(
    resolutions: readonly ResolutionCode[],
    resolutionId: number | null,
    note: string,
): string | null {
    const resolution = resolutions.find((r) => r.id === resolutionId);
    if (!resolution) {
        return _t("Choose a resolution code.");
    }
    if (resolution.note_required && !note.trim()) {
        return _t("“%s” needs a note.", resolution.name);
    }
    return null;
}
