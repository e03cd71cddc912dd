import type {
    BoardServerFilters,
    ExceptionRow,
    ExceptionState,
    NamedRecord,
    Severity,
} from "@distribution_governance/types/exceptions";
import { SEVERITIES, STATES, stateLabel } from "@distribution_governance/exceptions/labels";

// ------------------------------------------------------------------ filters

/** Every board filter, always present (the server receives only the active ones). */
export interface BoardFilters {
    mine: boolean;
    unassigned: boolean;
    breached: boolean;
    severities: Severity[];
    type_ids: number[];
    warehouse_ids: number[];
    /** Empty: the open states, as the server defaults. */
    states: ExceptionState[];
}

export type BoardFlag = "mine" | "unassigned" | "breached";

export function defaultFilters(): BoardFilters {
    return {
        mine: false,
        unassigned: false,
        breached: false,
        severities: [],
        type_ids: [],
        warehouse_ids: [],
        states: [],
    };
}

function isRecord(value: unknown): value is Record<string, unknown> {
    return typeof value === "object" && value !== null && !Array.isArray(value);
}

function idList(value: unknown): number[] {
    return Array.isArray(value)
        ? value.filter((v): v is number => Number.isInteger(v) && (v as number) > 0)
        : [];
}

function choiceList<T extends string>(value: unknown, allowed: readonly T[]): T[] {
    return Array.isArray(value)
        ? allowed.filter((choice) => (value as unknown[]).includes(choice))
        : [];
}

/**
 * Filters from an untrusted source (the action's context, a restored board state): unknown keys
 * and wrong types are dropped, so a stale link never sends the server something it refuses.
 */
export function normalizeFilters(raw: unknown): BoardFilters {
    const filters = defaultFilters();
    if (!isRecord(raw)) {
        return filters;
    }
    filters.mine = raw["mine"] === true;
    filters.unassigned = raw["unassigned"] === true && !filters.mine;
    filters.breached = raw["breached"] === true;
    filters.severities = choiceList(raw["severities"], SEVERITIES);
    filters.type_ids = idList(raw["type_ids"]);
    filters.warehouse_ids = idList(raw["warehouse_ids"]);
    filters.states = choiceList(raw["states"], STATES);
    return filters;
}

/** The `filters` argument of get_board_data: only what narrows the rows. */
export function toServerFilters(filters: BoardFilters): BoardServerFilters {
    const out: BoardServerFilters = {};
    for (const flag of ["mine", "unassigned", "breached"] as const) {
        if (filters[flag]) {
            out[flag] = true;
        }
    }
    if (filters.severities.length) {
        out.severities = [...filters.severities];
    }
    if (filters.type_ids.length) {
        out.type_ids = [...filters.type_ids];
    }
    if (filters.warehouse_ids.length) {
        out.warehouse_ids = [...filters.warehouse_ids];
    }
    if (filters.states.length) {
        out.states = [...filters.states];
    }
    return out;
}

/** Flips one flag; "mine" and "unassigned" exclude each other (together they match nothing). */
export function toggleFlag(filters: BoardFilters, flag: BoardFlag): BoardFilters {
    const next = { ...filters, [flag]: !filters[flag] };
    if (next[flag] && flag === "mine") {
        next.unassigned = false;
    } else if (next[flag] && flag === "unassigned") {
        next.mine = false;
    }
    return next;
}

/** Adds `value` to the list or removes it, keeping the order of `order` when given. */
export function toggleValue<T>(list: readonly T[], value: T, order?: readonly T[]): T[] {
    const next = list.includes(value) ? list.filter((v) => v !== value) : [...list, value];
    return order ? order.filter((v) => next.includes(v)) : next;
}

export function activeFilterCount(filters: BoardFilters): number {
    return (
        Number(filters.mine) +
        Number(filters.unassigned) +
        Number(filters.breached) +
        Number(filters.severities.length > 0) +
        Number(filters.type_ids.length > 0) +
        Number(filters.warehouse_ids.length > 0) +
        Number(filters.states.length > 0)
    );
}

