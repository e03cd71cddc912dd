// `npm run bench`: times the dashboard's one RPC on a running Odoo (default: the `npm start`
// demo) and prints the figures. Benchmarks print numbers; they never fail on a threshold.
//   npm run bench -- --url http://localhost:8069 --db distribution_demo --runs 30
import { parseArgs } from "node:util";
import { OdooRpc } from "./lib/odoo-rpc";

const { values } = parseArgs({
    options: {
        url: { type: "string", default: process.env.DG_URL ?? "http://localhost:8069" },
        db: { type: "string", default: process.env.DG_DB ?? "distribution_demo" },
        login: { type: "string", default: "whmanager" },
        runs: { type: "string", default: "30" },
    },
});

function percentile(sorted: number[], p: number): number {
    const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
    return sorted[Math.max(index, 0)] ?? Number.NaN;
}

async function main(): Promise<void> {
    const rpc = await OdooRpc.connect({
        url: values.url,
        db: values.db,
        login: values.login,
        password: values.login,
    });
    const runs = Number(values.runs);
    const timings: number[] = [];
    await rpc.call("distribution.dashboard", "get_overview", []); // warm caches once
    for (let i = 0; i < runs; i++) {
        const started = performance.now();
        await rpc.call("distribution.dashboard", "get_overview", []);
        timings.push(performance.now() - started);
    }
    timings.sort((a, b) => a - b);
    const pickings = await rpc.searchCount("stock.picking", []);
    const orders = await rpc.searchCount("sale.order", []);
    console.log(`dashboard get_overview as ${values.login} on ${values.db}`);
    console.log(`  data: ${pickings} pickings, ${orders} sale orders`);
    console.log(
        `  ${runs} runs: median ${percentile(timings, 50).toFixed(1)} ms, ` +
            `p95 ${percentile(timings, 95).toFixed(1)} ms, max ${percentile(timings, 100).toFixed(1)} ms`,
    );
}

main().catch((error: unknown) => {
    console.error(error instanceof Error ? error.message : error);
    process.exit(1);
});
