// `npm run bench`: the warehouse KPI dashboard at 100k, 1M and 5M stock moves. For each size it
// makes dg_bench_<size> (generated volume, snapshot cron run once), starts Odoo on :8075 and
// prints the dashboard RPC's p50/p95 (as admin, and as a sales rep whose record rules narrow
// some KPIs: the live path), the SQL floor, one read_group per KPI, at 1M each card against an
// independent SQL count over seeded random filters (exactness), render time in
// Chromium beside Odoo's warehouse dashboard; then the exceptions and approvals screens at
// 100,000 exceptions and 5,000 pending approvals (kanban, grouped list, systray, a held order's
// form) as a manager and as a sales rep; then the floor capture call (issue 15) as a warehouse
// user; then growth, bundle size and the issues' targets; then the triage suggestions' accuracy
// and latency on their own database (issue 16, scripts/bench/triage.ts); then the addon's cost on
// Odoo's hot paths, with and without it (issue 17, scripts/bench/overhead.ts: 500 confirmations,
// 500 validations, 5,000 move writes; --skip-overhead leaves it out).
// Benchmarks print numbers; they never fail on a threshold.
//   npm run bench -- --sizes 100k,1m --runs 20 --reuse --skip-render
//   npm run bench -- --only triage --reuse
//   npm run bench -- --only overhead --reuse
import { spawn } from "node:child_process";
import { readdirSync, readFileSync, statSync } from "node:fs";
import path from "node:path";
import { parseArgs } from "node:util";
import { gzipSync } from "node:zlib";
import { ROOT, startOdoo, waitForHttp, type OdooServer } from "./lib/odoo-process.mjs";
import {
    dropDb,
    ensureBase,
    ensureSizeDb,
    LOG_DIR,
    psqlValue,
    runSnapshotCron,
    type SizeDb,
} from "./bench/databases";
import { checkExactness, describeFilter, type ExactnessResult } from "./bench/exactness";
import { JsonRpcSession } from "./bench/json-rpc";
import {
    readGroupSpecs,
    shiftDay,
    timeDashboard,
    timeFloor,
    timeReadGroups,
    type DashboardTiming,
    type ReadGroupTiming,
    type Stats,
} from "./bench/measure";
import { timeRender, type RenderTiming, type ServedBundle, type Target } from "./bench/render";
import { FLOOR_TARGET_MS, timeFloorCapture, type FloorTiming } from "./bench/floor";
import { SCREENS, timeScreens, type BenchUser, type ScreenTiming } from "./bench/screens";
import { benchTriage, triageTargets, type TriageResult } from "./bench/triage";

const { values } = parseArgs({
    options: {
        sizes: { type: "string", default: "100k,1m,5m" },
        runs: { type: "string", default: "20" },
        "render-runs": { type: "string", default: "5" },
        reuse: { type: "boolean", default: false },
        "skip-render": { type: "boolean", default: false },
        port: { type: "string", default: "8075" },
        seed: { type: "string", default: "13" },
        exactness: { type: "string", default: "20" },
        "floor-runs": { type: "string", default: "60" },
        only: { type: "string", default: "" },
        "skip-overhead": { type: "boolean", default: false },
        "triage-runs": { type: "string", default: "100" },
    },
});

const PORT = Number(values.port);
const RUNS = Math.max(1, Number(values.runs));
const READ_GROUP_RUNS = Math.min(RUNS, 5);
const RENDER_RUNS = Math.max(1, Number(values["render-runs"]));
const SEED = Number(values.seed) >>> 0;
const EXACTNESS_FILTERS = Math.max(0, Number(values.exactness));
const FLOOR_RUNS = Math.max(1, Number(values["floor-runs"]));
const TARGET_SIZE = 1_000_000;
const ADDON_ACTION = "distribution_governance.action_kpi_dashboard";
const ODOO_DASHBOARD_XMLID =
    "spreadsheet_dashboard_stock_account.spreadsheet_dashboard_warehouse_metrics";

function log(line: string): void {
    console.log(line);
}

/** "100k" -> 100000, "1m" -> 1000000, "250000" -> 250000. */
function parseSize(label: string): number {
    const match = /^(\d+(?:\.\d+)?)([km]?)$/i.exec(label.trim());
    if (!match) throw new Error(`--sizes: "${label}" is not a size like 100k, 1m or 250000`);
    const factor = { "": 1, k: 1_000, m: 1_000_000 }[(match[2] ?? "").toLowerCase()] ?? 1;
    return Math.round(Number(match[1]) * factor);
}

