// The keyboard of the triage list (the daily exception meeting): pure, so it is tested alone.

export type TriageCommand = "next" | "previous" | "open" | "toggle";

export interface KeyInput {
    key: string;
    altKey?: boolean;
    ctrlKey?: boolean;
    metaKey?: boolean;
    shiftKey?: boolean;
    /** tagName of the event target. */
    targetTag?: string;
    /** The target is editable text or sits in a dialog, menu or the search bar. */
    elsewhere?: boolean;
}

const TYPING_TAGS = new Set(["INPUT", "SELECT", "TEXTAREA"]);

/**
 * The triage command of a key press, or null: typing in a field, keys meant for a dialog or
 * menu, modifier combinations (Odoo's hotkeys), other keys.
 */
export function triageCommand(input: KeyInput): TriageCommand | null {
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
            // Enter on a button or link activates it, not the focused row.
            return tag === "BUTTON" || tag === "A" ? null : "open";
        default:
            return null;
    }
}

/**
 * The hotkey of Odoo's list renderer that does what a triage key does on a focused row:
 * j/k move like the arrows, x selects the row like shift+space; Enter opens it already.
 */
export function listHotkey(hotkey: string): string {
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

/** The search filters behind each figure above the triage views (see the search view). */
export const TRIAGE_FILTERS = {
    mine: "filter_mine",
    unassigned: "filter_unassigned",
    breached: "filter_breached",
    at_risk: "filter_at_risk",
} as const;

export type TriageFigure = keyof typeof TRIAGE_FILTERS;

/** The default filter of the triage action: open exceptions. */
export const TRIAGE_DEFAULT_FILTER = "filter_open";

/** A kanban column and its cards, as far as a move needs them. */
export interface KanbanGroupLike {
    id: string;
    value: unknown;
    list: { records: { id: string; resId: number | false }[] };
}

export interface KanbanMove {
    resId: number;
    /** The state of the column the card was dropped in. */
    state: string;
}

/**
 * What a card dropped in a column asks of the server, or null: dropped in its own column (the
 * cards keep their order, by SLA deadline), on no column, or a card not saved.
 */
export function kanbanMove(
    groups: readonly KanbanGroupLike[],
    recordId: string,
    fromGroupId: string | undefined,
    toGroupId: string | undefined,
): KanbanMove | null {
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
