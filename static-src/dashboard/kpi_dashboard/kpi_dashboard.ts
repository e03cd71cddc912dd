import {
    Component,
    onWillStart,
    onWillUnmount,
    status,
    useEffect,
    useRef,
    useState,
} from "@odoo/owl";
import { loadBundle } from "@web/core/assets";
import { DateTimeInput } from "@web/core/datetime/datetime_input";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { deserializeDate, serializeDate, type DateTime } from "@web/core/l10n/dates";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useSetupAction } from "@web/search/action_hook";
import { Layout } from "@web/search/layout";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import { formatServerDate } from "@distribution_governance/approvals/format";
import { errorMessage } from "@distribution_governance/core/errors";
import {
    formatKpiValue,
    hypercarePhase,
    kpiDelta,
    kpiDrillDown,
    narrowDomain,
    periodOptions,
    ragClass,
    sparkline,
    trendChartData,
    unitLabels,
    type KpiDelta,
    type KpiDrill,
    type Sparkline,
} from "@distribution_governance/dashboard/kpi_logic";
import type {
    Hypercare,
    KpiCard,
    KpiDashboard as KpiData,
    KpiFilters,
    KpiUnit,
    PeriodPreset,
    Rag,
    ReadinessCriterion,
    SubjectRow,
} from "@distribution_governance/types/kpi";
import type { ActionService, Domain, OrmService } from "@distribution_governance/types/services";

export interface KpiDashboardProps {
    action?: { name?: string };
    actionId?: number;
    className?: string;
    /** What getLocalState() returned when the user left (breadcrumb back from a drill-down). */
    state?: { filters?: Partial<Filters> };
}

interface Filters {
    period: PeriodPreset;
    date_from: string;
    date_to: string;
    /** Empty: all (of the selected companies). */
    warehouse_ids: number[];
    company_ids: number[];
}

interface KpiState {
    data: KpiData | null;
    loading: boolean;
    error: string | null;
    filters: Filters;
    selectedKey: string | null;
    /** The trend was just asked for from a card: it is scrolled to and flashes once. */
    highlight: boolean;
    /** The companies the user may pick from (those active in the company switcher). */
    companies: { id: number; name: string }[];
}

/** The sparkline's SVG viewBox (the template's `viewBox="0 0 120 28"`). */
const SPARK_W = 120;
const SPARK_H = 28;

/** Client action `distribution_governance.kpi_dashboard`: the warehouse productivity KPIs. */
export class KpiDashboard extends Component<KpiDashboardProps> {
    static template = "distribution_governance.KpiDashboard";
    static components = { Layout, Dropdown, DateTimeInput };
    static props = { ...standardActionServiceProps };

    orm!: OrmService;
    actionService!: ActionService;
    state!: KpiState;
    canvas!: { el: HTMLCanvasElement | null };
    trend!: { el: HTMLElement | null };
    chart: Chart | null = null;
    /** Scroll to the trend once it shows the KPI asked for. */
    reveal = false;
    seq = 0;

    readonly periods = periodOptions(_t);
    readonly units = unitLabels(_t);
    readonly ragLabels: Record<Rag, string> = {
        green: _t("On target"),
        amber: _t("Watch"),
        red: _t("Off target"),
    };

    setup(): void {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState<KpiState>({
            data: null,
            loading: true,
            error: null,
            filters: {
                period: "last_7_days",
                date_from: "",
                date_to: "",
                warehouse_ids: [],
                company_ids: [],
                ...this.props.state?.filters,
            },
            selectedKey: null,
            highlight: false,
            companies: [],
        });
        this.canvas = useRef("chart");
        this.trend = useRef("trend");
        useSetupAction({ getLocalState: () => ({ filters: { ...this.state.filters } }) });
        // not awaited: the skeleton shows while the figures are computed
        onWillStart(() => void this.load());
        useEffect(
            () => void this.renderChart(),
            () => [this.state.data, this.state.selectedKey],
        );
        useEffect(
            () => {
                if (this.reveal && this.trend.el) {
                    this.reveal = false;
                    this.trend.el.scrollIntoView({ behavior: "smooth", block: "center" });
                }
            },
            () => [this.state.selectedKey, this.state.highlight],
        );
        onWillUnmount(() => this.destroyChart());
    }

    // ------------------------------------------------------------------ data

    async load(): Promise<void> {
        const seq = ++this.seq;
        const f = this.state.filters;
        const filters: KpiFilters = { period: f.period };
        if (f.period === "custom") {
            Object.assign(filters, { date_from: f.date_from, date_to: f.date_to });
        }
        if (f.warehouse_ids.length) {
            filters.warehouse_ids = [...f.warehouse_ids];
        }
        if (f.company_ids.length) {
            filters.company_ids = [...f.company_ids];
        }
        this.state.loading = true;
        try {
            const data = await this.orm.call<KpiData>(
                "distribution.dashboard",
                "get_kpi_dashboard",
                [filters],
            );
            if (seq === this.seq) {
                this.applyData(data);
            }
        } catch (error) {
            if (seq === this.seq) {
                this.state.error = errorMessage(error);
                this.state.data = null;
            }
        } finally {
            if (seq === this.seq) {
                this.state.loading = false;
            }
        }
    }

