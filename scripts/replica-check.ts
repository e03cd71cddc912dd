// `npm run replica-check`: Odoo's read replica with the addon, for real, on this machine (issue 17).
//
// A throw-away PostgreSQL primary (socket only, under .tmp/replica-check) gets a copy of dg_base
// with the addon installed; `pg_basebackup -R` clones it into a hot standby streaming on
// 127.0.0.1:55433, made synchronous with synchronous_commit = remote_apply (a commit returns once
// the replica has applied it: read-your-writes). Odoo runs with --workers 2 and
// --db_replica_host/--db_replica_port, the demo distributor is seeded through it, then, logged in
// as the demo finance user (who decides its escalated credit request), the script calls the
// screens' reads and an approval through /web/dataset/call_kw as the web client does, and reads
// both servers' statement logs (log_statement = all): the dashboard's and the panels' queries
// must run on the replica and not on the primary, the decision's writes on the primary, and the
// panel reloaded right after the decision must show it. Prints PASS/FAIL per check; stops and removes
// everything it started (also on failure, Ctrl-C or its time limit).
//
// A copy of the whole shared cluster (every database of this machine) would be what
// pg_basebackup clones from it; the throw-away primary keeps the clone to the one database.
//   npm run replica-check -- [--port 8182] [--replica-port 55433] [--minutes 20] [--keep]
import { readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { ROOT, sh, shOk, startOdoo, waitForHttp, type OdooServer } from "./lib/odoo-process.mjs";
import { PgCluster } from "./lib/pg-cluster";
import { JsonRpcSession } from "./bench/json-rpc";

const { values } = parseArgs({
    options: {
        port: { type: "string", default: "8182" },
        "replica-port": { type: "string", default: "55433" },
        minutes: { type: "string", default: "20" },
        keep: { type: "boolean", default: false },
        // the demo's finance user: the seed escalates the held order's credit request to the
        // accounting managers at once, so the warehouse manager may no longer decide it
        login: { type: "string", default: "finance" },
    },
});
const PORT = Number(values.port);
const REPLICA_PORT = Number(values["replica-port"]);
const TMP = path.join(ROOT, ".tmp", "replica-check");
const cluster = new PgCluster({
    dir: TMP,
    replicaPort: REPLICA_PORT,
    replicaConf: ["log_statement = 'all'"],
});
const SOCKET = cluster.socket;
const PRIMARY_LOG = cluster.primaryLog;
const REPLICA_LOG = cluster.replicaLog;
const ODOO_LOG = path.join(TMP, "odoo.log");
const DB = "dg_replica_check";
const STANDBY = "dg_replica";
const PRIMARY_ENV = cluster.primaryEnv;

const started = Date.now();
const say = (line: string): void =>
    console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(4)}s] ${line}`);

interface Check {
    name: string;
    ok: boolean;
    detail: string;
}
const checks: Check[] = [];
function check(name: string, ok: boolean, detail = ""): void {
    checks.push({ name, ok, detail });
    say(`${ok ? "ok  " : "FAIL"} ${name}${detail ? ` — ${detail}` : ""}`);
}

let odoo: OdooServer | null = null;

async function cleanup(): Promise<void> {
    if (odoo) {
        await odoo.stop();
        odoo = null;
    }
    await cluster.stop();
    if (!values.keep) {
        cluster.remove();
        await sh(`rm -rf "$FILESTORE/${DB}"`);
    }
}

/** The statements a server logged since `offset` (its log's size then). */
function logSince(file: string, offset: number): string {
    return readFileSync(file, "utf8").slice(offset);
}
const size = (file: string): number => statSync(file).size;

/** psql on the throw-away primary. */
const psql = (sql: string, db = "postgres"): Promise<string> => cluster.psql(sql, db);

async function setUp(): Promise<void> {
    const busy = await sh(`(exec 3<>/dev/tcp/127.0.0.1/${PORT}) 2>/dev/null`);
    if (busy.code === 0) throw new Error(`port ${PORT} is in use`);
    say(
        `primary: initdb (${await cluster.binaries()}), socket ${SOCKET}/.s.PGSQL.${cluster.primaryPort}`,
    );
    await cluster.startPrimary();

    say(`primary: ${DB} from dg_base, then the addon installed`);
    await cluster.copyFromMain("dg_base", DB);
    await shOk(
        `odoo_bin -d ${DB} -i distribution_governance --stop-after-init --without-demo=all --log-level=warn`,
        "the addon's installation",
        { env: PRIMARY_ENV, logFile: path.join(TMP, "install.log") },
    );

    say(`replica: pg_basebackup -R, then a hot standby on 127.0.0.1:${REPLICA_PORT}`);
    const replication = await cluster.startReplica(STANDBY);
    check(
        "the replica streams from the primary",
        replication === `${STANDBY} streaming`,
        replication,
    );
    // commits wait for the replica to apply them: what a reader sees on it next includes them
    const sync = await cluster.makeSynchronous(STANDBY, ["log_statement = 'all'"]);
    check("the replica is synchronous (remote_apply)", sync === "sync", sync);
    check("the replica refuses writes", await cluster.replicaRefusesWrites(DB));

    say(`odoo: --workers 2 on :${PORT}, primary ${SOCKET}, replica 127.0.0.1:${REPLICA_PORT}`);
    odoo = startOdoo({
        db: DB,
        port: PORT,
        logFile: ODOO_LOG,
        args:
            `--workers 2 --max-cron-threads 0 --gevent-port=${PORT + 1} ` +
            `--db_replica_host=127.0.0.1 --db_replica_port=${REPLICA_PORT}`,
        env: PRIMARY_ENV,
    });
    if (!(await waitForHttp(`http://127.0.0.1:${PORT}/web/health`, 120)))
        throw new Error(`Odoo did not answer on :${PORT} (log ${ODOO_LOG})`);
    say("seeding the demo distributor through it (scripts/seed-demo.ts)");
    await shOk(
        `npx tsx scripts/seed-demo.ts --url http://127.0.0.1:${PORT} --db ${DB} --quiet`,
        "the demo seed",
        { logFile: path.join(TMP, "seed.log") },
    );
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

