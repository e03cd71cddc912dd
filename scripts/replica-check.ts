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
import {
    ROOT,
    ensureDependenciesDb,
    sh,
    shOk,
    startOdoo,
    waitForHttp,
    type OdooServer,
} from "./lib/odoo-process.mjs";
import { CheckRun } from "./lib/check-run";
import { PgCluster } from "./lib/pg-cluster";
import { probeReadsAndDecision, type StatementLog } from "./lib/replica-probe";

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

const runner = new CheckRun({
    name: "replica-check",
    passed: "ok  ",
    minutes: Number(values.minutes),
    cleanup: () => cleanup(),
    signals: ["SIGINT", "SIGTERM"],
    leftovers: () => (values.keep ? `kept ${TMP}` : "everything it started is stopped and removed"),
});
const { say, check } = runner;

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
    await ensureDependenciesDb("dg_base", say);
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

/** A statement log file of the throw-away cluster: only the check's Odoo talks to it. */
function fileLog(file: string): StatementLog {
    return {
        mark: () => statSync(file).size,
        since: (from, to) => readFileSync(file, "utf8").slice(from, to),
    };
}

async function run(): Promise<void> {
    await probeReadsAndDecision({
        url: `http://127.0.0.1:${PORT}`,
        db: DB,
        login: values.login,
        primary: fileLog(PRIMARY_LOG),
        replica: fileLog(REPLICA_LOG),
        odooLog: () => readFileSync(ODOO_LOG, "utf8"),
        psql: (sql) => psql(sql, DB),
        check,
    });
}

async function main(): Promise<number> {
    return runner.run(async () => {
        await setUp();
        await run();
    });
}

process.exit(await main());
