// Issue 16's offline measure of the triage suggestions, on their own database
// `dg_bench_triage`: dg_bench_base with generate.sql's volume at 100k moves and 140,000
// exceptions (about 105,000 resolved), whose resolution history triage.sql gives the structure
// and noise of a distributor's (see its comments), and the triage feature columns filled as the
// addon computes them. Then:
//   - the model's accuracy, trained on the older 80 % of the resolved history (by detection
//     time) and tested on the newer 20 %: distribution.exception._dg_triage_evaluate(company,
//     split_at) in an Odoo shell (a private method: no RPC), top-1 and top-3 for the playbook and
//     the owner beside the majority class of the type, the expected hours' mean absolute error
//     beside the type's median;
//   - the latency of get_triage_suggestion over JSON-RPC, one open exception per call (each
//     call a different one), as the exception manager and as a sales rep limited to his orders,
//     and the same calls timed inside the server (Odoo shell, caches cleared before each) to tell
//     the RPC's overhead from the computation.
// Part of `npm run bench` (and `npm run bench -- --only triage`); alone:
//   npx tsx scripts/bench/triage.ts [--port 8075] [--runs 100] [--reuse] [--split 0.8]
//                                   [--max-test N: evaluate N test cases evenly spread; all]
//                                   [--skip-eval: the latency only]
// Benchmarks print numbers; they never fail on a threshold.
import { readFileSync } from "node:fs";
import { availableParallelism, loadavg } from "node:os";
import { createHash } from "node:crypto";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import { copyDb, dbExists, ROOT, sh, startOdoo, waitForHttp } from "../lib/odoo-process.mjs";
import {
    BASE_DB,
    dropDb,
    ensureBase,
    generateVolume,
    generatorHash,
    getParam,
    LOG_DIR,
    PREFIX,
    psqlValue,
    setParam,
    updateAddon,
    type Log,
} from "./databases";
import { JsonRpcSession } from "./json-rpc";
import { stats, type Stats } from "./measure";

export const TRIAGE_TARGET_MS = 20;
export const TRIAGE_DB = `${PREFIX}_triage`;
const MOVES = 100_000;
/** 120,000 closed, 88 % of them resolved: over 100,000 resolved exceptions. */
const EXCEPTIONS = 140_000;
const MADE_KEY = "distribution_governance.bench_triage";
const GENERATED_KEY = "distribution_governance.bench_generation_seconds";

const ODOO_SHELL =
    '"$ODOO_PYTHON" "$ODOO_SRC/odoo-bin" shell --addons-path="$ADDONS_PATH" ' +
    '--data-dir="$ODOO_DATA_DIR" --db_host="$PGHOST" --db_port="$PGPORT" --db_user="$PGUSER" ' +
    '--db_password="$PGPASSWORD" --no-http --log-level=warn';

export interface Evaluation {
    n_train: number;
    n_test: number;
    playbook_top1: number;
    playbook_top3: number;
    owner_top1: number;
    owner_top3: number;
    playbook_baseline: number;
    owner_baseline: number;
    hours_mae: number;
    hours_baseline_mae: number;
}

export interface LatencyTiming {
    role: string;
    login: string;
    /** Open exceptions the user may read, the calls cycle over. */
    exceptions: number;
    rpc: Stats | null;
    server: Stats | null;
    bases: Record<string, number>;
    error?: string;
}

export interface TriageResult {
    db: string;
    generationSeconds: number;
    resolved: number;
    open: number;
    splitAt: string;
    evaluation: Evaluation | null;
    evaluationSeconds: number | null;
    evaluationError?: string;
    latency: LatencyTiming[];
}

const USERS: [string, string][] = [
    ["manager", "bench_manager"],
    ["sales rep", "bench_rep"],
];

function triageHash(): string {
    const hash = createHash("sha1");
    for (const file of ["triage.sql", "triage_features.sql"]) {
        hash.update(readFileSync(path.join(ROOT, "scripts", "bench", file)));
    }
    return hash.digest("hex").slice(0, 16);
}