// ------------------------------------------------------------------ grouping

export type GroupBy = "type" | "state";

export interface RowGroup {
    key: string;
    label: string;
    rows: ExceptionRow[];
    breached: number;
}

/**
 * Rows grouped by type (in the order of `types`, i.e. the types' sequence; types missing from
 * it after, by name) or by state (workflow order). Rows keep the server's order inside a group
 * (SLA deadline first), so the same data always gives the same screen.
 */
export function groupRows(
    rows: readonly ExceptionRow[],
    by: GroupBy,
    types: readonly NamedRecord[] = [],
): RowGroup[] {
    const groups = new Map<string, RowGroup>();
    for (const row of rows) {
        const key = by === "type" ? `type_${row.type_id}` : row.state;
        let group = groups.get(key);
        if (!group) {
            group = {
                key,
                label: by === "type" ? row.type : stateLabel(row.state),
                rows: [],
                breached: 0,
            };
            groups.set(key, group);
        }
        group.rows.push(row);
        if (row.sla_status === "breached") {
            group.breached++;
        }
    }
    const rank = (group: RowGroup): number => {
        if (by === "state") {
            return STATES.indexOf(group.rows[0]!.state);
        }
        const index = types.findIndex((t) => t.id === group.rows[0]!.type_id);
        return index === -1 ? types.length : index;
    };
    return [...groups.values()].sort(
        (a, b) => rank(a) - rank(b) || a.label.localeCompare(b.label) || a.key.localeCompare(b.key),
    );
}

/** The rows in screen order: what j/k walks through. */
export function flattenGroups(groups: readonly RowGroup[]): ExceptionRow[] {
    return groups.flatMap((g) => g.rows);
}

// ------------------------------------------------------------------ focus & selection

/**
 * The id of the row `delta` rows away from `currentId` in `ids`, clamped to the ends. Without
 * a (still visible) focused row, moving down starts at the top and moving up at the bottom.
 */
export function moveFocus(
    ids: readonly number[],
    currentId: number | null,
    delta: number,
): number | null {
    if (!ids.length) {
        return null;
    }
    const index = currentId === null ? -1 : ids.indexOf(currentId);
    if (index === -1) {
        return delta >= 0 ? ids[0]! : ids[ids.length - 1]!;
    }
    const next = Math.min(ids.length - 1, Math.max(0, index + delta));
    return ids[next]!;
}

export function toggleSelection(selected: readonly number[], id: number): number[] {
    return selected.includes(id) ? selected.filter((s) => s !== id) : [...selected, id];
}

/** Selects every id, or clears the selection when every id already is selected. */
export function toggleAll(selected: readonly number[], ids: readonly number[]): number[] {
    const all = ids.length > 0 && ids.every((id) => selected.includes(id));
    return all ? [] : [...ids];
}

/** Keeps only the selected ids still on the board (after a reload or a filter change). */
export function pruneSelection(selected: readonly number[], ids: readonly number[]): number[] {
    return selected.filter((id) => ids.includes(id));
}

export type BoardCommand = "next" | "previous" | "open" | "toggle";

export interface KeyInput {
    key: string;
    altKey?: boolean;
    ctrlKey?: boolean;
    metaKey?: boolean;
    /** tagName of the event target. */
    targetTag?: string;
    /** The target is editable text or sits in a dialog/dropdown over the board. */
    elsewhere?: boolean;
}

const TYPING_TAGS = new Set(["INPUT", "SELECT", "TEXTAREA"]);

/**
 * The board command of a key press, or null: typing in a field, keys meant for a dialog or menu
 * over the board, modifier combinations (Odoo's hotkeys), other keys.
 */
export function boardCommand(input: KeyInput): BoardCommand | null {
    if (input.altKey || input.ctrlKey || input.metaKey || input.elsewhere) {
        return null;
    }
    const tag = (input.targetTag || "").toUpperCase();
    if (TYPING_TAGS.has(tag)) {
        return null;
    }
    switch (input.key) {
        case "j":
        case "ArrowDown":
            return "next";
        case "k":
        case "ArrowUp":
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
