// `npm run bench:overhead`: what the addon adds to Odoo's hot paths (issue 17) — sale order
// confirmation, delivery validation, stock move writes — on two copies of dg_base, one with the
// addon installed and its credit hold on, one without. scripts/bench/overhead.py times both in
// one process, interleaved; this makes the databases, prints the table with the machine's load,
// and drops them. Numbers only: it never fails on a threshold.
//   npm run bench:overhead -- [--orders 500] [--writes 5000] [--rounds 1] [--profile [--profile-out FILE] [--profile-path validate]] [--reuse]
//       [--bypass module:Class.method,...] (those overrides of the addon reduced to super(): what they cost)
//       [--prefix dg_bench_overhead] (the databases' names: PREFIX_with, PREFIX_without)
import { parseArgs } from "node:util";
import { copyDb, dbExists, dropDb, ensureDependenciesDb, sh, shOk } from "../lib/odoo-process.mjs";

const { values } = parseArgs({
    options: {
        orders: { type: "string", default: "500" },
        writes: { type: "string", default: "5000" },
        rounds: { type: "string", default: "1" },
        chunk: { type: "string", default: "25" },
        profile: { type: "boolean", default: false },
        "profile-out": { type: "string", default: "" },
        "profile-path": { type: "string", default: "" },
        reuse: { type: "boolean", default: false },
        bypass: { type: "string", default: "" },
        prefix: { type: "string", default: "dg_bench_overhead" },
    },
});
const WITH = `${values.prefix}_with`;
const WITHOUT = `${values.prefix}_without`;

interface Stats {
    n: number;
    mean_ms: number;
    p50_ms: number;
    p95_ms: number;
    cpu_ms: number;
    queries: number;
}
interface Result {
    orders: number;
    writes: number;
    bypassed: string[];
    rounds: Record<string, number | number[]>[];
    paths: Record<string, { with: Stats; without: Stats }>;
    profile?: string;
}

const LABELS: Record<string, string> = {
    confirm: "sale order confirmation",
    validate: "delivery validation",
    move_write: "stock move write (quantity)",
};

async function uptime(): Promise<string> {
    return (await sh("uptime")).out.trim();
}

async function makeDatabases(): Promise<void> {
    if (values.reuse && (await dbExists(WITH)) && (await dbExists(WITHOUT))) return;
    await ensureDependenciesDb("dg_base");
    for (const db of [WITH, WITHOUT]) {
        await dropDb(db);
        await copyDb("dg_base", db);
    }
    await shOk(
        `odoo_bin -d ${WITH} -i distribution_governance --stop-after-init --without-demo=all --log-level=warn`,
        `the addon's installation on ${WITH}`,
    );
}

function table(result: Result): string[] {
    const lines = [
        `  ${"path".padEnd(30)} ${"ops".padStart(6)} ${"without".padStart(10)} ${"with".padStart(10)} ${"overhead".padStart(9)}   p50 without/with    p95 without/with`,
    ];
    for (const [path, { with: addon, without: plain }] of Object.entries(result.paths)) {
        const overhead = (addon.mean_ms / plain.mean_ms - 1) * 100;
        lines.push(
            `  ${(LABELS[path] ?? path).padEnd(30)} ${String(addon.n).padStart(6)} ` +
                `${plain.mean_ms.toFixed(1).padStart(7)} ms ${addon.mean_ms.toFixed(1).padStart(7)} ms ` +
                `${`${overhead >= 0 ? "+" : ""}${overhead.toFixed(1)}%`.padStart(9)}   ` +
                `${plain.p50_ms.toFixed(1)}/${addon.p50_ms.toFixed(1)} ms`.padEnd(20) +
                `${plain.p95_ms.toFixed(1)}/${addon.p95_ms.toFixed(1)} ms`,
        );
    }
    lines.push(
        "  where it goes (mean per operation, without → with): the bench's Python CPU, the rest waiting on PostgreSQL, queries",
    );
    for (const [path, { with: addon, without: plain }] of Object.entries(result.paths)) {
        const wait = (s: Stats): string => (s.mean_ms - s.cpu_ms).toFixed(1);
        lines.push(
            `    ${(LABELS[path] ?? path).padEnd(28)} CPU ${plain.cpu_ms.toFixed(1)} → ${addon.cpu_ms.toFixed(1)} ms, ` +
                `PostgreSQL ${wait(plain)} → ${wait(addon)} ms, ` +
                `queries ${plain.queries.toFixed(1)} → ${addon.queries.toFixed(1)}`,
        );
    }
    return lines;
}

async function main(): Promise<void> {
    const before = await uptime();
    await makeDatabases();
    const args = [
        `--with ${WITH} --without ${WITHOUT}`,
        `--orders ${Number(values.orders)} --writes ${Number(values.writes)}`,
        `--rounds ${Number(values.rounds)} --chunk ${Number(values.chunk)}`,
        values.profile ? "--profile" : "",
        values["profile-out"] ? `--profile-out ${values["profile-out"]}` : "",
        values["profile-path"] ? `--profile-path ${values["profile-path"]}` : "",
        values.bypass ? `--bypass '${values.bypass.replace(/[^\w:.,]/g, "")}'` : "",
    ].join(" ");
    const run = await shOk(
        `"$ODOO_PYTHON" scripts/bench/overhead.py ${args} --addons-path="$ADDONS_PATH" ` +
            `--data-dir="$ODOO_DATA_DIR" --db_host="$PGHOST" --db_port="$PGPORT" ` +
            `--db_user="$PGUSER" --db_password="$PGPASSWORD" --log-level=warn 2>&1`,
        "the overhead benchmark",
        { echo: false },
    );
    const after = await uptime();
    const lastLine = run.out.trim().split("\n").pop() ?? "{}";
    const result = JSON.parse(lastLine) as Result;
    const out = [
        "",
        `Hot-path overhead of distribution_governance (credit hold on; ${result.rounds.length} round(s), interleaved in one process; mean per operation incl. its flush)`,
        ...(result.bypassed.length
            ? [
                  `  BYPASSED on the addon's side (its rules off there; a measurement only): ${result.bypassed.join(", ")}`,
              ]
            : []),
        ...table(result),
        "  per round (ms, without → with):",
        ...result.rounds.map(
            (r) =>
                `    round ${String(r.round)}: confirm ${Number(r.without_confirm_ms).toFixed(1)} → ${Number(r.with_confirm_ms).toFixed(1)}, ` +
                `validate ${Number(r.without_validate_ms).toFixed(1)} → ${Number(r.with_validate_ms).toFixed(1)}, ` +
                `move write ${Number(r.without_move_write_ms).toFixed(1)} → ${Number(r.with_move_write_ms).toFixed(1)} ` +
                `(${String(r.seconds)} s, load ${(r.load as number[]).map((l) => l.toFixed(2)).join(" ")})`,
        ),
        `  load before: ${before}`,
        `  load after:  ${after}`,
    ];
    if (result.profile)
        out.push("", "cProfile of the addon's side (its functions, cumulative):", result.profile);
    console.log(out.join("\n"));
    if (!values.reuse) {
        await dropDb(WITH);
        await dropDb(WITHOUT);
    }
}

await main();
