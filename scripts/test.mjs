#!/usr/bin/env node
// `npm test`: every tier in order — static, unit, odoo, lifecycle, e2e — each printing
// `N passed, N failed`, and the total on the last line. `npm test -- unit odoo` runs some tiers.
// Odoo tiers run on throw-away databases (dg_test_*, dg_life_*), never on the demo database.
import { existsSync, readFileSync, rmSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { runUnit } from "../tests/unit/run.mjs";
import {
    HAS_ODOO,
    ODOO_SRC,
    ROOT,
    buildDependenciesDb,
    copyDb as copyDbFrom,
    dropDb,
    parseOdooTestLog,
    sh,
    startOdoo,
    waitForHttp,
} from "./lib/odoo-process.mjs";
import { runLifecycle } from "./lifecycle.mjs";

const REQUIRE_ODOO = process.env.REQUIRE_ODOO === "1";
const RUN_ID = `${Date.now().toString(36)}${process.pid}`;
const TEST_HTTP_PORT = process.env.DG_TEST_PORT || "8071";
const E2E_PORT = process.env.DG_E2E_PORT || "8070";

function skippedTier(name) {
    const line = `SKIPPED: ${name} tier — no Odoo 18.0 source at ${ODOO_SRC} (see shared/odoo-runtime.md)`;
    console.log(`\n${"!".repeat(line.length)}\n${line}\n${"!".repeat(line.length)}`);
    return REQUIRE_ODOO ? { passed: 0, failed: 1 } : { passed: 0, failed: 0, skipped: 1 };
}

// ---------------------------------------------------------------- static

// docker-compose.yml checked by Compose itself where it is installed (scripts/setup-odoo and
// .ci/run install it); without it, its YAML and structure (every service has an image, every
// named volume is declared), saying so.
const COMPOSE_CHECK = `if docker compose version >/dev/null 2>&1; then docker compose config -q
elif command -v docker-compose >/dev/null; then docker-compose config -q
else echo "docker-compose is not installed: checking docker-compose.yml without it"
"$ODOO_PYTHON" -c 'import yaml
c = yaml.safe_load(open("docker-compose.yml"))
declared = set(c.get("volumes") or {})
for name, service in c["services"].items():
    assert service.get("image"), name + " has no image"
    for volume in service.get("volumes") or []:
        source = volume.split(":")[0]
        assert source.startswith((".", "/")) or source in declared, source + " is not declared"'
fi`;

// Debian's flake8 (complexity limit and per-file ignores in .flake8); scripts/setup-odoo and
// .ci/run install it. Missing, it fails: a lint that silently does not run proves nothing.
const FLAKE8_CHECK = `if command -v flake8 >/dev/null; then flake8
else echo "flake8 is not installed: scripts/setup-odoo installs it (Debian package flake8)"; exit 1
fi`;

async function tierStatic() {
    const checks = [
        ["typecheck", "npx tsc --noEmit"],
        ["eslint", "npx eslint ."],
        ["prettier", "npx prettier --check ."],
        ["build --check", "node build.mjs --check"],
        [
            "python compile",
            '"$ODOO_PYTHON" -m compileall -q addon/distribution_governance scripts/lifecycle',
        ],
        ["python lint (flake8)", FLAKE8_CHECK],
        [
            "xml well-formed",
            `"$ODOO_PYTHON" -c 'import sys, xml.etree.ElementTree as ET
for f in sys.argv[1:]: ET.parse(f)' $(find addon static-src tests/tours -name '*.xml')`,
        ],
        ["docker compose config", COMPOSE_CHECK],
    ];
    let passed = 0;
    let failed = 0;
    for (const [name, command] of checks) {
        const { code, out } = await sh(command);
        if (code === 0) {
            passed++;
            console.log(`  ok   ${name}`);
        } else {
            failed++;
            console.log(`  FAIL ${name}\n${out.trim().split("\n").slice(-25).join("\n")}`);
        }
    }
    return { passed, failed };
}

// ---------------------------------------------------------------- odoo

let baseDb = null;
// DG_TEST_BASE_DB names an existing database with only the dependencies installed, to reuse
// across runs while developing; it is copied, never modified or dropped.
const KEEP_BASE = process.env.DG_TEST_BASE_DB || null;

/** A database with only the addon's dependencies installed, copied for each Odoo tier. */
async function ensureBaseDb() {
    if (baseDb) return baseDb;
    if (KEEP_BASE) return (baseDb = KEEP_BASE);
    const name = `dg_test_base_${RUN_ID}`;
    console.log(`  creating ${name} with the addon dependencies (about two minutes)`);
    await buildDependenciesDb(name);
    baseDb = name;
    return name;
}

async function copyDb(name) {
    return copyDbFrom(await ensureBaseDb(), name);
}

async function tierOdoo() {
    if (!HAS_ODOO) return skippedTier("odoo");
    const db = await copyDb(`dg_test_odoo_${RUN_ID}`);
    try {
        const { code, out } = await sh(
            `odoo_bin -d ${db} -i distribution_governance --test-enable --test-tags /distribution_governance ` +
                `--stop-after-init --without-demo=all --http-port=${TEST_HTTP_PORT} --log-level=test`,
        );
        const { total, failed, skipped } = parseOdooTestLog(out);
        for (const line of out.split("\n")) {
            if (/ (ERROR|CRITICAL) /.test(line) || /^(FAIL|ERROR):/.test(line))
                console.log(`  ${line}`);
        }
        for (const name of skipped)
            console.log(`  FAIL skipped (a skipped test proves nothing): ${name}`);
        const broken = new Set([...out.matchAll(/: (?:FAIL|ERROR): (\S+)/g)].map((m) => m[1]));
        for (const m of out.matchAll(/Starting (\S+) \.\.\./g)) {
            console.log(`  ${broken.has(m[1]) ? "FAIL" : "ok  "} ${m[1]}`);
        }
        let bad = failed + skipped.length;
        if (total === 0 || code !== 0) {
            bad += bad ? 0 : 1;
            console.log(`  FAIL odoo-bin exited ${code} after ${total} tests\n${out.slice(-4000)}`);
        }
        return { passed: Math.max(total - failed - skipped.length, 0), failed: bad };
    } finally {
        await dropDb(db);
    }
}

// ---------------------------------------------------------------- e2e

async function tierE2e() {
    if (!HAS_ODOO) return skippedTier("e2e");
    const db = await copyDb(`dg_test_e2e_${RUN_ID}`);
    const logFile = path.join(ROOT, ".tmp", "e2e", "odoo.log");
    rmSync(path.dirname(logFile), { recursive: true, force: true });
    const server = startOdoo({ db, port: E2E_PORT, logFile });
    const url = server.url;
    try {
        if (!(await waitForHttp(`${url}/web/health`, 120))) {
            console.log(`  FAIL Odoo did not start on ${url}`);
            return { passed: 0, failed: 1 };
        }
        const { code, out } = await sh("npx playwright test -c tests/e2e/playwright.config.ts", {
            echo: true,
            env: { DG_E2E_URL: url, DG_E2E_DB: db },
        });
        const report = path.join(ROOT, ".tmp", "e2e", "results.json");
        if (!existsSync(report)) {
            console.log(`  FAIL no Playwright report (exit ${code})\n${out.slice(-2000)}`);
            return { passed: 0, failed: 1 };
        }
        const { stats } = JSON.parse(readFileSync(report, "utf8"));
        const failed = stats.unexpected + stats.flaky + (code !== 0 && !stats.unexpected ? 1 : 0);
        return { passed: stats.expected, failed, skipped: stats.skipped };
    } finally {
        await server.stop();
        await dropDb(db);
    }
}

// ---------------------------------------------------------------- lifecycle

async function tierLifecycle() {
    if (!HAS_ODOO) return skippedTier("lifecycle");
    return runLifecycle({ baseDb: await ensureBaseDb(), db: `dg_life_${RUN_ID}` });
}

// ---------------------------------------------------------------- main

const TIERS = {
    static: tierStatic,
    unit: () => runUnit(),
    odoo: tierOdoo,
    lifecycle: tierLifecycle,
    e2e: tierE2e,
};

async function main() {
    const wanted = process.argv.slice(2).filter((a) => a in TIERS);
    const names = wanted.length ? wanted : Object.keys(TIERS);
    let passed = 0;
    let failed = 0;
    const started = Date.now();
    try {
        for (const name of names) {
            console.log(`\n== ${name}`);
            const t0 = Date.now();
            let result;
            try {
                result = await TIERS[name]();
            } catch (error) {
                console.log(`  FAIL ${name} tier crashed: ${error.stack || error}`);
                result = { passed: 0, failed: 1 };
            }
            passed += result.passed;
            failed += result.failed;
            const skipped = result.skipped ? `, ${result.skipped} skipped` : "";
            console.log(
                `${name}: ${result.passed} passed, ${result.failed} failed${skipped} (${Math.round((Date.now() - t0) / 1000)} s)`,
            );
        }
    } finally {
        if (baseDb && baseDb !== KEEP_BASE) await dropDb(baseDb);
    }
    console.log(`\nall tiers in ${Math.round((Date.now() - started) / 1000)} s`);
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    await main();
}