async function run(): Promise<void> {
    const url = `http://127.0.0.1:${PORT}`;
    const login = values.login;
    const manager = await JsonRpcSession.login(url, DB, login, login);
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
    let primaryAt = size(PRIMARY_LOG);
    let replicaAt = size(REPLICA_LOG);
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
    let onPrimary = logSince(PRIMARY_LOG, primaryAt);
    const onReplica = logSince(REPLICA_LOG, replicaAt);
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
    primaryAt = size(PRIMARY_LOG);
    replicaAt = size(REPLICA_LOG);
    await manager.call("distribution.approval.request", "action_approve", [
        [request.id],
        "Replica check: paid by wire",
    ]);
    const decidedAt = size(REPLICA_LOG);
    const after = await manager.call<Panel>("distribution.approval.request", "get_panel_data", [
        "sale.order",
        orderId,
    ]);
    const systrayAfter = await manager.call<{ pending_approvals?: number }>(
        "distribution.exception",
        "get_systray_data",
    );
    onPrimary = logSince(PRIMARY_LOG, primaryAt);
    check(
        "the approval wrote on the primary",
        /UPDATE "distribution_approval_request"/.test(onPrimary) &&
            /INSERT INTO "distribution_audit_log"/.test(onPrimary),
    );
    check(
        "nothing of the approval ran on the replica",
        !/UPDATE|INSERT/.test(readFileSync(REPLICA_LOG, "utf8").slice(replicaAt, decidedAt)),
    );
    check(
        "the panel reloaded after it was read on the replica",
        REQUEST_TABLE.test(logSince(REPLICA_LOG, decidedAt)),
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
    const audit = await psql(
        `SELECT count(*) FROM distribution_audit_log WHERE request_id = ${request.id} AND event = 'approve'`,
        DB,
    );
    check("the decision has one audit entry", audit === "1", `${audit} entries`);
    const odooLog = readFileSync(ODOO_LOG, "utf8");
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

async function main(): Promise<number> {
    const limit = setTimeout(
        () => {
            console.error(`replica-check: over ${values.minutes} minutes, stopping`);
            void cleanup().then(() => process.exit(2));
        },
        Number(values.minutes) * 60_000,
    );
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.on(signal, () => void cleanup().then(() => process.exit(130)));
    }
    try {
        await setUp();
        await run();
    } catch (error) {
        check(
            "the check ran to its end",
            false,
            String(error instanceof Error ? error.message : error),
        );
    } finally {
        await cleanup();
        clearTimeout(limit);
    }
    const failed = checks.filter((c) => !c.ok);
    const seconds = ((Date.now() - started) / 1000).toFixed(0);
    console.log(
        `\nreplica-check: ${failed.length ? "FAIL" : "PASS"} — ${checks.length - failed.length}/${checks.length} checks in ${seconds} s` +
            (failed.length ? `; failed: ${failed.map((c) => c.name).join("; ")}` : "") +
            (values.keep ? `; kept ${TMP}` : "; everything it started is stopped and removed"),
    );
    return failed.length ? 1 : 0;
}

process.exit(await main());
