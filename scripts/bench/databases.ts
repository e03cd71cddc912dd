// The benchmark's databases: `dg_bench_base` (the addon, Odoo's stock dashboard and the bench
// master data, copied from `dg_dev_base` when it exists) and one `dg_bench_<size>` per size with
// the generated volume. Only databases named dg_bench_* are created, changed or dropped.
// DG_BENCH_PREFIX (dg_bench_<something>) names another set, for work trees benching side by
// side on one PostgreSQL.
import { createHash } from "node:crypto";
import { mkdirSync, readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { copyDb, dbExists, dropDb as dropAnyDb, ROOT, sh, shOk } from "../lib/odoo-process.mjs";

export const PREFIX = process.env.DG_BENCH_PREFIX ?? "dg_bench";
if (!/^dg_bench(_[a-z0-9]+)*$/.test(PREFIX)) {
    throw new Error(
        `DG_BENCH_PREFIX must be dg_bench or dg_bench_<letters, digits>, not ${PREFIX}`,
    );
}
export const BASE_DB = `${PREFIX}_base`;
/** Copied (never changed) to make the base quickly: the dependencies without demo data. */
const DEPENDENCIES_TEMPLATE = process.env.DG_BENCH_TEMPLATE ?? "dg_dev_base";
const ADDON_DIR = path.join(
    process.env.DG_ADDON_ROOT ?? path.join(ROOT, "addon"),
    "distribution_governance",
);
export const LOG_DIR = path.join(ROOT, ".tmp", "bench");
const HASH_KEY = "distribution_governance.bench_addon_hash";
const MOVES_KEY = "distribution_governance.bench_moves";
const GENERATED_KEY = "distribution_governance.bench_generation_seconds";

/** Odoo's shell on `db`, reading the Python script from standard input. */
const ODOO_SHELL =
    '"$ODOO_PYTHON" "$ODOO_SRC/odoo-bin" shell --addons-path="$ADDONS_PATH" ' +
    '--data-dir="$ODOO_DATA_DIR" --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" ' +
    '--db_password="$PGPASSWORD" --no-http --log-level=warn';

export type Log = (line: string) => void;

async function run(command: string, what: string, logFile?: string): Promise<string> {
    mkdirSync(LOG_DIR, { recursive: true });
    return (await shOk(command, what, logFile ? { logFile } : {})).out;
}

/** One value (first column of the first row) of a query, as text; "" when there is no row. */
export async function psqlValue(db: string, sql: string): Promise<string> {
    const { code, out } = await sh(`psql -X -d ${db} -Atc "$BENCH_SQL"`, {
        env: { BENCH_SQL: sql },
    });
    if (code !== 0) throw new Error(`query on ${db} failed: ${out.trim()}`);
    return (out.trim().split("\n")[0] ?? "").trim();
}

export async function dropDb(db: string): Promise<void> {
    if (!db.startsWith("dg_bench_")) throw new Error(`refusing to drop ${db}`);
    await dropAnyDb(db);
}

export async function getParam(db: string, key: string): Promise<string> {
    return psqlValue(db, `SELECT value FROM ir_config_parameter WHERE key = '${key}'`);
}

export async function setParam(db: string, key: string, value: string): Promise<void> {
    await psqlValue(
        db,
        `INSERT INTO ir_config_parameter (key, value, create_uid, write_uid, create_date, write_date)
         VALUES ('${key}', '${value}', 1, 1, now() at time zone 'UTC', now() at time zone 'UTC')
         ON CONFLICT (key) DO UPDATE SET value = EXCLUDED.value`,
    );
}

/** What an addon update does not read: a running server serves the assets as they are. */
const NOT_UPDATED = new Set(["__pycache__", "static", "tests", "readme"]);

/** Fingerprint of what an addon update changes in a database (models, views, data, security). */
export function addonHash(): string {
    const hash = createHash("sha1");
    const walk = (dir: string): void => {
        for (const name of readdirSync(dir).sort()) {
            if (NOT_UPDATED.has(name) || name.endsWith(".pyc")) continue;
            const file = path.join(dir, name);
            if (statSync(file).isDirectory()) {
                walk(file);
            } else {
                hash.update(path.relative(ADDON_DIR, file));
                hash.update(readFileSync(file));
            }
        }
    };
    walk(ADDON_DIR);
    return hash.digest("hex").slice(0, 16);
}

/** Fingerprint of the volume generator (master data and SQL). */
export function generatorHash(): string {
    const hash = createHash("sha1");
    for (const file of ["master_data.py", "generate.sql", "governance.sql"]) {
        hash.update(readFileSync(path.join(ROOT, "scripts", "bench", file)));
    }
    return hash.digest("hex").slice(0, 16);
}

/** Brings the addon in `db` up to the code on disk (`-u`) when it changed since last time. */
export async function updateAddon(db: string, log: Log): Promise<void> {
    const hash = addonHash();
    if ((await getParam(db, HASH_KEY)) === hash) return;
    log(`  updating distribution_governance in ${db} (the addon changed)`);
    await run(
        `odoo_bin -d ${db} -u distribution_governance --stop-after-init --log-level=warn --http-port=8075`,
        `update of the addon in ${db}`,
        path.join(LOG_DIR, `update-${db}.log`),
    );
    await setParam(db, HASH_KEY, hash);
}

/** dg_bench_base: the addon and Odoo's warehouse dashboard installed, the bench master data. */
export async function ensureBase(log: Log): Promise<void> {
    if (!(await dbExists(BASE_DB))) {
        const started = performance.now();
        const modules = "distribution_governance,spreadsheet_dashboard_stock_account";
        let install = modules;
        if (await dbExists(DEPENDENCIES_TEMPLATE)) {
            log(`  creating ${BASE_DB} from ${DEPENDENCIES_TEMPLATE}`);
            await copyDb(DEPENDENCIES_TEMPLATE, BASE_DB);
        } else {
            log(
                `  creating ${BASE_DB} with the dependencies (no ${DEPENDENCIES_TEMPLATE}; minutes)`,
            );
            install = `"$DG_DEPENDS",${modules}`;
        }
        await run(
            `odoo_bin -d ${BASE_DB} -i ${install} --without-demo=all --stop-after-init --log-level=warn --http-port=8075`,
            `installation in ${BASE_DB}`,
            path.join(LOG_DIR, "base-install.log"),
        );
        await setParam(BASE_DB, HASH_KEY, addonHash());
        log(`  ${BASE_DB} installed in ${((performance.now() - started) / 1000).toFixed(0)} s`);
    }
    await updateAddon(BASE_DB, log);
    // master_data.py is idempotent: run again when a part of it is missing (the bench users
    // came after the products)
    const missing = `SELECT NOT EXISTS (SELECT 1 FROM product_product WHERE default_code LIKE 'BENCH-P%')
                         OR NOT EXISTS (SELECT 1 FROM res_users WHERE login = 'bench_manager')`;
    if ((await psqlValue(BASE_DB, missing)) === "t") {
        await run(
            `${ODOO_SHELL} -d ${BASE_DB} < scripts/bench/master_data.py`,
            "bench master data",
            path.join(LOG_DIR, "base-master-data.log"),
        );
    }
}

/**
 * Required columns the addon added after generate.sql was written, with the default the ORM
 * gives: column defaults while the volume is generated, dropped after (so a fresh base
 * generates, and the generator, hence the kept databases, stay as they are).
 */
const LATER_REQUIRED: [string, string, string][] = [
    ["sale_order", "dg_price_hold", "'none'"],
    ["sale_order", "dg_urgent_state", "'none'"],
    ["stock_picking", "dg_partial_state", "'none'"],
];

/** generate.sql in `db` (made from the base), with psql variables (moves, exceptions...). */
export async function generateVolume(
    db: string,
    label: string,
    vars: Record<string, number>,
): Promise<string> {
    const columns = async (action: string) => {
        for (const [table, column, value] of LATER_REQUIRED) {
            const exists = await psqlValue(
                db,
                `SELECT 1 FROM information_schema.columns
                  WHERE table_name = '${table}' AND column_name = '${column}'`,
            );
            if (exists) {
                await psqlValue(
                    db,
                    `ALTER TABLE ${table} ALTER COLUMN ${column} ${action.replace("%s", value)}`,
                );
            }
        }
    };
    await columns("SET DEFAULT %s");
    const options = Object.entries(vars)
        .map(([name, value]) => `-v ${name}=${value}`)
        .join(" ");
    const out = await run(
        `psql -X -q -v ON_ERROR_STOP=1 ${options} -d ${db} -f scripts/bench/generate.sql`,
        `generation of ${db}`,
        path.join(LOG_DIR, `generate-${label}.log`),
    );
    await columns("DROP DEFAULT");
    return out;
}

export interface SizeDb {
    db: string;
    moves: number;
    /** Seconds the volume took to generate, now or when the kept database was made. */
    generationSeconds: number;
    reused: boolean;
    /** psql's table of the row counts after generation (empty when reused). */
    counts: string;
}

/** dg_bench_<label> with `moves` generated moves; kept from an earlier run when `reuse`. */
export async function ensureSizeDb(
    label: string,
    moves: number,
    reuse: boolean,
    log: Log,
): Promise<SizeDb> {
    const db = `${PREFIX}_${label}`;
    // a kept database is reused while it has this size made by this generator
    const made = `${moves}:${generatorHash()}`;
    if (reuse && (await dbExists(db)) && (await getParam(db, MOVES_KEY)) === made) {
        await updateAddon(db, log);
        const seconds = Number(await getParam(db, GENERATED_KEY)) || 0;
        log(`  reusing ${db} (generated in ${seconds.toFixed(0)} s when it was made)`);
        return { db, moves, generationSeconds: seconds, reused: true, counts: "" };
    }
    if (await dbExists(db)) await dropDb(db);
    await copyDb(BASE_DB, db);
    log(
        `  generating ${moves.toLocaleString("en")} moves in ${db} (log: .tmp/bench/generate-${label}.log)`,
    );
    const started = performance.now();
    const out = await generateVolume(db, label, { moves });
    const seconds = (performance.now() - started) / 1000;
    await setParam(db, MOVES_KEY, made);
    await setParam(db, GENERATED_KEY, seconds.toFixed(1));
    log(`  generated in ${seconds.toFixed(0)} s`);
    return { db, moves, generationSeconds: seconds, reused: false, counts: out.trim() };
}

/**
 * Runs the KPI snapshot cron once (what the daily cron does: backfill, refresh); seconds it
 * took, or null when the addon has no snapshot model yet.
 */
export async function runSnapshotCron(db: string): Promise<number | null> {
    const script = [
        "import time",
        "model = env.registry.get('distribution.kpi.snapshot') and env['distribution.kpi.snapshot']",
        "if model is None or not hasattr(model, '_cron_snapshot'):",
        "    print('BENCH_SNAPSHOT none')",
        "else:",
        "    started = time.time()",
        "    model._cron_snapshot()",
        "    env.cr.commit()",
        "    print('BENCH_SNAPSHOT %.3f' % (time.time() - started))",
    ].join("\n");
    const out = await run(
        `${ODOO_SHELL} -d ${db} <<'PY'\n${script}\nPY`,
        `snapshot cron in ${db}`,
        path.join(LOG_DIR, `snapshot-${db}.log`),
    );
    const match = /BENCH_SNAPSHOT (\S+)/.exec(out);
    if (!match) throw new Error(`snapshot cron in ${db} printed no result:\n${out.slice(-2000)}`);
    return match[1] === "none" ? null : Number(match[1]);
}
