import { _t } from "@web/core/l10n/translation";
import { EXCEPTION_MODEL } from "@distribution_governance/exceptions/exception_actions";
import type { ActWindowAction } from "@distribution_governance/types/services";
import type {
    TriageChoice,
    TriagePart,
    TriageSuggestion,
} from "@distribution_governance/types/triage";

/** One line of a "Suggested" block: what the server suggests for a part of the exception. */
export interface SuggestionLine {
    /** The part action_apply_triage applies; null for the expected time (nothing to apply). */
    part: TriagePart | null;
    label: string;
    value: string;
    /** "4 of 9" when similar cases voted for it; empty for the type's defaults. */
    votes: string;
    /** The server allows applying it and it is not applied yet. */
    canApply: boolean;
    applied: boolean;
}

/** The suggestions of a panel's exceptions, by exception id. */
export function suggestionsById(
    suggestions: readonly TriageSuggestion[],
): Map<number, TriageSuggestion> {
    return new Map(suggestions.map((s) => [s.exception_id, s]));
}

/** "45 min", "3 h", "2.5 days": the expected time to resolve, rounded as a person says it. */
export function formatExpectedTime(hours: number | false): string {
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
    return _t("%s days", String(Math.round((hours / 24) * 2) / 2));
}

function votes(suggestion: TriageSuggestion, count: number): string {
    if (suggestion.basis !== "similar" || !suggestion.k) {
        return "";
    }
    return _t("%s of %s", String(count), String(suggestion.k));
}

/**
 * The lines of the "Suggested" block, in the order a manager triages: who owns it, which
 * playbook, how severe, how long. A part the server has no suggestion for is left out; Apply
 * shows only where the server says it may (it refuses anyway otherwise).
 */
export function suggestionLines(suggestion: TriageSuggestion): SuggestionLine[] {
    const lines: SuggestionLine[] = [];
    const add = (part: TriagePart, label: string, value: string, count: number) => {
        const applied = Boolean(suggestion.applied[part]);
        lines.push({
            part,
            label,
            value,
            votes: votes(suggestion, count),
            canApply: Boolean(suggestion.can_apply[part]) && !applied,
            applied,
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
            applied: false,
        });
    }
    return lines;
}

/**
 * The runners-up, compact: "Backorder 3 · Substitute 1", without the suggestion itself (the
 * server lists it first among the alternatives or not at all), at most three.
 */
export function alternativesText(
    choices: readonly TriageChoice[],
    suggested: TriageChoice | false,
): string {
    return choices
        .filter((c) => !suggested || c.id !== suggested.id)
        .slice(0, 3)
        .map((c) => `${c.name} ${c.votes}`)
        .join(" · ");
}

/** The similar resolved cases in a standard list (only those the server let the user read). */
export function similarCasesAction(suggestion: TriageSuggestion): ActWindowAction {
    return {
        type: "ir.actions.act_window",
        name: _t("Similar cases"),
        res_model: EXCEPTION_MODEL,
        domain: [["id", "in", [...suggestion.similar_ids]]],
        views: [
            [false, "list"],
            [false, "form"],
        ],
        target: "current",
        context: { create: false },
    };
}
