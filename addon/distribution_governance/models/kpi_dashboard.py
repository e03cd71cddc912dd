from datetime import timedelta

from dateutil.relativedelta import relativedelta

from odoo import _, api, fields, models
from odoo.exceptions import AccessError, UserError
from odoo.tools.translate import LazyTranslate

from . import input_checks
from .distribution_kpi import KPIS, MAX_PERIOD_DAYS, combine, days_between
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
# what a drill-down lists, in the plural (the cards say "7 Transfers")
RECORD_LABELS = {
    "stock.picking": _lt("Transfers"),
    "stock.move": _lt("Stock Moves"),
    "sale.order": _lt("Sales Orders"),
    "sale.order.line": _lt("Order Lines"),
    "account.move": _lt("Credit Notes"),
    "distribution.exception": _lt("Exceptions"),
    "distribution.approval.request": _lt("Approval Requests"),
}
# the per-warehouse table: the operational KPIs a warehouse manager compares sites on (each
# KPI method here answers a scope with "split": one query for all warehouses)
WAREHOUSE_KPIS = (
    "on_time_shipment",
    "pick_accuracy",
    "fill_rate",
    "order_cycle_time",
    "receiving_throughput",
    "exceptions_backlog",
)
# the KPIs whose queries group by warehouse: computed in one pass whose groups also add up to
# the cards' values (the backorder rate comes with the other shipped-picking figures)
SPLIT_KPIS = (*WAREHOUSE_KPIS, "backorder_rate")