const ms = (value: number): string => `${value.toFixed(1)} ms`;
const kb = (bytes: number): string => `${(bytes / 1024).toFixed(1)} KB`;
const pad = (text: string, width: number): string => text.padEnd(width);

// ------------------------------------------------------------------ bundle

/** Gzipped size (level 9) of the addon's built JS, CSS and XML, the files web.assets_backend adds. */
function addonAssetsGzip(): { files: number; raw: number; gzip: number } {
    const dir = path.join(ROOT, "addon", "distribution_governance", "static", "src");
    const chunks: Buffer[] = [];
    const walk = (folder: string): void => {
        for (const name of readdirSync(folder).sort()) {
            const file = path.join(folder, name);
            if (statSync(file).isDirectory()) walk(file);
            else if (/\.(js|css|xml)$/.test(name)) chunks.push(readFileSync(file));
        }
    };
    walk(dir);
    const all = Buffer.concat(chunks);
    return { files: chunks.length, raw: all.length, gzip: gzipSync(all, { level: 9 }).length };
}

// ------------------------------------------------------------------ one size

interface SizeResult {
    label: string;
    moves: number;
    sizeDb: SizeDb;
    rows: { pickings: number; orders: number; moves: number };
    snapshotSeconds: number | null;
    dailySeconds: number | null;
    dashboard: DashboardTiming;
    dashboard7: DashboardTiming;
    /** The 28 closed days before today: the history alone, from the snapshots. */
    closed: DashboardTiming;
    /** The dashboard as a sales rep whose record rules narrow some KPIs (the live path). */
    narrowed: DashboardTiming;
    floor: Stats;
    readGroups: ReadGroupTiming[];
    render: RenderTiming[] | null;
    served: ServedBundle | null;
    /** The exceptions and approvals screens (null without the governance volume). */
    screens: ScreenTiming[] | null;
    governance: string;
    /** The cards against the independent SQL (at 1M only; null elsewhere). */
    exactness: ExactnessResult | null;
    /** The floor capture call (issue 15); null when it failed. */
    floorCapture: FloorTiming | null;
}

const REP_LOGIN = "bench_rep";

/**
 * A sales rep limited to his own documents, owning a fifth of the orders and customer invoices
 * (made once, idempotent): his record rules narrow the order, line, invoice and approval KPIs,
 * which the dashboard then computes live with his rules. [login, password].
 */
async function ensureRep(admin: JsonRpcSession, db: string): Promise<[string, string]> {
    const found = await admin.call<number[]>("res.users", "search", [[["login", "=", REP_LOGIN]]]);
    if (!found.length) {
        const group = Number(
            await psqlValue(
                db,
                `SELECT res_id FROM ir_model_data
                  WHERE module = 'sales_team' AND name = 'group_sale_salesman'`,
            ),
        );
        await admin.call("res.users", "create", [
            {
                name: "Bench Rep",
                login: REP_LOGIN,
                password: REP_LOGIN,
                groups_id: [[6, 0, [group]]],
            },
        ]);
    }
    const rep = Number(
        await psqlValue(db, `SELECT id FROM res_users WHERE login = '${REP_LOGIN}'`),
    );
    await psqlValue(
        db,
        `UPDATE sale_order SET user_id = ${rep} WHERE id % 5 = 0 AND user_id IS DISTINCT FROM ${rep}`,
    );
    await psqlValue(
        db,
        `UPDATE sale_order_line l SET salesman_id = o.user_id FROM sale_order o
          WHERE o.id = l.order_id AND l.salesman_id IS DISTINCT FROM o.user_id`,
    );
    await psqlValue(
        db,
        `UPDATE account_move SET invoice_user_id = ${rep}
          WHERE move_type IN ('out_invoice', 'out_refund') AND id % 5 = 0
            AND invoice_user_id IS DISTINCT FROM ${rep}`,
    );
    return [REP_LOGIN, REP_LOGIN];
}

/**
 * The users the exceptions and approvals screens are timed as, each with a held order of
 * theirs to open: the manager (exception manager and credit approver) one whose request he may
 * decide, the rep one he sells. Null when the database has no governance volume.
 */