async function psqlFile(db: string, file: string, what: string, logName: string): Promise<string> {
    const { code, out } = await sh(
        `psql -X -q -v ON_ERROR_STOP=1 -d ${db} -f scripts/bench/${file}`,
        { logFile: path.join(LOG_DIR, logName) },
    );
    if (code !== 0) throw new Error(`${what} failed:\n${out.slice(-2000)}`);
    return out;
}

/**
 * dg_bench_triage, made once per generator and triage.sql (kept with `reuse`): the volume, the
 * structured history, the feature columns (filled again after an addon update added them).
 */
export async function ensureTriageDb(
    reuse: boolean,
    log: Log,
): Promise<{ db: string; seconds: number }> {
    const db = TRIAGE_DB;
    const made = `${MOVES}:${EXCEPTIONS}:${generatorHash()}:${triageHash()}`;
    if (reuse && (await dbExists(db)) && (await getParam(db, MADE_KEY)) === made) {
        await updateAddon(db, log);
        await psqlFile(db, "triage_features.sql", "triage features", `triage-features-${db}.log`);
        const seconds = Number(await getParam(db, GENERATED_KEY)) || 0;
        log(`  reusing ${db} (made in ${seconds.toFixed(0)} s)`);
        return { db, seconds };
    }
    if (await dbExists(db)) await dropDb(db);
    await copyDb(BASE_DB, db);
    log(
        `  generating ${db}: ${MOVES.toLocaleString("en")} moves, ` +
            `${EXCEPTIONS.toLocaleString("en")} exceptions, then the resolution history ` +
            `(logs: .tmp/bench/generate-triage.log, .tmp/bench/triage-${db}.log)`,
    );
    const started = performance.now();
    await generateVolume(db, "triage", { moves: MOVES, exceptions: EXCEPTIONS });
    await psqlFile(db, "triage.sql", "triage history", `triage-${db}.log`);
    const seconds = (performance.now() - started) / 1000;
    await setParam(db, MADE_KEY, made);
    await setParam(db, GENERATED_KEY, seconds.toFixed(1));
    log(`  made in ${seconds.toFixed(0)} s`);
    return { db, seconds };
}

/** The Python run in an Odoo shell: the evaluation, then the server-side latency per user. */
function shellScript(splitAt: string, runs: number, maxTest: number, evaluate: boolean): string {
    return `
import json, random, time
from datetime import datetime
Exc = env['distribution.exception']
company = env['res.company'].search([], order='id', limit=1)
split_at = datetime.fromisoformat(${JSON.stringify(splitAt)})
if not ${evaluate ? "True" : "False"}:
    print('BENCH_EVAL ' + json.dumps({'error': 'skipped (--skip-eval)'}))
elif not hasattr(Exc, '_dg_triage_evaluate'):
    print('BENCH_EVAL ' + json.dumps({'error': 'no _dg_triage_evaluate in the addon'}))
else:
    started = time.perf_counter()
    try:
        extra = {'max_test': ${maxTest}} if ${maxTest} else {}
        result = Exc._dg_triage_evaluate(company, split_at, **extra)
        print('BENCH_EVAL ' + json.dumps({'result': result, 'seconds': time.perf_counter() - started}, default=str))
    except Exception as error:
        print('BENCH_EVAL ' + json.dumps({'error': repr(error)}))
    env.cr.rollback()
for login in ${JSON.stringify(USERS.map(([, login]) => login))}:
    user = env['res.users'].search([('login', '=', login)])
    if not hasattr(Exc, 'get_triage_suggestion') or not user:
        print('BENCH_SERVER ' + json.dumps({'login': login, 'error': 'no get_triage_suggestion or no user'}))
        continue
    mine = Exc.with_user(user).with_company(company)
    ids = mine.search([('state', 'in', ('new', 'in_progress')), ('company_id', '=', company.id)]).ids
    random.Random(16).shuffle(ids)
    chosen = ids[:${runs} + 5]
    times, bases = [], {}
    try:
        for n, exception_id in enumerate(chosen):
            env.invalidate_all()
            started = time.perf_counter()
            answer = mine.get_triage_suggestion([exception_id])
            elapsed = (time.perf_counter() - started) * 1000
            if n >= 5:
                times.append(elapsed)
            for item in answer:
                bases[item.get('basis')] = bases.get(item.get('basis'), 0) + 1
        print('BENCH_SERVER ' + json.dumps({'login': login, 'ids': chosen, 'times': times, 'bases': bases, 'readable': len(ids)}))
    except Exception as error:
        print('BENCH_SERVER ' + json.dumps({'login': login, 'ids': chosen, 'error': repr(error)}))
    env.cr.rollback()
`;
}

