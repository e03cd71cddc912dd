from collections import defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.translate import LazyTranslate

from ..kpi.days import days_between
from ..kpi.engine import DAY, SUBJECT, KpiEngine
from ..kpi.registry import KPIS, MAX_PERIOD_DAYS, SUBJECT_SNAPSHOT_KEYS
from ..kpi.results import EMPTY, Figures, total
from ..kpi.scope import Scope
from . import input_checks
from .distribution_kpi_snapshot import BASELINE_DAYS

_lt = LazyTranslate(__name__)

PERIOD_PRESETS = (
    "today",
    "yesterday",
    "last_7_days",
    "last_28_days",
    "this_month",
    "last_month",
    "custom",
)
# what a drill-down lists, as the cards say it: "1 Transfer", "7 Transfers"
RECORD_LABELS = {
    "stock.picking": (_lt("Transfer"), _lt("Transfers")),
    "stock.move": (_lt("Stock Move"), _lt("Stock Moves")),
    "stock.move.line": (_lt("Move Line"), _lt("Move Lines")),
    "purchase.order.line": (_lt("Purchase Line"), _lt("Purchase Lines")),
    "sale.order": (_lt("Sales Order"), _lt("Sales Orders")),
    "sale.order.line": (_lt("Order Line"), _lt("Order Lines")),
    "account.move": (_lt("Credit Note"), _lt("Credit Notes")),
    "distribution.exception": (_lt("Exception"), _lt("Exceptions")),
    "distribution.approval.request": (_lt("Approval Request"), _lt("Approval Requests")),
}


def record_label(env, model, count):
    one, many = RECORD_LABELS[model]
    return env._(one if count == 1 else many)


# the per-warehouse table: the operational KPIs a warehouse manager compares sites on (each
# KPI method here answers a scope with "split": one query for all warehouses)
WAREHOUSE_KPIS = (
    "on_time_shipment",
    "pick_accuracy",
    "fill_rate",
    "pick_to_ship",
    "order_cycle_time",
    "lines_picked",
    "transfers_validated",
    "receiving_throughput",
    "dock_to_stock",
    "supplier_on_time",
    "supplier_fill_rate",
    "exceptions_backlog",
)
# the KPIs whose queries group by warehouse: computed in one pass whose groups also add up to
# the cards' values (the backorder rate comes with the other shipped-picking figures)
SPLIT_KPIS = (*WAREHOUSE_KPIS, "backorder_rate")
# the per-operator table and the per-vendor scorecard: their KPIs grouped by the population's
# subject (the user who validated, the vendor), the busiest first
OPERATOR_KPIS = ("lines_picked", "transfers_validated")
VENDOR_KPIS = ("supplier_on_time", "supplier_fill_rate")
# the approvals' figures per kind of request (credit, prices, ...)
KIND_KPIS = ("approval_rate", "median_time_to_decide")
SUBJECT_ROWS = 25
# how the dashboard computes a KPI for its user (see get_kpi_dashboard)
SNAPSHOT, HISTORY, LIVE = "snapshot", "history", "live"