async function governanceUsers(db: string): Promise<BenchUser[] | null> {
    const id = async (login: string) =>
        Number(await psqlValue(db, `SELECT id FROM res_users WHERE login = '${login}'`)) || 0;
    const manager = await id("bench_manager");
    const rep = await id(REP_LOGIN);
    if (!manager || !rep) return null;
    const managerOrder = Number(
        await psqlValue(
            db,
            `SELECT o.id FROM sale_order o
               JOIN distribution_approval_request r
                 ON r.sale_order_id = o.id AND r.state = 'pending'
              WHERE o.dg_credit_hold = 'on_hold' AND o.user_id != ${manager}
                AND o.create_uid != ${manager} AND r.requester_id != ${manager}
                AND NOT EXISTS (SELECT 1 FROM distribution_approval_request_changed_by_rel c
                                 WHERE c.request_id = r.id AND c.user_id = ${manager})
              ORDER BY o.id DESC LIMIT 1`,
        ),
    );
    const repOrder = Number(
        await psqlValue(
            db,
            `SELECT id FROM sale_order WHERE dg_credit_hold = 'on_hold' AND user_id = ${rep}
              ORDER BY id DESC LIMIT 1`,
        ),
    );
    if (!managerOrder || !repOrder) return null;
    return [
        { role: "manager", login: "bench_manager", heldOrderId: managerOrder },
        { role: "sales rep", login: REP_LOGIN, heldOrderId: repOrder },
    ];
}

async function startServer(db: string): Promise<OdooServer> {
    if (await waitForHttp(`http://127.0.0.1:${PORT}/web/health`, 1)) {
        throw new Error(`something already answers on port ${PORT}; stop it or pass --port`);
    }
    const server = startOdoo({
        db,
        port: PORT,
        logFile: path.join(LOG_DIR, `odoo-${db}.log`),
        // one threaded server, no cron thread competing with the measures
        args: `--workers 0 --max-cron-threads 0 --gevent-port=${PORT + 1} --log-level=warn`,
    });
    if (!(await waitForHttp(`${server.url}/web/health`, 180))) {
        await server.stop();
        throw new Error(`Odoo did not start on ${server.url} (log: .tmp/bench/odoo-${db}.log)`);
    }
    return server;
}

async function renderTargets(rpc: JsonRpcSession): Promise<Target[]> {
    const [module, name] = ODOO_DASHBOARD_XMLID.split(".") as [string, string];
    const found = await rpc.call<{ res_id: number }[]>("ir.model.data", "search_read", [
        [
            ["module", "=", module],
            ["name", "=", name],
        ],
        ["res_id"],
    ]);
    const dashboardId = found[0]?.res_id;
    const targets: Target[] = [
        {
            name: "KPI dashboard (distribution_governance)",
            path: `/odoo/action-${ADDON_ACTION}`,
            ready: ".o_dg_kpi .o_dg_kpi_card",
            notReady: ".o_dg_kpi_skeleton, .o_dg_kpi_error, .o_dg_kpi .o_dg_kpi_loading",
        },
    ];
    if (dashboardId) {
        targets.push({
            name: "Warehouse Metrics (spreadsheet_dashboard_stock_account)",
            path: `/odoo/action-spreadsheet_dashboard.ir_actions_dashboard_action?dashboard_id=${dashboardId}`,
            ready: ".o_spreadsheet_dashboard_action .o_renderer .o-spreadsheet",
            notReady: ".o_spreadsheet_dashboard_action .dashboard-loading-status",
            check: async (page) => {
                const active = await page
                    .locator(".o_search_panel_category_value.active .o_dashboard_name")
                    .first()
                    .textContent();
                const sample = await page.locator(".o-sample-dashboard").count();
                if (!active?.includes("Warehouse"))
                    return `opened "${active ?? "?"}", not Warehouse Metrics`;
                return sample ? "Odoo showed its sample dashboard (no stock data)" : null;
            },
        });
    }
    return targets;
}

