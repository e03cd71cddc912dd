import {
    cursorModes,
    integrityChecks,
    odooLogSummary,
    type ClientAction,
    type DecisionRow,
    type IntegrityInput,
} from "../../../scripts/load/report";

function action(
    kind: ClientAction["kind"],
    id: number,
    uid: number,
    outcome: ClientAction["outcome"] = "ok",
): ClientAction {
    return { kind, id, uid, login: `u${uid}`, outcome, detail: "" };
}

const approve = (request: number, uid: number): DecisionRow => ({
    request,
    uid,
    decision: "approve",
});

/** A consistent run: two approvals of request 1 (two approvers), a race lost on it, request 2
 * rejected, exception 7 resolved. */
function run(): IntegrityInput {
    return {
        actions: [
            action("approve", 1, 10),
            action("approve", 1, 11),
            action("approve", 1, 12, "race"),
            action("reject", 2, 10),
            action("resolve", 7, 20),
            action("resolve", 7, 21, "race"),
        ],
        audit: [approve(1, 10), approve(1, 11), { request: 2, uid: 10, decision: "reject" }],
        decisions: [approve(1, 10), approve(1, 11), { request: 2, uid: 10, decision: "reject" }],
        requests: [
            {
                request: 1,
                state: "approved",
                approvals: 2,
                required: 2,
                rejections: 0,
                releases: 1,
                exceptionOpen: false,
            },
            {
                request: 2,
                state: "rejected",
                approvals: 0,
                required: 1,
                rejections: 1,
                releases: 0,
                exceptionOpen: false,
            },
        ],
        resolved: [{ exception: 7, uid: 20, notes: 1 }],
    };
}

const failing = (input: IntegrityInput): string[] =>
    integrityChecks(input)
        .filter((c) => !c.ok)
        .map((c) => c.name);

QUnit.module("load/report", () => {
    QUnit.test("a consistent run passes every check", (assert) => {
        assert.deepEqual(failing(run()), []);
        const told = integrityChecks(run()).find((c) => c.name.startsWith("decisions the users"));
        assert.strictEqual(told?.value, "3");
    });

    QUnit.test("a decision without its audit entry is lost", (assert) => {
        const input = run();
        input.audit = input.audit.slice(1);
        assert.deepEqual(failing(input), [
            "audit entries (approve, reject) of the run",
            "decisions lost (told taken, no audit entry)",
            "audit entries without their decision record, or the reverse",
        ]);
    });

    QUnit.test("a decision recorded twice is doubled, even with the right total", (assert) => {
        const input = run();
        // the same approval twice, in place of the rejection: the totals still match
        input.audit = [approve(1, 10), approve(1, 10), approve(1, 11)];
        input.decisions = [approve(1, 10), approve(1, 10), approve(1, 11)];
        const failed = failing(input);
        assert.ok(failed.includes("decisions lost (told taken, no audit entry)"));
        assert.ok(failed.includes("decisions doubled or not made by the users"));
        assert.ok(failed.includes("one decision per user and request"));
    });

    QUnit.test("a race the server refused must leave no decision", (assert) => {
        const input = run();
        input.decisions.push(approve(1, 12));
        assert.ok(
            failing(input).includes(
                "races refused by the server (another user decided first), none leaving a decision",
            ),
        );
    });

    QUnit.test("a request's state follows its decisions; one release per approval", (assert) => {
        const input = run();
        const [first] = input.requests;
        if (first) first.releases = 2;
        assert.deepEqual(failing(input), [
            "requests decided in the run whose state, releases or exception do not follow",
        ]);
        const pending = run();
        pending.requests.push({
            request: 3,
            state: "approved",
            approvals: 1,
            required: 2,
            rejections: 0,
            releases: 1,
            exceptionOpen: false,
        });
        assert.strictEqual(failing(pending).length, 1, "approved with one approval of two");
        const open = run();
        const [approved] = open.requests;
        if (approved) approved.exceptionOpen = true;
        assert.strictEqual(failing(open).length, 1, "approved, its credit hold still open");
    });

    QUnit.test("an exception resolved twice, or by another user, fails", (assert) => {
        const twice = run();
        twice.resolved = [{ exception: 7, uid: 20, notes: 2 }];
        assert.deepEqual(failing(twice), [
            "resolved exceptions not resolved exactly once (chatter)",
        ]);
        const other = run();
        other.resolved = [{ exception: 7, uid: 21, notes: 1 }];
        assert.deepEqual(failing(other), ["exceptions resolved by the users in the database"]);
    });

    QUnit.test("Odoo's request log: the cursor of each call", (assert) => {
        const log = [
            '2026-11-30 19:26:40,158 42 INFO db werkzeug: 127.0.0.1 - - [30/Nov/2026 19:26:40] "POST /web/dataset/call_kw/distribution.dashboard/get_kpi_dashboard HTTP/1.1" 200 - 35 0.334 0.070 ro',
            '2026-11-30 19:26:41,158 42 INFO db werkzeug: 127.0.0.1 - - [30/Nov/2026 19:26:41] "POST /web/dataset/call_kw/distribution.dashboard/get_kpi_dashboard HTTP/1.1" 200 - 35 0.334 0.070 ro->rw',
            '2026-11-30 19:26:42,158 42 INFO db werkzeug: 127.0.0.1 - - [30/Nov/2026 19:26:42] "POST /web/dataset/call_button HTTP/1.1" 200 - 301 6.800 1.110 rw',
            "2026-11-30 19:26:43,158 42 INFO db odoo.service.model: SERIALIZATION_FAILURE, 4 tries left, try again in 0.4 sec...",
            "2026-11-30 19:26:44,158 42 ERROR db odoo.http: Exception during request handling.",
            "Traceback (most recent call last):",
            '2026-11-30 19:26:45,158 42 ERROR db odoo.sql_db: bad query: b"DELETE FROM distribution_kpi_snapshot"',
            "ERROR: could not serialize access due to concurrent update",
            "",
            '2026-11-30 19:26:46,158 42 ERROR db odoo.sql_db: bad query: b"UPDATE stock_quant"',
            "ERROR: deadlock detected",
        ].join("\n");
        const modes = cursorModes(log);
        assert.deepEqual(modes.get("distribution.dashboard/get_kpi_dashboard"), {
            ro: 1,
            rw: 0,
            roToRw: 1,
        });
        assert.deepEqual(modes.get("call_button"), { ro: 0, rw: 1, roToRw: 0 });
        const summary = odooLogSummary(log);
        assert.strictEqual(summary.retries, 1);
        assert.strictEqual(summary.retriesExhausted, 0);
        assert.strictEqual(summary.errors, 1);
        assert.strictEqual(summary.serializationFailures, 1);
        assert.strictEqual(summary.deadlocks, 1);
        assert.deepEqual(summary.errorSamples, [
            "2026-11-30 19:26:44,158 42 ERROR db odoo.http: Exception during request handling.",
        ]);
    });
});