interface ServerLine {
    login: string;
    ids?: number[];
    times?: number[];
    bases?: Record<string, number>;
    readable?: number;
    error?: string;
}

async function startServer(db: string, port: number) {
    if (await waitForHttp(`http://127.0.0.1:${port}/web/health`, 1)) {
        throw new Error(`something already answers on port ${port}; stop it or pass --port`);
    }
    const server = startOdoo({
        db,
        port,
        logFile: path.join(LOG_DIR, `odoo-${db}.log`),
        args: `--workers 0 --max-cron-threads 0 --gevent-port=${port + 1} --log-level=warn`,
    });
    if (!(await waitForHttp(`${server.url}/web/health`, 180))) {
        await server.stop();
        throw new Error(`Odoo did not start on ${server.url} (log: .tmp/bench/odoo-${db}.log)`);
    }
    return server;
}

export interface TriageOptions {
    port: number;
    runs: number;
    reuse: boolean;
    /** Share of the resolved history (oldest first, by detection) trained on. */
    split: number;
    /** Test cases evaluated, evenly spread over the newer part (0: all of them). */
    maxTest: number;
    /** False: the latency only. */
    evaluate?: boolean;
    log: Log;
}

export async function benchTriage(options: TriageOptions): Promise<TriageResult> {
    const { port, runs, reuse, split, maxTest, log } = options;
    log(`\n== triage suggestions (issue 16): ${TRIAGE_DB}`);
    await ensureBase(log);
    const { db, seconds } = await ensureTriageDb(reuse, log);
    const count = async (where: string) =>
        Number(await psqlValue(db, `SELECT count(*) FROM distribution_exception WHERE ${where}`));
    const resolved = await count("state = 'resolved' AND resolution_id IS NOT NULL");
    const open = await count("state IN ('new', 'in_progress')");
    const splitAt = await psqlValue(
        db,
        `SELECT to_char(percentile_disc(${split}) WITHIN GROUP (ORDER BY detected_at),
                        'YYYY-MM-DD"T"HH24:MI:SS')
           FROM distribution_exception WHERE state = 'resolved' AND resolution_id IS NOT NULL`,
    );
    log(
        `  ${resolved.toLocaleString("en")} resolved exceptions, ${open.toLocaleString("en")} open; ` +
            `trained on those resolved before ${splitAt} UTC (the oldest ${Math.round(split * 100)} % ` +
            `by detection), tested on those detected from then on`,
    );
    const result: TriageResult = {
        db,
        generationSeconds: seconds,
        resolved,
        open,
        splitAt,
        evaluation: null,
        evaluationSeconds: null,
        latency: [],
    };
    try {
        const { code, out } = await sh(
            `${ODOO_SHELL} -d ${db} <<'PY'\n${shellScript(splitAt, runs, maxTest, options.evaluate ?? true)}\nPY`,
            { logFile: path.join(LOG_DIR, `triage-shell-${db}.log`) },
        );
        const evalLine = /^BENCH_EVAL (.*)$/m.exec(out)?.[1];
        if (code !== 0 || !evalLine) {
            throw new Error(`the Odoo shell printed no evaluation:\n${out.slice(-2000)}`);
        }
        const evaluation = JSON.parse(evalLine) as {
            result?: Evaluation;
            seconds?: number;
            error?: string;
        };
        result.evaluation = evaluation.result ?? null;
        result.evaluationSeconds = evaluation.seconds ?? null;
        if (evaluation.error) result.evaluationError = evaluation.error;
        const servers = [...out.matchAll(/^BENCH_SERVER (.*)$/gm)].map(
            (m) => JSON.parse(m[1] ?? "{}") as ServerLine,
        );
        logEvaluation(result, log);
        const server = await startServer(db, port);
        try {
            for (const [role, login] of USERS) {
                const line = servers.find((s) => s.login === login);
                result.latency.push(await timeRpc(server.url, db, role, login, line, runs));
            }
        } finally {
            await server.stop();
        }
        log(
            `  get_triage_suggestion([id]), one open exception per call, each call another one ` +
                `(p50/p95 of ${runs} after 5 warm-up; inside the server: the same calls in an ` +
                `Odoo shell, caches cleared before each; load average ` +
                `${loadavg()
                    .map((n) => n.toFixed(1))
                    .join(" ")} on ${availableParallelism()} cores):`,
        );
        for (const timing of result.latency) logLatency(timing, log);
    } finally {
        if (!reuse) await dropDb(db);
    }
    return result;
}