async function benchSize(label: string, moves: number): Promise<SizeResult> {
    log(`\n== ${label}: ${moves.toLocaleString("en")} stock moves`);
    const sizeDb = await ensureSizeDb(label, moves, values.reuse ?? false, log);
    if (sizeDb.counts) log(sizeDb.counts.replace(/^/gm, "  "));
    const db = sizeDb.db;
    const count = async (table: string) =>
        Number(await psqlValue(db, `SELECT count(*) FROM ${table}`));
    const rows = {
        moves: await count("stock_move"),
        pickings: await count("stock_picking"),
        orders: await count("sale_order"),
    };
    // the first run backfills the snapshot days, the next one is what the daily cron costs
    const snapshotSeconds = await runSnapshotCron(db);
    const dailySeconds = snapshotSeconds === null ? null : await runSnapshotCron(db);
    log(
        snapshotSeconds === null || dailySeconds === null
            ? "  snapshot cron: none (no distribution.kpi.snapshot model)"
            : `  snapshot cron: ${snapshotSeconds.toFixed(1)} s (first run: backfill, or refresh of a kept database), ` +
                  `${dailySeconds.toFixed(1)} s (next run: the daily cost)`,
    );
    const server = await startServer(db);
    try {
        const rpc = await JsonRpcSession.login(server.url, db, "admin", "admin");
        const dashboard = await timeDashboard(rpc, "last_28_days", RUNS);
        const dashboard7 = await timeDashboard(rpc, "last_7_days", RUNS);
        for (const timing of [dashboard, dashboard7]) {
            const call = `get_kpi_dashboard({period: "${timing.preset}"})`;
            log(
                `  dashboard RPC ${call}: p50 ${ms(timing.stats.p50)}, p95 ${ms(timing.stats.p95)} ` +
                    `(${timing.stats.runs} runs after warm-up, answer ${kb(timing.bytes)})`,
            );
        }
        // the 28 days before today: every day closed, nothing of the day's volume read live
        const closedTo = shiftDay(dashboard.period.dateTo, -1);
        const closed = await timeDashboard(rpc, "custom", RUNS, 3, {
            period: "custom",
            date_from: shiftDay(closedTo, -27),
            date_to: closedTo,
        });
        log(
            `  dashboard RPC over the 28 closed days before today (custom period ${closed.period.dateFrom}..` +
                `${closed.period.dateTo}: the history only, no day computed live): p50 ${ms(closed.stats.p50)}, ` +
                `p95 ${ms(closed.stats.p95)}`,
        );
        const repRpc = await JsonRpcSession.login(server.url, db, ...(await ensureRep(rpc, db)));
        const narrowed = await timeDashboard(repRpc, "last_28_days", RUNS);
        log(
            `  dashboard RPC as a sales rep limited to his own documents (a fifth of the orders ` +
                `and invoices; his rules narrow 4 KPIs, computed live with them): ` +
                `p50 ${ms(narrowed.stats.p50)}, p95 ${ms(narrowed.stats.p95)}`,
        );
        const floor = await timeFloor(db, dashboard.period, dashboard.companyIds, RUNS);
        log(
            `  SQL floor (one statement over ${dashboard.period.dateFrom}..${dashboard.period.dateTo}): ` +
                `p50 ${ms(floor.stats.p50)}, p95 ${ms(floor.stats.p95)}`,
        );
        log(floor.row.replace(/^/gm, "    "));
        const readGroups = await timeReadGroups(
            rpc,
            readGroupSpecs(dashboard.kpis, dashboard.period),
            READ_GROUP_RUNS,
        );
        log(
            `  standard way, one read_group per KPI over the same period, value and daily series ` +
                `(p50 of ${READ_GROUP_RUNS}, one after the other):`,
        );
        for (const { spec, stats, error } of readGroups) {
            log(
                `    ${pad(spec.key, 28)} ${pad(spec.model, 30)} ${pad(stats ? ms(stats.p50) : "error", 11)}` +
                    (spec.note ? ` ${spec.note}` : "") +
                    (error ? ` ${error}` : ""),
            );
        }
        const total = readGroupTotal(readGroups);
        log(
            `    ${pad("total", 59)} ${pad(ms(total), 11)} = ${(total / dashboard.stats.p50).toFixed(1)}× the dashboard's p50`,
        );
        const exactness =
            moves === TARGET_SIZE && EXACTNESS_FILTERS
                ? await checkExactness(rpc, db, SEED, EXACTNESS_FILTERS)
                : null;
        if (exactness) logExactness(exactness);
        let render: RenderTiming[] | null = null;
        let served: ServedBundle | null = null;
        if (!values["skip-render"]) {
            const result = await timeRender(server.url, db, await renderTargets(rpc), RENDER_RUNS);
            render = result.timings;
            served = result.bundle;
            log(
                `  render in Chromium, navigation to rendered (median of ${RENDER_RUNS}, after a warm-up):`,
            );
            for (const { target, stats, error } of render) {
                log(`    ${pad(target.name, 58)} ${stats ? ms(stats.p50) : `error: ${error}`}`);
            }
        }
        const users = await governanceUsers(db);
        const governance = await psqlValue(
            db,
            `SELECT format('%s exceptions, %s open, %s pending approvals',
                           (SELECT count(*) FROM distribution_exception),
                           (SELECT count(*) FROM distribution_exception
                             WHERE state IN ('new', 'in_progress')),
                           (SELECT count(*) FROM distribution_approval_request
                             WHERE state = 'pending'))`,
        );
        let screens: ScreenTiming[] | null = null;
        if (users) {
            screens = await timeScreens(server.url, db, users, RUNS);
            log(
                `  exceptions and approvals screens (${governance}), each screen's calls as ` +
                    `the web client makes them, replayed over JSON-RPC one after the other ` +
                    `(p50/p95 of ${RUNS} after warm-up; p50 of each call):`,
            );
            for (const timing of screens) logScreen(timing);
        } else {
            log("  exceptions and approvals screens: not measured (no bench users or held orders)");
        }
        // last: its captures open exceptions (removed after), which the screens above count
        let floorCapture: FloorTiming | null = null;
        try {
            floorCapture = await timeFloorCapture(server.url, db, rpc, FLOOR_RUNS);
            const { capture, dedup, transfers } = floorCapture;
            log(
                `  floor capture RPC floor_capture(payload) as a warehouse user (${transfers} open ` +
                    `transfers, one damaged-goods capture each with a fresh client id, after 5 ` +
                    `warm-up; its exceptions removed after): p50 ${ms(capture.p50)}, ` +
                    `p95 ${ms(capture.p95)} (target p50 ≤ ${FLOOR_TARGET_MS} ms); the same ` +
                    `client ids again (dedup): p50 ${ms(dedup.p50)}, p95 ${ms(dedup.p95)}`,
            );
        } catch (error) {
            log(
                `  floor capture RPC: not measured (${error instanceof Error ? error.message : String(error)})`,
            );
        }
        return {
            label,
            moves,
            sizeDb,
            rows,
            snapshotSeconds,
            dailySeconds,
            dashboard,
            dashboard7,
            closed,
            narrowed,
            floor: floor.stats,
            readGroups,
            render,
            served,
            screens,
            governance,
            exactness,
            floorCapture,
        };
    } finally {
        await server.stop();
        if (!values.reuse) await dropDb(db);
    }
}