    applyData(data: KpiData): void {
        const f = this.state.filters;
        f.date_from = data.period.date_from;
        f.date_to = data.period.date_to;
        // the server is authoritative on the scope; "every warehouse" stays an empty selection
        const all = data.warehouses.every((w) => data.selected_warehouse_ids.includes(w.id));
        f.warehouse_ids = all ? [] : [...data.selected_warehouse_ids];
        f.company_ids = [...data.selected_company_ids];
        this.state.companies = data.companies;
        this.state.error = null;
        this.state.data = data;
        if (!data.kpis.some((k) => k.key === this.state.selectedKey)) {
            const withValue = data.kpis.find((k) => k.series.some((p) => p.value !== null));
            this.state.selectedKey = (withValue ?? data.kpis[0])?.key ?? null;
        }
    }

    // ------------------------------------------------------------------ filters

    setPeriod(ev: Event): void {
        this.state.filters.period = (ev.target as HTMLSelectElement).value as PeriodPreset;
        if (this.state.filters.period !== "custom") {
            void this.load();
        }
    }

    /** A date of the custom period, from Odoo's date picker (null: cleared). */
    setDate(which: "date_from" | "date_to", value: DateTime | null): void {
        const f = this.state.filters;
        f[which] = value ? serializeDate(value) : "";
        if (f.date_from && f.date_to && f.date_from <= f.date_to) {
            void this.load();
        }
    }

    /** A date of the filters as the date picker's value. */
    dateValue(iso: string): DateTime | null {
        return iso ? deserializeDate(iso) : null;
    }

    toggleWarehouse(id: number): void {
        const f = this.state.filters;
        const ids = f.warehouse_ids.length ? f.warehouse_ids : this.warehouseIds;
        f.warehouse_ids = ids.includes(id) ? ids.filter((x) => x !== id) : [...ids, id];
        if (f.warehouse_ids.length === this.warehouseIds.length) {
            f.warehouse_ids = [];
        }
        void this.load();
    }

    toggleCompany(id: number): void {
        const f = this.state.filters;
        const ids = f.company_ids.includes(id)
            ? f.company_ids.filter((x) => x !== id)
            : [...f.company_ids, id];
        if (!ids.length) {
            return; // at least one company
        }
        f.company_ids = ids;
        // another company set offers other warehouses: start again from all of them
        f.warehouse_ids = [];
        void this.load();
    }

    get warehouses(): KpiData["warehouses"] {
        return this.state.data?.warehouses ?? [];
    }

    get warehouseIds(): number[] {
        return this.warehouses.map((w) => w.id);
    }

    isWarehouseOn(id: number): boolean {
        const ids = this.state.filters.warehouse_ids;
        return !ids.length || ids.includes(id);
    }

    get warehouseLabel(): string {
        const ids = this.state.filters.warehouse_ids;
        if (!ids.length) {
            return _t("All warehouses");
        }
        if (ids.length === 1) {
            return this.warehouses.find((w) => w.id === ids[0])?.name ?? "";
        }
        return _t("%s warehouses", ids.length);
    }

    get companyLabel(): string {
        const { companies, filters } = this.state;
        if (filters.company_ids.length === companies.length) {
            return _t("All companies");
        }
        return companies
            .filter((c) => filters.company_ids.includes(c.id))
            .map((c) => c.name)
            .join(", ");
    }

    // ------------------------------------------------------------------ display

    get kpis(): KpiCard[] {
        return this.state.data?.kpis ?? [];
    }

    get isEmpty(): boolean {
        return !this.kpis.some((k) => k.value !== null);
    }

    get selected(): KpiCard | undefined {
        return this.kpis.find((k) => k.key === this.state.selectedKey);
    }

    /** The per-warehouse table's columns: the cards of `warehouse_kpis`, in that order. */
    get columns(): KpiCard[] {
        return this.cardsOf(this.state.data?.warehouse_kpis ?? []);
    }

    cardsOf(keys: string[]): KpiCard[] {
        return keys.flatMap((key) => this.kpis.filter((k) => k.key === key));
    }

