import { _t } from "@web/core/l10n/translation";
import type { SystrayData } from "@distribution_governance/types/exceptions";

/** Client action of the exception board and the context key it reads its filters from. */
export const BOARD_ACTION = "distribution_governance.action_exception_board";
export const BOARD_FILTERS_CONTEXT_KEY = "dg_board_filters";

/** Where a counter leads: an action (xml id) opened with extra context. */
export interface CounterTarget {
    action: string;
    context: Record<string, unknown>;
}

/**
 * One line of the addon's systray item. The item is shared by the addon's capabilities: each
 * adds a spec here and its key to the server's systray data; keys the server does not send
 * are not shown.
 */
export interface SystrayCounterSpec {
    key: string;
    label: () => string;
    /** Added up in the badge on the navbar icon (work waiting for me). */
    inBadge: boolean;
    /** A non-zero value turns the badge red. */
    alert: boolean;
    target: CounterTarget;
}

export interface SystrayCounter {
    key: string;
    label: string;
    value: number;
    alert: boolean;
    target: CounterTarget;
}

function boardTarget(filters: Record<string, unknown>): CounterTarget {
    return { action: BOARD_ACTION, context: { [BOARD_FILTERS_CONTEXT_KEY]: filters } };
}

export const SYSTRAY_COUNTERS: SystrayCounterSpec[] = [
    {
        key: "my_open",
        label: () => _t("My open exceptions"),
        inBadge: true,
        alert: false,
        target: boardTarget({ mine: true }),
    },
    {
        key: "breached",
        label: () => _t("SLA breached"),
        inBadge: false,
        alert: true,
        target: boardTarget({ breached: true }),
    },
    {
        key: "open",
        label: () => _t("All open exceptions"),
        inBadge: false,
        alert: false,
        target: boardTarget({}),
    },
    {
        // sent by the server to override approvers only
        key: "pending_approvals",
        label: () => _t("Approvals waiting for me"),
        inBadge: true,
        alert: false,
        target: { action: "distribution_governance.action_approvals_inbox", context: {} },
    },
];

/** The counters to show, in spec order, for the keys the server sent as numbers. */
export function shapeSystrayCounters(
    data: SystrayData | null | undefined,
    specs: readonly SystrayCounterSpec[] = SYSTRAY_COUNTERS,
): SystrayCounter[] {
    const counters: SystrayCounter[] = [];
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
            target: spec.target,
        });
    }
    return counters;
}

export interface SystrayBadge {
    value: number;
    alert: boolean;
    /** What the badge says: the value, "!" for an alert with nothing of mine, else nothing. */
    text: string;
}

/** What the navbar icon shows: the sum of the badge counters, red when any alert is raised. */
export function systrayBadge(
    counters: readonly SystrayCounter[],
    specs: readonly SystrayCounterSpec[] = SYSTRAY_COUNTERS,
): SystrayBadge {
    const inBadge = new Set(specs.filter((s) => s.inBadge).map((s) => s.key));
    const value = counters.reduce((sum, c) => sum + (inBadge.has(c.key) ? c.value : 0), 0);
    const alert = counters.some((c) => c.alert);
    return { value, alert, text: value > 0 ? String(value) : alert ? "!" : "" };
}
