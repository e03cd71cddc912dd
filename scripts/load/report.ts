// What `npm run load` concludes from a run, as pure functions (tests/unit/load): the decisions
// the simulated users were told the server took, against the audit log and the decision
// records, and the resolutions against the exceptions; Odoo's request log (which cursor served
// each call, the concurrency retries, the errors).

/** What a simulated user attempted and what the server answered (scripts/load/locustfile.py). */
export interface ClientAction {
    kind: "approve" | "reject" | "resolve" | "take";
    id: number;
    uid: number;
    login: string;
    /** ok: done; race: refused because another user acted first; error; unknown: no answer. */
    outcome: "ok" | "race" | "error" | "unknown";
    detail: string;
}

/** A decision as the database keeps it: an audit entry, or a distribution.approval.decision. */
export interface DecisionRow {
    request: number;
    uid: number;
    decision: "approve" | "reject";
}

/** An exception resolved during the run, with the number of "Resolved" notes in its chatter. */
export interface ResolvedRow {
    exception: number;
    uid: number;
    notes: number;
}

/** A request decided during the run as it ended. */
export interface RequestRow {
    request: number;
    state: string;
    approvals: number;
    required: number;
    rejections: number;
    releases: number;
    /** Its credit-hold exception is still open (it closes with the decision). */
    exceptionOpen: boolean;
}

export interface Check {
    name: string;
    value: string;
    ok: boolean;
}

const key = (row: DecisionRow): string => `${row.request}:${row.uid}:${row.decision}`;

function tally(keys: string[]): Map<string, number> {
    const counts = new Map<string, number>();
    for (const k of keys) counts.set(k, (counts.get(k) ?? 0) + 1);
    return counts;
}

/** How many of `a` are missing from `b`, counting repeats (multiset difference a − b). */
function missing(a: Map<string, number>, b: Map<string, number>): number {
    let count = 0;
    for (const [k, n] of a) count += Math.max(0, n - (b.get(k) ?? 0));
    return count;
}

const sum = (counts: Map<string, number>): number =>
    [...counts.values()].reduce((a, b) => a + b, 0);

export interface IntegrityInput {
    actions: ClientAction[];
    /** approve / reject entries of the audit log written during the run. */
    audit: DecisionRow[];
    /** distribution.approval.decision rows written during the run. */
    decisions: DecisionRow[];
    requests: RequestRow[];
    resolved: ResolvedRow[];
}

/**
 * The checks of a run: every decision a user was told was taken has exactly one audit entry
 * and one decision record (none lost, none doubled, none the users did not make), a refused
 * race left nothing, each request decided ends in the state its decisions give (released once
 * when approved, its credit-hold exception closed with the final decision), and each exception
 * resolved by the users was resolved once, by the user who was told so (credit holds aside:
 * they close with the decision).
 */
export function integrityChecks(input: IntegrityInput): Check[] {
    const checks: Check[] = [];
    const add = (name: string, value: number | string, ok: boolean) =>
        checks.push({ name, value: String(value), ok });
    const decided = input.actions.filter(
        (a) => (a.kind === "approve" || a.kind === "reject") && a.outcome === "ok",
    );
    const client = tally(
        decided.map((a) => key({ request: a.id, uid: a.uid, decision: a.kind as "approve" })),
    );
    const audit = tally(input.audit.map(key));
    const records = tally(input.decisions.map(key));
    const unknown = input.actions.filter((a) => a.outcome === "unknown").length;
    add("decisions the users were told were taken", sum(client), true);
    add("audit entries (approve, reject) of the run", sum(audit), sum(audit) === sum(client));
    add("decision records of the run", sum(records), sum(records) === sum(client));
    add(
        "decisions lost (told taken, no audit entry)",
        missing(client, audit),
        !missing(client, audit),
    );
    add(
        "decisions doubled or not made by the users",
        missing(audit, client),
        !missing(audit, client),
    );
    add(
        "audit entries without their decision record, or the reverse",
        missing(audit, records) + missing(records, audit),
        !missing(audit, records) && !missing(records, audit),
    );
    add(
        "one decision per user and request",
        [...records.values()].filter((n) => n > 1).length,
        [...records.values()].every((n) => n === 1),
    );
    const races = input.actions.filter(
        (a) => (a.kind === "approve" || a.kind === "reject") && a.outcome === "race",
    );
    const racesThatWrote = races.filter((a) =>
        input.decisions.some((d) => d.request === a.id && d.uid === a.uid),
    ).length;
    add(
        "races refused by the server (another user decided first), none leaving a decision",
        `${races.length} refused, ${racesThatWrote} wrote`,
        racesThatWrote === 0,
    );
    const wrongState = input.requests.filter((r) => {
        const expected =
            r.rejections > 0 ? "rejected" : r.approvals >= r.required ? "approved" : "pending";
        return (
            r.state !== expected ||
            r.rejections > 1 ||
            r.releases !== (expected === "approved" ? 1 : 0) ||
            r.exceptionOpen !== (expected === "pending")
        );
    });
    add(
        "requests decided in the run whose state, releases or exception do not follow",
        `${wrongState.length} of ${input.requests.length}`,
        wrongState.length === 0,
    );
    const resolvedByClient = tally(
        input.actions
            .filter((a) => a.kind === "resolve" && a.outcome === "ok")
            .map((a) => `${a.id}:${a.uid}`),
    );
    const resolvedInDb = tally(input.resolved.map((r) => `${r.exception}:${r.uid}`));
    add("exceptions the users were told they resolved", sum(resolvedByClient), true);
    add(
        "exceptions resolved by the users in the database",
        sum(resolvedInDb),
        sum(resolvedInDb) === sum(resolvedByClient) &&
            !missing(resolvedByClient, resolvedInDb) &&
            !missing(resolvedInDb, resolvedByClient),
    );
    const notOnce = input.resolved.filter((r) => r.notes !== 1).length;
    add("resolved exceptions not resolved exactly once (chatter)", notOnce, notOnce === 0);
    add("attempts without an answer (transport failure)", unknown, unknown === 0);
    return checks;
}

