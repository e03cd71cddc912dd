// Shape of `distribution.dashboard.get_kpi_dashboard(filters)`, the warehouse KPI dashboard's one
// RPC (type-only: build.mjs emits nothing for types/). The server decides every value, target and
// colour; the client only formats, shapes series and opens drill-downs.
import type { Domain } from "@distribution_governance/types/services";

export type PeriodPreset =
    "today" | "yesterday" | "last_7_days" | "last_28_days" | "this_month" | "last_month" | "custom";

/** What the client sends; everything optional (server defaults: last_7_days, all). */
export interface KpiFilters {
    period?: PeriodPreset;
    /** ISO dates, only with period "custom". */
    date_from?: string;
    date_to?: string;
    /** Empty or absent: every warehouse of the selected companies. */
    warehouse_ids?: number[];
    /** Must be companies the user is allowed in; empty or absent: the user's active companies. */
    company_ids?: number[];
}

export type Rag = "green" | "amber" | "red";
export type KpiUnit = "%" | "h" | "count" | "units/day" | "lines/day" | "transfers/day" | "amount";
export type KpiDirection = "higher" | "lower";

export interface KpiTarget {
    direction: KpiDirection;
    /** Green at or beyond this value (>= for "higher", <= for "lower"). */
    green: number;
    /** Amber at or beyond this value; red otherwise. */
    amber: number;
}

export interface KpiSeriesPoint {
    /** ISO date: a local day of the companies' KPI time zones. */
    date: string;
    /** null: nothing to measure that day. */
    value: number | null;
}

/** The records of a KPI that miss (late, with an exception...): a drill-down of their own. */
export interface KpiFlag {
    /** What they are, lower case: "late", "with an exception". */
    label: string;
    count: number;
    /** What narrows the card's records to those: the drill-down opens the card's domain and
     * these leaves. */
    domain: Domain;
}

export interface KpiCard {
    key: string;
    label: string;
    /** What the KPI measures, one sentence (the documented formula). */
    help: string;
    unit: KpiUnit;
    /** Which way is better, also when no target is set. */
    direction: KpiDirection;
    /** null: nothing to measure in the period (e.g. no delivery done). */
    value: number | null;
    previous: number | null;
    /** Pre-go-live baseline in hypercare, else the 28 days before the period; null when unknown. */
    baseline: number | null;
    target: KpiTarget | null;
    /** Server-computed colour of `value` against `target`; null without a target or value. */
    rag: Rag | null;
    /** Number of records counted; the drill-down list has exactly this many. */
    count: number;
    /** Model and domain of the counted records. */
    model: string;
    domain: Domain;
    /** What the drill-down lists, agreeing with `count` ("1 Transfer", "7 Transfers"). */
    model_name: string;
    /** The list view that shows what explains the KPI (deadline, date done...); false: the
     * model's default. */
    list_view_id: number | false;
    /** The counted records that miss, for ratios of records; null for the others. */
    flag: KpiFlag | null;
    /** One point per day of the period. */
    series: KpiSeriesPoint[];
    /** Extra figure shown under the value, e.g. valuation of adjustments; null when none. */
    secondary: { label: string; value: number; unit: KpiUnit } | null;
}

export interface WarehouseKpiCell {
    value: number | null;
    count: number;
    /** What the drill-down lists, agreeing with `count`. */
    model_name: string;
    rag: Rag | null;
    domain: Domain;
}

export interface WarehouseRow {
    warehouse_id: number;
    name: string;
    company_name: string;
    /** By KPI key; only the KPIs listed in `warehouse_kpis`. */
    kpis: Record<string, WarehouseKpiCell>;
}

/** A KPI of one operator or vendor: it opens the card's records whose subject field is the
 * row's id. */
export interface SubjectKpiCell {
    value: number | null;
    count: number;
    /** What the drill-down lists, agreeing with `count`. */
    model_name: string;
    rag: Rag | null;
}

/** A row of the per-operator table or the per-vendor scorecard. */
export interface SubjectRow {
    /** res.users id (operators), res.partner id (vendors) or an approval kind's key. */
    id: number | string;
    name: string;
    /** By KPI key: the subject's own figures. */
    kpis: Record<string, SubjectKpiCell>;
}

export interface ReadinessCriterion {
    id: number;
    name: string;
    passed: boolean;
    /** One line: what was measured against what, e.g. "5 of 5 days ≥ 98 %". */
    detail: string;
    /** Records behind a failure (optional drill-down). */
    model: string | null;
    domain: Domain | null;
    count: number | null;
}

export interface Hypercare {
    company_id: number;
    company_name: string;
    go_live_date: string;
    /** Day N of the window: <= 0 before go-live, 1..window_days during, > window_days after. */
    day: number;
    window_days: number;
    active: boolean;
    baseline_from: string;
    baseline_to: string;
    readiness: ReadinessCriterion[];
    /** True when every criterion passes. */
    ready: boolean;
}

export interface KpiDashboard {
    period: {
        preset: PeriodPreset;
        date_from: string;
        date_to: string;
        previous_from: string;
        previous_to: string;
        days: number;
    };
    companies: { id: number; name: string }[];
    /** Warehouses the user may filter on (of the selected companies). */
    warehouses: { id: number; name: string; company_id: number }[];
    selected_warehouse_ids: number[];
    selected_company_ids: number[];
    kpis: KpiCard[];
    warehouse_kpis: string[];
    by_warehouse: WarehouseRow[];
    /** The per-operator table's KPIs (those the user reads) and rows, the busiest first. */
    operator_kpis: string[];
    by_operator: SubjectRow[];
    /** The per-vendor scorecard's KPIs and rows, the busiest first. */
    vendor_kpis: string[];
    by_vendor: SubjectRow[];
    kind_kpis: string[];
    by_kind: SubjectRow[];
    /** By KPI key of those tables: the field (a path) holding the row's id on its records. */
    subject_fields: Record<string, string>;
    /** One entry per selected company with a go-live date. */
    hypercare: Hypercare[];
    generated_at: string;
}