class DistributionDashboard(models.AbstractModel):
    _inherit = "distribution.dashboard"

    # ------------------------------------------------------------------ filters

    @api.model
    def _kpi_period(self, filters):
        today = fields.Date.context_today(self)
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
    def get_kpi_dashboard(self, filters=None):
        """The whole warehouse KPI dashboard for `filters` (see static-src/types/kpi.ts)."""
        if not self.env.user.has_group("distribution_governance.group_exception_user"):
            raise AccessError(_("The warehouse KPI dashboard is for Distribution Governance users."))
        if filters is None:
            filters = {}
        if not isinstance(filters, dict):
            raise UserError(_("The dashboard filters must be an object."))
        period = self._kpi_period(filters)
        companies, warehouses, selected = self._kpi_scope_filters(filters)
        Kpi = self.env["distribution.kpi"]
        keys = Kpi._readable_kpis()
        today = fields.Date.context_today(self)
        hypercare = self._kpi_hypercare(companies, today)
        # the baseline: before go-live in hypercare, else the 28 days before the period
        go_live = companies.filtered("dg_go_live_date")[:1].dg_go_live_date
        baseline_to = (go_live or period["date_from"]) - timedelta(days=1)
        baseline_from = baseline_to - timedelta(days=BASELINE_DAYS - 1)

        self.env.flush_all()
        # one memo for every scope of this call: a KPI of the same days is computed once
        memo = {}

        def scope_of(date_from, date_to, warehouse_ids):
            return dict(Kpi._scope(date_from, date_to, warehouse_ids, companies.ids), memo=memo)

        # the per-warehouse table's KPIs: one query each split by warehouse, whose groups also
        # add up to the cards' values
        warehouse_keys = [key for key in WAREHOUSE_KPIS if key in keys]
        table_warehouses = selected or warehouses

        def split_scope_of(date_from, date_to):
            return dict(
                scope_of(date_from, date_to, selected.ids),
                split=True,
                total=True,
                split_ids=tuple(table_warehouses.ids),
            )

        split_keys = [key for key in SPLIT_KPIS if key in keys] if table_warehouses else []
        table = (
            Kpi._compute_period(
                split_scope_of(period["date_from"], period["date_to"]), split_keys, today
            )
            if split_keys
            else {}
        )
        current = Kpi._compute_period(
            scope_of(period["date_from"], period["date_to"], selected.ids),
            [key for key in keys if key not in table],
            today,
        )
        current.update({key: results["total"] for key, results in table.items()})
        # the previous period of the KPIs read from snapshots, with its days lacking one live
        previous = Kpi._compute_period(
            scope_of(period["previous_from"], period["previous_to"], selected.ids),
            [key for key in keys if KPIS[key].domain],
            today,
        )
        snapshots = self.env["distribution.kpi.snapshot"]._read_rows(
            companies.ids,
            selected.ids,
            min(baseline_from, period["previous_from"]),
            period["date_to"],
        )
        today_values = {}
        if period["date_from"] <= today <= period["date_to"]:
            # the split KPIs as the period computed today (the memo has them)
            today_values = Kpi._compute_scope(
                scope_of(today, today, selected.ids), [key for key in keys if key not in table]
            )
            if table:
                split_today = Kpi._compute_scope(split_scope_of(today, today), list(table))
                today_values.update({key: value["total"] for key, value in split_today.items()})
        targets = self.env["distribution.kpi.target"]._lookup(companies.ids)
        target_company = (self.env.company & companies or companies[:1]).id
        target_warehouse = selected.id if len(selected) == 1 else False
        if target_warehouse:
            target_company = selected.company_id.id
        labels = Kpi._kpi_labels()

        cards = []
        for key in keys:
            kpi, result = KPIS[key], current[key]
            rows = snapshots.get(key, {})
            target = self.env["distribution.kpi.target"]._pick(
                targets, target_company, target_warehouse, key
            )
            cards.append(
                {
                    "key": key,
                    "label": labels[key],
                    "help": str(kpi.help),
                    "unit": kpi.unit,
                    "direction": kpi.direction,
                    "value": result["value"],
                    "previous": previous[key]["value"]
                    if key in previous
                    else self._kpi_range_value(
                        key, rows, period["previous_from"], period["previous_to"]
                    ),
                    "baseline": self._kpi_baseline(
                        key, rows, baseline_from, baseline_to, period["days"]
                    ),
                    "target": target._as_dict() if target else None,
                    "rag": self.env["distribution.kpi.target"]._rag(result["value"], target),
                    "count": result["count"],
                    "model": result["model"],
                    "domain": result["domain"],
                    "model_name": str(RECORD_LABELS[result["model"]]),
                    "series": self._kpi_series(key, rows, period, today, today_values),
                    "secondary": self._kpi_secondary(result),
                }
            )
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
            "kpis": cards,
            "warehouse_kpis": warehouse_keys,
            "by_warehouse": self._kpi_by_warehouse(
                table_warehouses,
                {key: table[key] for key in warehouse_keys if key in table},
                targets,
            ),
            "hypercare": hypercare,
            "generated_at": fields.Datetime.to_string(fields.Datetime.now()),
        }

    # ------------------------------------------------------------------ pieces

    def _kpi_range_value(self, key, rows, date_from, date_to):
        """The KPI over the range from snapshots; None unless every day of it has one."""
        days = list(days_between(date_from, date_to))
        if not days or any(day not in rows for day in days):
            return None
        return combine(key, [row for day in days for row in rows[day]], len(days))

    def _kpi_baseline(self, key, rows, date_from, date_to, period_days):
        """The baseline as comparable to a period of `period_days` days: totals are scaled to
        the period's length and levels averaged over the baseline's days."""
        days = [day for day in days_between(date_from, date_to) if day in rows]
        if not days:
            return None
        agg = KPIS[key].agg
        if agg == "level":
            daily = [combine(key, rows[day], 1) for day in days]
            return sum(daily) / len(daily)
        value = combine(key, [row for day in days for row in rows[day]], len(days))
        if agg == "sum" and value is not None:
            return value * period_days / len(days)
        return value

    def _kpi_series(self, key, rows, period, today, today_values):
        series = []
        for day in days_between(period["date_from"], period["date_to"]):
            if day == today and today_values:
                value = today_values[key]["value"]
            elif day in rows:
                value = combine(key, rows[day], 1)
            else:
                value = None
            series.append({"date": fields.Date.to_string(day), "value": value})
        return series

    def _kpi_secondary(self, result):
        if result.get("amount") is not None:
            return {"label": _("Valuation"), "value": result["amount"], "unit": "amount"}
        if result.get("quantity") is not None:
            return {"label": _("Lines received"), "value": result["lines"], "unit": "count"}
        return None

    def _kpi_by_warehouse(self, warehouses, results, targets):
        """The table: the KPIs of every warehouse, from the split computation."""
        Target = self.env["distribution.kpi.target"]
        keys = list(results)
        return [
            {
                "warehouse_id": warehouse.id,
                "name": warehouse.name,
                "company_name": warehouse.company_id.name,
                "kpis": {
                    key: {
                        "value": result["value"],
                        "count": result["count"],
                        "rag": Target._rag(
                            result["value"],
                            Target._pick(targets, warehouse.company_id.id, warehouse.id, key),
                        ),
                        "domain": result["domain"],
                    }
                    for key, result in ((key, results[key][warehouse.id]) for key in keys)
                },
            }
            for warehouse in warehouses
        ]

    def _kpi_hypercare(self, companies, today):
        Criterion = self.env["distribution.readiness.criterion"]
        entries = []
        live = companies.filtered("dg_go_live_date")
        if not live:
            return entries
        targets = self.env["distribution.kpi.target"]._lookup(live.ids)
        for company in live:
            go_live = company.dg_go_live_date
            window = company.dg_hypercare_days or BASELINE_DAYS
            day = (today - go_live).days + 1
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