class DistributionDashboard(models.AbstractModel):
    _inherit = "distribution.dashboard"

    # ------------------------------------------------------------------ filters

    @api.model
    def _kpi_period(self, filters, today):
        """The period asked; presets count from `today`, the local day of the dashboard's
        reference zone."""
        preset = filters.get("period") or "last_7_days"
        if preset not in PERIOD_PRESETS:
            raise UserError(_("Unknown period: %s", preset))
        if preset == "custom":
            # dates kept far from Python's limits: the previous period and the baseline go back
            # up to a year and a month before the start
            start, end = input_checks.period(
                self.env, filters.get("date_from"), filters.get("date_to"), MAX_PERIOD_DAYS
            )
        elif preset == "today":
            start = end = today
        elif preset == "yesterday":
            start = end = today - timedelta(days=1)
        elif preset in ("last_7_days", "last_28_days"):
            start, end = today - timedelta(days=6 if preset == "last_7_days" else 27), today
        elif preset == "this_month":
            start, end = today.replace(day=1), today
        else:
            end = today.replace(day=1) - timedelta(days=1)
            start = end.replace(day=1)
        days = (end - start).days + 1
        if preset == "last_month":
            previous_to = start - timedelta(days=1)
            previous_from = start - relativedelta(months=1)
        else:
            previous_to = start - timedelta(days=1)
            previous_from = start - timedelta(days=days)
        return {
            "preset": preset,
            "date_from": start,
            "date_to": end,
            "previous_from": previous_from,
            "previous_to": previous_to,
            "days": days,
        }

    @api.model
    def _kpi_ids(self, filters, key):
        return list(dict.fromkeys(input_checks.id_list(self.env, filters.get(key) or [], key)))

    @api.model
    def _kpi_scope_filters(self, filters):
        """Companies and warehouses asked, checked against what the user may see."""
        company_ids = self._kpi_ids(filters, "company_ids")
        active = self.env.companies
        if company_ids:
            foreign = set(company_ids) - set(active.ids)
            if foreign:
                raise AccessError(
                    _("You are not working in the companies asked for (ids %s).", sorted(foreign))
                )
            companies = active.browse(company_ids)
        else:
            companies = active
        Warehouse = self.env["stock.warehouse"]
        warehouses = (
            Warehouse.search([("company_id", "in", companies.ids)])
            if Warehouse.has_access("read")
            else Warehouse
        )
        warehouse_ids = self._kpi_ids(filters, "warehouse_ids")
        foreign = set(warehouse_ids) - set(warehouses.ids)
        if foreign:
            raise AccessError(
                _("These warehouses are not in the companies shown (ids %s).", sorted(foreign))
            )
        return companies, warehouses, Warehouse.browse(warehouse_ids)

    # ------------------------------------------------------------------ the RPC

    @api.model
    @api.readonly
    def get_kpi_dashboard(self, filters=None):
        """The whole warehouse KPI dashboard for `filters` (see static-src/types/kpi.ts).

        Each company is measured over its own local days (its KPI time zone); the presets
        count from today in the zone of the company worked in (else the first one shown).
        Each KPI is computed one of three ways for the user:

        - SNAPSHOT: their rules do not narrow it and it is read from snapshots: closed days from
          the daily snapshots, the others live (KpiEngine.period);
        - HISTORY: their rules do not narrow it: the period live with its series (one query
          grouped by day), the previous period and the baseline from the snapshots;
        - LIVE: their rules narrow it (or several warehouses are asked of a KPI whose warehouse
          rows would count a record twice): everything live, through the ORM with their rules.
        """
        if not self.env.user.has_group("distribution_governance.group_exception_user"):
            raise AccessError(_("The warehouse KPI dashboard is for Distribution Governance users."))
        if filters is None:
            filters = {}
        if not isinstance(filters, dict):
            raise UserError(_("The dashboard filters must be an object."))
        companies, warehouses, selected = self._kpi_scope_filters(filters)
        engine = KpiEngine(self.env)
        reference = self.env.company & companies or companies[:1]
        period = self._kpi_period(filters, engine.today(reference.dg_kpi_tz))
        hypercare = self._kpi_hypercare(engine, companies)
        self.env.flush_all()
        run = _Run.of(engine, companies, warehouses, selected, period)
        # the snapshot rows of the period, the previous period and the baseline, in one read
        # (a baseline far before them, before a go-live, is read on its own)
        first = period["previous_from"]
        if first - timedelta(days=BASELINE_DAYS) <= run.baseline_from < first:
            first = run.baseline_from
        # (the warehouses' rows: those of the period, but with warehouses chosen)
        engine.preload(
            companies.ids,
            first,
            period["date_to"],
            warehouses_from=first if selected else period["date_from"],
        )

        figures = self._kpi_period_figures(run)
        self._kpi_history(run, figures)
        self._kpi_live_history(run, figures)

        targets = self.env["distribution.kpi.target"]._lookup(companies.ids)
        warehouse_keys = [key for key in WAREHOUSE_KPIS if key in run.in_table]
        operator_keys = [key for key in OPERATOR_KPIS if key in run.keys]
        vendor_keys = [key for key in VENDOR_KPIS if key in run.keys]
        kind_keys = [key for key in KIND_KPIS if key in run.keys]
        return {
            "period": {
                key: fields.Date.to_string(value) if key not in ("preset", "days") else value
                for key, value in period.items()
            },
            # the companies the user may pick from: those active in the company switcher
            "companies": [{"id": c.id, "name": c.name} for c in self.env.companies],
            "warehouses": [
                {"id": w.id, "name": w.name, "company_id": w.company_id.id} for w in warehouses
            ],
            "selected_warehouse_ids": selected.ids,
            "selected_company_ids": companies.ids,
            "kpis": self._kpi_cards(run, figures, targets, reference),
            "warehouse_kpis": warehouse_keys,
            "by_warehouse": self._kpi_by_warehouse(
                engine,
                run.current,
                run.table_warehouses,
                {key: figures.period[key].by_warehouse for key in warehouse_keys},
                targets,
            ),
            "operator_kpis": operator_keys,
            "by_operator": self._kpi_by_subject(run, operator_keys, "res.users", targets, reference),
            "vendor_kpis": vendor_keys,
            "by_vendor": self._kpi_by_subject(run, vendor_keys, "res.partner", targets, reference),
            "kind_kpis": kind_keys,
            "by_kind": self._kpi_by_subject(run, kind_keys, None, targets, reference),
            "subject_fields": {
                key: KPIS[key].population.subject
                for key in operator_keys + vendor_keys + kind_keys
            },
            "hypercare": hypercare,
            "generated_at": fields.Datetime.to_string(fields.Datetime.now()),
        }

    def _kpi_period_figures(self, run):
        """The period's Breakdown of every KPI (the cards, the table and the series, by day
        but for levels), and the previous period of the snapshot KPIs."""
        figures = _Figures()
        for split in (True, False):
            split_keys = [key for key in run.keys if (key in run.in_table) == split]
            split_ids = run.split_ids if split else None
            snapshot_keys = [key for key in split_keys if run.modes[key] == SNAPSHOT]
            live_keys = [key for key in split_keys if run.modes[key] != SNAPSHOT]
            if snapshot_keys:
                figures.period.update(run.engine.period(run.current, snapshot_keys, split_ids))
                for key, breakdown in run.engine.period(run.previous, snapshot_keys).items():
                    figures.previous[key] = KPIS[key].value(breakdown.total, run.previous.days)
            if live_keys:
                figures.period.update(run.engine.breakdown(run.current, live_keys, split_ids))
        figures.series = {
            key: breakdown.by_day
            for key, breakdown in figures.period.items()
            if breakdown.by_day is not None
        }
        return figures

    def _kpi_history(self, run, figures):
        """SNAPSHOT and HISTORY KPIs: the baseline (and the previous period of HISTORY ones)
        from the snapshots; so are the closed days of a level's series (its days cost a query
        each), its other days live."""
        history = run.of_mode(SNAPSHOT) + run.of_mode(HISTORY)
        stored = self._kpi_stored(
            run.engine, run.companies, run.selected, history, run.baseline_from,
            run.period["previous_from"], run.period["date_to"], run.todays,
        )
        for key in history:
            daily = stored.get(key, {})
            if run.modes[key] == HISTORY:
                figures.previous[key] = self._kpi_range_value(
                    key, daily, run.period["previous_from"], run.period["previous_to"]
                )
            days = [day for day in run.baseline.dates() if day in daily]
            figures.baseline[key] = self._kpi_baseline(key, daily, days, run.period["days"])
        levels = [key for key in run.of_mode(HISTORY) if key not in figures.series]
        if levels:
            figures.series.update(self._kpi_level_series(run, levels, stored))

    def _kpi_level_series(self, run, levels, stored):
        """{key: {day: Figures}} of levels: closed days from the snapshots, the others live;
        a closed day without its snapshot shows no value rather than a guess."""
        open_scope = Scope(
            tuple(
                window
                for window in (w.clip(run.todays[w.tz], w.last) for w in run.current.windows)
                if window
            ),
            run.current.warehouse_ids,
        )
        live_days = run.engine.live(open_scope, levels, (DAY,)) if open_scope.windows else {}
        first_open = min(run.todays.values())
        series = {}
        for key in levels:
            daily = stored.get(key, {})
            live = live_days[key] if live_days else None
            series[key] = {
                day: total([daily.get(day, EMPTY), live.group(day) if live else EMPTY])
                if day in daily or day >= first_open
                else None
                for day in run.current.dates()
            }
        return series

    def _kpi_live_history(self, run, figures):
        """LIVE KPIs: the previous period, the baseline and a level's series computed live,
        with the user's rules."""
        keys = run.of_mode(LIVE)
        if not keys:
            return
        engine, baseline = run.engine, run.baseline
        for key, grouped in engine.live(run.previous, keys).items():
            figures.previous[key] = KPIS[key].value(grouped.total, run.previous.days)
        for key, breakdown in engine.breakdown(baseline, keys, days=False).items():
            kpi = KPIS[key]
            if kpi.kind == "level":  # the mean of its days
                daily = self._kpi_live_days(engine, baseline, key)
                figures.baseline[key] = self._kpi_baseline(
                    key, daily, baseline.dates(), run.period["days"]
                )
                continue
            # over the whole baseline: exact, medians included
            value = kpi.value(breakdown.total, baseline.days)
            if kpi.kind == "sum":
                value = value * run.period["days"] / baseline.days
            figures.baseline[key] = value
        for key in keys:
            if key not in figures.series:
                figures.series[key] = self._kpi_live_days(engine, run.current, key)

    @staticmethod
    def _kpi_live_days(engine, scope, key):
        return {
            day: figures for (day,), figures in engine.live(scope, [key], (DAY,))[key].groups.items()
        }

    def _kpi_cards(self, run, figures, targets, reference):
        Target = self.env["distribution.kpi.target"]
        target_company, target_warehouse = run.target_scope(reference)
        labels = self.env["distribution.kpi"]._kpi_labels()
        # the days that have begun nowhere show no value
        last_begun = max(run.todays.values())
        cards = []
        for key in run.keys:
            kpi = KPIS[key]
            result = run.engine.result(
                key, figures.period[key].total, run.current, run.period["days"]
            )
            target = Target._pick(targets, target_company, target_warehouse, key)
            series = figures.series[key]
            cards.append(
                {
                    "key": key,
                    "label": labels[key],
                    "help": self.env._(kpi.help),
                    "unit": kpi.unit,
                    "direction": kpi.direction,
                    "value": result.value,
                    "previous": figures.previous.get(key),
                    "baseline": figures.baseline.get(key),
                    "target": target._as_dict() if target else None,
                    "rag": Target._rag(result.value, target),
                    "count": result.count,
                    "model": result.model,
                    "domain": result.domain,
                    "model_name": record_label(self.env, result.model, result.count),
                    **self._kpi_drill(kpi, result),
                    "series": [
                        {
                            "date": fields.Date.to_string(day),
                            "value": kpi.value(series.get(day, EMPTY), 1)
                            if day <= last_begun and series.get(day, EMPTY) is not None
                            else None,
                        }
                        for day in run.current.dates()
                    ],
                    "secondary": self._kpi_secondary(result),
                }
            )
        return cards

    # ------------------------------------------------------------------ pieces

    def _kpi_stored(self, engine, companies, selected, keys, baseline_from, previous_from,
                    date_to, todays):
        """{key: {day: Figures}} of the snapshots of the companies (or of the selected
        warehouses), the companies' closed days only."""
        stored = {}
        zone_of = {cid: tz for tz, ids in engine.zones(companies.ids).items() for cid in ids}
        for key, day, company_id, __, figures in engine.snapshot_cells(
            companies.ids,
            min(baseline_from, previous_from),
            date_to,
            keys,
            selected.ids,
            company_rows=not selected,
        ):
            if day < todays[zone_of[company_id]]:
                stored.setdefault(key, defaultdict(list))[day].append(figures)
        return {key: {day: total(items) for day, items in daily.items()} for key, daily in stored.items()}

    def _kpi_range_value(self, key, daily, date_from, date_to):
        """The KPI over the range from snapshots; None unless every day of it has one."""
        days = list(days_between(date_from, date_to))
        if not days or any(day not in daily for day in days):
            return None
        kpi = KPIS[key]
        return kpi.value(kpi.combine((day, daily[day]) for day in days), len(days))

    def _kpi_baseline(self, key, daily, days, period_days):
        """The baseline over `days` (those measured) as comparable to a period of
        `period_days` days: totals are scaled to the period's length and levels averaged over
        the baseline's days."""
        if not days:
            return None
        kpi = KPIS[key]
        if kpi.kind == "level":
            values = [kpi.value(daily.get(day, Figures()), 1) for day in days]
            return sum(values) / len(values)
        value = kpi.value(kpi.combine((day, daily.get(day, Figures())) for day in days), len(days))
        if kpi.kind == "sum" and value is not None:
            return value * period_days / len(days)
        return value

    def _kpi_secondary(self, result):
        kpi = KPIS[result.key]
        if kpi.amount and result.amount is not None:
            return {"label": _("Valuation"), "value": result.amount, "unit": "amount"}
        if kpi.kind == "per_day":
            return {"label": _("Lines received"), "value": result.count, "unit": "count"}
        if kpi.denominator == "operator_days":
            return {"label": _("Operator-days"), "value": result.denominator, "unit": "count"}
        return None

    def _kpi_drill(self, kpi, result):
        """How a card's records open: the list view that explains the KPI, and the records
        that miss as a drill-down of their own (the leaves narrowing the card's domain to
        them: the client adds them to it)."""
        IrModelData = self.env["ir.model.data"]
        view_id = (
            IrModelData._xmlid_to_res_id(kpi.list_view, raise_if_not_found=False)
            if kpi.list_view
            else False
        )
        flag = None
        if kpi.flag:
            flag = {
                "label": self.env._(kpi.flag.label),
                "count": kpi.flag.count(result.figures),
                "domain": list(kpi.flag.domain),
            }
        return {"list_view_id": view_id or False, "flag": flag}

    def _kpi_by_subject(self, run, keys, model, targets, reference):
        """The rows of a per-subject table (operators, vendors; approval kinds when `model` is
        None: the subject is then the requests' kind): each subject's figures of
        `keys` over the period (closed days from the per-subject snapshot rows, when the
        user's figures come from the snapshots), the busiest subjects first. A cell opens the
        card's records of that subject: the card's domain and the KPI's subject field
        (`subject_fields`) equal to the row's id."""
        if not keys:
            return []
        Target = self.env["distribution.kpi.target"]
        target_company, target_warehouse = run.target_scope(reference)
        grouped = self._kpi_subject_figures(run, keys)
        volume = defaultdict(int)
        for key in keys:
            for subject_id, figures in grouped[key].items():
                if subject_id:
                    volume[subject_id] += figures.count
        ranked = sorted(volume, key=lambda subject_id: (-volume[subject_id], subject_id))
        ranked = ranked[:SUBJECT_ROWS]
        names = self._kpi_subject_names(model, ranked)
        rows = []
        for subject_id in ranked:
            cells = {}
            for key in keys:
                figures = grouped[key].get(subject_id, EMPTY)
                value = KPIS[key].value(figures, run.current.days)
                target = Target._pick(targets, target_company, target_warehouse, key)
                cells[key] = {
                    "value": value,
                    "count": figures.count,
                    "model_name": record_label(self.env, KPIS[key].model, figures.count),
                    "rag": Target._rag(value, target),
                }
            rows.append({"id": subject_id, "name": names[subject_id], "kpis": cells})
        return rows

    def _kpi_subject_figures(self, run, keys):
        """{key: {subject id: Figures}} over the period: from the per-operator and per-vendor
        snapshots for the KPIs read from snapshots (closed days), else live."""
        stored = [
            key for key in keys if run.modes[key] == SNAPSHOT and key in SUBJECT_SNAPSHOT_KEYS
        ]
        found = run.engine.subjects(run.current, stored) if stored else {}
        rest = [key for key in keys if key not in found]
        for key, grouped in run.engine.live(run.current, rest, (SUBJECT,)).items():
            found[key] = {group[0]: figures for group, figures in grouped.groups.items()}
        return found

    def _kpi_subject_names(self, model, ids):
        """{id: name} of operators or vendors, as the user reads them (archived ones too); of
        approval kinds (`model` None), their labels in the user's language."""
        if model is None:
            Request = self.env["distribution.approval.request"]
            labels = dict(Request._fields["kind"]._description_selection(self.env))
            return {kind: labels.get(kind, kind) for kind in ids}
        records = self.env[model].with_context(active_test=False).search_fetch(
            [("id", "in", ids)], ["name"]
        )
        names = {record.id: record.name for record in records}
        return {i: names.get(i) or _("Unknown (#%s)", i) for i in ids}

    def _kpi_by_warehouse(self, engine, scope, warehouses, figures, targets):
        """The table: the KPIs of every warehouse, from the split computation."""
        Target = self.env["distribution.kpi.target"]
        rows = []
        for warehouse in warehouses:
            cells = {}
            for key, by_warehouse in figures.items():
                result = engine.result(
                    key, by_warehouse[warehouse.id], scope.with_warehouses([warehouse.id])
                )
                cells[key] = {
                    "value": result.value,
                    "count": result.count,
                    "model_name": record_label(self.env, result.model, result.count),
                    "rag": Target._rag(
                        result.value,
                        Target._pick(targets, warehouse.company_id.id, warehouse.id, key),
                    ),
                    "domain": result.domain,
                }
            rows.append(
                {
                    "warehouse_id": warehouse.id,
                    "name": warehouse.name,
                    "company_name": warehouse.company_id.name,
                    "kpis": cells,
                }
            )
        return rows

    def _kpi_hypercare(self, engine, companies):
        Criterion = self.env["distribution.readiness.criterion"]
        entries = []
        live = companies.filtered("dg_go_live_date")
        if not live:
            return entries
        targets = self.env["distribution.kpi.target"]._lookup(live.ids)
        for company in live:
            go_live = company.dg_go_live_date
            window = company.dg_hypercare_days or BASELINE_DAYS
            # day 1 is the go-live date, counted in the company's own local days
            day = (engine.today(company.dg_kpi_tz) - go_live).days + 1
            readiness = (
                Criterion.search([("company_id", "=", company.id)])._evaluate(targets)
                if Criterion.has_access("read")
                else []
            )
            entries.append(
                {
                    "company_id": company.id,
                    "company_name": company.name,
                    "go_live_date": fields.Date.to_string(go_live),
                    "day": day,
                    "window_days": window,
                    "active": 1 <= day <= window,
                    "baseline_from": fields.Date.to_string(go_live - timedelta(BASELINE_DAYS)),
                    "baseline_to": fields.Date.to_string(go_live - timedelta(days=1)),
                    "readiness": readiness,
                    "ready": bool(readiness) and all(c["passed"] for c in readiness),
                }
            )
        return entries


