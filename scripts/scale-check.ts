// `npm run scale-check`: docker-compose.yml's `scale` profile run for real, each service a host
// of its own (issue 17). This machine has no Docker engine; as root it has network namespaces.
//
// The services, their commands, environment, volumes, healthchecks and depends_on come from
// `docker-compose --profile scale config` (DG_SYNC_STANDBY=replica, as the README's command);
// only the images are substituted (scripts/scale/compose.ts): Debian's PostgreSQL for
// `postgres:N`, Odoo's source ($ODOO_SRC) for `odoo:N`, with the images' entrypoints translated.
// Each service runs in a network namespace `dgs-<service>` with its own address on a bridge
// (10.231.17.0/24; this machine, the user's, is .1) and /etc/netns/dgs-<service>/hosts naming
// the services as compose's network does, so `host=db` in db-replica's script and
// `--db_replica_host=db-replica` resolve as they would in compose. Named volumes are folders
// under .tmp/scale-check/volumes; each host has its own /var/run/postgresql.
//
// Then: db starts (initdb as the postgres image does), healthy; db-replica runs its script from
// the compose file (pg_basebackup -R from db), healthy; a copy of dg_base (when this machine has
// it: the addon's dependencies) is restored into db from here and the addon installed by a
// one-off `odoo` (as `docker compose run odoo -d ... -i ...`; without dg_base it creates the
// database); `odoo` and `odoo-workers` start; the demo is seeded through odoo-workers; as the
// user, over HTTP to odoo-workers' address, the screens' reads and an approval are checked
// against both servers' statement logs (scripts/lib/replica-probe.ts, shared with
// replica-check), a session shared by the two Odoo hosts, and the cron split (odoo-workers none,
// odoo the scheduled actions). Prints PASS/FAIL per check; stops
// and removes everything it started (also on failure, Ctrl-C or its time limit).
//   npm run scale-check -- [--minutes 20] [--keep] [--template dg_base | --template ""]
import { CheckRun } from "./lib/check-run";
import { spawn, type ChildProcess } from "node:child_process";
import {
    chmodSync,
    closeSync,
    existsSync,
    mkdirSync,
    openSync,
    readdirSync,
    readFileSync,
    rmdirSync,
    rmSync,
    statSync,
    writeFileSync,
} from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { dbExists, ODOO_SRC, ROOT, sh, shOk, waitForHttp } from "./lib/odoo-process.mjs";
import { probeReadsAndDecision, type StatementLog } from "./lib/replica-probe";
import {
    entriesFrom,
    planHost,
    startOrder,
    type ComposeConfig,
    type HostPlan,
    type Substitutes,
} from "./scale/compose";

const { values } = parseArgs({
    options: {
        minutes: { type: "string", default: "20" },
        keep: { type: "boolean", default: false },
        // the demo's finance user decides its escalated credit request (as replica-check)
        login: { type: "string", default: "finance" },
        // a database of this machine with the addon's dependencies, copied to save their
        // installation; empty (or missing): the one-off odoo host creates the database itself
        template: { type: "string", default: "dg_base" },
    },
});

const TMP = path.join(ROOT, ".tmp", "scale-check");
const VOLUMES = path.join(TMP, "volumes");
const PIDFILE = path.join(ROOT, ".tmp", "scale-check.pid");
const NET = "10.231.17";
const BRIDGE = "dgs-br";
const NETNS_ETC = "/etc/netns";
const DB = "dg_scale";
const SYNC_STANDBY = process.env.DG_SYNC_STANDBY ?? "replica";
const IP = "/usr/sbin/ip";

const runner = new CheckRun({
    name: "scale-check",
    passed: "PASS",
    minutes: Number(values.minutes),
    cleanup: () => cleanup(),
    signals: ["SIGINT", "SIGTERM", "SIGHUP"],
    leftovers: () =>
        values.keep ? `kept ${TMP}` : "namespaces, processes and .tmp/scale-check removed",
});
const { say, check } = runner;

