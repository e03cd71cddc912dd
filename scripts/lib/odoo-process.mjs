// What the Node scripts that drive Odoo share (test runner, regression comparison, lifecycle
// check): shell commands with scripts/odoo-env.sh loaded, throw-away databases, a server started
// in the background, and Odoo's per-test log lines.
import { spawn } from "node:child_process";
import { appendFileSync, existsSync, mkdirSync, writeFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const ODOO_SRC = process.env.ODOO_SRC || path.join(os.homedir(), ".cache", "odoo", "18.0");
export const HAS_ODOO = existsSync(path.join(ODOO_SRC, "odoo-bin"));

/**
 * Runs a command through bash with scripts/odoo-env.sh loaded; resolves with code and output.
 * `echo` copies the output to stdout as it comes, `logFile` to a file (to follow long runs).
 */
export function sh(command, { echo = false, env = {}, logFile = null } = {}) {
    if (logFile) writeFileSync(logFile, "");
    return new Promise((resolve) => {
        const child = spawn("bash", ["-c", `. scripts/odoo-env.sh && ${command}`], {
            cwd: ROOT,
            env: { ...process.env, ...env },
            stdio: ["ignore", "pipe", "pipe"],
        });
        let out = "";
        const collect = (chunk) => {
            out += chunk;
            if (echo) process.stdout.write(chunk);
            if (logFile) appendFileSync(logFile, chunk);
        };
        child.stdout.on("data", collect);
        child.stderr.on("data", collect);
        child.on("close", (code) => resolve({ code, out }));
    });
}

/** Throws with the tail of the output when a command failed. */
export async function shOk(command, what, options) {
    const result = await sh(command, options);
    if (result.code !== 0)
        throw new Error(`${what} failed (exit ${result.code}):\n${result.out.slice(-3000)}`);
    return result;
}

export async function dbExists(name) {
    const { out } = await sh(
        `psql -d postgres -Atc "SELECT 1 FROM pg_database WHERE datname = '${name}'"`,
    );
    return out.trim() === "1";
}

/** `name` as a copy of `template` (database and filestore). */
export async function copyDb(template, name) {
    await shOk(
        `createdb -T ${template} ${name} && scripts/pg copy-filestore ${template} ${name}`,
        `copy of ${template} to ${name}`,
    );
    return name;
}

export async function dropDb(name) {
    await sh(`scripts/pg drop ${name}`);
}

/** A database with only the addon's dependencies installed, without demo data. */
export async function buildDependenciesDb(name) {
    await shOk("scripts/pg start && scripts/pg ensure-role", "PostgreSQL start");
    await shOk(
        `odoo_bin -d ${name} -i "$DG_DEPENDS" --without-demo=all --stop-after-init --log-level=warn`,
        `database ${name} with the addon dependencies`,
    );
    return name;
}

/** `name` (the shared `dg_base` of the bench and the checks) made when this machine has none. */
export async function ensureDependenciesDb(name, log = console.log) {
    if (await dbExists(name)) return name;
    log(`creating ${name} with the addon dependencies, once (about a minute)`);
    return buildDependenciesDb(name);
}

export async function waitForHttp(url, seconds) {
    for (let i = 0; i < seconds; i++) {
        try {
            const response = await fetch(url);
            if (response.ok) return true;
        } catch {
            // not listening yet
        }
        await new Promise((r) => setTimeout(r, 1000));
    }
    return false;
}

/**
 * Odoo serving `db` alone on `port` in the background, its log in `logFile`; `args` adds options
 * (e.g. `--workers 2`), `env` environment variables. `stop()` ends the whole process group
 * (workers included).
 */
export function startOdoo({ db, port, logFile, args = "", env = {} }) {
    mkdirSync(path.dirname(logFile), { recursive: true });
    const server = spawn(
        "bash",
        [
            "-c",
            `. scripts/odoo-env.sh && exec "$ODOO_PYTHON" "$ODOO_SRC/odoo-bin" ` +
                `--addons-path="$ADDONS_PATH" --data-dir="$ODOO_DATA_DIR" --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" ` +
                `--db_password="$PGPASSWORD" -d ${db} --db-filter='^${db}$' --http-port=${port} ` +
                `--gevent-port=$((${port} + 1000)) --log-level=info ${args} > ${logFile} 2>&1`,
        ],
        { cwd: ROOT, env: { ...process.env, ...env }, stdio: "ignore", detached: true },
    );
    const exited = new Promise((resolve) => server.on("exit", resolve));
    return {
        url: `http://127.0.0.1:${port}`,
        pid: server.pid,
        async stop() {
            try {
                process.kill(-server.pid, "SIGTERM");
            } catch {
                return; // already gone
            }
            const timeout = new Promise((r) => setTimeout(() => r("timeout"), 15000));
            if ((await Promise.race([exited, timeout])) === "timeout") {
                try {
                    process.kill(-server.pid, "SIGKILL");
                } catch {
                    // gone meanwhile
                }
            }
            // workers of a multi-process server leave a moment after their parent
            await new Promise((r) => setTimeout(r, 1500));
        },
    };
}

/** Sums Odoo's `odoo.tests.result` lines; skipped tests of ours count as failures. */
export function parseOdooTestLog(log) {
    let total = 0;
    let failed = 0;
    for (const m of log.matchAll(/(\d+) failed, (\d+) error\(s\) of (\d+) tests/g)) {
        failed += Number(m[1]) + Number(m[2]);
        total += Number(m[3]);
    }
    const skipped = [...log.matchAll(/ skipped (\S+)/g)].map((m) => m[1]);
    return { total, failed, skipped };
}

// `2025-01-01 10:00:00,123 4242 INFO db odoo.addons.sale.tests.test_x: Starting Class.test_y ...`
const LOG_LINE = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d,\d+ \d+ (\w+) \S+ ([\w.]+): (.*)$/;

/**
 * Per-test outcome of an Odoo `--log-level=test` log: for each addon, the tests started and the
 * tests that failed or errored, with the kind (id `addon/tests.test_x: Class.method`; subtests
 * and setUpClass errors as Odoo describes them) and those skipped. `summary` holds Odoo's own
 * `N failed, N error(s) of N tests` lines.
 */
export function parseOdooTestResults(log) {
    const byAddon = new Map();
    const addon = (name) => {
        if (!byAddon.has(name)) {
            byAddon.set(name, { run: new Set(), failed: new Map(), skipped: new Set() });
        }
        return byAddon.get(name);
    };
    for (const line of log.split("\n")) {
        const m = LOG_LINE.exec(line);
        if (!m) continue;
        const [, level, logger, message] = m;
        const kind = /^(Starting|FAIL:|ERROR:|skipped) (.+?)(?: \.\.\.)?$/.exec(message);
        if (!kind) continue;
        // Test lines are logged under the test's module; a class-level error (setUpClass)
        // under odoo.tests.suite, naming the class's module in the description.
        const where =
            /^odoo\.addons\.(\w+)\.(\S+)$/.exec(logger) ||
            /\(odoo\.addons\.(\w+)\.(\S+)\.\w+\)$/.exec(kind[2]);
        if (!where) continue;
        const id = `${where[1]}/${where[2]}: ${kind[2]}`;
        const entry = addon(where[1]);
        if (kind[1] === "Starting" && level === "INFO") entry.run.add(id);
        else if (kind[1] === "skipped") entry.skipped.add(id.replace(/ : .*$/, ""));
        else if (level === "ERROR" && kind[1] !== "Starting")
            entry.failed.set(id, kind[1].slice(0, -1));
    }
    const summary = [...log.matchAll(/(\d+) failed, (\d+) error\(s\) of (\d+) tests/g)].map(
        (m) => ({ failed: Number(m[1]), errors: Number(m[2]), run: Number(m[3]) }),
    );
    return { byAddon, summary };
}