function logScreen({ spec, role, stats, calls, error }: ScreenTiming): void {
    const head = `    ${pad(role, 10)} ${pad(spec.name, 50)}`;
    if (!stats) {
        log(`${head} error: ${error ?? "?"}`);
        return;
    }
    log(`${head} p50 ${pad(ms(stats.p50), 10)} p95 ${ms(stats.p95)}`);
    for (const call of calls) log(`        ${pad(ms(call.p50), 10)} ${call.label}`);
}

function logExactness(result: ExactnessResult): void {
    log(
        `  exactness: ${result.filters.length} random filters (seed ${result.seed}; --seed to ` +
            `change it), each card's count and value against an independent SQL count ` +
            `(scripts/bench/exactness.ts): ${result.cards} cards, ` +
            `${result.mismatches.length} mismatches`,
    );
    for (const filter of result.filters) log(`    ${describeFilter(filter)}`);
    for (const m of result.mismatches) {
        log(
            `    MISMATCH ${describeFilter(m.filter)} ${m.key} ${m.what}: ` +
                `card ${String(m.card)}, SQL ${String(m.sql)}`,
        );
    }
    if (result.unchecked.length) log(`    no SQL for: ${result.unchecked.join(", ")}`);
}

function readGroupTotal(readGroups: ReadGroupTiming[]): number {
    return readGroups.reduce((sum, r) => sum + (r.stats?.p50 ?? 0), 0);
}

// ------------------------------------------------------------------ report

