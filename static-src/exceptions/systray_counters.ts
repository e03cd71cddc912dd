import { _t } from "@web/core/l10n/translation";
import { TRIAGE_ACTION } from "@distribution_governance/exceptions/exception_actions";
import type { SystrayData } from "@distribution_governance/types/exceptions";

/** Where a counter leads: an action (xml id) opened with extra context. */
export interface CounterTarget {
    action: string;
    context: Record<string, unknown>;
}

/**
 * One line of the addon's systray item. The item is shared by the addon's capabilities: each
 * adds a spec here and its key to the server's systray data; keys the server does not send
 * (company-wide breaches to anyone but exception managers, approvals to non-approvers) are
 * not shown.
 */
export interface SystrayCounterSpec {
    key: string;
    label: () => string;
    /** What the number counts, as its tooltip says. */
    help: () => string;
    /** Added up in the badge on the navbar icon (work waiting for me). */
    inBadge: boolean;
    /** A non-zero value turns the badge red. */
    alert: boolean;
    target: CounterTarget;
}

export interface SystrayCounter {
    key: string;
    label: string;
    help: string;
    value: number;
    alert: boolean;
    target: CounterTarget;
}

/** The exceptions to triage, with search filters of its search view on. */
function triage(...filters: string[]): CounterTarget {
    const context: Record<string, unknown> = {};
    for (const filter of filters) {
        context[`search_default_${filter}`] = 1;
    }
    return { action: TRIAGE_ACTION, context };
}

export const SYSTRAY_COUNTERS: SystrayCounterSpec[] = [
    {
        key: "my_open",
        label: () => _t("My open exceptions"),
        help: () => _t("Exceptions you own that are new or in progress"),
        inBadge: true,
        alert: false,
        target: triage("filter_mine"),
    },
    {
        key: "my_breached",
        label: () => _t("Mine past their SLA"),
        help: () => _t("Exceptions you own whose SLA deadline has passed"),
        inBadge: false,
        alert: true,
        target: triage("filter_mine", "filter_breached"),
    },
    {
        // sent by the server to override approvers only
        key: "pending_approvals",
        label: () => _t("Decisions waiting for me"),
        help: () => _t("Approval requests you may decide"),
        inBadge: true,
        alert: false,
        target: { action: "distribution_governance.action_approvals_inbox", context: {} },
    },
    {
        // sent by the server to exception managers only
        key: "breached",
        label: () => _t("Breached, all owners"),
        help: () =>
            _t("Open exceptions past their SLA deadline in your companies, whoever owns them"),
        inBadge: false,
        alert: true,
        target: triage("filter_breached"),
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
            help: spec.help(),
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
    /** What the badge says: the value, "!" for an alert with nothing in the badge, or nothing. */
    text: string;
    /** The navbar icon's tooltip: what each number is. */
    title: string;
}

/** What the navbar icon shows: the sum of the badge counters, red when any alert is raised. */
export function systrayBadge(
    counters: readonly SystrayCounter[],
    specs: readonly SystrayCounterSpec[] = SYSTRAY_COUNTERS,
): SystrayBadge {
    const inBadge = new Set(specs.filter((s) => s.inBadge).map((s) => s.key));
    const value = counters.reduce((sum, c) => sum + (inBadge.has(c.key) ? c.value : 0), 0);
    const alert = counters.some((c) => c.alert);
    const lines = counters.filter((c) => c.value > 0).map((c) => `${c.label}: ${c.value}`);
    return {
        value,
        alert,
        text: value > 0 ? String(value) : alert ? "!" : "",
        title: lines.length
            ? _t("Exceptions and approvals — %s", lines.join(", "))
            : _t("Exceptions and approvals: nothing waiting for you"),
    };
}
