import { readFileSync } from "node:fs";
import path from "node:path";
import { expect, test } from "@playwright/test";
import { ROOT, sh } from "../../scripts/lib/odoo-process.mjs";
import { type OdooRpc, OdooRpcError, m2oId, type OdooRecord } from "../../scripts/lib/odoo-rpc";
import { creditHoldProduct, E2E_DB, heldOrder, odooDatetime, workerServer } from "./support";

// Governance under Odoo's multi-process mode. A second server on the e2e database runs
// `--workers 2 --max-cron-threads 2` (two HTTP worker processes, two cron worker processes,
// woken by cron changes). Breached exceptions and expired approvals are made due; then, all at
// once: both crons and a twin of each are triggered from two clients while the cron workers
// pick them up too, approvers decide pending credit holds (approve against reject), and users
// resolve breached exceptions (two users on each). Afterwards nothing is decided twice, no
// escalation level or activity is doubled, no exception is lost and the audit log holds exactly
// one entry per event.
test.describe.configure({ mode: "serial" });

const PORT = process.env.DG_CONC_PORT || "8072";
const EXCEPTIONS = 12;
const RACED_RESOLVES = 6;
const DECISIONS = 8;
const EXPIRIES = 6;
const TAG = `conc ${Date.now().toString(36)}`;
const LOG_FILE = path.join(ROOT, ".tmp", "e2e", "odoo-workers.log");

/** What an Odoo refusal of a concurrent, already-done or locked operation says. */
const LOST_RACE = {
    decision: /no longer pending/,
    resolve: /already Resolved/,
    cron: /currently being executed|cannot be modified right now|could not serialize/i,
};

// a change of a cron's nextcall wakes the cron workers (instead of their next minute)
const as = workerServer(PORT, path.basename(LOG_FILE), "--workers 2 --max-cron-threads 2", {
    ODOO_NOTIFY_CRON_CHANGES: "1",
});

/** Makes records due: the setup may move dates to the past, which no user may write. */
async function sql(statement: string): Promise<void> {
    const { code, out } = await sh(
        `psql -d ${E2E_DB} -v ON_ERROR_STOP=1 -qAt <<'DG_SQL'\n${statement}\nDG_SQL`,
    );
    if (code !== 0) throw new Error(`psql failed: ${out}`);
}

const UTC_NOW = "(now() at time zone 'utc')";

/** "won", or the message of the refusal. */
function outcome(settled: PromiseSettledResult<unknown>): string {
    if (settled.status === "fulfilled") return "won";
    const reason = settled.reason as unknown;
    return reason instanceof OdooRpcError ? reason.message : String(reason);
}

function countBy<T>(items: T[], key: (item: T) => string | number): Map<string | number, number> {
    const counts = new Map<string | number, number>();
    for (const item of items) counts.set(key(item), (counts.get(key(item)) ?? 0) + 1);
    return counts;
}