async function timeRpc(
    url: string,
    db: string,
    role: string,
    login: string,
    line: ServerLine | undefined,
    runs: number,
): Promise<LatencyTiming> {
    const timing: LatencyTiming = {
        role,
        login,
        exceptions: line?.readable ?? 0,
        rpc: null,
        server: line?.times?.length ? stats(line.times) : null,
        bases: line?.bases ?? {},
    };
    if (line?.error) timing.error = `in the server: ${line.error}`;
    const ids = line?.ids ?? [];
    if (!ids.length) {
        timing.error ??= "no open exception to time";
        return timing;
    }
    try {
        const rpc = await JsonRpcSession.login(url, db, login, login);
        const times: number[] = [];
        for (let n = 0; n < runs + 5; n++) {
            const id = ids[n % ids.length]!;
            const { ms } = await rpc.callTimed("distribution.exception", "get_triage_suggestion", [
                [id],
            ]);
            if (n >= 5) times.push(ms);
        }
        timing.rpc = stats(times);
    } catch (error) {
        timing.error = error instanceof Error ? error.message : String(error);
    }
    return timing;
}

const pct = (value: number | undefined): string =>
    value === undefined || value === null ? "-" : `${(value * 100).toFixed(1)} %`;
const hrs = (value: number | undefined): string =>
    value === undefined || value === null ? "-" : `${value.toFixed(1)} h`;
const ms = (value: number): string => `${value.toFixed(1)} ms`;

function logEvaluation(result: TriageResult, log: Log): void {
    const e = result.evaluation;
    if (!e) {
        log(`  evaluation: not measured (${result.evaluationError ?? "?"})`);
        return;
    }
    log(
        `  _dg_triage_evaluate: ${e.n_train.toLocaleString("en")} trained on, ` +
            `${e.n_test.toLocaleString("en")} tested, in ` +
            `${result.evaluationSeconds === null ? "?" : result.evaluationSeconds.toFixed(1)} s`,
    );
    log(
        `    ${"".padEnd(10)} ${"top-1".padEnd(9)} ${"top-3".padEnd(9)} baseline (type's majority)`,
    );
    log(
        `    ${"playbook".padEnd(10)} ${pct(e.playbook_top1).padEnd(9)} ${pct(e.playbook_top3).padEnd(9)} ` +
            pct(e.playbook_baseline),
    );
    log(
        `    ${"owner".padEnd(10)} ${pct(e.owner_top1).padEnd(9)} ${pct(e.owner_top3).padEnd(9)} ` +
            pct(e.owner_baseline),
    );
    log(
        `    expected hours: mean absolute error ${hrs(e.hours_mae)}; the type's median: ` +
            hrs(e.hours_baseline_mae),
    );
}

