#!/usr/bin/env node
// `npm run regression`: does installing distribution_governance break Odoo's own flows?
//
// Runs the test suites of the addons we extend (sale, sale_stock, purchase_stock, stock, account)
// twice, on two databases with the same starting state: `dg_reg_base` with only the addon's
// dependencies installed, and `dg_reg_addon`, a copy of it with distribution_governance installed
// too; then prints both tallies per suite and the tests that fail only with the addon.
//
// Only the post_install tests are compared: test tags `post_install/<suite>` (Odoo's selector
// is `[-][tag][/module][:class][.method]`; `/sale:post_install` would name a test class).
// At_install tests of a dependency run while that dependency is being installed, before our
// addon exists; running them again against an already-installed stack replays their module's
// install-time setup on a database where our addon has since added columns (NOT NULL ones among
// them, e.g. the credit hold state on sale.order) that their raw inserts know nothing of, so the
// difference would not mean what it says. Post_install tests run against the complete registry,
// exactly like a customer's database with the addon installed.
//
// Demo data is off on both databases (as in `npm test`): Odoo 18's suites build their own
// records; the few that rely on settings demo data turns on (lots and serials, variants) fail
// on both sides, and `--demo` runs them on databases with demo data. Everything runs at nice 10
// (the machine is shared) and one after the other; HttpCase tests use port 8079. The logs are
// written to .tmp/regression/ as the runs go (`tail -f` them).
//
//   node scripts/regression.mjs [--suites sale,stock] [--reuse] [--filter Class[.method]]
//                               [--only base|addon]
//
// --suites   comma-separated subset of the suites, in the order given (default: all, account last)
// --reuse    keep both databases afterwards and reuse them when they exist (else they are dropped)
// --filter   run only this test class / method of each suite (to confirm a fix)
// --only     run one side only (with --reuse, to re-run the addon side after fixing the addon:
//            then `-u distribution_governance` is applied to dg_reg_addon first); the other side
//            is read from the log its last run left in .tmp/regression/
// --demo     the same on databases with demo data (dg_reg_demo_*): some tests of Odoo's only
//            pass with the settings its demo data turns on (lots and serials, variants)
// DG_ADDON_ROOT (scripts/odoo-env.sh) points at another copy of the addon folder, e.g. a snapshot
// of a commit (`git archive HEAD addon | tar -x -C /tmp/snap`) while the work tree changes.
// DG_TEST_BASE_DB names a database with the dependencies installed to copy instead of building
// one (about two minutes); it is never modified.
import { existsSync, mkdirSync, readFileSync } from "node:fs";
import os from "node:os";
import path from "node:path";
import { parseArgs } from "node:util";
import {
    HAS_ODOO,
    ODOO_SRC,
    ROOT,
    buildDependenciesDb,
    copyDb,
    dbExists,
    dropDb,
    parseOdooTestResults,
    sh,
    shOk,
} from "./lib/odoo-process.mjs";

const SUITES = ["sale", "sale_stock", "purchase_stock", "stock", "account"];

const PORT = process.env.DG_REG_PORT || "8079";
const LOG_DIR = path.join(ROOT, ".tmp", "regression");

const { values: opts } = parseArgs({
    options: {
        suites: { type: "string" },
        reuse: { type: "boolean", default: false },
        filter: { type: "string" },
        only: { type: "string" },
        demo: { type: "boolean", default: false },
    },
});
const BASE_DB = opts.demo ? "dg_reg_demo_base" : "dg_reg_base";
const ADDON_DB = opts.demo ? "dg_reg_demo_addon" : "dg_reg_addon";
const DEMO = opts.demo ? "" : "--without-demo=all";

function elapsed(ms) {
    if (ms === null) return "from the log of its last run";
    const s = Math.round(ms / 1000);
    return s >= 60 ? `${Math.floor(s / 60)} min ${String(s % 60).padStart(2, "0")} s` : `${s} s`;
}

async function prepareDatabases() {
    const haveBase = opts.reuse && (await dbExists(BASE_DB));
    const haveAddon = opts.reuse && (await dbExists(ADDON_DB));
    if (!haveBase) {
        await dropDb(BASE_DB);
        const template = opts.demo ? null : process.env.DG_TEST_BASE_DB;
        if (opts.demo) {
            console.log(`creating ${BASE_DB} with the addon dependencies and their demo data`);
            await shOk(
                `odoo_bin -d ${BASE_DB} -i "$DG_DEPENDS" --stop-after-init --log-level=warn`,
                `database ${BASE_DB}`,
            );
        } else if (template) {
            console.log(`creating ${BASE_DB} as a copy of ${template}`);
            await copyDb(template, BASE_DB);
        } else {
            console.log(`creating ${BASE_DB} with the addon dependencies (about two minutes)`);
            await buildDependenciesDb(BASE_DB);
        }
    }
    if (!haveAddon || !haveBase) {
        // Copied before any test ran on the base, so both start from the same state.
        await dropDb(ADDON_DB);
        console.log(`creating ${ADDON_DB}: ${BASE_DB} + distribution_governance`);
        await copyDb(BASE_DB, ADDON_DB);
        await shOk(
            `odoo_bin -d ${ADDON_DB} -i distribution_governance ${DEMO} --stop-after-init --log-level=warn`,
            "install of distribution_governance",
        );
    } else if (opts.only === "addon") {
        console.log(`updating distribution_governance in ${ADDON_DB}`);
        await shOk(
            `odoo_bin -d ${ADDON_DB} -u distribution_governance --stop-after-init --log-level=warn`,
            "update of distribution_governance",
        );
    }
}