function verdict(met: boolean | null): string {
    return met === null ? "not measured" : met ? "target met" : "target NOT met";
}

function renderRatio(result: SizeResult): { ours: number; odoo: number } | null {
    const ours = result.render?.[0]?.stats?.p50;
    const odoo = result.render?.[1]?.stats?.p50;
    return ours !== undefined && odoo !== undefined ? { ours, odoo } : null;
}

function report(results: SizeResult[]): void {
    log("\n== growth");
    log(
        `  ${pad("size", 6)} ${pad("moves", 11)} ${pad("pickings", 9)} ${pad("generated", 10)} ` +
            `${pad("RPC p50", 11)} ${pad("RPC p95", 11)} ${pad("floor p50", 11)} ${pad("read_group Σ", 13)} ` +
            `${pad("×floor", 7)} ${pad("×faster", 8)} ${pad("rep p50", 11)} render ours / Odoo`,
    );
    for (const r of results) {
        const ratio = renderRatio(r);
        log(
            `  ${pad(r.label, 6)} ${pad(r.rows.moves.toLocaleString("en"), 11)} ${pad(r.rows.pickings.toLocaleString("en"), 9)} ` +
                `${pad(`${r.sizeDb.generationSeconds.toFixed(0)} s`, 10)} ${pad(ms(r.dashboard.stats.p50), 11)} ` +
                `${pad(ms(r.dashboard.stats.p95), 11)} ${pad(ms(r.floor.p50), 11)} ` +
                `${pad(ms(readGroupTotal(r.readGroups)), 13)} ` +
                `${pad((r.dashboard.stats.p50 / r.floor.p50).toFixed(1), 7)} ` +
                `${pad((readGroupTotal(r.readGroups) / r.dashboard.stats.p50).toFixed(1), 8)} ` +
                `${pad(ms(r.narrowed.stats.p50), 11)} ` +
                (ratio ? `${ratio.ours.toFixed(0)} / ${ratio.odoo.toFixed(0)} ms` : "-"),
        );
    }
    // growth of the p50 between consecutive sizes: p50 ∝ moves^exponent, sub-linear below 1
    const steps: { text: string; short: string; exponent: number }[] = [];
    for (let i = 1; i < results.length; i++) {
        const a = results[i - 1]!;
        const b = results[i]!;
        const timeRatio = b.dashboard.stats.p50 / a.dashboard.stats.p50;
        const moveRatio = b.rows.moves / a.rows.moves;
        const exponent = Math.log(timeRatio) / Math.log(moveRatio);
        steps.push({
            text:
                `${a.label}→${b.label}: p50 ×${timeRatio.toFixed(2)} for ×${moveRatio.toFixed(1)} ` +
                `moves (exponent ${exponent.toFixed(2)}; 1 is linear)`,
            short: `×${timeRatio.toFixed(1)} for ×${moveRatio.toFixed(0)}`,
            exponent,
        });
    }
    const sublinear = steps.length ? steps.every((step) => step.exponent < 1) : null;
    for (const step of steps) log(`  ${step.text}`);

    const assets = addonAssetsGzip();
    log("\n== bundle");
    log(
        `  the addon's ${assets.files} built JS/CSS/XML files in web.assets_backend: ${kb(assets.raw)} raw, ` +
            `${kb(assets.gzip)} gzipped (-9)`,
    );
    const served = results.find((r) => r.served)?.served;
    if (served) {
        log(
            `  the backend bundles Odoo serves (web.assets_web js+css), gzipped: ${kb(served.gzipBytes)}; ` +
                `the addon is ${((assets.gzip / served.gzipBytes) * 100).toFixed(1)} % of it`,
        );
    }

    const at = results.find((r) => r.moves === TARGET_SIZE) ?? results[results.length - 1];
    if (!at) return;
    const where = at.moves === TARGET_SIZE ? "1M" : `${at.label} (no 1M run)`;
    const p50 = at.dashboard.stats.p50;
    const total = readGroupTotal(at.readGroups);
    const ratio = renderRatio(at);
    const rows: [string, string, boolean | null][] = [
        [`dashboard p50 at ${where} ≤ 250 ms`, ms(p50), p50 <= 250],
        [
            `≤ 2× the SQL floor at ${where}`,
            `${(p50 / at.floor.p50).toFixed(1)}× (${ms(p50)} / ${ms(at.floor.p50)})`,
            p50 <= 2 * at.floor.p50,
        ],
        [
            `≥ 5× faster than one read_group per KPI`,
            `${(total / p50).toFixed(1)}× (${ms(total)} / ${ms(p50)})`,
            total >= 5 * p50,
        ],
        [
            `sub-linear growth ${results.map((r) => r.label).join("→")}`,
            steps.length ? steps.map((step) => step.short).join(", ") : "one size only",
            sublinear,
        ],
        [
            `rendered in ≤ ½ of Odoo's warehouse dashboard`,
            ratio
                ? `${(ratio.ours / ratio.odoo).toFixed(2)} (${ms(ratio.ours)} / ${ms(ratio.odoo)})`
                : "-",
            ratio ? ratio.ours <= ratio.odoo / 2 : null,
        ],
        [`≤ 30 KB gzipped added to web.assets_backend`, kb(assets.gzip), assets.gzip <= 30 * 1024],
    ];
    log(`\n== targets (issue), measured at ${where}`);
    for (const [target, measured, met] of rows) {
        log(`  ${pad(target, 48)} ${pad(measured, 34)} ${verdict(met)}`);
    }
    reportScreens(results);
    reportFlat(results);
    reportFloor(results);
}

