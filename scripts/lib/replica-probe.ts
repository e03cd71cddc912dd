// What `npm run replica-check` and `npm run scale-check` check of an Odoo with a read replica,
// logged in as a user who decides a held order's credit request: the screens' reads (dashboard,
// panels, systray, triage counts) run on the replica and not on the primary, the decision writes
// on the primary and nothing of it on the replica, the panel and the systray reloaded right after
// it show it (read-your-writes), one audit entry, and the cursor Odoo's request log names for
// each call. Each script says where the servers' statement logs and Odoo's log are.
import { JsonRpcSession } from "../bench/json-rpc";

/** A server's statement log (log_statement = all) as the check reads it. */
export interface StatementLog {
    /** Where the log ends now. */
    mark(): number;
    /** The statements of the Odoo under test logged from `from` (to `to`). */
    since(from: number, to?: number): string;
}

export interface ReplicaProbe {
    url: string;
    db: string;
    login: string;
    primary: StatementLog;
    replica: StatementLog;
    /** Odoo's log (its request lines end with the cursor: ro, rw, ro->rw). */
    odooLog: () => string;
    /** psql on the primary, in `db`: the rows as psql -At prints them. */
    psql: (sql: string) => Promise<string>;
    check: (name: string, ok: boolean, detail?: string) => void;
}

interface Panel {
    visible: boolean;
    hold_state?: string;
    order_id?: number;
    request?: { id: number; state: string; can_decide: boolean } | false;
}

// what only the screens' reads touch (the dashboard's KPI targets, the approval requests)
const DASHBOARD_TABLE = /distribution_kpi_target/;
const REQUEST_TABLE = /FROM "distribution_approval_request"/;

export async function probeReadsAndDecision(probe: ReplicaProbe): Promise<void> {
    const { check, primary, replica } = probe;
    const manager = await JsonRpcSession.login(probe.url, probe.db, probe.login, probe.login);
    const orders = await manager.call<number[]>("sale.order", "search", [
        [["dg_credit_hold", "=", "on_hold"]],
    ]);
    check(
        "the seed left an order on credit hold",
        orders.length > 0,
        `orders ${orders.join(", ")}`,
    );
    const orderId = orders[0];
    if (orderId === undefined) return;

    // the screens' reads
    let primaryAt = primary.mark();
    let replicaAt = replica.mark();
    const dashboard = await manager.call<{ kpis: unknown[] }>(
        "distribution.dashboard",
        "get_kpi_dashboard",
        [{}],
    );
    const panel = await manager.call<Panel>("distribution.approval.request", "get_panel_data", [
        "sale.order",
        orderId,
    ]);
    const systray = await manager.call<{ pending_approvals?: number }>(
        "distribution.exception",
        "get_systray_data",
    );
    await manager.call("distribution.approval.request", "get_price_panel_data", [
        "sale.order",
        orderId,
    ]);
    await manager.call("distribution.exception", "get_triage_counts");
    let onPrimary = primary.since(primaryAt);
    const onReplica = replica.since(replicaAt);
    check("the dashboard answered", dashboard.kpis.length > 0, `${dashboard.kpis.length} KPIs`);
    check(
        "the dashboard's queries ran on the replica",
        DASHBOARD_TABLE.test(onReplica) && !DASHBOARD_TABLE.test(onPrimary),
    );
    check(
        "the panels' and systray's queries ran on the replica",
        REQUEST_TABLE.test(onReplica) && !REQUEST_TABLE.test(onPrimary),
    );
    const request = panel.request;
    check(
        "the credit panel offers the manager the decision",
        panel.hold_state === "on_hold" &&
            !!request &&
            request.state === "pending" &&
            request.can_decide,
        `hold ${panel.hold_state}, request ${request ? request.state : "none"}`,
    );
    if (!request) return;

    // the decision, then the panel and the systray reloaded at once, as the web client does
    primaryAt = primary.mark();
    replicaAt = replica.mark();
    await manager.call("distribution.approval.request", "action_approve", [
        [request.id],
        "Replica check: paid by wire",
    ]);
    const decidedAt = replica.mark();
    const after = await manager.call<Panel>("distribution.approval.request", "get_panel_data", [
        "sale.order",
        orderId,
    ]);
    const systrayAfter = await manager.call<{ pending_approvals?: number }>(
        "distribution.exception",
        "get_systray_data",
    );
    onPrimary = primary.since(primaryAt);
    check(
        "the approval wrote on the primary",
        /UPDATE "distribution_approval_request"/.test(onPrimary) &&
            /INSERT INTO "distribution_audit_log"/.test(onPrimary),
    );
    check(
        "nothing of the approval ran on the replica",
        !/UPDATE|INSERT/.test(replica.since(replicaAt, decidedAt)),
    );
    check(
        "the panel reloaded after it was read on the replica",
        REQUEST_TABLE.test(replica.since(decidedAt)),
    );
    const requestAfter = after.request;
    check(
        "read-your-writes: the reloaded panel shows the decision",
        after.hold_state === "released" && !!requestAfter && requestAfter.state === "approved",
        `hold ${after.hold_state}, request ${requestAfter ? requestAfter.state : "none"}`,
    );
    check(
        "read-your-writes: the systray counts one approval less",
        systrayAfter.pending_approvals === (systray.pending_approvals ?? 0) - 1,
        `${systray.pending_approvals} then ${systrayAfter.pending_approvals}`,
    );
    const audit = await probe.psql(
        `SELECT count(*) FROM distribution_audit_log WHERE request_id = ${request.id} AND event = 'approve'`,
    );
    check("the decision has one audit entry", audit === "1", `${audit} entries`);
    const odooLog = probe.odooLog();
    // Odoo's request log ends with the cursor a request ran on: ro, rw, or ro->rw (a read-only
    // route that wrote and was replayed on the primary)
    const modes = new Map<string, Set<string>>();
    for (const m of odooLog.matchAll(
        /POST \/web\/dataset\/call_kw\/([\w.]+\/\w+) HTTP.* (ro|rw|ro->rw)\s*$/gm,
    )) {
        const [, call = "", mode = ""] = m;
        modes.set(call, (modes.get(call) ?? new Set()).add(mode));
    }
    const modeOf = (call: string): string => [...(modes.get(call) ?? [])].join(",") || "not logged";
    for (const call of [
        "distribution.dashboard/get_kpi_dashboard",
        "distribution.approval.request/get_panel_data",
        "distribution.approval.request/get_price_panel_data",
        "distribution.exception/get_systray_data",
        "distribution.exception/get_triage_counts",
    ]) {
        check(`Odoo served ${call} on the replica`, modeOf(call) === "ro", modeOf(call));
    }
    check(
        "Odoo served distribution.approval.request/action_approve on the primary",
        modeOf("distribution.approval.request/action_approve") === "rw",
        modeOf("distribution.approval.request/action_approve"),
    );
    check(
        "no read-only call fell back to the primary",
        !odooLog.includes("retrying with a read/write cursor") &&
            !odooLog.includes("Failed to open a readonly cursor"),
    );
}