/** One suite on one database: tallies from Odoo's summary, failing ids from its test lines. */
async function runSuite(suite, db) {
    const method = opts.filter ? `:${opts.filter}` : "";
    const tags = `post_install/${suite}${method}`;
    const t0 = Date.now();
    const logFile = path.join(LOG_DIR, `${suite}-${db}.log`);
    const { code, out } = await sh(
        `"$ODOO_PYTHON" "$ODOO_SRC/odoo-bin" --addons-path="$ADDONS_PATH" ` +
            `--data-dir="$ODOO_DATA_DIR" --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" ` +
            `--db_password="$PGPASSWORD" -d ${db} --test-tags '${tags}' --stop-after-init ` +
            `--http-port=${PORT} --gevent-port=$((${PORT} + 1000)) --max-cron-threads=0 --log-level=test`,
        { logFile },
    );
    return { ...resultOf(suite, out), ms: Date.now() - t0, code };
}

/** Tallies from Odoo's summary line, failing test ids from its per-test lines. */
function resultOf(suite, out) {
    const { byAddon, summary } = parseOdooTestResults(out);
    const own = byAddon.get(suite) || { run: new Set(), failed: new Map(), skipped: new Set() };
    const total = summary.at(-1);
    const failedIds = [...own.failed.entries()];
    return {
        crashed: !total,
        run: total ? total.run : own.run.size,
        failed: total ? total.failed : failedIds.filter(([, k]) => k === "FAIL").length,
        errors: total ? total.errors : failedIds.filter(([, k]) => k === "ERROR").length,
        skipped: own.skipped.size,
        failing: own.failed,
        tail: out.slice(-3000),
    };
}

function tally(r) {
    if (r.crashed) return "CRASHED (no test summary)";
    return `${r.run} run, ${r.failed} failed, ${r.errors} errors, ${r.skipped} skipped`;
}

async function main() {
    if (!HAS_ODOO) {
        console.log(`No Odoo 18.0 source at ${ODOO_SRC}; nothing to compare.`);
        process.exit(1);
    }
    const suites = opts.suites ? opts.suites.split(",").map((s) => s.trim()) : SUITES;
    const unknown = suites.filter((s) => !SUITES.includes(s));
    if (unknown.length) {
        console.log(`unknown suite(s): ${unknown.join(", ")} (choose from ${SUITES.join(", ")})`);
        process.exit(2);
    }
    if (opts.only && !["base", "addon"].includes(opts.only)) {
        console.log("--only takes base or addon");
        process.exit(2);
    }
    // nice 10 for this script and every Odoo it starts: the machine is shared
    os.setPriority(Math.max(os.getPriority(), 10));
    mkdirSync(LOG_DIR, { recursive: true });
    console.log(`distribution_governance from ${process.env.DG_ADDON_ROOT || "addon/"}`);
    const started = Date.now();
    const results = [];
    try {
        await prepareDatabases();
        for (const suite of suites) {
            const row = { suite };
            for (const [side, db] of [
                ["base", BASE_DB],
                ["addon", ADDON_DB],
            ]) {
                const previous = path.join(LOG_DIR, `${suite}-${db}.log`);
                if (opts.only && opts.only !== side) {
                    // the other side as its last run left it, when there is one
                    if (existsSync(previous)) {
                        row[side] = {
                            ...resultOf(suite, readFileSync(previous, "utf8")),
                            ms: null,
                        };
                    }
                    continue;
                }
                console.log(`\n== ${suite} on ${db}`);
                row[side] = await runSuite(suite, db);
                console.log(`   ${tally(row[side])} in ${elapsed(row[side].ms)}`);
                if (row[side].crashed) console.log(row[side].tail);
            }
            results.push(row);
        }
    } finally {
        if (!opts.reuse) {
            await dropDb(ADDON_DB);
            await dropDb(BASE_DB);
        }
    }

    let regressions = 0;
    console.log("\n== regression comparison (post_install tests)");
    for (const { suite, base, addon } of results) {
        console.log(`\n${suite}`);
        if (base) console.log(`  without addon: ${tally(base)}  (${elapsed(base.ms)})`);
        if (addon) console.log(`  with addon:    ${tally(addon)}  (${elapsed(addon.ms)})`);
        if (!addon) continue;
        if (addon.crashed) regressions++;
        const onlyWith = [...addon.failing.entries()].filter(([id]) => !base?.failing.has(id));
        const inBoth = [...addon.failing.keys()].filter((id) => base?.failing.has(id));
        regressions += onlyWith.length;
        if (base) {
            console.log(
                onlyWith.length
                    ? `  failing only with the addon (${onlyWith.length}):`
                    : "  failing only with the addon: none",
            );
        } else {
            console.log(`  failing with the addon (${onlyWith.length}):`);
        }
        for (const [id, kind] of onlyWith) console.log(`    ${kind} ${id}`);
        if (inBoth.length) console.log(`  failing on both (not ours): ${inBoth.length}`);
        for (const id of inBoth) console.log(`    ${id}`);
        if (base && !base.crashed && !addon.crashed && base.run !== addon.run) {
            console.log(`  NOTE: ${base.run} tests ran without the addon, ${addon.run} with it`);
        }
    }
    console.log(
        `\nlogs in ${path.relative(ROOT, LOG_DIR)}/, ${elapsed(Date.now() - started)} in all`,
    );
    console.log(`${regressions} test(s) failing only with distribution_governance`);
    process.exit(regressions ? 1 : 0);
}

await main();
