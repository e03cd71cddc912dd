// Issue 15's capture call at scale: distribution.floor.capture.floor_capture(payload) as a
// warehouse user over JSON-RPC (the floor screen's path), one damaged-goods capture per open
// transfer of the database, each with a fresh client id; then the same client ids sent again
// (the server's deduplication). Run after the other measurements of a size: its captures open
// exceptions, which the exceptions screens count. The exceptions it opened are removed after
// (and before, should a run have stopped midway), so a kept database (--reuse) stays as made.
import { randomUUID } from "node:crypto";
import { psqlValue } from "./databases";
import { JsonRpcSession } from "./json-rpc";
import { stats, type Stats } from "./measure";

export const FLOOR_LOGIN = "bench_floor";
export const FLOOR_TARGET_MS = 100;
const REASON = "damaged";

export interface FloorTiming {
    /** Fresh client ids: each capture opens an exception. */
    capture: Stats;
    /** The same client ids again: the first call's answer, nothing recorded. */
    dedup: Stats;
    transfers: number;
}

/** The warehouse user the captures are made as (made once, idempotent): [login, password]. */
async function ensureFloorUser(admin: JsonRpcSession, db: string): Promise<[string, string]> {
    const found = await admin.call<number[]>("res.users", "search", [
        [["login", "=", FLOOR_LOGIN]],
    ]);
    if (!found.length) {
        const group = Number(
            await psqlValue(
                db,
                `SELECT res_id FROM ir_model_data
                  WHERE module = 'stock' AND name = 'group_stock_user'`,
            ),
        );
        await admin.call("res.users", "create", [
            {
                name: "Bench Floor",
                login: FLOOR_LOGIN,
                password: FLOOR_LOGIN,
                groups_id: [[6, 0, [group]]],
            },
        ]);
    }
    return [FLOOR_LOGIN, FLOOR_LOGIN];
}

/** Removes the exceptions (and so the capture rows) the bench's captures opened. */
async function removeCaptures(db: string): Promise<void> {
    await psqlValue(
        db,
        `WITH gone AS (
             SELECT DISTINCT c.exception_id AS id FROM distribution_floor_capture c
               JOIN res_users u ON u.id = c.user_id AND u.login = '${FLOOR_LOGIN}'
         ), messages AS (
             DELETE FROM mail_message WHERE model = 'distribution.exception'
                AND res_id IN (SELECT id FROM gone)
         ), activities AS (
             DELETE FROM mail_activity WHERE res_model = 'distribution.exception'
                AND res_id IN (SELECT id FROM gone)
         ), followers AS (
             DELETE FROM mail_followers WHERE res_model = 'distribution.exception'
                AND res_id IN (SELECT id FROM gone)
         )
         DELETE FROM distribution_exception WHERE id IN (SELECT id FROM gone)`,
    );
}

/**
 * `runs` open transfers of the user's company (after `warmup` more), each with a product whose
 * internal reference names it alone, as a scanner would read it: "picking_id:reference" rows.
 */
async function openTransfers(db: string, count: number): Promise<[number, string][]> {
    const rows = await psqlValue(
        db,
        `SELECT string_agg(picking_id || ':' || code, ',') FROM (
             SELECT DISTINCT ON (p.id) p.id AS picking_id, pp.default_code AS code
               FROM stock_picking p
               JOIN stock_move m ON m.picking_id = p.id AND m.state != 'cancel'
               JOIN product_product pp ON pp.id = m.product_id
              WHERE p.state IN ('confirmed', 'waiting', 'assigned')
                AND p.company_id = (SELECT company_id FROM res_users
                                     WHERE login = '${FLOOR_LOGIN}')
                AND pp.default_code IS NOT NULL AND pp.active
                AND (SELECT count(*) FROM product_product o
                      WHERE o.default_code = pp.default_code OR o.barcode = pp.default_code) = 1
              ORDER BY p.id DESC, m.id
              LIMIT ${count}
         ) t`,
    );
    return rows
        .split(",")
        .filter(Boolean)
        .map((row) => {
            const [id, code] = row.split(":");
            return [Number(id), code ?? ""];
        });
}

export async function timeFloorCapture(
    url: string,
    db: string,
    admin: JsonRpcSession,
    runs: number,
    warmup = 5,
): Promise<FloorTiming> {
    const rpc = await JsonRpcSession.login(url, db, ...(await ensureFloorUser(admin, db)));
    await removeCaptures(db);
    const transfers = await openTransfers(db, warmup + runs);
    if (transfers.length < warmup + 1) {
        throw new Error(`only ${transfers.length} open transfers with a referenced product`);
    }
    const payloads = transfers.map(([picking, code]) => ({
        client_id: randomUUID(),
        reason: REASON,
        picking,
        barcodes: [code],
        quantity: 1,
        note: "bench",
    }));
    const time = async (payload: (typeof payloads)[number], duplicate: boolean) => {
        const { value, ms } = await rpc.callTimed<{ duplicate: boolean }>(
            "distribution.floor.capture",
            "floor_capture",
            [payload],
        );
        if (value.duplicate !== duplicate) {
            throw new Error(`floor_capture answered duplicate=${value.duplicate}`);
        }
        return ms;
    };
    try {
        const capture: number[] = [];
        const dedup: number[] = [];
        for (const [index, payload] of payloads.entries()) {
            const ms = await time(payload, false);
            if (index >= warmup) capture.push(ms);
        }
        for (const [index, payload] of payloads.entries()) {
            const ms = await time(payload, true);
            if (index >= warmup) dedup.push(ms);
        }
        return { capture: stats(capture), dedup: stats(dedup), transfers: capture.length };
    } finally {
        await removeCaptures(db);
    }
}
