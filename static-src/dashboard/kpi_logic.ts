// Pure helpers of the warehouse KPI dashboard: the server decides values, targets and colours;
// these only format them, compare them for display, shape series and build drill-downs.
import { drillDownAction } from "@distribution_governance/dashboard/overview";
import type {
    Hypercare,
    KpiCard,
    KpiDirection,
    KpiSeriesPoint,
    KpiUnit,
    PeriodPreset,
    Rag,
} from "@distribution_governance/types/kpi";
import type { ActWindowAction, Domain } from "@distribution_governance/types/services";

/** Odoo's `_t`, handed in so this module stays free of `@web` (the extractor reads `_t("…")`). */
export type Translate = (term: string, ...values: unknown[]) => string;

/** Text shown after a number, per unit, plus "pp" for differences of percentages. */
export type UnitLabels = Record<KpiUnit | "pp", string>;

export function unitLabels(_t: Translate): UnitLabels {
    return {
        "%": "%",
        h: _t("h"),
        count: "",
        "units/day": _t("units/day"),
        amount: "",
        pp: _t("pp"),
    };
}

export function periodOptions(_t: Translate): { value: PeriodPreset; label: string }[] {
    return [
        { value: "today", label: _t("Today") },
        { value: "yesterday", label: _t("Yesterday") },
        { value: "last_7_days", label: _t("Last 7 days") },
        { value: "last_28_days", label: _t("Last 28 days") },
        { value: "this_month", label: _t("This month") },
        { value: "last_month", label: _t("Last month") },
        { value: "custom", label: _t("Custom") },
    ];
}

/** Decimals shown per unit; deltas are rounded to the same precision before judging them. */
const DECIMALS: Record<KpiUnit, number> = { "%": 1, h: 1, count: 0, "units/day": 1, amount: 0 };

function round(value: number, decimals: number): number {
    const factor = 10 ** decimals;
    // + 0 turns -0 into 0 so a vanished difference never shows as "-0"
    return Math.round(value * factor) / factor + 0;
}

function formatNumber(value: number, decimals: number, locale?: string, signed = false): string {
    return new Intl.NumberFormat(locale, {
        minimumFractionDigits: decimals,
        maximumFractionDigits: decimals,
        signDisplay: signed ? "exceptZero" : "auto",
    }).format(value);
}

function withSuffix(text: string, suffix: string): string {
    if (!suffix) {
        return text;
    }
    return suffix === "%" ? text + suffix : `${text}\u00a0${suffix}`;
}

/** "97.5%", "12.3 h", "1,234"; a dash when there is nothing to measure. */
export function formatKpiValue(
    value: number | null,
    unit: KpiUnit,
    labels: UnitLabels,
    locale?: string,
): string {
    if (value === null || !Number.isFinite(value)) {
        return "–";
    }
    return withSuffix(formatNumber(value, DECIMALS[unit], locale), labels[unit]);
}

export type Tone = "good" | "bad" | "neutral";

export interface KpiDelta {
    /** value - reference, rounded to the unit's precision (percentage points for "%"). */
    diff: number;
    /** Relative change in % of the reference; null for "%" KPIs and a zero reference. */
    percent: number | null;
    tone: Tone;
    arrow: "up" | "down" | "flat";
    text: string;
}

/** How `value` compares with `reference` (previous period or baseline); null when either is. */
export function kpiDelta(
    value: number | null,
    reference: number | null,
    unit: KpiUnit,
    direction: KpiDirection,
    labels: UnitLabels,
    locale?: string,
): KpiDelta | null {
    if (value === null || reference === null) {
        return null;
    }
    const decimals = DECIMALS[unit];
    const diff = round(value - reference, decimals);
    const percent =
        unit === "%" || reference === 0
            ? null
            : round(((value - reference) / Math.abs(reference)) * 100, 1);
    const tone: Tone =
        diff === 0 ? "neutral" : diff > 0 === (direction === "higher") ? "good" : "bad";
    let text = withSuffix(
        formatNumber(diff, decimals, locale, true),
        unit === "%" ? labels.pp : labels[unit],
    );
    if (percent !== null && diff !== 0) {
        text += ` (${formatNumber(percent, 0, locale, true)}%)`;
    }
    return { diff, percent, tone, arrow: diff > 0 ? "up" : diff < 0 ? "down" : "flat", text };
}