@dataclass
class _Figures:
    """What the dashboard computed of its KPIs: the period's Breakdowns, the previous
    period's and the baseline's values, and the daily series ({day: Figures})."""

    period: dict = field(default_factory=dict)
    previous: dict = field(default_factory=dict)
    baseline: dict = field(default_factory=dict)
    series: dict = field(default_factory=dict)


@dataclass(frozen=True)
class _Run:
    """One dashboard computation: its engine, companies, warehouses, period and scopes, and
    how each KPI is computed for the user (SNAPSHOT, HISTORY or LIVE)."""

    engine: KpiEngine
    companies: object
    selected: object
    table_warehouses: object
    period: dict
    baseline_from: object
    current: Scope
    previous: Scope
    baseline: Scope
    todays: dict
    keys: list
    modes: dict
    in_table: frozenset

    @classmethod
    def of(cls, engine, companies, warehouses, selected, period):
        # the baseline: before go-live in hypercare, else the 28 days before the period
        go_live = companies.filtered("dg_go_live_date")[:1].dg_go_live_date
        baseline_to = (go_live or period["date_from"]) - timedelta(days=1)
        baseline_from = baseline_to - timedelta(days=BASELINE_DAYS - 1)

        def scope_of(date_from, date_to):
            return engine.scope(date_from, date_to, companies.ids, selected.ids)

        current = scope_of(period["date_from"], period["date_to"])
        keys = engine.readable_keys()
        table_warehouses = selected or warehouses
        return cls(
            engine=engine,
            companies=companies,
            selected=selected,
            table_warehouses=table_warehouses,
            period=period,
            baseline_from=baseline_from,
            current=current,
            previous=scope_of(period["previous_from"], period["previous_to"]),
            baseline=scope_of(baseline_from, baseline_to),
            todays={tz: engine.today(tz) for tz in current.zones()},
            keys=keys,
            modes={key: _mode(engine, key, companies, selected) for key in keys},
            in_table=frozenset(
                key for key in SPLIT_KPIS if key in keys and table_warehouses
            ),
        )

    @property
    def split_ids(self):
        return tuple(self.table_warehouses.ids)

    def target_scope(self, reference):
        """(company id, warehouse id or False) whose targets colour the cards: the warehouse
        chosen when there is one, else the reference company."""
        if len(self.selected) == 1:
            return self.selected.company_id.id, self.selected.id
        return reference.id, False

    def of_mode(self, mode):
        return [key for key in self.keys if self.modes[key] == mode]


def _mode(engine, key, companies, selected):
    """How the dashboard computes the KPI for the engine's user."""
    kpi = KPIS[key]
    if engine.narrowed(key, companies.ids):
        return LIVE
    if len(selected) > 1 and not engine.groupable(kpi.population):
        # its warehouses' snapshot rows could count a record twice
        return LIVE
    return SNAPSHOT if kpi.snapshot else HISTORY
