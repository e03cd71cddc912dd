// Pure helpers of the warehouse KPI dashboard: the server decides values, targets and colours;
// these only format them, compare them for display, shape series and build drill-downs.
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
        "lines/day": _t("lines/day"),
        "transfers/day": _t("transfers/day"),
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
const DECIMALS: Record<KpiUnit, number> = {
    "%": 1,
    h: 1,
    count: 0,
    "units/day": 1,
    "lines/day": 1,
    "transfers/day": 1,
    amount: 0,
};

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
    /** SVG polyline `points` through the days with a value, across the days without (as the
     * trend chart's `spanGaps`); empty with fewer than two such days. */
    lines: string[];
    /** The days with a value, marked when some days have none (so the line does not pass for
     * measured days), or a lone day. */
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
    const points = values.flatMap((v, i) => (v === null ? [] : [{ x: x(i), y: y(v) }]));
    const gaps = points.length < values.length;
    return {
        lines: points.length > 1 ? [points.map((p) => `${p.x},${p.y}`).join(" ")] : [],
        dots: points.length === 1 || gaps ? points : [],
    };
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
 * Chart.js `data` of a KPI's trend: one label per day, the line drawn across days without a
 * value (a null stays without a point, `spanGaps` joins its neighbours) and, when the KPI has a
 * target, a flat dashed line at its green threshold.
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
            spanGaps: true,
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

/** What a KPI drill-down opens: the records counted, or some of them (a subject, a flag). */
export interface KpiDrill {
    /** The card's KPI label. */
    label: string;
    model: string;
    domain: Domain;
    listViewId: number | false;
    /** Whose records (a warehouse, an operator, a vendor) or which ("late"): named in the facet. */
    scope?: string;
    flag?: string;
}

/** The records of `domain` (a card's) that also match `narrower`: a flag's, a subject's. */
export function narrowDomain(domain: Domain, narrower: Domain): Domain {
    // normalized domains are one expression each: side by side they are AND-ed
    return [...domain, ...narrower];
}

/** The facet a KPI drill-down shows in the search bar: "On-time shipment · Main", "On-time
 * shipment: late". */
export function kpiFacet(drill: Pick<KpiDrill, "label" | "scope" | "flag">): string {
    let text = drill.label;
    if (drill.flag) {
        text += `: ${drill.flag}`;
    }
    return drill.scope ? `${text} · ${drill.scope}` : text;
}

/**
 * The list of exactly the records a KPI (a table cell of it, its flagged records) counted, in
 * Odoo's list view that explains the KPI, with nothing to create there. The records are not a
 * hidden action domain but a facet of the search bar, named after the KPI: the user sees what
 * the list is and may remove or combine it (`options.props.dynamicFilters` of the action
 * service, what Odoo's own record selectors use).
 */
export function kpiDrillDown(drill: KpiDrill): {
    action: ActWindowAction;
    options: { props: { dynamicFilters: { description: string; domain: Domain }[] } };
} {
    const facet = kpiFacet(drill);
    const action: ActWindowAction = {
        type: "ir.actions.act_window",
        name: facet,
        res_model: drill.model,
        views: [
            [drill.listViewId, "list"],
            [false, "form"],
        ],
        target: "current",
        // Odoo's views hide *New* when the action's context says create: false
        context: { create: false },
    };
    return {
        action,
        options: { props: { dynamicFilters: [{ description: facet, domain: drill.domain }] } },
    };
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
