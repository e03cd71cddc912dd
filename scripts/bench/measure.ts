// What `npm run bench` times on one database: the dashboard's RPC, the SQL floor over the same
// rows, and the same KPIs the standard way (one read_group per KPI).
import type { OdooValue, OdooValues } from "../lib/odoo-rpc";
import { sh } from "../lib/odoo-process.mjs";
import type { JsonRpcSession } from "./json-rpc";

export interface Stats {
    runs: number;
    p50: number;
    p95: number;
    min: number;
    max: number;
}

export function percentile(sorted: number[], p: number): number {
    const index = Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1);
    return sorted[Math.max(index, 0)] ?? Number.NaN;
}

export function stats(timings: number[]): Stats {
    const sorted = [...timings].sort((a, b) => a - b);
    return {
        runs: sorted.length,
        p50: percentile(sorted, 50),
        p95: percentile(sorted, 95),
        min: sorted[0] ?? Number.NaN,
        max: sorted[sorted.length - 1] ?? Number.NaN,
    };
}

/** What the bench reads of a KPI card (get_kpi_dashboard). */
export interface KpiEntry {
    key: string;
    model: string;
    domain: OdooValue[];
    count: number;
}

export interface Period {
    /** ISO dates, both included (the dashboard's period). */
    dateFrom: string;
    dateTo: string;
}

export interface DashboardTiming {
    preset: string;
    stats: Stats;
    /** Size of the JSON answer. */
    bytes: number;
    kpis: KpiEntry[];
    period: Period;
    companyIds: number[];
}

function isoDay(date: Date): string {
    return date.toISOString().slice(0, 10);
}

interface DashboardAnswer {
    period: { date_from: string; date_to: string };
    selected_company_ids: number[];
    kpis: KpiEntry[];
}

/**
 * p50/p95 of the dashboard's RPC for `preset` over `runs` calls after `warmup` calls (`filters`:
 * the RPC's filters, default the preset).
 */
export async function timeDashboard(
    rpc: JsonRpcSession,
    preset: string,
    runs: number,
    warmup = 3,
    filters: OdooValues = { period: preset },
): Promise<DashboardTiming> {
    const call = async () => {
        const { value, ms, bytes } = await rpc.callTimed<DashboardAnswer>(
            "distribution.dashboard",
            "get_kpi_dashboard",
            [filters],
        );
        return { ms, bytes, answer: value };
    };
    for (let i = 1; i < warmup; i++) await call();
    const timings: number[] = [];
    let last = await call();
    timings.push(last.ms);
    for (let i = 1; i < runs; i++) {
        last = await call();
        timings.push(last.ms);
    }
    return {
        preset,
        stats: stats(timings),
        bytes: last.bytes,
        kpis: last.answer.kpis,
        period: { dateFrom: last.answer.period.date_from, dateTo: last.answer.period.date_to },
        companyIds: last.answer.selected_company_ids,
    };
}

// ------------------------------------------------------------------ the SQL floor

function nextDay(isoDate: string): string {
    return shiftDay(isoDate, 1);
}

export function shiftDay(isoDate: string, days: number): string {
    return isoDay(new Date(new Date(`${isoDate}T00:00:00Z`).getTime() + days * 86_400_000));
}

/**
 * The floor: one hand-written statement reading the period's rows once for the KPIs that read
 * pickings and moves (shipped, on time, with a backorder, shipped and missing quantities,
 * receipts, adjustments, exceptions opened), quantities in the product's unit as stored.
 */
export function floorSql(period: Period, companyIds: number[]): string {
    const start = `'${period.dateFrom} 00:00:00'`;
    const end = `'${nextDay(period.dateTo)} 00:00:00'`;
    const companies = (companyIds.length ? companyIds : [1]).join(", ");
    return `WITH shipped AS (
    SELECT p.id, p.date_done <= COALESCE(p.date_deadline, p.scheduled_date) AS on_time,
           EXISTS (SELECT 1 FROM stock_picking b WHERE b.backorder_id = p.id) AS backordered
      FROM stock_picking p
      JOIN stock_picking_type pt ON pt.id = p.picking_type_id
     WHERE pt.code = 'outgoing' AND p.state = 'done'
       AND p.date_done >= ${start} AND p.date_done < ${end} AND p.company_id IN (${companies})
)
SELECT (SELECT count(*) FROM shipped) AS shipped,
       (SELECT count(*) FILTER (WHERE on_time) FROM shipped) AS on_time,
       (SELECT count(*) FILTER (WHERE backordered) FROM shipped) AS backordered,
       (SELECT COALESCE(sum(m.product_qty), 0) FROM stock_move m JOIN shipped s ON s.id = m.picking_id
         WHERE m.state = 'done' AND m.scrap_id IS NULL) AS shipped_qty,
       (SELECT COALESCE(sum(e.quantity_missing), 0) FROM distribution_exception e
          JOIN shipped s ON s.id = e.picking_id
         WHERE e.type_code = 'short_pick' AND e.state != 'cancelled') AS missing_qty,
       m.receipts, m.received_qty, m.adjustments,
       (SELECT count(*) FROM distribution_exception e
         WHERE e.create_date >= ${start} AND e.create_date < ${end}
           AND e.company_id IN (${companies})) AS exceptions_opened
  FROM (SELECT count(*) FILTER (WHERE pt.code = 'incoming') AS receipts,
               COALESCE(sum(m.product_qty) FILTER (WHERE pt.code = 'incoming'), 0) AS received_qty,
               count(*) FILTER (WHERE m.is_inventory) AS adjustments
          FROM stock_move m
          LEFT JOIN stock_picking_type pt ON pt.id = m.picking_type_id
         WHERE m.state = 'done' AND m.scrap_id IS NULL
           AND m.date >= ${start} AND m.date < ${end} AND m.company_id IN (${companies})) m;`;
}