export interface CursorModes {
    ro: number;
    rw: number;
    /** read-only calls that wrote and were replayed on the primary */
    roToRw: number;
}

// `... "POST /web/dataset/call_kw/model/method HTTP/1.1" 200 - 12 0.010 0.020 ro`
const REQUEST_LINE =
    /"POST \/web\/dataset\/(call_kw\/[\w.]+\/\w+|call_button) HTTP[^"]*" (\d+) .* (ro|rw|ro->rw)\s*$/gm;

/** Per call (model/method, or call_button), the cursor Odoo served it on. */
export function cursorModes(log: string): Map<string, CursorModes> {
    const modes = new Map<string, CursorModes>();
    for (const m of log.matchAll(REQUEST_LINE)) {
        const call = (m[1] ?? "").replace(/^call_kw\//, "");
        const entry = modes.get(call) ?? { ro: 0, rw: 0, roToRw: 0 };
        if (m[3] === "ro") entry.ro++;
        else if (m[3] === "rw") entry.rw++;
        else entry.roToRw++;
        modes.set(call, entry);
    }
    return modes;
}

export interface OdooLogSummary {
    /** Transactions Odoo rolled back and replayed after a concurrency failure. */
    retries: number;
    /** Calls that failed after Odoo's last retry (the user saw an error). */
    retriesExhausted: number;
    /**
     * The concurrency failures behind the retries, as PostgreSQL named them (Odoo logs each
     * failed statement as an ERROR "bad query" before it retries the call).
     */
    serializationFailures: number;
    deadlocks: number;
    /** The other ERROR and CRITICAL records, the first lines of a few. */
    errors: number;
    errorSamples: string[];
}

const RECORD_START = /^\d{4}-\d\d-\d\d [\d:,]+ \d+ (\w+) /;

export function odooLogSummary(log: string): OdooLogSummary {
    // a record is its first line and the lines up to the next record (SQL, traceback)
    const records: string[] = [];
    for (const line of log.split("\n")) {
        if (RECORD_START.test(line) || !records.length) records.push(line);
        else records[records.length - 1] += `\n${line}`;
    }
    const errors = records.filter((r) => /^\S+ \S+ \d+ (ERROR|CRITICAL) /.test(r));
    const serialization = errors.filter((r) => /could not serialize access/.test(r));
    const deadlocks = errors.filter((r) => /deadlock detected/.test(r));
    const others = errors.filter((r) => !serialization.includes(r) && !deadlocks.includes(r));
    return {
        retries: (log.match(/tries left, try again in/g) ?? []).length,
        retriesExhausted: (log.match(/maximum number of tries reached/g) ?? []).length,
        serializationFailures: serialization.length,
        deadlocks: deadlocks.length,
        errors: others.length,
        errorSamples: others.slice(0, 5).map((r) => r.split("\n")[0]?.slice(0, 300) ?? ""),
    };
}
