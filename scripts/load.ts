// `npm run load`: a real load test of the addon on this machine (issue 17), bounded and
// self-stopping, on localhost only.
//
//   npm run load -- [--users 50] [--minutes 5] [--replica both|on|off] [--port 8105]
//                   [--replica-port 5545] [--spawn-rate 1] [--keep]
//
// 1. The load database: the bench's (scripts/bench/databases.ts, DG_BENCH_PREFIX dg_bench_load
//    unless set: 21,000 orders, 5,000 quotations on credit hold with their pending requests
//    filed by the bench salespeople, 20,000 open exceptions of 100,000), copied into a
//    throw-away PostgreSQL primary (scripts/lib/pg-cluster.ts, socket only, under .tmp/load),
//    with the simulated users made in it (scripts/load/prepare.py: approvers, managers,
//    warehouse staff, salespeople).
// 2. For each mode (off, then on): a fresh copy of it; Odoo with --workers 4 (no cron) on it,
//    with --db_replica_host/--db_replica_port to a streaming replica made by pg_basebackup -R
//    and synchronous (remote_apply) for "on"; Locust (Debian's python3-locust, installed when
//    missing) runs scripts/load/locustfile.py headless: --users for --minutes, then stops.
// 3. Prints per mode: p50/p95 per call type, the request counts, the errors, the integrity
//    checks (decisions against audit entries and decision records, resolutions against the
//    exceptions: scripts/load/report.ts), Odoo's concurrency retries and, with the replica,
//    which cursor served each call and the statements each server ran.
// Then stops Odoo and both PostgreSQL servers and removes what it made (--keep leaves the
// cluster's folder). Exits 1 when a run had an error or a failed check. Not part of npm test.
import { existsSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import {
    dbExists,
    ROOT,
    sh,
    shOk,
    startOdoo,
    waitForHttp,
    type OdooServer,
} from "./lib/odoo-process.mjs";
import { PgCluster } from "./lib/pg-cluster";
import { stats } from "./bench/measure";
import {
    cursorModes,
    integrityChecks,
    odooLogSummary,
    type Check,
    type ClientAction,
    type DecisionRow,
    type RequestRow,
    type ResolvedRow,
} from "./load/report";

const { values } = parseArgs({
    options: {
        users: { type: "string", default: "50" },
        minutes: { type: "string", default: "5" },
        replica: { type: "string", default: "both" },
        port: { type: "string", default: "8105" },
        "replica-port": { type: "string", default: "5545" },
        // one login a second: 50 users log in over the first 50 s, not all at once
        "spawn-rate": { type: "string", default: "1" },
        keep: { type: "boolean", default: false },
    },
});
const USERS = Number(values.users);
const MINUTES = Number(values.minutes);
const PORT = Number(values.port);
const MODES = { both: ["off", "on"], on: ["on"], off: ["off"] }[values.replica ?? ""];
if (!MODES || !(USERS > 0) || !(MINUTES > 0)) {
    console.error("usage: npm run load -- [--users 50] [--minutes 5] [--replica both|on|off]");
    process.exit(2);
}
const TMP = path.join(ROOT, ".tmp", "load");
const TEMPLATE = "dg_load_template";
const STANDBY = "dg_load_replica";
const cluster = new PgCluster({
    dir: TMP,
    replicaPort: Number(values["replica-port"]),
    // the database's working set in memory, as a server sized for it would have
    primaryConf: [
        "shared_preload_libraries = 'pg_stat_statements'",
        "max_connections = 200",
        "shared_buffers = 512MB",
    ],
});
const started = Date.now();
const say = (line: string): void =>
    console.log(`[${((Date.now() - started) / 1000).toFixed(0).padStart(5)}s] ${line}`);

let odoo: OdooServer | null = null;
const made: string[] = [];

async function cleanup(): Promise<void> {
    if (odoo) {
        await odoo.stop();
        odoo = null;
    }
    await cluster.stop();
    if (!values.keep) cluster.remove();
    for (const db of made) await sh(`rm -rf "$FILESTORE/${db}"`);
}

async function ensureLocust(): Promise<void> {
    if ((await sh("command -v locust")).code === 0) return;
    say("installing Debian's python3-locust (missing)");
    await shOk(
        `SUDO=""; [ "$(id -u)" = 0 ] || SUDO=sudo
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq && $SUDO apt-get install -y -qq --no-install-recommends python3-locust >/dev/null`,
        "the installation of python3-locust",
    );
}

/** The bench database the load database copies (made or brought up to date by the bench). */
async function sourceDb(): Promise<string> {
    process.env.DG_BENCH_PREFIX ??= "dg_bench_load";
    if (!process.env.DG_BENCH_TEMPLATE && (await dbExists("dg_base"))) {
        process.env.DG_BENCH_TEMPLATE = "dg_base";
    }
    // databases.ts reads the prefix when it loads
    const bench = await import("./bench/databases");
    const log = (line: string) => say(line.trim());
    await bench.ensureBase(log);
    return (await bench.ensureSizeDb("100k", 100_000, true, log)).db;
}

interface LoadConfig {
    company_id: number;
    users: { login: string; role: string; uid: number }[];
    resolutions: Record<string, number[]>;
    credit_hold_type: number;
}

async function prepareTemplate(source: string): Promise<LoadConfig> {
    say(`primary: initdb, socket ${cluster.socket}/.s.PGSQL.${cluster.primaryPort}`);
    await cluster.startPrimary();
    say(`primary: ${TEMPLATE} from ${source}`);
    await cluster.copyFromMain(source, TEMPLATE);
    made.push(TEMPLATE);
    await cluster.psql("CREATE EXTENSION IF NOT EXISTS pg_stat_statements", TEMPLATE);
    say(`the ${USERS} simulated users (scripts/load/prepare.py)`);
    const { out } = await shOk(
        `odoo_bin shell -d ${TEMPLATE} --no-http --log-level=warn < scripts/load/prepare.py`,
        "the load users",
        { env: { ...cluster.primaryEnv, DG_LOAD_USERS: String(USERS) } },
    );
    // a restored database has no planner statistics yet, nor visibility maps: as in use
    say(`VACUUM ANALYZE ${TEMPLATE}`);
    await shOk(`vacuumdb -q -z -d ${TEMPLATE}`, "VACUUM ANALYZE", { env: cluster.primaryEnv });
    const line = out.split("\n").find((l) => l.startsWith("DG-LOAD "));
    if (!line) throw new Error(`prepare.py printed no DG-LOAD line:\n${out.slice(-2000)}`);
    return JSON.parse(line.slice("DG-LOAD ".length)) as LoadConfig;
}

const q = (sql: string, db: string, on: "primary" | "replica" = "primary") =>
    cluster.psql(sql, db, on);
const rows = (out: string): string[][] => (out ? out.split("\n").map((l) => l.split("|")) : []);

interface Marks {
    audit: number;
    decision: number;
    message: number;
}

async function marks(db: string): Promise<Marks> {
    const [audit = 0, decision = 0, message = 0] = (
        await q(
            `SELECT (SELECT coalesce(max(id), 0) FROM distribution_audit_log) || '|' ||
                    (SELECT coalesce(max(id), 0) FROM distribution_approval_decision) || '|' ||
                    (SELECT coalesce(max(id), 0) FROM mail_message)`,
            db,
        )
    )
        .split("|")
        .map(Number);
    return { audit, decision, message };
}

async function statementCounts(db: string, on: "primary" | "replica") {
    const [xacts = 0, tuples = 0, statements = 0] = (
        await q(
            `SELECT d.xact_commit + d.xact_rollback, d.tup_returned + d.tup_fetched,
                    (SELECT coalesce(sum(calls), 0) FROM pg_stat_statements s WHERE s.dbid = d.datid)
               FROM pg_stat_database d WHERE d.datname = '${db}'`,
            db,
            on,
        )
    )
        .split("|")
        .map(Number);
    return { xacts, tuples, statements };
}

async function topStatements(db: string, on: "primary" | "replica"): Promise<string[][]> {
    return rows(
        await q(
            `SELECT calls, regexp_replace(left(query, 90), '\\s+', ' ', 'g') FROM pg_stat_statements s
               JOIN pg_database d ON d.oid = s.dbid
              WHERE d.datname = '${db}' AND query ~* '^\\s*(SELECT|WITH)'
              ORDER BY calls DESC LIMIT 4`,
            db,
            on,
        ),
    );
}

interface LocustOut {
    timings: Record<string, number[]>;
    actions: ClientAction[];
    stale_panels: { request: number; login: string; state: string }[];
    started: string[];
}

interface Failure {
    name: string;
    error: string;
    occurrences: number;
}

/** Locust's CSV of failures (Method,Name,Error,Occurrences). */
function failuresOf(file: string): Failure[] {
    if (!existsSync(file)) return [];
    return readFileSync(file, "utf8")
        .split("\n")
        .slice(1)
        .filter(Boolean)
        .map((line) => {
            const cells = [...line.matchAll(/("([^"]|"")*"|[^,]*)(,|$)/g)].map((m) =>
                (m[1] ?? "").replace(/^"|"$/g, "").replace(/""/g, '"'),
            );
            return {
                name: cells[1] ?? "",
                error: cells[2] ?? "",
                occurrences: Number(cells[3] ?? 0),
            };
        });
}

const pad = (text: string | number, width: number) => String(text).padStart(width);
const ms = (value: number) => (Number.isFinite(value) ? value.toFixed(0) : "-");

function loadAverage(): string {
    return os
        .loadavg()
        .map((l) => l.toFixed(2))
        .join(" ");
}

async function runMode(mode: string, config: LoadConfig): Promise<Check[]> {
    const db = `dg_load_${mode}`;
    say(`── replica ${mode}: ${db} copied from ${TEMPLATE}`);
    await shOk(
        `createdb -T ${TEMPLATE} ${db} && rm -rf "$FILESTORE/${db}" && scripts/pg copy-filestore ${TEMPLATE} ${db}`,
        `the copy ${db}`,
        { env: cluster.primaryEnv },
    );
    made.push(db);
    const checks: Check[] = [];
    const check = (name: string, ok: boolean, value = "") => checks.push({ name, ok, value });
    if (mode === "on") {
        if (!cluster.replicaRunning) {
            say(`replica: pg_basebackup -R, hot standby on 127.0.0.1:${cluster.replicaPort}`);
            const replication = await cluster.startReplica(STANDBY);
            check("the replica streams", replication === `${STANDBY} streaming`, replication);
            const sync = await cluster.makeSynchronous(STANDBY);
            check("the replica is synchronous (remote_apply)", sync === "sync", sync);
        }
        // the replica has replayed the copy (synchronous from here on)
        for (let i = 0; i < 60; i++) {
            const there = await q(
                `SELECT 1 FROM pg_database WHERE datname = '${db}'`,
                "postgres",
                "replica",
            );
            if (there === "1") break;
            await new Promise((r) => setTimeout(r, 1000));
        }
    }
    const before = await marks(db);
    for (const on of mode === "on" ? (["primary", "replica"] as const) : (["primary"] as const)) {
        await q("SELECT pg_stat_statements_reset()", db, on);
    }
    const countsBefore = {
        primary: await statementCounts(db, "primary"),
        replica: mode === "on" ? await statementCounts(db, "replica") : null,
    };
    const odooLog = path.join(TMP, `odoo-${mode}.log`);
    const replicaArgs =
        mode === "on"
            ? ` --db_replica_host=127.0.0.1 --db_replica_port=${cluster.replicaPort}`
            : "";
    say(`odoo: --workers 4 on :${PORT}${replicaArgs}`);
    odoo = startOdoo({
        db,
        port: PORT,
        logFile: odooLog,
        args: `--workers 4 --max-cron-threads 0${replicaArgs}`,
        env: cluster.primaryEnv,
    });
    if (!(await waitForHttp(`http://127.0.0.1:${PORT}/web/health`, 180)))
        throw new Error(`Odoo did not answer on :${PORT} (log ${odooLog})`);

    const out = path.join(TMP, `locust-${mode}.json`);
    const configFile = path.join(TMP, `config-${mode}.json`);
    await shOk(`cat > ${configFile} <<'EOF'\n${JSON.stringify({ ...config, db })}\nEOF`, "config");
    const loadBefore = loadAverage();
    let loadMax = 0;
    const sampler = setInterval(() => {
        loadMax = Math.max(loadMax, os.loadavg()[0] ?? 0);
    }, 5000);
    say(
        `locust: ${USERS} users for ${MINUTES} min (spawn ${values["spawn-rate"]}/s); load ${loadBefore}`,
    );
    const locust = await sh(
        `locust -f scripts/load/locustfile.py --headless --users ${USERS} ` +
            `--spawn-rate ${values["spawn-rate"]} --run-time ${MINUTES * 60}s --stop-timeout 60 ` +
            `--host http://127.0.0.1:${PORT} --only-summary --loglevel WARNING ` +
            `--csv ${path.join(TMP, `locust-${mode}`)}`,
        {
            env: { DG_LOAD_CONFIG: configFile, DG_LOAD_OUT: out },
            logFile: path.join(TMP, `locust-${mode}.log`),
        },
    );
    clearInterval(sampler);
    const loadAfter = loadAverage();
    await odoo.stop();
    odoo = null;
    if (!existsSync(out))
        throw new Error(
            `locust left no results (exit ${locust.code}):\n${locust.out.slice(-3000)}`,
        );
    const result = JSON.parse(readFileSync(out, "utf8")) as LocustOut;

    // ── timings
    const failures = failuresOf(path.join(TMP, `locust-${mode}_failures.csv`));
    const failed = new Map<string, number>();
    for (const f of failures) failed.set(f.name, (failed.get(f.name) ?? 0) + f.occurrences);
    const names = [...new Set([...Object.keys(result.timings), ...failed.keys()])].sort();
    const width = Math.max(...names.map((n) => n.length), 10);
    let total = 0;
    let totalFailed = 0;
    const table = [
        `${"call".padEnd(width)}  ${pad("count", 6)} ${pad("p50 ms", 7)} ${pad("p95 ms", 7)} ${pad("max ms", 7)} ${pad("errors", 6)}`,
    ];
    for (const name of names) {
        const s = stats(result.timings[name] ?? []);
        const errors = failed.get(name) ?? 0;
        total += s.runs + errors;
        totalFailed += errors;
        table.push(
            `${name.padEnd(width)}  ${pad(s.runs, 6)} ${pad(ms(s.p50), 7)} ${pad(ms(s.p95), 7)} ${pad(ms(s.max), 7)} ${pad(errors, 6)}`,
        );
    }
    const all = stats(Object.values(result.timings).flat());
    table.push(
        `${"all calls".padEnd(width)}  ${pad(all.runs, 6)} ${pad(ms(all.p50), 7)} ${pad(ms(all.p95), 7)} ${pad(ms(all.max), 7)} ${pad(totalFailed, 6)}`,
    );

    // ── integrity
    const uids = config.users.map((u) => u.uid).join(",");
    const asDecisions = (out: string): DecisionRow[] =>
        rows(out).map(([request, uid, decision]) => ({
            request: Number(request),
            uid: Number(uid),
            decision: decision as "approve",
        }));
    const audit = asDecisions(
        await q(
            `SELECT request_id, user_id, event FROM distribution_audit_log
              WHERE id > ${before.audit} AND event IN ('approve', 'reject')`,
            db,
        ),
    );
    const decisions = asDecisions(
        await q(
            `SELECT request_id, user_id, decision FROM distribution_approval_decision WHERE id > ${before.decision}`,
            db,
        ),
    );
    const requests: RequestRow[] = rows(
        await q(
            `SELECT r.id, r.state,
                    (SELECT count(*) FROM distribution_approval_decision d WHERE d.request_id = r.id AND d.decision = 'approve'),
                    r.approvals_required,
                    (SELECT count(*) FROM distribution_approval_decision d WHERE d.request_id = r.id AND d.decision = 'reject'),
                    (SELECT count(*) FROM distribution_audit_log a WHERE a.request_id = r.id AND a.event = 'release'),
                    coalesce((SELECT e.state IN ('new', 'in_progress') FROM distribution_exception e
                               WHERE e.id = r.exception_id), false)
               FROM distribution_approval_request r
              WHERE r.id IN (SELECT request_id FROM distribution_approval_decision WHERE id > ${before.decision})`,
            db,
        ),
    ).map(([request, state, approvals, required, rejections, releases, open]) => ({
        request: Number(request),
        state: state ?? "",
        approvals: Number(approvals),
        required: Number(required),
        rejections: Number(rejections),
        releases: Number(releases),
        exceptionOpen: open === "t",
    }));
    const resolved: ResolvedRow[] = rows(
        await q(
            `SELECT e.id, e.resolved_by_id,
                    (SELECT count(*) FROM mail_message m
                      WHERE m.model = 'distribution.exception' AND m.res_id = e.id
                        AND m.id > ${before.message} AND m.body::text LIKE '%Resolved: %')
               FROM distribution_exception e
              WHERE e.state = 'resolved' AND e.resolved_by_id IN (${uids})
                AND e.type_code != 'credit_hold'`,
            db,
        ),
    ).map(([exception, uid, notes]) => ({
        exception: Number(exception),
        uid: Number(uid),
        notes: Number(notes),
    }));
    checks.push(
        ...integrityChecks({ actions: result.actions, audit, decisions, requests, resolved }),
    );
    check(
        "users logged in with their views loaded",
        result.started.length === USERS,
        `${result.started.length} of ${USERS}`,
    );
    check(
        "panels reloaded after a decision that did not show it (read-your-writes)",
        result.stale_panels.length === 0,
        String(result.stale_panels.length),
    );
    const errorsSeen = result.actions.filter((a) => a.outcome === "error");
    check(
        "calls the server refused or failed (Locust failures)",
        totalFailed === 0,
        String(totalFailed),
    );

    // ── Odoo's log, and where the statements ran
    const log = readFileSync(odooLog, "utf8");
    const summary = odooLogSummary(log);
    check(
        "concurrency failures Odoo retried",
        true,
        `${summary.retries} retries (${summary.serializationFailures} serialization failures, ${summary.deadlocks} deadlocks logged)`,
    );
    check(
        "calls failed after Odoo's last retry",
        summary.retriesExhausted === 0,
        String(summary.retriesExhausted),
    );
    check("other ERROR records in Odoo's log", summary.errors === 0, String(summary.errors));
    const lines = [
        `replica ${mode}: ${USERS} users, ${MINUTES} min, Odoo --workers 4, ${os.cpus().length} cores; load average before ${loadBefore}, highest 1-min during ${loadMax.toFixed(2)}, after ${loadAfter}`,
        `requests: ${total} in ${(MINUTES * 60).toFixed(0)} s (${(total / (MINUTES * 60)).toFixed(1)}/s), errors ${totalFailed}`,
        "",
        ...table,
        "",
        "decisions and resolutions (client side):",
        ...(["approve", "reject", "resolve", "take"] as const).map((kind) => {
            const of = result.actions.filter((a) => a.kind === kind);
            const n = (outcome: string) => of.filter((a) => a.outcome === outcome).length;
            return `  ${kind.padEnd(8)} ok ${pad(n("ok"), 5)}  refused as races ${pad(n("race"), 4)}  errors ${pad(n("error"), 3)}  unknown ${pad(n("unknown"), 3)}`;
        }),
    ];
    if (mode === "on") {
        const after = {
            primary: await statementCounts(db, "primary"),
            replica: await statementCounts(db, "replica"),
        };
        const delta = (on: "primary" | "replica") => {
            const a = after[on];
            const b = (on === "primary" ? countsBefore.primary : countsBefore.replica) ?? a;
            return `${pad(a.xacts - b.xacts, 8)} ${pad(a.statements - b.statements, 10)} ${pad(a.tuples - b.tuples, 12)}`;
        };
        lines.push(
            "",
            "where the statements ran (pg_stat_database, pg_stat_statements):",
            `  server   ${pad("xacts", 8)} ${pad("statements", 10)} ${pad("rows read", 12)}`,
            `  primary  ${delta("primary")}`,
            `  replica  ${delta("replica")}`,
            "  most frequent reads on the replica:",
            ...(await topStatements(db, "replica")).map(
                ([calls, sql]) => `    ${pad(calls ?? "", 7)}  ${sql}`,
            ),
        );
        const modes = cursorModes(log);
        lines.push("", "cursor of each call in Odoo's request log (ro = replica, rw = primary):");
        for (const [call, m] of [...modes].sort()) {
            lines.push(
                `  ${call.padEnd(58)} ro ${pad(m.ro, 5)}  rw ${pad(m.rw, 5)}  ro->rw ${pad(m.roToRw, 3)}`,
            );
        }
        const reads = [...modes].filter(([call]) =>
            /get_kpi_dashboard|get_panel_data|get_price_panel_data|get_systray_data|get_triage_counts|web_search_read|web_read_group|read_progress_bar/.test(
                call,
            ),
        );
        check(
            "the screens' reads were served by the replica (ro), none replayed on the primary",
            reads.length > 0 && reads.every(([, m]) => m.rw === 0 && m.roToRw === 0),
            `${reads.reduce((n, [, m]) => n + m.ro, 0)} ro`,
        );
        check(
            "the replica answered statements",
            after.replica.statements - (countsBefore.replica?.statements ?? 0) > 0,
        );
    }
    if (failures.length) {
        lines.push("", "failures:");
        for (const f of failures)
            lines.push(`  ${f.occurrences} × ${f.name}: ${f.error.slice(0, 300)}`);
    }
    for (const a of errorsSeen.slice(0, 5))
        lines.push(`  ${a.kind} ${a.id} by ${a.login}: ${a.detail}`);
    if (summary.errorSamples.length)
        lines.push("", "Odoo errors:", ...summary.errorSamples.map((l) => `  ${l}`));
    lines.push("", "checks:");
    for (const c of checks)
        lines.push(`  ${c.ok ? "ok  " : "FAIL"} ${c.name}${c.value ? ` — ${c.value}` : ""}`);
    console.log(`\n${lines.join("\n")}\n`);
    return checks;
}

async function main(): Promise<number> {
    // bounded: the runs, plus generous time to prepare and stop
    const limitMinutes = MODES!.length * (MINUTES + 15) + 30;
    const limit = setTimeout(() => {
        console.error(`load: over ${limitMinutes} minutes, stopping`);
        void cleanup().then(() => process.exit(2));
    }, limitMinutes * 60_000);
    for (const signal of ["SIGINT", "SIGTERM"] as const) {
        process.on(signal, () => void cleanup().then(() => process.exit(130)));
    }
    const checks: Check[] = [];
    try {
        await ensureLocust();
        const busy = await sh(`(exec 3<>/dev/tcp/127.0.0.1/${PORT}) 2>/dev/null`);
        if (busy.code === 0) throw new Error(`port ${PORT} is in use`);
        const source = await sourceDb();
        const config = await prepareTemplate(source);
        for (const mode of MODES!) checks.push(...(await runMode(mode, config)));
    } catch (error) {
        checks.push({
            name: "the load test ran to its end",
            ok: false,
            value: String(error instanceof Error ? error.message : error),
        });
        console.error(error);
    } finally {
        await cleanup();
        clearTimeout(limit);
    }
    const failed = checks.filter((c) => !c.ok);
    console.log(
        `load: ${failed.length ? "FAIL" : "PASS"} — ${checks.length - failed.length}/${checks.length} checks in ${((Date.now() - started) / 60000).toFixed(1)} min` +
            (failed.length ? `; failed: ${failed.map((c) => c.name).join("; ")}` : "") +
            (values.keep
                ? `; kept ${TMP}`
                : "; Odoo and both PostgreSQL servers stopped, their files removed"),
    );
    return failed.length ? 1 : 0;
}

process.exit(await main());