function logLatency(t: LatencyTiming, log: Log): void {
    const bases = Object.entries(t.bases)
        .map(([basis, n]) => `${n} ${basis}`)
        .join(", ");
    const rpc = t.rpc ? `p50 ${ms(t.rpc.p50)}, p95 ${ms(t.rpc.p95)}` : "-";
    const server = t.server ? `p50 ${ms(t.server.p50)}, p95 ${ms(t.server.p95)}` : "-";
    log(
        `    as ${t.role.padEnd(10)} (${t.exceptions.toLocaleString("en")} open readable) ` +
            `RPC ${rpc}; in the server ${server}` +
            (bases ? ` (answers: ${bases})` : "") +
            (t.error ? ` error: ${t.error}` : ""),
    );
}

/** The targets for the triage, as bench.ts's targets printout shows them. */
export function triageTargets(result: TriageResult): [string, string, boolean | null][] {
    const e = result.evaluation;
    const rows: [string, string, boolean | null][] = [
        [
            "playbook top-1 above the type's majority",
            e ? `${pct(e.playbook_top1)} vs ${pct(e.playbook_baseline)}` : "-",
            e ? e.playbook_top1 > e.playbook_baseline : null,
        ],
        [
            "owner top-1 above the type's majority",
            e ? `${pct(e.owner_top1)} vs ${pct(e.owner_baseline)}` : "-",
            e ? e.owner_top1 > e.owner_baseline : null,
        ],
        [
            "expected hours MAE below the type's median's",
            e ? `${hrs(e.hours_mae)} vs ${hrs(e.hours_baseline_mae)}` : "-",
            e ? e.hours_mae < e.hours_baseline_mae : null,
        ],
    ];
    for (const t of result.latency) {
        const p50 = t.rpc?.p50;
        rows.push([
            `suggestion p50 ≤ ${TRIAGE_TARGET_MS} ms as ${t.role} (${(result.resolved / 1000).toFixed(0)}k resolved)`,
            p50 === undefined
                ? "-"
                : `${ms(p50)} RPC, ${t.server ? ms(t.server.p50) : "-"} in the server`,
            p50 === undefined ? null : p50 <= TRIAGE_TARGET_MS,
        ]);
    }
    return rows;
}

async function main(): Promise<void> {
    const { values } = parseArgs({
        options: {
            port: { type: "string", default: "8075" },
            runs: { type: "string", default: "100" },
            reuse: { type: "boolean", default: false },
            split: { type: "string", default: "0.8" },
            "max-test": { type: "string", default: "0" },
            "skip-eval": { type: "boolean", default: false },
        },
    });
    const started = performance.now();
    const result = await benchTriage({
        port: Number(values.port),
        runs: Math.max(1, Number(values.runs)),
        reuse: values.reuse ?? false,
        split: Math.min(0.95, Math.max(0.05, Number(values.split))),
        maxTest: Math.max(0, Number(values["max-test"])),
        evaluate: !values["skip-eval"],
        log: (line) => console.log(line),
    });
    console.log("\n== targets (issue 16: triage)");
    for (const [target, measured, met] of triageTargets(result)) {
        const verdict = met === null ? "not measured" : met ? "target met" : "target NOT met";
        console.log(`  ${target.padEnd(56)} ${measured.padEnd(36)} ${verdict}`);
    }
    console.log(`\ntriage bench done in ${((performance.now() - started) / 60000).toFixed(1)} min`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
    main().catch((error: unknown) => {
        console.error(error instanceof Error ? (error.stack ?? error.message) : error);
        process.exit(1);
    });
}