/** p50 of the floor statement in one psql session (`\timing`: as a client sees it). */
export async function timeFloor(
    db: string,
    period: Period,
    companyIds: number[],
    runs: number,
    warmup = 2,
): Promise<{ stats: Stats; sql: string; row: string }> {
    const sql = floorSql(period, companyIds);
    const script = [
        "\\pset footer off",
        sql,
        "\\timing on",
        "\\o /dev/null",
        ...Array.from({ length: warmup + runs }, () => sql),
    ].join("\n");
    const { code, out } = await sh(`psql -X -q -d ${db} <<'SQL'\n${script}\nSQL`);
    if (code !== 0) throw new Error(`floor query failed:\n${out.slice(-2000)}`);
    const timings = [...out.matchAll(/^Time: ([\d.]+) ms/gm)].map((m) => Number(m[1]));
    const row = out
        .split("\n")
        .filter((line) => line && !line.startsWith("Time:"))
        .join("\n");
    return { stats: stats(timings.slice(warmup)), sql, row };
}

// ------------------------------------------------------------------ the standard way

export interface ReadGroupSpec {
    key: string;
    model: string;
    domain: OdooValue[];
    fields: string[];
    groupby: string[];
    /** How the KPI's value maps to this query, when it is not the KPI's own domain. */
    note: string;
}

/** Sums worth asking per model (stored numeric fields), as a list view's totals would. */
const MEASURES: Record<string, string[]> = {
    "stock.move": ["product_qty:sum"],
    "stock.picking": [],
    "sale.order": ["amount_total:sum"],
    "sale.order.line": ["qty_delivered:sum", "qty_invoiced:sum"],
    "distribution.exception": ["quantity_missing:sum"],
    "account.move": ["amount_total_signed:sum"],
};

function isIdList(domain: OdooValue[]): boolean {
    const first = domain[0];
    return domain.length === 1 && Array.isArray(first) && first[0] === "id" && first[1] === "in";
}

/** The field a domain bounds the period with (`field >= start`), to group the series by. */
function periodField(domain: OdooValue[]): string | null {
    for (const term of domain) {
        // a related path (order_id.date_order) cannot be grouped by day
        if (Array.isArray(term) && term[1] === ">=" && typeof term[0] === "string") {
            return term[0].includes(".") ? null : term[0];
        }
    }
    return null;
}

/**
 * One read_group per KPI: the KPI's drill-down domain, grouped by day of its period field — the
 * card's value and its series, as a graph view over the same records would read them (the
 * previous period and the baseline the dashboard also returns are not asked). A drill-down
 * domain that lists the ids the SQL found is not a way to compute the KPI; those KPIs get the
 * read_group a standard implementation would run.
 */
export function readGroupSpecs(kpis: KpiEntry[], period: Period): ReadGroupSpec[] {
    const start = `${period.dateFrom} 00:00:00`;
    const end = `${nextDay(period.dateTo)} 00:00:00`;
    const shipped = kpis.find((k) => k.key === "on_time_shipment")?.domain ?? [
        ["picking_type_code", "=", "outgoing"],
        ["state", "=", "done"],
        ["date_done", ">=", start],
        ["date_done", "<", end],
    ];
    return kpis.map((kpi) => {
        if (!isIdList(kpi.domain)) {
            const field = periodField(kpi.domain);
            return {
                key: kpi.key,
                model: kpi.model,
                domain: kpi.domain,
                fields: MEASURES[kpi.model] ?? [],
                groupby: field ? [`${field}:day`] : [],
                note: field ? `by ${field}:day` : "one total",
            };
        }
        if (kpi.key === "order_cycle_time") {
            return {
                key: kpi.key,
                model: "stock.picking",
                domain: [...shipped, ["sale_id", "!=", false]],
                fields: ["date_done:max"],
                groupby: ["sale_id"],
                note: "last delivery per order (ids domain)",
            };
        }
        if (kpi.model === "sale.order.line") {
            return {
                key: kpi.key,
                model: "sale.order.line",
                domain: [
                    ["order_id.date_order", ">=", start],
                    ["order_id.date_order", "<", end],
                    ["state", "=", "sale"],
                    ["display_type", "=", false],
                ],
                fields: ["qty_delivered:sum", "qty_invoiced:sum"],
                groupby: ["order_id"],
                note: "delivered vs invoiced per order (ids domain)",
            };
        }
        return {
            key: kpi.key,
            model: kpi.model,
            domain: kpi.domain,
            fields: MEASURES[kpi.model] ?? [],
            groupby: [],
            note: "over the listed ids (ids domain)",
        };
    });
}

export interface ReadGroupTiming {
    spec: ReadGroupSpec;
    stats: Stats | null;
    error: string | null;
}

/** p50 of each KPI's read_group (`runs` calls after one warm-up), one KPI after the other. */
export async function timeReadGroups(
    rpc: JsonRpcSession,
    specs: ReadGroupSpec[],
    runs: number,
): Promise<ReadGroupTiming[]> {
    const results: ReadGroupTiming[] = [];
    for (const spec of specs) {
        const kwargs: OdooValues = { lazy: false };
        const args: OdooValue[] = [spec.domain, spec.fields, spec.groupby];
        try {
            await rpc.call(spec.model, "read_group", args, kwargs);
            const timings: number[] = [];
            for (let i = 0; i < runs; i++) {
                timings.push((await rpc.callTimed(spec.model, "read_group", args, kwargs)).ms);
            }
            results.push({ spec, stats: stats(timings), error: null });
        } catch (error) {
            results.push({
                spec,
                stats: null,
                error: error instanceof Error ? error.message : String(error),
            });
        }
    }
    return results;
}