    /** The per-operator table, the per-vendor scorecard and the approvals by kind (those with
     * rows). */
    get subjectTables(): {
        key: string;
        title: string;
        subject: string;
        columns: KpiCard[];
        rows: SubjectRow[];
    }[] {
        const data = this.state.data;
        if (!data) {
            return [];
        }
        const tables = [
            {
                key: "operators",
                title: _t("By operator"),
                subject: _t("Operator"),
                columns: this.cardsOf(data.operator_kpis),
                rows: data.by_operator,
            },
            {
                key: "vendors",
                title: _t("Vendor scorecard"),
                subject: _t("Vendor"),
                columns: this.cardsOf(data.vendor_kpis),
                rows: data.by_vendor,
            },
            {
                key: "kinds",
                title: _t("Approvals by kind"),
                subject: _t("Kind"),
                columns: this.cardsOf(data.kind_kpis),
                rows: data.by_kind,
            },
        ];
        return tables.filter((table) => table.columns.length && table.rows.length);
    }

    fmt(value: number | null, unit: KpiUnit): string {
        return formatKpiValue(value, unit, this.units);
    }

    date(iso: string): string {
        return formatServerDate(iso);
    }

    delta(card: KpiCard, reference: number | null): KpiDelta | null {
        return kpiDelta(card.value, reference, card.unit, card.direction, this.units);
    }

    toneClass(delta: KpiDelta): string {
        return { good: "text-success", bad: "text-danger", neutral: "text-muted" }[delta.tone];
    }

    rag(rag: Rag | null, kind?: "badge" | "border" | "text"): string {
        return ragClass(rag, kind);
    }

    spark(card: KpiCard): Sparkline {
        return sparkline(card.series, SPARK_W, SPARK_H);
    }

    targetText(card: KpiCard): string {
        const t = card.target;
        if (!t) {
            return "";
        }
        return `${t.direction === "higher" ? "≥" : "≤"} ${this.fmt(t.green, card.unit)}`;
    }

    hypercareText(h: Hypercare): string {
        const { phase, days } = hypercarePhase(h);
        if (phase === "before") {
            return days === 1 ? _t("Go-live tomorrow") : _t("Go-live in %s days", days);
        }
        return phase === "after" ? _t("Hypercare ended") : _t("Day %s of %s", days, h.window_days);
    }

    hypercarePercent(h: Hypercare): number {
        return hypercarePhase(h).percent;
    }

    // ------------------------------------------------------------------ drill-downs and chart

    /** Opens the records a card (or a table cell of it: `scope`) counted. */
    async open(card: KpiCard, domain: Domain, scope?: string): Promise<void> {
        await this.drill({ label: card.label, model: card.model, domain, scope }, card);
    }

    /** Opens the card's records that miss ("late"...). */
    async openFlag(card: KpiCard): Promise<void> {
        if (card.flag) {
            const domain = narrowDomain(card.domain, card.flag.domain);
            const flag = card.flag.label;
            await this.drill({ label: card.label, model: card.model, domain, flag }, card);
        }
    }

    /** Opens one operator's or vendor's records of a card. */
    async openSubject(card: KpiCard, row: SubjectRow): Promise<void> {
        const field = this.state.data?.subject_fields[card.key];
        if (field) {
            const domain = narrowDomain(card.domain, [[field, "=", row.id]]);
            await this.open(card, domain, row.name);
        }
    }

    async openCriterion(h: Hypercare, c: ReadinessCriterion): Promise<void> {
        if (c.model && c.domain) {
            await this.drill({
                label: c.name,
                model: c.model,
                domain: c.domain,
                scope: h.company_name,
            });
        }
    }

    async drill(drill: Omit<KpiDrill, "listViewId">, card?: KpiCard): Promise<void> {
        const { action, options } = kpiDrillDown({
            ...drill,
            listViewId: card?.list_view_id ?? false,
        });
        await this.actionService.doAction(action, options);
    }

    /** The chart icon of a card: its trend, scrolled to and flashed. */
    select(card: KpiCard): void {
        this.state.selectedKey = card.key;
        this.state.highlight = true;
        this.reveal = true;
    }

    endHighlight(): void {
        this.state.highlight = false;
    }

    destroyChart(): void {
        this.chart?.destroy();
        this.chart = null;
    }

    async renderChart(): Promise<void> {
        if (!this.selected) {
            this.destroyChart();
            return;
        }
        await loadBundle("web.chartjs_lib");
        // read again after the wait: the user may have picked another KPI or left meanwhile
        const card = this.selected;
        const canvas = this.canvas.el;
        this.destroyChart();
        if (!card || !canvas || status(this) === "destroyed") {
            return;
        }
        this.chart = new Chart(canvas, {
            type: "line",
            data: trendChartData(card, _t("Target"), (iso) => this.date(iso)),
            options: {
                responsive: true,
                maintainAspectRatio: false,
                animation: false,
                interaction: { mode: "index", intersect: false },
                plugins: { legend: { position: "bottom" } },
            },
        });
    }
}

registry.category("actions").add("distribution_governance.kpi_dashboard", KpiDashboard);