/** Issue 15's target for the capture call, at 1M (or the last size measured). */
function reportFloor(results: SizeResult[]): void {
    const at = results.find((r) => r.moves === TARGET_SIZE) ?? results[results.length - 1];
    if (!at) return;
    const p50 = at.floorCapture?.capture.p50;
    log(`\n== targets (issue 15: floor capture), measured at ${at.label}`);
    log(
        `  ${pad(`capture call p50 ≤ ${FLOOR_TARGET_MS} ms`, 48)} ` +
            `${pad(p50 === undefined ? "-" : ms(p50), 44)} ` +
            verdict(p50 === undefined ? null : p50 <= FLOOR_TARGET_MS),
    );
}

/** Issue 13's targets: flat with history (1M against 5M in this run), the narrowed path, exactness. */
function reportFlat(results: SizeResult[]): void {
    const one = results.find((r) => r.moves === TARGET_SIZE);
    const five = results.find((r) => r.moves === 5 * TARGET_SIZE);
    const p50 = (r: SizeResult | undefined) => r?.dashboard.stats.p50;
    const a = p50(one);
    const b = p50(five);
    const total = one ? readGroupTotal(one.readGroups) : undefined;
    const narrowed = one?.narrowed.stats.p50;
    const exact = one?.exactness;
    const rows: [string, string, boolean | null][] = [
        [
            "5M p50 ≤ 1.3× 1M p50 (this run)",
            a !== undefined && b !== undefined
                ? `${(b / a).toFixed(2)}× (${ms(b)} / ${ms(a)})`
                : "-",
            a !== undefined && b !== undefined ? b <= 1.3 * a : null,
        ],
        ["1M p50 ≤ 120 ms", a !== undefined ? ms(a) : "-", a !== undefined ? a <= 120 : null],
        ["5M p50 ≤ 150 ms", b !== undefined ? ms(b) : "-", b !== undefined ? b <= 150 : null],
        [
            "≥ 5× faster than one read_group per KPI at 1M",
            a !== undefined && total !== undefined
                ? `${(total / a).toFixed(1)}× (${ms(total)} / ${ms(a)})`
                : "-",
            a !== undefined && total !== undefined ? total >= 5 * a : null,
        ],
        [
            "narrowed rules (sales rep) at 1M p50 ≤ 500 ms",
            narrowed !== undefined ? ms(narrowed) : "-",
            narrowed !== undefined ? narrowed <= 500 : null,
        ],
        [
            "exactness at 1M: 0 mismatches",
            exact
                ? `${exact.mismatches.length} in ${exact.cards} cards, ${exact.filters.length} filters (seed ${exact.seed})`
                : "-",
            exact ? exact.mismatches.length === 0 && exact.cards > 0 : null,
        ],
    ];
    log("\n== targets (issue 13: flat with history, narrowed path, exactness)");
    for (const [target, measured, met] of rows) {
        log(`  ${pad(target, 48)} ${pad(measured, 44)} ${verdict(met)}`);
    }
    const closedA = one?.closed.stats.p50;
    const closedB = five?.closed.stats.p50;
    if (closedA !== undefined && closedB !== undefined) {
        // the generated volume grows per day, not only in history: 5M has five times 1M's
        // activity today, whose hours over a period ending today reads from their snapshots
        log(
            `  (the 28 closed days before today, history only: 5M ${ms(closedB)} / 1M ${ms(closedA)} ` +
                `= ${(closedB / closedA).toFixed(2)}×; the period ending today also reads today: ` +
                `its hours over from their snapshots, the rest of the day live)`,
        );
    }
}

