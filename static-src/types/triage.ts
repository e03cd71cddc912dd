// Shape of `distribution.exception.get_triage_suggestion(ids)` (models/exception_triage.py):
// one dict per exception the caller reads, computed with the caller's record rules. Type-only.
import type { Severity } from "@distribution_governance/types/exceptions";

export type TriagePart = "owner" | "severity" | "resolution";
export type TriageBasis = "similar" | "type_default";

/** A suggested record (a user, a resolution code) and how many similar cases voted for it. */
export interface TriageChoice {
    id: number;
    name: string;
    votes: number;
}

export interface TriageSeverity {
    value: Severity;
    label: string;
    votes: number;
}

export interface TriageSuggestion {
    exception_id: number;
    basis: TriageBasis;
    similar_count: number;
    k: number;
    /** The server's sentence, translated ("7 of the 9 most similar were resolved with ..."). */
    explanation: string;
    resolution: TriageChoice | false;
    owner: TriageChoice | false;
    severity: TriageSeverity | false;
    expected_hours: number | false;
    alternatives: { resolution: TriageChoice[]; owner: TriageChoice[] };
    /** Only the resolved exceptions the caller may read. */
    similar_ids: number[];
    applied: Record<TriagePart, boolean>;
    /** The server's rules (action_apply_triage applies the same ones). */
    can_apply: Record<TriagePart, boolean>;
}
