import { _t } from "@web/core/l10n/translation";
import type { ExceptionState, Severity } from "@distribution_governance/types/exceptions";

// Labels are computed at render time (not in module-level constants) so `_t` runs after the
// translations are loaded.

/** Most urgent first: the order of severity filters and badges. */
export const SEVERITIES: readonly Severity[] = ["critical", "high", "medium", "low"];
/** Workflow order: the order of groups when the board groups by state. */
export const STATES: readonly ExceptionState[] = ["new", "in_progress", "resolved", "cancelled"];

export function severityLabel(severity: Severity): string {
    switch (severity) {
        case "critical":
            return _t("Critical");
        case "high":
            return _t("High");
        case "medium":
            return _t("Medium");
        case "low":
            return _t("Low");
    }
}

export function severityBadgeClass(severity: Severity): string {
    switch (severity) {
        case "critical":
            return "text-bg-danger";
        case "high":
            return "text-bg-warning";
        case "medium":
            return "text-bg-info";
        case "low":
            return "text-bg-secondary";
    }
}

export function stateLabel(state: ExceptionState): string {
    switch (state) {
        case "new":
            return _t("New");
        case "in_progress":
            return _t("In Progress");
        case "resolved":
            return _t("Resolved");
        case "cancelled":
            return _t("Cancelled");
    }
}

export function stateBadgeClass(state: ExceptionState): string {
    switch (state) {
        case "new":
            return "text-bg-info";
        case "in_progress":
            return "text-bg-warning";
        case "resolved":
            return "text-bg-success";
        case "cancelled":
            return "text-bg-light";
    }
}