/** Issue 12's targets for the exceptions and approvals screens, at the first size measured. */
function reportScreens(results: SizeResult[]): void {
    const at = results.find((r) => r.screens);
    if (!at?.screens) return;
    log(
        `\n== targets (issue 12: exceptions and approvals), server time p50 at ${at.label} (${at.governance})`,
    );
    for (const spec of SCREENS) {
        for (const timing of at.screens.filter((t) => t.spec === spec)) {
            const p50 = timing.stats?.p50;
            log(
                `  ${pad(`${spec.name} as ${timing.role} ≤ ${spec.targetMs} ms`, 72)} ` +
                    `${pad(p50 === undefined ? "-" : ms(p50), 12)} ` +
                    verdict(p50 === undefined ? null : p50 <= spec.targetMs),
            );
        }
    }
}

/** Issue 16's targets: the triage model against its baselines, the suggestion's latency. */
function reportTriage(result: TriageResult | null): void {
    if (!result) return;
    log(`\n== targets (issue 16: triage), on ${result.db}`);
    for (const [target, measured, met] of triageTargets(result)) {
        log(`  ${pad(target, 56)} ${pad(measured, 36)} ${verdict(met)}`);
    }
}

/** Issue 17's hot paths: scripts/bench/overhead.ts in a child process (it prints its table). */
async function benchOverhead(): Promise<void> {
    log("\n== the addon's cost on Odoo's hot paths (issue 17), scripts/bench/overhead.ts");
    const args = ["tsx", "scripts/bench/overhead.ts", ...(values.reuse ? ["--reuse"] : [])];
    const code = await new Promise<number | null>((resolve) => {
        const child = spawn("npx", args, { cwd: ROOT, stdio: "inherit" });
        child.on("close", resolve);
        child.on("error", () => resolve(null));
    });
    if (code !== 0) log(`  overhead FAILED (exit ${String(code)})`);
}

async function main(): Promise<void> {
    const only = values.only ?? "";
    if (only && only !== "triage" && only !== "overhead") {
        throw new Error(`--only: "${only}" is neither "triage" nor "overhead"`);
    }
    const labels = only ? [] : (values.sizes ?? "").split(",").filter(Boolean);
    const sizes = labels.map((label) => ({ label: label.toLowerCase(), moves: parseSize(label) }));
    const started = performance.now();
    log(
        (only
            ? `bench: the ${only} measure only`
            : `bench: sizes ${labels.join(", ")}; ${RUNS} RPC runs, ${READ_GROUP_RUNS} per read_group, ` +
              (values["skip-render"] ? "no render" : `${RENDER_RUNS} renders`)) +
            `; Odoo on :${PORT}; databases ${values.reuse ? "kept (--reuse)" : "dropped after each size"}`,
    );
    await ensureBase(log);
    const results: SizeResult[] = [];
    for (const { label, moves } of sizes) {
        try {
            results.push(await benchSize(label, moves));
        } catch (error) {
            log(`  ${label} FAILED: ${error instanceof Error ? error.message : String(error)}`);
        }
    }
    let triage: TriageResult | null = null;
    if (only !== "overhead")
        try {
            triage = await benchTriage({
                port: PORT,
                runs: Math.max(1, Number(values["triage-runs"])),
                reuse: values.reuse ?? false,
                split: 0.8,
                maxTest: 0,
                log,
            });
        } catch (error) {
            log(`  triage FAILED: ${error instanceof Error ? error.message : String(error)}`);
        }
    if (!only) report(results);
    reportTriage(triage);
    if (only === "overhead" || (!only && !values["skip-overhead"])) await benchOverhead();
    log(`\nbench done in ${((performance.now() - started) / 60000).toFixed(1)} min`);
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? (error.stack ?? error.message) : error);
    process.exit(1);
});