test("two workers and two cron workers: nothing decided twice, escalated twice or lost", async () => {
    test.setTimeout(240_000);
    const [admin, admin2, rep, whmanager, finance, picker] = await Promise.all([
        as("admin"),
        as("admin"),
        as("rep"),
        as("whmanager"),
        as("finance"),
        as("picker"),
    ]);

    // ------------------------------------------------------------ setup
    const product = await creditHoldProduct(admin, `E2E ${TAG} item`);
    /** A quotation over its own customer's limit, confirmed by the rep: held, one request. */
    const held = (i: number) => heldOrder(admin, rep, product, `E2E ${TAG} customer ${i}`);
    const orders: number[] = [];
    for (let i = 0; i < DECISIONS + EXPIRIES; i += 2) {
        orders.push(...(await Promise.all([held(i), held(i + 1)])));
    }
    const pendingOf = async (ids: number[]) =>
        admin.searchRead(
            "distribution.approval.request",
            [
                ["sale_order_id", "in", ids],
                ["state", "=", "pending"],
            ],
            ["sale_order_id"],
            { order: "id" },
        );
    const pending = await pendingOf(orders);
    expect(pending, "every order is held with one pending request").toHaveLength(orders.length);
    const decide = pending.slice(0, DECISIONS).map((r) => r.id);
    const expiring = pending.slice(DECISIONS).map((r) => r.id);
    const expiringOrders = pending.slice(DECISIONS).map((r) => m2oId(r.sale_order_id) as number);
    for (const id of expiring) {
        await whmanager.call("distribution.approval.request", "action_approve", [[id], "setup"]);
    }

    const lateType = await admin.ref("distribution_governance.exception_type_late_shipment");
    const shipped = await admin.ref("distribution_governance.resolution_late_shipment_shipped");
    const exceptions: number[] = [];
    for (let i = 0; i < EXCEPTIONS; i++) {
        exceptions.push(
            await admin.create("distribution.exception", {
                type_id: lateType,
                severity: "high",
                description: `E2E ${TAG} breached ${i}`,
            }),
        );
    }

    const escalation = await admin.ref("distribution_governance.cron_exception_escalation");
    const expiry = await admin.ref("distribution_governance.cron_approval_expiry");
    // Twins run the same code as other cron jobs: Odoo's lock on a cron row does not keep them
    // apart, only the addon's own row locks do.
    const copy = async (id: number) =>
        [await admin.call<number | number[]>("ir.cron", "copy", [[id]])].flat()[0]!;
    const twins = [await copy(escalation), await copy(expiry)];
    const crons = [escalation, expiry, ...twins];

    /** Due now: approvals past their validity; exceptions breached nine days ago with a
     * one-day window, so one escalation takes them to level 3. */
    const makeDue = async (exceptionIds: number[], requestIds: number[]) => {
        await sql(
            `UPDATE distribution_approval_request
                SET approved_until = ${UTC_NOW} - interval '1 hour'
              WHERE id IN (${requestIds.join(",")});
             UPDATE distribution_exception
                SET detected_at = ${UTC_NOW} - interval '10 days',
                    sla_warning_at = ${UTC_NOW} - interval '9 days 6 hours',
                    sla_deadline = ${UTC_NOW} - interval '9 days'
              WHERE id IN (${exceptionIds.join(",")})`,
        );
    };
    /** Users at work meanwhile: approve against reject on each request, two resolvers on
     * each of the first `raced` exceptions. */
    const usersAtWork = (requestIds: number[], exceptionIds: number[], raced: number) =>
        [
            Promise.all(
                requestIds.map((id) =>
                    Promise.allSettled([
                        whmanager.call("distribution.approval.request", "action_approve", [
                            [id],
                            "race A",
                        ]),
                        finance.call("distribution.approval.request", "action_reject", [
                            [id],
                            "race B",
                        ]),
                    ]),
                ),
            ),
            Promise.all(
                exceptionIds
                    .slice(0, raced)
                    .map((id) =>
                        Promise.allSettled([
                            whmanager.call("distribution.exception", "action_resolve", [
                                [id],
                                shipped,
                                "A",
                            ]),
                            picker.call("distribution.exception", "action_resolve", [
                                [id],
                                shipped,
                                "B",
                            ]),
                        ]),
                    ),
            ),
        ] as const;
    const half = (ids: number[]) => [ids.slice(0, ids.length / 2), ids.slice(ids.length / 2)];
    const [decide1, decide2] = half(decide);
    const [exceptions1, exceptions2] = half(exceptions);
    const [expiring1, expiring2] = half(expiring);

    // ------------------------------------------------------------ race 1: the HTTP workers
    // Both crons and their twins triggered from two clients at once (the two worker processes
    // run two of them at a time), a second trigger of each original on the other client.
    await makeDue(exceptions1!, expiring1!);
    const triggers = [
        [admin, escalation],
        [admin2, twins[0]!],
        [admin, expiry],
        [admin2, twins[1]!],
        [admin2, escalation],
        [admin, expiry],
    ].map(([client, id]) =>
        (client as OdooRpc).call("ir.cron", "method_direct_trigger", [[id as number]]),
    );
    const [triggered, decided1, resolved1] = await Promise.all([
        Promise.allSettled(triggers),
        ...usersAtWork(decide1!, exceptions1!, RACED_RESOLVES / 2),
    ]);

    // ------------------------------------------------------------ race 2: the cron workers
    // All four crons due at once: each cron worker takes one, then the next.
    await makeDue(exceptions2!, expiring2!);
    const past = odooDatetime(new Date(Date.now() - 60_000));
    await expect
        .poll(() =>
            admin.write("ir.cron", crons, { nextcall: past, active: true }).then(
                () => "due",
                (error: unknown) => String(error),
            ),
        )
        .toBe("due");
    const [decided2, resolved2] = await Promise.all(
        usersAtWork(decide2!, exceptions2!, RACED_RESOLVES / 2),
    );
    await expect
        .poll(
            () =>
                admin.searchCount("ir.cron", [
                    ["id", "in", crons],
                    ["nextcall", "<=", past],
                ]),
            { message: "the cron workers ran every cron", timeout: 90_000, intervals: [1000] },
        )
        .toBe(0);
    const decided = [...decided1, ...decided2];
    const resolved = [...resolved1, ...resolved2];
    const racedExceptions = [
        ...exceptions1!.slice(0, RACED_RESOLVES / 2),
        ...exceptions2!.slice(0, RACED_RESOLVES / 2),
    ];
    await admin.write("ir.cron", twins, { active: false });

    // ------------------------------------------------------------ outcomes of the calls
    const triggerOutcomes = triggered.map(outcome);
    for (const o of triggerOutcomes) {
        if (o !== "won") expect(o, "a refused cron trigger lost a race").toMatch(LOST_RACE.cron);
    }
    for (const [index, pair] of decided.entries()) {
        const [a, b] = pair.map(outcome);
        expect(
            [a, b].filter((o) => o === "won"),
            `request ${decide[index]}: one decision`,
        ).toHaveLength(1);
        expect(a === "won" ? b : a).toMatch(LOST_RACE.decision);
    }
    for (const [index, pair] of resolved.entries()) {
        const [a, b] = pair.map(outcome);
        expect(
            [a, b].filter((o) => o === "won"),
            `exception ${racedExceptions[index]}: one resolver`,
        ).toHaveLength(1);
        expect(a === "won" ? b : a).toMatch(LOST_RACE.resolve);
    }

    // ------------------------------------------------------------ decisions: one each, logged once
    const decisionRows = await admin.searchRead(
        "distribution.approval.decision",
        [["request_id", "in", decide]],
        ["request_id", "decision"],
    );
    expect(decisionRows).toHaveLength(DECISIONS);
    /** The audit entries of these events on these records (`field`: the records' link). */
    const auditOf = (field: string, ids: number[], events: string[]) =>
        admin.searchRead(
            "distribution.audit.log",
            [
                [field, "in", ids],
                ["event", "in", events],
            ],
            [field, "event"],
        );
    const decidedAudit = await auditOf("request_id", decide, ["approve", "reject"]);
    expect(decidedAudit).toHaveLength(DECISIONS);
    expect([...countBy(decidedAudit, (r) => m2oId(r.request_id) as number).values()]).toEqual(
        Array<number>(DECISIONS).fill(1),
    );

    // ------------------------------------------------------------ expiry: once, re-held once
    const expired = await admin.read("distribution.approval.request", expiring, ["state"]);
    expect(expired.map((r) => r.state)).toEqual(Array<string>(EXPIRIES).fill("expired"));
    const expireAudit = await auditOf("request_id", expiring, ["expire"]);
    expect(expireAudit, "one expire entry per request").toHaveLength(EXPIRIES);
    const reheldAudit = await auditOf("sale_order_id", expiringOrders, ["rehold"]);
    expect(reheldAudit, "one rehold entry per order").toHaveLength(EXPIRIES);
    expect(await pendingOf(expiringOrders), "one new pending request per order").toHaveLength(
        EXPIRIES,
    );
    const reheld = await admin.read("sale.order", expiringOrders, ["dg_credit_hold"]);
    expect(reheld.map((o) => o.dg_credit_hold)).toEqual(Array<string>(EXPIRIES).fill("on_hold"));
    const openHolds = await admin.searchRead(
        "distribution.exception",
        [
            ["sale_order_id", "in", orders],
            ["type_code", "=", "credit_hold"],
            ["state", "in", ["new", "in_progress"]],
        ],
        ["sale_order_id"],
    );
    expect(
        Math.max(...countBy(openHolds, (e) => m2oId(e.sale_order_id) as number).values()),
        "never two open credit-hold exceptions for one order",
    ).toBe(1);

    // ------------------------------------------------------------ exceptions: none lost, none doubled
    const rows = await admin.read("distribution.exception", exceptions, [
        "state",
        "escalation_level",
        "resolved_by_id",
    ]);
    expect(rows, "no exception lost").toHaveLength(EXCEPTIONS);
    const messages = await admin.searchRead(
        "mail.message",
        [
            ["model", "=", "distribution.exception"],
            ["res_id", "in", exceptions],
        ],
        ["res_id", "body"],
        { order: "id" },
    );
    const activities = await admin.searchRead(
        "mail.activity",
        [
            ["res_model", "=", "distribution.exception"],
            ["res_id", "in", exceptions],
        ],
        ["res_id", "summary", "user_id"],
    );
    const escalationUsers = await admin.searchCount("res.users", [
        ["groups_id", "in", [await admin.ref("stock.group_stock_manager")]],
        ["share", "=", false],
    ]);
    const text = (m: OdooRecord) =>
        (typeof m.body === "string" ? m.body : "").replace(/<[^>]+>/g, "");
    for (const row of rows) {
        const own = messages.filter((m) => m.res_id === row.id);
        const levels = own
            .map((m) => /escalated to level (\d)/.exec(text(m))?.[1])
            .filter((l): l is string => Boolean(l));
        expect(new Set(levels).size, `exception ${row.id}: each level once`).toBe(levels.length);
        const resolutions = own.filter((m) => /^Resolved:/.test(text(m)));
        const todo = activities.filter((a) => a.res_id === row.id);
        if (row.state === "resolved") {
            expect(resolutions, `exception ${row.id}: resolved once`).toHaveLength(1);
            expect([whmanager.uid, picker.uid]).toContain(m2oId(row.resolved_by_id));
            expect(todo, `exception ${row.id}: no activity left once resolved`).toHaveLength(0);
            const escalatedAfter = own.findIndex((m) => /escalated to level/.test(text(m)));
            const resolvedAt = own.findIndex((m) => /^Resolved:/.test(text(m)));
            if (escalatedAfter >= 0) expect(escalatedAfter).toBeLessThan(resolvedAt);
        } else {
            expect(row.state).toBe("new");
            expect(row.escalation_level).toBe(3);
            expect(levels, `exception ${row.id}: escalated once, to 3`).toEqual(["3"]);
            expect(todo, `exception ${row.id}: one activity per escalation user`).toHaveLength(
                escalationUsers,
            );
            expect(new Set(todo.map((a) => m2oId(a.user_id))).size).toBe(escalationUsers);
        }
    }
    const resolvedCount = rows.filter((r) => r.state === "resolved").length;
    expect(resolvedCount).toBe(RACED_RESOLVES);

    // A run that meets a row busy elsewhere leaves it for the next run instead of failing.
    const workerLog = readFileSync(LOG_FILE, "utf8");
    const failedRuns = workerLog.match(/Job 'Distribution Governance: [^']*' .* failed/g) ?? [];
    expect(failedRuns, "no cron run of the addon failed").toEqual([]);

    console.log(
        `  races: ${triggers.length} cron triggers on ${crons.length} crons ` +
            `(${triggerOutcomes.filter((o) => o === "won").length} ran, ` +
            `${triggerOutcomes.filter((o) => o !== "won").length} refused while locked), ` +
            `${DECISIONS} approve/reject pairs, ${RACED_RESOLVES} double resolves, ` +
            `${EXPIRIES} expiries, ${EXCEPTIONS} escalations`,
    );
});
