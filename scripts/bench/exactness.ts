// Exactness at scale: the dashboard's cards against counts written here in plain SQL, from the
// formulas of readme/USAGE.md, independently of the KPI engine (no registry, no domain, no
// snapshot: the rows of the period read straight from the tables). For seeded random filters
// (a period and a warehouse or none) the bench asks get_kpi_dashboard as admin and compares each
// card's count and value with the SQL's; a mismatch is printed, never raised.
import type { OdooValue } from "../lib/odoo-rpc";
import { sh } from "../lib/odoo-process.mjs";
import type { JsonRpcSession } from "./json-rpc";
import { shiftDay } from "./measure";

export interface ExactnessFilter {
    dateFrom: string;
    dateTo: string;
    /** null: every warehouse (the company's figures). */
    warehouseId: number | null;
}

export interface Mismatch {
    filter: ExactnessFilter;
    key: string;
    what: "count" | "value" | "missing";
    card: number | null;
    sql: number | null;
}

export interface ExactnessResult {
    seed: number;
    filters: ExactnessFilter[];
    /** Cards compared (filters × KPIs on the dashboard). */
    cards: number;
    mismatches: Mismatch[];
    /** KPIs on the dashboard this check has no SQL for. */
    unchecked: string[];
}

/** mulberry32: a small seeded generator, so a run's filters can be made again from its seed. */
export function seededRandom(seed: number): () => number {
    let state = seed >>> 0;
    return () => {
        state = (state + 0x6d2b79f5) >>> 0;
        let t = state;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}

/**
 * `count` filters over the last year up to `today` (the company's local date): a period of
 * 1 to 28 days, ending today one time in three (today is computed live), and one of the
 * warehouses or none.
 */
export function randomFilters(
    seed: number,
    count: number,
    today: string,
    warehouseIds: number[],
): ExactnessFilter[] {
    const random = seededRandom(seed);
    const pick = (n: number) => Math.floor(random() * n);
    const filters: ExactnessFilter[] = [];
    for (let i = 0; i < count; i++) {
        const days = 1 + pick(28);
        const dateTo = random() < 1 / 3 ? today : shiftDay(today, -pick(365 - days));
        const choice = pick(warehouseIds.length + 1);
        filters.push({
            dateFrom: shiftDay(dateTo, -(days - 1)),
            dateTo,
            warehouseId: choice < warehouseIds.length ? (warehouseIds[choice] ?? null) : null,
        });
    }
    return filters;
}

// ------------------------------------------------------------------ the independent SQL

interface Bounds {
    /** UTC timestamps (SQL literals) of the first local midnight and the one after the period. */
    start: string;
    end: string;
    dateFrom: string;
    dateTo: string;
    days: number;
    tz: string;
    companies: string;
}

/** `alias.column` in the period (UTC bounds of the local days). */
const within = (column: string, b: Bounds) => `${column} >= ${b.start} AND ${column} < ${b.end}`;
/** The local day of a UTC timestamp. */
const localDay = (column: string, b: Bounds) =>
    `((${column} AT TIME ZONE 'UTC') AT TIME ZONE '${b.tz}')::date`;
const hours = (end: string, start: string) => `EXTRACT(EPOCH FROM ${end} - ${start}) / 3600.0`;
/** A done move's quantity in its product's unit. */
const UNITS = `m.quantity / mu.factor * pu.factor`;
const UNIT_JOINS = `JOIN uom_uom mu ON mu.id = m.product_uom
        JOIN product_product pp ON pp.id = m.product_id
        JOIN product_template pt ON pt.id = pp.product_tmpl_id
        JOIN uom_uom pu ON pu.id = pt.uom_id`;

/**
 * {KPI key: SQL of (count, value)} for a period and a warehouse (or none): each KPI's rows
 * picked from its tables as USAGE.md defines them.
 */
function kpiQueries(
    b: Bounds,
    warehouseId: number | null,
    precision: number,
): Record<string, string> {
    const wh = (column: string) => (warehouseId === null ? "" : ` AND ${column} = ${warehouseId}`);
    const shipped = `SELECT p.* FROM stock_picking p
        JOIN stock_picking_type t ON t.id = p.picking_type_id
       WHERE t.code = 'outgoing' AND p.state = 'done' AND ${within("p.date_done", b)}
         AND p.company_id IN (${b.companies})${wh("t.warehouse_id")}`;
    const ratio = (num: string, den: string) =>
        `CASE WHEN ${den} = 0 THEN NULL ELSE ${num} * 100.0 / ${den} END`;
    const mean = (num: string, den: string) =>
        `CASE WHEN ${den} = 0 THEN NULL ELSE ${num} / ${den} END`;
    const incoming = `FROM stock_picking p JOIN stock_picking_type t ON t.id = p.picking_type_id
       WHERE t.code = 'incoming' AND p.state = 'done' AND p.company_id IN (${b.companies})${wh("t.warehouse_id")}`;
    const exceptions = (where: string) =>
        `FROM distribution_exception e WHERE e.company_id IN (${b.companies})${wh("e.warehouse_id")} AND ${where}`;
    return {
        on_time_shipment: `SELECT count(*),
            ${ratio("count(*) FILTER (WHERE s.date_done <= COALESCE(s.date_deadline, s.scheduled_date))", "count(*)")}
            FROM (${shipped}) s`,
        pick_accuracy: `SELECT count(*), ${ratio(
            `count(*) FILTER (WHERE NOT EXISTS (SELECT 1 FROM distribution_exception e
                 WHERE e.picking_id = s.id AND e.type_code IN ('short_pick', 'damaged_goods')
                   AND e.state != 'cancelled'))`,
            "count(*)",
        )} FROM (${shipped}) s`,
        fill_rate: `SELECT (SELECT count(*) FROM (${shipped}) s), ${ratio("u.shipped", "(u.shipped + u.missing)")}
            FROM (SELECT
                (SELECT COALESCE(sum(${UNITS}), 0) FROM stock_move m ${UNIT_JOINS}
                  WHERE m.picking_id IN (SELECT id FROM (${shipped}) s)
                    AND m.state = 'done' AND m.scrap_id IS NULL) AS shipped,
                (SELECT COALESCE(sum(e.quantity_missing), 0) FROM distribution_exception e
                  WHERE e.picking_id IN (SELECT id FROM (${shipped}) s)
                    AND e.type_code = 'short_pick' AND e.state != 'cancelled') AS missing) u`,
        backorder_rate: `SELECT count(*), ${ratio(
            "count(*) FILTER (WHERE EXISTS (SELECT 1 FROM stock_picking o WHERE o.backorder_id = s.id))",
            "count(*)",
        )} FROM (${shipped}) s`,
        pick_to_ship: `SELECT count(*), ${mean(`sum(${hours("s.date_done", "s.dg_picked_date")})`, "count(*)")}
            FROM (${shipped}) s WHERE s.dg_picked_date IS NOT NULL`,
        lines_picked: `SELECT count(*), ${mean(
            `count(*)::float`,
            `count(DISTINCT (p.dg_validated_by, l.company_id, COALESCE(t.warehouse_id, 0), ${localDay("p.date_done", b)}))`,
        )}
            FROM stock_move_line l JOIN stock_picking p ON p.id = l.picking_id
            LEFT JOIN stock_picking_type t ON t.id = p.picking_type_id
           WHERE l.state = 'done' AND p.state = 'done' AND p.dg_pick
             AND p.dg_validated_by IS NOT NULL AND ${within("p.date_done", b)}
             AND l.company_id IN (${b.companies})${wh("t.warehouse_id")}`,
        transfers_validated: `SELECT count(*), ${mean(
            `count(*)::float`,
            `count(DISTINCT (p.dg_validated_by, p.company_id, COALESCE(t.warehouse_id, 0), ${localDay("p.date_done", b)}))`,
        )}
            FROM stock_picking p LEFT JOIN stock_picking_type t ON t.id = p.picking_type_id
           WHERE p.state = 'done' AND p.dg_validated_by IS NOT NULL AND ${within("p.date_done", b)}
             AND p.company_id IN (${b.companies})${wh("t.warehouse_id")}`,
        receiving_throughput: `SELECT count(*), COALESCE(sum(${UNITS}), 0) / ${b.days}
            FROM stock_move m ${UNIT_JOINS} JOIN stock_picking_type t ON t.id = m.picking_type_id
           WHERE t.code = 'incoming' AND m.state = 'done' AND m.scrap_id IS NULL
             AND ${within("m.date", b)} AND m.company_id IN (${b.companies})${wh("t.warehouse_id")}`,
        dock_to_stock: `SELECT count(*), ${mean(`sum(${hours("p.dg_stocked_date", "p.date_done")})`, "count(*)")}
            ${incoming} AND ${within("p.dg_stocked_date", b)}`,
        supplier_on_time: `SELECT count(*), ${ratio(
            "count(*) FILTER (WHERE p.date_done <= COALESCE(p.date_deadline, p.scheduled_date))",
            "count(*)",
        )} ${incoming} AND ${within("p.date_done", b)} AND p.return_id IS NULL AND p.partner_id IS NOT NULL`,
        supplier_fill_rate: `SELECT count(*), ${ratio(
            "sum(LEAST(l.qty_received, l.product_qty) / l.product_qty * l.product_uom_qty)",
            "sum(l.product_uom_qty)",
        )}
            FROM purchase_order_line l JOIN purchase_order o ON o.id = l.order_id
            LEFT JOIN stock_picking_type t ON t.id = o.picking_type_id
           WHERE l.display_type IS NULL AND l.state IN ('purchase', 'done') AND l.product_qty > 0
             AND ${within("l.dg_received_date", b)} AND l.company_id IN (${b.companies})${wh("t.warehouse_id")}`,
        order_cycle_time: `SELECT count(*), ${mean(`sum(${hours("o.dg_delivered_date", "o.date_order")})`, "count(*)")}
            FROM sale_order o
           WHERE o.state = 'sale' AND ${within("o.dg_delivered_date", b)}
             AND o.company_id IN (${b.companies})${wh("o.warehouse_id")}`,
        inventory_adjustment_volume: `SELECT count(*), count(*) FROM stock_move m
            LEFT JOIN stock_location src ON src.id = m.location_id
            LEFT JOIN stock_location dst ON dst.id = m.location_dest_id
           WHERE m.is_inventory AND m.state = 'done' AND ${within("m.date", b)}
             AND m.company_id IN (${b.companies})${
                 warehouseId === null
                     ? ""
                     : ` AND (src.warehouse_id = ${warehouseId} OR dst.warehouse_id = ${warehouseId})`
             }`,
        invoice_discrepancies: `SELECT count(*), count(*) FROM sale_order_line l
            JOIN sale_order o ON o.id = l.order_id
            JOIN product_product pp ON pp.id = l.product_id
            JOIN product_template pt ON pt.id = pp.product_tmpl_id
           WHERE o.state = 'sale' AND ${within("o.date_order", b)} AND l.display_type IS NULL
             AND pt.type = 'consu'
             AND round(l.qty_delivered::numeric, ${precision}) != round(l.qty_invoiced::numeric, ${precision})
             AND l.company_id IN (${b.companies})${wh("o.warehouse_id")}`,
        credit_notes: `SELECT count(*), count(*) FROM account_move m
           WHERE m.move_type = 'out_refund' AND m.state = 'posted'
             AND m.invoice_date BETWEEN '${b.dateFrom}' AND '${b.dateTo}'
             AND m.company_id IN (${b.companies})${
                 warehouseId === null
                     ? ""
                     : ` AND EXISTS (SELECT 1 FROM account_move_line aml
                           JOIN sale_order_line_invoice_rel r ON r.invoice_line_id = aml.id
                           JOIN sale_order_line sl ON sl.id = r.order_line_id
                           JOIN sale_order so ON so.id = sl.order_id
                          WHERE aml.move_id = m.id AND so.warehouse_id = ${warehouseId})`
             }`,
        exceptions_opened: `SELECT count(*), count(*) ${exceptions(within("e.create_date", b))}`,
        exceptions_backlog: `SELECT count(*), count(*) ${exceptions(
            `e.create_date < ${b.end} AND (e.state IN ('new', 'in_progress')
               OR (e.state IN ('resolved', 'cancelled') AND e.resolved_at >= ${b.end}))`,
        )}`,
        sla_breach_rate: `SELECT count(*), ${ratio("count(*) FILTER (WHERE e.sla_breached_at_close)", "count(*)")}
            ${exceptions(`e.state IN ('resolved', 'cancelled') AND ${within("e.resolved_at", b)}`)}`,
        median_time_to_resolve: `SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY
            ${hours("e.resolved_at", "COALESCE(e.detected_at, e.create_date)")})
            ${exceptions(`e.state = 'resolved' AND ${within("e.resolved_at", b)}`)}`,
        median_time_to_decide: `SELECT count(*), percentile_cont(0.5) WITHIN GROUP (ORDER BY
            ${hours("r.decided_at", "r.create_date")})
            FROM distribution_approval_request r LEFT JOIN sale_order o ON o.id = r.sale_order_id
           WHERE ${within("r.decided_at", b)} AND r.company_id IN (${b.companies})${wh("o.warehouse_id")}`,
    };
}

/** Rows of a query, its columns split (no value holds a `|`). */
async function psqlRows(db: string, sql: string): Promise<string[][]> {
    const { code, out } = await sh(
        `psql -X -q -d ${db} -At -F '|' -v ON_ERROR_STOP=1 -c "$BENCH_SQL"`,
        {
            env: { BENCH_SQL: sql },
        },
    );
    if (code !== 0) throw new Error(`exactness query on ${db} failed: ${out.trim().slice(-2000)}`);
    return out
        .split("\n")
        .filter((line) => line.length)
        .map((line) => line.split("|"));
}

const SQL_LITERAL = (value: string) => `'${value.replace(/'/g, "''")}'`;

async function sqlFigures(
    db: string,
    filter: ExactnessFilter,
    tz: string,
    companyIds: number[],
    precision: number,
): Promise<Map<string, [number, number | null]>> {
    const [[start, end] = []] = await psqlRows(
        db,
        `SELECT (${SQL_LITERAL(filter.dateFrom)}::timestamp AT TIME ZONE ${SQL_LITERAL(tz)}) AT TIME ZONE 'UTC',
                ((${SQL_LITERAL(filter.dateTo)}::date + 1)::timestamp AT TIME ZONE ${SQL_LITERAL(tz)}) AT TIME ZONE 'UTC'`,
    );
    const bounds: Bounds = {
        start: `'${start}'::timestamp`,
        end: `'${end}'::timestamp`,
        dateFrom: filter.dateFrom,
        dateTo: filter.dateTo,
        days:
            Math.round((Date.parse(filter.dateTo) - Date.parse(filter.dateFrom)) / 86_400_000) + 1,
        tz,
        companies: companyIds.join(", "),
    };
    const queries = kpiQueries(bounds, filter.warehouseId, precision);
    const union = Object.entries(queries)
        .map(([key, sql]) => `SELECT '${key}', q.* FROM (${sql}) q`)
        .join("\nUNION ALL\n");
    const found = new Map<string, [number, number | null]>();
    for (const [key, count, value] of await psqlRows(db, union)) {
        found.set(key ?? "", [Number(count), value ? Number(value) : null]);
    }
    return found;
}

interface Card {
    key: string;
    count: number;
    value: number | null;
}

function same(card: number | null, sql: number | null): boolean {
    if (card === null || sql === null) return card === sql;
    return Math.abs(card - sql) <= 1e-6 * Math.max(1, Math.abs(sql));
}

/** Compares the dashboard's cards with the independent SQL over `filters`. */
export async function checkExactness(
    rpc: JsonRpcSession,
    db: string,
    seed: number,
    count: number,
): Promise<ExactnessResult> {
    const [[tz = "UTC", today = ""] = []] = await psqlRows(
        db,
        `SELECT COALESCE(c.dg_kpi_tz, 'UTC'),
                ((now() AT TIME ZONE 'UTC') AT TIME ZONE COALESCE(c.dg_kpi_tz, 'UTC'))::date
           FROM res_users u JOIN res_company c ON c.id = u.company_id WHERE u.login = 'admin'`,
    );
    const [[precision = "2"] = []] = await psqlRows(
        db,
        `SELECT digits FROM decimal_precision WHERE name = 'Product Unit of Measure'`,
    );
    const warehouses = (
        await psqlRows(db, `SELECT id FROM stock_warehouse WHERE active ORDER BY id`)
    ).map(([id]) => Number(id));
    const filters = randomFilters(seed, count, today, warehouses);
    const mismatches: Mismatch[] = [];
    const unchecked = new Set<string>();
    let cards = 0;
    for (const filter of filters) {
        const answer = await rpc.call<{ kpis: Card[]; selected_company_ids: number[] }>(
            "distribution.dashboard",
            "get_kpi_dashboard",
            [
                {
                    period: "custom",
                    date_from: filter.dateFrom,
                    date_to: filter.dateTo,
                    warehouse_ids: (filter.warehouseId === null
                        ? []
                        : [filter.warehouseId]) as OdooValue[],
                },
            ],
        );
        const expected = await sqlFigures(
            db,
            filter,
            tz,
            answer.selected_company_ids,
            Number(precision),
        );
        for (const card of answer.kpis) {
            const sql = expected.get(card.key);
            if (!sql) {
                unchecked.add(card.key);
                continue;
            }
            cards += 1;
            if (card.count !== sql[0]) {
                mismatches.push({
                    filter,
                    key: card.key,
                    what: "count",
                    card: card.count,
                    sql: sql[0],
                });
            } else if (!same(card.value, sql[1])) {
                mismatches.push({
                    filter,
                    key: card.key,
                    what: "value",
                    card: card.value,
                    sql: sql[1],
                });
            }
        }
        for (const key of expected.keys()) {
            if (!answer.kpis.some((card) => card.key === key)) {
                mismatches.push({
                    filter,
                    key,
                    what: "missing",
                    card: null,
                    sql: expected.get(key)?.[0] ?? null,
                });
            }
        }
    }
    return { seed, filters, cards, mismatches, unchecked: [...unchecked] };
}

export function describeFilter(filter: ExactnessFilter): string {
    return (
        `${filter.dateFrom}..${filter.dateTo}` +
        (filter.warehouseId === null ? ", every warehouse" : `, warehouse ${filter.warehouseId}`)
    );
}
