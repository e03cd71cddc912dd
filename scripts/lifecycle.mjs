#!/usr/bin/env node
// Upgrade and uninstall of distribution_governance on a throw-away database (tier `lifecycle` of
// `npm test`, or alone: `node scripts/lifecycle.mjs [--keep]`).
//
// Installs the addon on a copy of a database with only its dependencies, makes real data in
// `odoo-bin shell` (orders held, released and rejected, exceptions resolved, open and escalated,
// a short pick, an order delivered, invoiced and paid, admin changes to the addon's noupdate
// data), then:
//   upgrade   `-u distribution_governance`: every record of the addon, the orders and the admin
//             changes read the same as before, the audit log still refuses raw SQL changes, and
//             the upgraded workflow still holds and releases;
//   uninstall button_immediate_uninstall: the addon's tables, columns, trigger function, models,
//             xmlids, chatter and crons are gone, and the orders, deliveries and invoices it
//             touched are intact and still usable (the held quotation confirms, ships, is
//             invoiced and paid; a backorder validates; new orders are no longer held).
// Each check prints one line; the steps themselves live in scripts/lifecycle/steps.py, their
// output in .tmp/lifecycle/.
import { mkdirSync, readFileSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import {
    HAS_ODOO,
    ODOO_SRC,
    ROOT,
    buildDependenciesDb,
    copyDb,
    dropDb,
    sh,
} from "./lib/odoo-process.mjs";

const STEPS = path.join(ROOT, "scripts", "lifecycle", "steps.py");
const LOG_DIR = path.join(ROOT, ".tmp", "lifecycle");
// Odoo's log lines at ERROR or CRITICAL level (warnings are allowed).
const ERROR_LINE = /^\d{4}-\d\d-\d\d [\d:,]+ \d+ (ERROR|CRITICAL) .*$/gm;

function errorLines(out) {
    return [...out.matchAll(ERROR_LINE)].map((m) => m[0]);
}

/** Runs one step of steps.py in `odoo-bin shell`: its check lines, its snapshot, its output. */
async function runStep(db, step) {
    const script = `STEP = ${JSON.stringify(step)}\n${readFileSync(STEPS, "utf8")}`;
    const { code, out } = await sh(
        `odoo_bin shell -d ${db} --no-http --log-level=warn <<'DG_LIFECYCLE_EOF'\n${script}\nDG_LIFECYCLE_EOF`,
    );
    const checks = [...out.matchAll(/^DG-CHECK (ok|FAIL) (.*)$/gm)].map((m) => ({
        ok: m[1] === "ok",
        text: m[2],
    }));
    writeFileSync(path.join(LOG_DIR, `${step}.log`), out);
    const snap = /^DG-SNAPSHOT (.*)$/m.exec(out);
    return { code, out, checks, snapshot: snap ? JSON.parse(snap[1]) : null };
}

/** Field-level differences between two snapshots of one key (model, orders, crons...). */
function differences(before, after) {
    const diffs = [];
    const keys = new Set([...Object.keys(before ?? {}), ...Object.keys(after ?? {})]);
    for (const key of keys) {
        const a = before?.[key];
        const b = after?.[key];
        if (JSON.stringify(a) === JSON.stringify(b)) continue;
        if (a && b && typeof a === "object" && typeof b === "object") {
            const fields = Object.keys({ ...a, ...b }).filter(
                (f) => JSON.stringify(a[f]) !== JSON.stringify(b[f]),
            );
            diffs.push(
                `${key}: ${fields.map((f) => `${f} ${JSON.stringify(a[f])} -> ${JSON.stringify(b[f])}`).join(", ")}`,
            );
        } else {
            diffs.push(`${key}: ${JSON.stringify(a)} -> ${JSON.stringify(b)}`);
        }
    }
    return diffs;
}

/**
 * The lifecycle checks on database `db`, made as a copy of `baseDb` (dependencies only) and
 * dropped at the end unless `keep`. Resolves with { passed, failed }.
 */
export async function runLifecycle({ baseDb, db, keep = false, log = console.log }) {
    let passed = 0;
    let failed = 0;
    const report = (ok, text, detail = "") => {
        if (ok) passed++;
        else failed++;
        log(`  ${ok ? "ok  " : "FAIL"} ${text}${detail ? ` -- ${detail}` : ""}`);
        return ok;
    };
    const step = async (name, label) => {
        const t0 = Date.now();
        const result = await runStep(db, name);
        for (const c of result.checks) report(c.ok, c.text);
        const errors = errorLines(result.out);
        const ok = report(
            result.code === 0 && !errors.length,
            `${label} (${Math.round((Date.now() - t0) / 1000)} s)`,
            result.code !== 0 ? `exit ${result.code}` : errors.slice(0, 3).join(" | "),
        );
        if (!ok) log(result.out.slice(-3000));
        return result;
    };
    const odoo = async (file, args, label) => {
        const t0 = Date.now();
        const { code, out } = await sh(
            `odoo_bin -d ${db} ${args} --stop-after-init --log-level=warn`,
        );
        writeFileSync(path.join(LOG_DIR, `${file}.log`), out);
        const errors = errorLines(out);
        const ok = report(
            code === 0 && !errors.length,
            `${label} (${Math.round((Date.now() - t0) / 1000)} s)`,
            code !== 0 ? `exit ${code}` : errors.slice(0, 3).join(" | "),
        );
        if (!ok) log(out.slice(-3000));
        return ok;
    };

    mkdirSync(LOG_DIR, { recursive: true });
    await dropDb(db);
    await copyDb(baseDb, db);
    try {
        if (!(await odoo("install", "-i distribution_governance --without-demo=all", "install"))) {
            return { passed, failed };
        }
        const seeded = await step("seed", "seed data through the ORM, snapshot");
        if (seeded.code !== 0) return { passed, failed };
        const before = seeded.snapshot;
        if (
            !(await odoo(
                "upgrade",
                "-u distribution_governance",
                "upgrade: -u distribution_governance",
            ))
        ) {
            return { passed, failed };
        }
        const upgraded = await step("after_upgrade", "checks after the upgrade");
        const after = upgraded.snapshot;
        if (before && after) {
            for (const key of Object.keys(before)) {
                const diffs = differences(before[key], after[key]);
                const count = Object.keys(before[key] ?? {}).length;
                report(
                    !diffs.length,
                    `upgrade: ${key} unchanged (${count} ${count === 1 ? "entry" : "entries"})`,
                    diffs.slice(0, 5).join("; "),
                );
            }
            const audit = Object.keys(before["distribution.audit.log"] ?? {}).length;
            report(
                audit >= 5,
                `upgrade: the audit log holds the seeded decisions (${audit} entries)`,
            );
        } else {
            report(false, "upgrade: snapshots taken before and after");
        }
        await step("uninstall", "uninstall: button_immediate_uninstall");
        await step("after_uninstall", "checks after the uninstall");
    } finally {
        if (!keep) await dropDb(db);
    }
    return { passed, failed };
}

async function main() {
    if (!HAS_ODOO) {
        console.log(`No Odoo 18.0 source at ${ODOO_SRC}`);
        process.exit(1);
    }
    const keep = process.argv.includes("--keep");
    const id = `${Date.now().toString(36)}${process.pid}`;
    let baseDb = process.env.DG_TEST_BASE_DB;
    if (!baseDb) {
        baseDb = `dg_life_base_${id}`;
        console.log(`creating ${baseDb} with the addon dependencies (about two minutes)`);
        await buildDependenciesDb(baseDb);
    }
    const t0 = Date.now();
    let result;
    try {
        result = await runLifecycle({ baseDb, db: `dg_life_${id}`, keep });
    } finally {
        if (baseDb !== process.env.DG_TEST_BASE_DB) await dropDb(baseDb);
    }
    console.log(
        `lifecycle: ${result.passed} passed, ${result.failed} failed (${Math.round((Date.now() - t0) / 1000)} s)`,
    );
    process.exit(result.failed ? 1 : 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    await main();
}