interface Host {
    plan: HostPlan;
    ns: string;
    ip: string;
    veth: string;
    root: string;
    log: string;
    proc: ChildProcess | null;
    exit: Promise<number | null> | null;
    code: number | null | undefined;
    healthy: boolean;
}
const hosts = new Map<string, Host>();
const oneOffs = new Set<ChildProcess>();
let createdNetnsEtc = false;

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** A program with `env` only (a container's environment), its output collected. */
function run(
    argv: string[],
    env: Record<string, string> = process.env as Record<string, string>,
): Promise<{ code: number | null; out: string }> {
    return new Promise((resolve) => {
        const [cmd = "", ...args] = argv;
        const child = spawn(cmd, args, { env, cwd: "/", stdio: ["ignore", "pipe", "pipe"] });
        let out = "";
        child.stdout.on("data", (c) => (out += c));
        child.stderr.on("data", (c) => (out += c));
        child.on("error", (e) => (out += String(e)));
        child.on("close", (code) => resolve({ code, out }));
    });
}

async function runOk(argv: string[], what: string): Promise<string> {
    const r = await run(argv);
    if (r.code !== 0) throw new Error(`${what} failed (exit ${r.code}): ${r.out.slice(-2000)}`);
    return r.out;
}

/** psql from this machine (the user's) to a host, over the network, as the compose's user. */
async function psqlAt(host: Host, sql: string, db = "postgres"): Promise<string> {
    const env = host.plan.env;
    const r = await run(
        [
            "psql",
            `host=${host.ip} port=5432 user=${env.POSTGRES_USER ?? "odoo"} dbname=${db} connect_timeout=5`,
            "-AtXq",
            "-c",
            sql,
        ],
        { ...(process.env as Record<string, string>), PGPASSWORD: pgPassword() },
    );
    if (r.code !== 0) throw new Error(`psql on ${host.plan.service}: ${sql}: ${r.out}`);
    return r.out.trim();
}

function pgPassword(): string {
    return hostOf("db").plan.env.POSTGRES_PASSWORD ?? "";
}

function hostOf(service: string): Host {
    const host = hosts.get(service);
    if (!host) throw new Error(`docker-compose.yml has no service ${service} in the scale profile`);
    return host;
}

async function loadCompose(): Promise<ComposeConfig> {
    // Compose itself resolves the file (profiles, variables, relative paths); no engine needed
    const compose =
        (await sh("docker compose version >/dev/null 2>&1")).code === 0
            ? "docker compose"
            : "docker-compose";
    const { out } = await shOk(
        `DG_SYNC_STANDBY=${SYNC_STANDBY} ${compose} --profile scale config | ` +
            `/usr/bin/python3 -c 'import json, sys, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)'`,
        "docker-compose --profile scale config",
    );
    return JSON.parse(out) as ComposeConfig;
}

function substitutes(): Substitutes {
    const majors = readdirSync("/usr/lib/postgresql")
        .filter((d) => existsSync(`/usr/lib/postgresql/${d}/bin/postgres`))
        .sort((a, b) => Number(b) - Number(a));
    const pgMajor = majors[0];
    if (!pgMajor)
        throw new Error("no PostgreSQL server in /usr/lib/postgresql (scripts/setup-odoo)");
    return {
        pgBin: `/usr/lib/postgresql/${pgMajor}/bin`,
        pgMajor,
        odooPython: process.env.ODOO_PYTHON || "/usr/bin/python3",
        odooSrc: ODOO_SRC,
        lang: "C.UTF-8",
    };
}

/** Leftovers of a run that did not clean up (killed): namespaces, bridge, hosts files. */
async function removeLeftovers(): Promise<void> {
    if (existsSync(PIDFILE)) {
        const pid = Number(readFileSync(PIDFILE, "utf8"));
        let alive: boolean;
        try {
            process.kill(pid, 0);
            alive = pid !== process.pid;
        } catch {
            alive = false;
        }
        if (alive) throw new Error(`another scale-check runs (pid ${pid})`);
    }
    const { out } = await run([IP, "netns", "list"]);
    const stale = out
        .split("\n")
        .map((l) => l.split(" ")[0] ?? "")
        .filter((n) => n.startsWith("dgs-"));
    if (stale.length) say(`removing a previous run's namespaces: ${stale.join(", ")}`);
    for (const ns of stale) await removeNamespace(ns);
    if ((await run([IP, "link", "show", BRIDGE])).code === 0)
        await run([IP, "link", "del", BRIDGE]);
}

async function removeNamespace(ns: string): Promise<void> {
    const { out } = await run([IP, "netns", "pids", ns]);
    for (const pid of out.split(/\s+/).filter(Boolean)) {
        try {
            process.kill(Number(pid), "SIGKILL");
        } catch {
            // gone
        }
    }
    await run([IP, "netns", "del", ns]);
    rmSync(path.join(NETNS_ETC, ns), { recursive: true, force: true });
}

async function network(order: string[]): Promise<void> {
    await runOk([IP, "link", "add", BRIDGE, "type", "bridge"], "the bridge");
    await runOk([IP, "addr", "add", `${NET}.1/24`, "dev", BRIDGE], "the bridge's address");
    await runOk([IP, "link", "set", BRIDGE, "up"], "the bridge up");
    if (!existsSync(NETNS_ETC)) {
        mkdirSync(NETNS_ETC);
        createdNetnsEtc = true;
    }
    const names = [...hosts.values()].map((h) => `${h.ip}\t${h.plan.service}`).join("\n");
    for (const service of order) {
        const h = hostOf(service);
        await runOk([IP, "netns", "add", h.ns], `namespace ${h.ns}`);
        await runOk(
            [IP, "link", "add", h.veth, "type", "veth", "peer", "name", "eth0", "netns", h.ns],
            `the link of ${h.ns}`,
        );
        await runOk([IP, "link", "set", h.veth, "master", BRIDGE, "up"], "the bridge port");
        await runOk([IP, "-n", h.ns, "addr", "add", `${h.ip}/24`, "dev", "eth0"], "the address");
        await runOk([IP, "-n", h.ns, "link", "set", "eth0", "up"], "eth0 up");
        await runOk([IP, "-n", h.ns, "link", "set", "lo", "up"], "lo up");
        mkdirSync(path.join(NETNS_ETC, h.ns), { recursive: true });
        writeFileSync(
            path.join(NETNS_ETC, h.ns, "hosts"),
            `127.0.0.1\tlocalhost\n${names}\n${h.ip}\t${h.ns}\n`,
        );
    }
}

/** The host's files from its image, its named volumes' folders, as docker would have them. */
async function prepare(h: Host): Promise<void> {
    for (const [file, content] of Object.entries(h.plan.files)) {
        mkdirSync(path.dirname(file), { recursive: true });
        writeFileSync(file, content);
        chmodSync(file, 0o755);
    }
    for (const dir of h.plan.volumeDirs) {
        if (existsSync(dir.path)) continue;
        mkdirSync(dir.path, { recursive: true });
        await runOk(["chown", `${dir.owner}:`, dir.path], "a volume's owner");
        await runOk(["chmod", dir.mode, dir.path], "a volume's mode");
    }
    for (const m of h.plan.mounts) {
        if (!existsSync(m.source)) throw new Error(`${h.plan.service}: ${m.source} does not exist`);
    }
}

/** Runs the host's entrypoint and command (or `command` instead, a one-off) in its namespace. */
function startIn(h: Host, command: string[] | null, log: string): ChildProcess {
    const plan = h.plan;
    // the container's own /var/run/postgresql (the image has it for postgres, mode 3777)
    const runDir =
        plan.kind === "postgres"
            ? "mount -t tmpfs -o mode=3777 dgs-run /run/postgresql && chown postgres: /run/postgresql"
            : "mount -t tmpfs -o mode=755 dgs-run /run/postgresql";
    const drop =
        plan.user === "root"
            ? ""
            : `setpriv --reuid=${plan.user} --regid=${plan.user} --init-groups `;
    const argv = command ? [plan.argv[0] ?? "", ...command] : plan.argv;
    const fd = openSync(log, "a");
    const child = spawn(
        IP,
        [
            "netns",
            "exec",
            h.ns,
            "/bin/bash",
            "-c",
            `${runDir} && exec ${drop}"$@"`,
            "host",
            ...argv,
        ],
        { env: plan.env, cwd: "/", detached: true, stdio: ["ignore", fd, fd] },
    );
    closeSync(fd);
    return child;
}

function start(h: Host): void {
    h.proc = startIn(h, null, h.log);
    h.code = undefined;
    h.exit = new Promise((resolve) =>
        h.proc?.on("exit", (code) => {
            h.code = code;
            resolve(code);
        }),
    );
}

/** The healthcheck's command run in the host (its namespaces, user and environment). */
async function healthy(h: Host): Promise<boolean> {
    const hc = h.plan.healthcheck;
    if (!hc || !h.proc?.pid) return !!h.proc;
    const drop =
        h.plan.user === "root"
            ? []
            : ["setpriv", `--reuid=${h.plan.user}`, `--regid=${h.plan.user}`, "--init-groups"];
    const r = await run(
        [
            "nsenter",
            "-t",
            String(h.proc.pid),
            "-m",
            "-n",
            "--",
            ...drop,
            "/bin/sh",
            "-c",
            hc.command,
        ],
        h.plan.env,
    );
    return r.code === 0;
}

async function waitHealthy(h: Host): Promise<void> {
    const hc = h.plan.healthcheck;
    if (!hc || h.healthy) return;
    for (let i = 0; i < hc.retries; i++) {
        await sleep(hc.intervalMs);
        if (h.code !== undefined)
            throw new Error(`${h.plan.service} exited (${h.code}); its log:\n${tail(h.log)}`);
        if (await healthy(h)) {
            h.healthy = true;
            say(`${h.plan.service} healthy (${hc.command})`);
            return;
        }
    }
    throw new Error(`${h.plan.service} is unhealthy after ${hc.retries} checks:\n${tail(h.log)}`);
}

function tail(file: string, chars = 2500): string {
    return existsSync(file) ? readFileSync(file, "utf8").slice(-chars) : "";
}

/** `docker compose up` of `services`: each once its depends_on conditions hold. */
async function up(services: string[]): Promise<void> {
    for (const service of services) {
        const h = hostOf(service);
        for (const dep of h.plan.dependsOn) {
            const d = hostOf(dep.service);
            if (!d.proc) throw new Error(`${service} depends on ${dep.service}, not started`);
            if (dep.condition === "service_healthy") await waitHealthy(d);
        }
        say(
            `${service}: ${h.plan.image} on ${h.ip} (${h.ns}), ${h.plan.user === "root" ? "" : `as ${h.plan.user}, `}` +
                `${h.plan.argv.slice(1).join(" ").replace(/\s+/g, " ").slice(0, 150)}`,
        );
        start(h);
    }
}

/** A server's statement log (its host's output) as the statements one client host ran. */
function statementLog(h: Host, client: string): StatementLog {
    return {
        mark: () => statSync(h.log).size,
        since: (from, to) =>
            entriesFrom(readFileSync(h.log).subarray(from, to).toString("utf8"), client),
    };
}

async function setUp(): Promise<void> {
    const db = hostOf("db");
    const replica = hostOf("db-replica");
    const odoo = hostOf("odoo");
    const workers = hostOf("odoo-workers");
    await network([...hosts.keys()]);
    for (const h of hosts.values()) await prepare(h);
    say(`network ${NET}.0/24 on ${BRIDGE}; this machine (the user) is ${NET}.1`);

    await up(["db", "db-replica"]);
    await waitHealthy(replica);
    const replication = await psqlAt(
        db,
        "SELECT application_name, state, sync_state, client_addr FROM pg_stat_replication",
    );
    check(
        "db-replica streams from db across the namespaces (pg_stat_replication on db)",
        replication === `replica|streaming|sync|${replica.ip}`,
        replication.replace(/\|/g, " ") || "no standby",
    );
    const settings = await psqlAt(
        db,
        "SELECT current_setting('synchronous_standby_names') || ' ' || current_setting('synchronous_commit')",
    );
    check(
        "db waits for db-replica to apply each commit (DG_SYNC_STANDBY)",
        settings === `${SYNC_STANDBY} remote_apply`,
        `synchronous_standby_names=${settings.replace(" ", ", synchronous_commit=")}`,
    );
    const recovery = await psqlAt(replica, "SELECT pg_is_in_recovery()");
    const write = await run(
        [
            "psql",
            `host=${replica.ip} user=odoo dbname=postgres`,
            "-AtXc",
            "CREATE TABLE dgs_x (id int)",
        ],
        { ...(process.env as Record<string, string>), PGPASSWORD: pgPassword() },
    );
    check(
        "db-replica is a hot standby that refuses writes",
        recovery === "t" && write.out.includes("read-only transaction"),
    );

    const template = values.template && (await dbExists(values.template)) ? values.template : "";
    if (template) {
        say(`${DB}: a copy of this machine's ${template} restored into db from here`);
        await psqlAt(db, `CREATE DATABASE ${DB}`);
        await shOk(
            `pg_dump -d ${template} --no-owner | PGPASSWORD="$SCALE_PW" psql -q -X -1 -v ON_ERROR_STOP=1 ` +
                `"host=${db.ip} user=odoo dbname=${DB}" >/dev/null`,
            `the copy of ${template}`,
            { env: { SCALE_PW: pgPassword() } },
        );
        const dataDir = odoo.plan.mounts.find((m) => m.target === "/var/lib/odoo")?.source;
        if (!dataDir) throw new Error("odoo has no volume on /var/lib/odoo");
        await shOk(
            `mkdir -p "${dataDir}/filestore" && cp -a "$FILESTORE/${template}" "${dataDir}/filestore/${DB}"`,
            "the filestore's copy",
        );
    }
    say(
        `${DB}: ${template ? "the addon installed" : "created with the addon and its dependencies"} ` +
            "by a one-off odoo host (docker compose run odoo -d ... -i distribution_governance)",
    );
    const installLog = path.join(TMP, "install.log");
    const install = startIn(
        odoo,
        [
            "-d",
            DB,
            "-i",
            "distribution_governance",
            "--without-demo=all",
            "--stop-after-init",
            "--log-level=warn",
        ],
        installLog,
    );
    oneOffs.add(install);
    const code = await new Promise<number | null>((r) => install.on("exit", r));
    oneOffs.delete(install);
    if (code !== 0)
        throw new Error(`the addon's installation failed (${code}):\n${tail(installLog)}`);

    await up(["odoo", "odoo-workers"]);
    for (const h of [odoo, workers]) {
        if (!(await waitForHttp(`http://${h.ip}:8069/web/health`, 180)))
            throw new Error(`${h.plan.service} did not answer on ${h.ip}:8069:\n${tail(h.log)}`);
    }
    say(`seeding the demo distributor through odoo-workers (http://${workers.ip}:8069)`);
    await shOk(
        `npx tsx scripts/seed-demo.ts --url http://${workers.ip}:8069 --db ${DB} --quiet`,
        "the demo seed",
        { logFile: path.join(TMP, "seed.log") },
    );
    // the user opens the database on the `odoo` host: its registry loads, and its cron thread
    // runs the database's scheduled actions from then on (Odoo's threaded server runs the jobs of
    // the databases it has loaded). Only now: the seed runs the daily KPI snapshot job by hand,
    // and the host's scheduled hourly one, run at the same moment, wrote the same hour first:
    // the seed failed on distribution_kpi_snapshot_hour_unique (the addon's advisory lock is
    // taken after its transaction's snapshot, so the second writer does not see the first's rows)
    await fetch(`http://${odoo.ip}:8069/web/login?db=${DB}`);
}

async function checkHosts(): Promise<void> {
    const db = hostOf("db");
    const replica = hostOf("db-replica");
    const odoo = hostOf("odoo");
    const workers = hostOf("odoo-workers");
    // the servers log each statement with its client's address (an operator's ALTER SYSTEM;
    // the replica's own file, ALTER SYSTEM being allowed on a standby)
    for (const h of [db, replica]) {
        await psqlAt(h, "ALTER SYSTEM SET log_statement = 'all'");
        await psqlAt(h, "ALTER SYSTEM SET log_line_prefix = '%m [%p] %h %d '");
        await psqlAt(h, "SELECT pg_reload_conf()");
    }
    await sleep(1000);
    await probeReadsAndDecision({
        url: `http://${workers.ip}:8069`,
        db: DB,
        login: values.login,
        primary: statementLog(db, workers.ip),
        replica: statementLog(replica, workers.ip),
        odooLog: () => readFileSync(workers.log, "utf8"),
        psql: (sql) => psqlAt(db, sql, DB),
        check,
    });
    const clients = async (h: Host) =>
        (
            await psqlAt(
                h,
                `SELECT string_agg(DISTINCT host(client_addr), ' ') FROM pg_stat_activity WHERE datname = '${DB}'`,
            )
        ).split(" ");
    const onReplica = await clients(replica);
    const onPrimary = await clients(db);
    check(
        "odoo-workers reads on db-replica, odoo does not (pg_stat_activity on db-replica)",
        onReplica.includes(workers.ip) && !onReplica.includes(odoo.ip),
        `clients ${onReplica.join(", ")}`,
    );
    check(
        "both Odoo hosts write on db (pg_stat_activity on db)",
        onPrimary.includes(workers.ip) && onPrimary.includes(odoo.ip),
        `clients ${onPrimary.join(", ")}`,
    );

    // a session opened on one Odoo host serves on the other: its file is in the odoo-data volume
    // both mount (the README's "several behind a proxy, sticky or not")
    const rpc = (url: string, route: string, params: object, cookie = "") =>
        fetch(url + route, {
            method: "POST",
            headers: { "Content-Type": "application/json", Cookie: cookie },
            body: JSON.stringify({ jsonrpc: "2.0", method: "call", id: 1, params }),
        });
    const opened = await rpc(`http://${workers.ip}:8069`, "/web/session/authenticate", {
        db: DB,
        login: values.login,
        password: values.login,
    });
    const cookie = (opened.headers.get("set-cookie") ?? "").split(";")[0] ?? "";
    const info = (await (
        await rpc(`http://${odoo.ip}:8069`, "/web/session/get_session_info", {}, cookie)
    ).json()) as { result?: { username?: string } };
    check(
        "a session opened on odoo-workers serves on odoo (the shared odoo-data volume)",
        info.result?.username === values.login,
        `user ${info.result?.username ?? "none"}`,
    );

    // scheduled actions: odoo-workers has 4 HTTP workers and no cron worker; odoo runs them
    const workersLog = readFileSync(workers.log, "utf8");
    const http = workersLog.match(/Worker WorkerHTTP \(\d+\) alive/g)?.length ?? 0;
    const cronWorkers = workersLog.match(/WorkerCron/g)?.length ?? 0;
    const workersJobs = workersLog.match(/ir_cron: Job .* starting/g)?.length ?? 0;
    check(
        "odoo-workers runs no scheduled action (--max-cron-threads=0)",
        http >= 4 && cronWorkers === 0 && workersJobs === 0,
        `${http} HTTP workers started, ${cronWorkers} cron workers, ${workersJobs} jobs run`,
    );
    const jobs = (): string[] =>
        readFileSync(odoo.log, "utf8").match(
            new RegExp(` ${DB} \\S+ir_cron: Job .* starting`, "g"),
        ) ?? [];
    for (let i = 0; i < 150 && !jobs().length; i++) await sleep(1000);
    const ran = jobs();
    check(
        "odoo runs the scheduled actions",
        ran.length > 0,
        `first job: ${(ran[0] ?? "none").replace(/^.*Job /, "").replace(/ starting$/, "")}`,
    );
}

let cleaning: Promise<void> | null = null;
function cleanup(): Promise<void> {
    cleaning ??= (async () => {
        for (const p of oneOffs) {
            try {
                process.kill(-(p.pid ?? 0), "SIGKILL");
            } catch {
                // gone
            }
        }
        // Odoo first, then the replica, then the primary (as compose stops them: reverse order)
        for (const h of [...hosts.values()].reverse()) {
            if (!h.proc?.pid || h.code !== undefined) continue;
            try {
                // postgres: fast shutdown; Odoo: its graceful stop
                process.kill(
                    h.plan.kind === "postgres" ? h.proc.pid : -h.proc.pid,
                    h.plan.kind === "postgres" ? "SIGINT" : "SIGTERM",
                );
            } catch {
                continue;
            }
            const timeout = sleep(20_000).then(() => "timeout");
            if ((await Promise.race([h.exit, timeout])) === "timeout") {
                try {
                    process.kill(-h.proc.pid, "SIGKILL");
                } catch {
                    // gone
                }
            }
        }
        for (const h of hosts.values()) await removeNamespace(h.ns);
        await run([IP, "link", "del", BRIDGE]);
        if (createdNetnsEtc && existsSync(NETNS_ETC) && !readdirSync(NETNS_ETC).length)
            rmdirSync(NETNS_ETC);
        if (!values.keep) rmSync(TMP, { recursive: true, force: true });
        rmSync(PIDFILE, { force: true });
    })();
    return cleaning;
}

async function main(): Promise<number> {
    if (process.getuid?.() !== 0) {
        console.error("scale-check: needs root (network namespaces)");
        return 2;
    }
    return runner.run(async () => {
        await removeLeftovers();
        mkdirSync(path.dirname(PIDFILE), { recursive: true });
        writeFileSync(PIDFILE, String(process.pid));
        rmSync(TMP, { recursive: true, force: true });
        mkdirSync(VOLUMES, { recursive: true });
        const config = await loadCompose();
        const subs = substitutes();
        const order = startOrder(config);
        order.forEach((service, i) => {
            const root = path.join(TMP, "hosts", service);
            const spec = config.services[service];
            if (!spec) return;
            hosts.set(service, {
                plan: planHost(service, spec, subs, root, VOLUMES),
                ns: `dgs-${service}`,
                ip: `${NET}.${11 + i}`,
                veth: `dgs-v${i}`,
                root,
                log: path.join(TMP, `${service}.log`),
                proc: null,
                exit: null,
                code: undefined,
                healthy: false,
            });
        });
        const pgVersion = (await runOk([`${subs.pgBin}/postgres`, "--version"], "postgres")).trim();
        const odooVersion = (
            await runOk([subs.odooPython, `${subs.odooSrc}/odoo-bin`, "--version"], "odoo-bin")
        )
            .trim()
            .split("\n")
            .pop();
        for (const h of hosts.values()) {
            const stands =
                h.plan.kind === "postgres" ? pgVersion : `${odooVersion} (${subs.odooSrc})`;
            say(`${h.plan.service}: image ${h.plan.image} → ${stands}`);
        }
        say(`services in start order: ${order.join(", ")}; DG_SYNC_STANDBY=${SYNC_STANDBY}`);
        await setUp();
        await checkHosts();
    });
}

process.exit(await main());
