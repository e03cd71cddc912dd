import type { Exposure } from "@distribution_governance/types/approvals";

/** The parts of the exposure, in the order they are stacked (oldest commitment first). */
export type SegmentKey = "receivables" | "uninvoiced" | "this_order";
export const SEGMENT_KEYS: readonly SegmentKey[] = ["receivables", "uninvoiced", "this_order"];

/**
 * Amounts closer than this are equal: the server rounds exposure to the currency (cents), so
 * half a cent separates "exactly at the limit" from "over it" without float noise.
 */
export const AMOUNT_EPSILON = 0.005;

/** One drawn piece of the stacked bar; positions are percentages of the bar's width. */
export interface BarPiece {
    key: SegmentKey;
    /** The amount this piece draws (part of a segment when it is cut at the limit). */
    amount: number;
    left: number;
    width: number;
    /** The piece lies beyond the credit limit. */
    over: boolean;
}

export interface ExposureBar {
    pieces: BarPiece[];
    /** A credit limit is enforced: the bar shows a marker at it. */
    hasLimit: boolean;
    /** Where the limit marker goes (percent), null without a limit. */
    limitAt: number | null;
    /** The total exposure is above the limit. */
    over: boolean;
    /** How far above the limit (0 when not over). */
    overAmount: number;
    /** Room left under the limit (0 when over or without a limit). */
    available: number;
    /** Total as a whole percentage of the limit (0 for a credit balance), null without a limit. */
    usedPercent: number | null;
    /**
     * Credit the customer holds (credit notes above open invoices, as a positive amount). It
     * offsets the other segments, so the bar draws the net exposure.
     */
    credit: number;
    /** Nothing to draw: no positive net exposure. */
    empty: boolean;
}

function amount(value: unknown): number {
    return typeof value === "number" && Number.isFinite(value) ? value : 0;
}

/** Percent of `scale`, kept to 3 decimals (enough for a CSS width, stable in tests). */
function percent(value: number, scale: number): number {
    return Math.round((value / scale) * 100_000) / 1000;
}

/**
 * Lays out the exposure against the credit limit as a horizontal stacked bar.
 *
 * Segments are stacked receivables, uninvoiced orders, this order. A negative segment (credit
 * notes exceeding invoices) is a credit: it offsets the following positive segments (then the
 * earlier ones), so the drawn length is the net exposure the server compares with the limit.
 * The bar spans the larger of the limit and the net exposure; pieces beyond the limit are cut
 * off and marked `over`. Without an enforced limit (none, zero, or credit control off) the bar
 * spans the exposure alone and nothing is over.
 */
export function computeExposureBar(
    exposure: Pick<Exposure, SegmentKey | "total" | "limit" | "credit_control">,
): ExposureBar {
    const values = SEGMENT_KEYS.map((key) => ({ key, value: amount(exposure[key]) }));
    const credit = values.reduce((sum, s) => sum + (s.value < 0 ? -s.value : 0), 0);
    // Spend the credit on the positive segments after the negative one first (a credit note
    // offsets the exposure that follows it), then on the earlier ones.
    const firstNegative = values.findIndex((s) => s.value < 0);
    const order =
        firstNegative < 0
            ? []
            : [...values.slice(firstNegative + 1), ...values.slice(0, firstNegative).reverse()];
    const drawn = new Map<SegmentKey, number>(
        values.map((s) => [s.key, Math.max(s.value, 0)] as [SegmentKey, number]),
    );
    let toOffset = credit;
    for (const s of order) {
        const value = drawn.get(s.key) ?? 0;
        const used = Math.min(value, toOffset);
        drawn.set(s.key, value - used);
        toOffset -= used;
    }
    const net = SEGMENT_KEYS.reduce((sum, key) => sum + (drawn.get(key) ?? 0), 0);

    const limit = amount(exposure.limit);
    const hasLimit = Boolean(exposure.credit_control) && limit > 0;
    const total = amount(exposure.total);
    const over = hasLimit && total - limit > AMOUNT_EPSILON;
    const result: ExposureBar = {
        pieces: [],
        hasLimit,
        limitAt: null,
        over,
        overAmount: over ? total - limit : 0,
        available: hasLimit && !over ? Math.max(limit - total, 0) : 0,
        usedPercent: hasLimit ? Math.max(Math.round((total / limit) * 100), 0) : null,
        credit,
        empty: net <= AMOUNT_EPSILON,
    };
    const scale = hasLimit ? Math.max(limit, net) : net;
    if (scale <= AMOUNT_EPSILON) {
        return result;
    }
    result.limitAt = hasLimit ? percent(limit, scale) : null;
    // A piece ending within half a cent of the limit is not "over": float noise of the sums.
    const cut = hasLimit ? limit : Infinity;
    let start = 0;
    for (const key of SEGMENT_KEYS) {
        const value = drawn.get(key) ?? 0;
        if (value <= 0) {
            continue;
        }
        const end = start + value;
        const under = Math.min(end, cut) - start;
        if (under > 0) {
            result.pieces.push({
                key,
                amount: under,
                left: percent(start, scale),
                width: percent(under, scale),
                over: false,
            });
        }
        const beyond = end - Math.max(start, cut);
        if (beyond > AMOUNT_EPSILON) {
            const from = Math.max(start, cut);
            result.pieces.push({
                key,
                amount: beyond,
                left: percent(from, scale),
                width: percent(beyond, scale),
                over: true,
            });
        }
        start = end;
    }
    return result;
}