const RAG_COLOURS: Record<Rag, string> = { green: "success", amber: "warning", red: "danger" };

/** Bootstrap 5 class for a server colour: a badge ("text-bg-…"), a border or a text colour. */
export function ragClass(rag: Rag | null, kind: "badge" | "border" | "text" = "badge"): string {
    if (!rag) {
        return "";
    }
    const prefix = { badge: "text-bg-", border: "border-", text: "text-" }[kind];
    return prefix + RAG_COLOURS[rag];
}

export interface Sparkline {
    /** SVG polyline `points`, one per run of days with a value (a null day breaks the line). */
    lines: string[];
    /** Days with a value between two empty days: a polyline of one point draws nothing. */
    dots: { x: number; y: number }[];
}

/**
 * Fits the series in width x height (y grows downwards, `pad` keeps strokes inside). A constant
 * series is drawn through the middle; a single day sits in the horizontal centre.
 */
export function sparkline(
    series: KpiSeriesPoint[],
    width: number,
    height: number,
    pad = 2,
): Sparkline {
    const values = series.map((p) => p.value);
    const known = values.filter((v): v is number => v !== null);
    const min = Math.min(...known);
    const max = Math.max(...known);
    const n = values.length;
    const x = (i: number) =>
        round(n === 1 ? width / 2 : pad + (i * (width - 2 * pad)) / (n - 1), 1);
    const y = (v: number) =>
        round(max === min ? height / 2 : pad + ((max - v) * (height - 2 * pad)) / (max - min), 1);
    const result: Sparkline = { lines: [], dots: [] };
    let run: { x: number; y: number }[] = [];
    const flush = () => {
        if (run.length === 1) {
            result.dots.push(run[0]!);
        } else if (run.length > 1) {
            result.lines.push(run.map((p) => `${p.x},${p.y}`).join(" "));
        }
        run = [];
    };
    values.forEach((v, i) => {
        if (v === null) {
            flush();
        } else {
            run.push({ x: x(i), y: y(v) });
        }
    });
    flush();
    return result;
}

export interface LineDataset {
    label: string;
    data: (number | null)[];
    borderColor: string;
    backgroundColor: string;
    borderDash?: number[];
    pointRadius?: number;
    spanGaps: boolean;
}

/**
 * Chart.js `data` of a KPI's trend: one label per day, nulls kept (Chart.js leaves a gap) and,
 * when the KPI has a target, a flat dashed line at its green threshold.
 */
export function trendChartData(
    card: Pick<KpiCard, "label" | "series" | "target">,
    targetLabel: string,
    formatDate: (iso: string) => string = (iso) => iso,
): { labels: string[]; datasets: LineDataset[] } {
    const datasets: LineDataset[] = [
        {
            label: card.label,
            data: card.series.map((p) => p.value),
            borderColor: "#017e84",
            backgroundColor: "rgba(1, 126, 132, 0.15)",
            spanGaps: false,
        },
    ];
    const target = card.target;
    if (target) {
        datasets.push({
            label: targetLabel,
            data: card.series.map(() => target.green),
            borderColor: "#198754",
            backgroundColor: "#198754",
            borderDash: [6, 4],
            pointRadius: 0,
            spanGaps: true,
        });
    }
    return { labels: card.series.map((p) => formatDate(p.date)), datasets };
}

/** The list of exactly the records a KPI (or one warehouse's cell of it) counted. */
export function kpiDrillDown(
    card: Pick<KpiCard, "label" | "model">,
    domain: Domain,
    scope?: string,
): ActWindowAction {
    const label = scope ? `${card.label} · ${scope}` : card.label;
    return drillDownAction({ label, model: card.model, domain });
}

export interface HypercarePhase {
    phase: "before" | "during" | "after";
    /** Before: days until go-live; during: the day of the window; after: days since it ended. */
    days: number;
    /** How much of the window has passed, 0..100. */
    percent: number;
}

export function hypercarePhase(h: Pick<Hypercare, "day" | "window_days">): HypercarePhase {
    const percent = Math.min(100, Math.max(0, round((h.day / h.window_days) * 100, 0)));
    if (h.day <= 0) {
        // day 1 is the go-live date itself
        return { phase: "before", days: 1 - h.day, percent: 0 };
    }
    if (h.day > h.window_days) {
        return { phase: "after", days: h.day - h.window_days, percent: 100 };
    }
    return { phase: "during", days: h.day, percent };
}
