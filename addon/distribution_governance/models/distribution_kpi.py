from collections import defaultdict
from datetime import date, datetime, time, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from . import input_checks

OPEN_EXCEPTION_STATES = ("new", "in_progress")
# the longest period the engine computes (a year, leap day included)
MAX_PERIOD_DAYS = 366

_lt = LazyTranslate(__name__)

# a move's done quantity in its product's unit (alias m), and the joins it needs
MOVE_UNITS = SQL("m.quantity / mu.factor * pu.factor")
MOVE_UNIT_JOINS = SQL(
    """JOIN uom_uom mu ON mu.id = m.product_uom
       JOIN product_product pp ON pp.id = m.product_id
       JOIN product_template tmpl ON tmpl.id = pp.product_tmpl_id
       JOIN uom_uom pu ON pu.id = tmpl.uom_id"""
)


def days_between(first, last):
    """The dates from `first` to `last`, both included."""
    day = first
    while day <= last:
        yield day
        day += timedelta(days=1)


def _runs(days):
    """[(first, last)] of the runs of consecutive days in the sorted `days`."""
    runs = []
    for day in days:
        if runs and runs[-1][1] == day - timedelta(days=1):
            runs[-1] = (runs[-1][0], day)
        else:
            runs.append((day, day))
    return runs


class KpiDef:
    """What the dashboard needs to know of a KPI besides its query.

    `label` is the selection label of the KPI fields (translated as such); `agg` says how daily snapshots combine into a longer period: "ratio" (sum of numerators over
    sum of denominators, in %), "mean" (same without the factor), "sum" (values add up),
    "per_day" (numerators add up, divided by the days), "level" (the last day's value) and
    "median" (daily medians weighted by their counts — an approximation, documented).

    `models[0]` is the model the drill-down lists. `domain` names the method giving the
    drill-down domain of a scope for the KPIs whose closed
    days the dashboard reads from the daily snapshots (those over moves and pickings, whose
    cost grows with the period's rows; their snapshots combine exactly). The others are always
    computed live: they read few rows, or their past days still change (invoicing, returns).
    """

    __slots__ = ("method", "models", "label", "help", "unit", "direction", "agg", "domain")

    def __init__(  # noqa: A002 (help)
        self, method, models, label, help, unit, direction, agg, domain=None
    ):
        self.method = method
        self.models = models
        self.label = label
        self.help = help
        self.unit = unit
        self.direction = direction
        self.agg = agg
        self.domain = domain


KPIS = {
    "order_cycle_time": KpiDef(
        "_kpi_order_cycle_time",
        ("sale.order",),
        "Order cycle time",
        _lt("Mean hours from order date to its last delivery done, for orders fully delivered."),
        "h",
        "lower",
        "mean",
    ),
    "on_time_shipment": KpiDef(
        "_kpi_on_time_shipment",
        ("stock.picking",),
        "On-time shipment",
        _lt("Deliveries done on or before their deadline (else scheduled date), in %."),
        "%",
        "higher",
        "ratio",
        "_shipped_domain",
    ),
    "pick_accuracy": KpiDef(
        "_kpi_pick_accuracy",
        ("stock.picking", "distribution.exception"),
        "Pick accuracy",
        _lt("Deliveries done without a short-pick or damaged-goods exception, in %."),
        "%",
        "higher",
        "ratio",
        "_shipped_domain",
    ),
    "fill_rate": KpiDef(
        "_kpi_fill_rate",
        ("stock.picking", "stock.move", "distribution.exception"),
        "Fill rate",
        _lt("Units shipped over units shipped plus units short-picked, in %."),
        "%",
        "higher",
        "ratio",
        "_shipped_domain",
    ),
    "backorder_rate": KpiDef(
        "_kpi_backorder_rate",
        ("stock.picking",),
        "Backorder rate",
        _lt("Deliveries done that left a backorder, in %."),
        "%",
        "lower",
        "ratio",
        "_shipped_domain",
    ),
    "receiving_throughput": KpiDef(
        "_kpi_receiving_throughput",
        ("stock.move",),
        "Receiving throughput",
        _lt("Units received per day (incoming moves done, in the product's unit)."),
        "units/day",
        "higher",
        "per_day",
        "_receipt_domain",
    ),
    "inventory_adjustment_volume": KpiDef(
        "_kpi_inventory_adjustment_volume",
        ("stock.move",),
        "Inventory adjustments",
        _lt("Inventory adjustment moves done, with their absolute valuation."),
        "count",
        "lower",
        "sum",
        "_adjustment_domain",
    ),
    "invoice_discrepancies": KpiDef(
        "_kpi_invoice_discrepancies",
        ("sale.order", "sale.order.line"),
        "Invoice discrepancies",
        _lt(
            "Goods lines of orders confirmed in the period whose delivered and invoiced "
            "quantities differ (delivered-not-invoiced and invoiced-not-delivered)."
        ),
        "count",
        "lower",
        "sum",
    ),
    "credit_notes": KpiDef(
        "_kpi_credit_notes",
        ("account.move",),
        "Credit notes",
        _lt("Customer credit notes posted (invoice date in the period)."),
        "count",
        "lower",
        "sum",
    ),
    "exceptions_opened": KpiDef(
        "_kpi_exceptions_opened",
        ("distribution.exception",),
        "Exceptions opened",
        _lt("Exceptions created in the period: the support demand."),
        "count",
        "lower",
        "sum",
    ),
    "exceptions_backlog": KpiDef(
        "_kpi_exceptions_backlog",
        ("distribution.exception",),
        "Open exceptions",
        _lt("Exceptions open at the end of the period (created before, not closed by then)."),
        "count",
        "lower",
        "level",
    ),
    "sla_breach_rate": KpiDef(
        "_kpi_sla_breach_rate",
        ("distribution.exception",),
        "SLA breach rate",
        _lt("Exceptions closed in the period after their SLA deadline, in %."),
        "%",
        "lower",
        "ratio",
    ),
    "median_time_to_resolve": KpiDef(
        "_kpi_median_time_to_resolve",
        ("distribution.exception",),
        "Median time to resolve",
        _lt("Median hours from detection to resolution of exceptions resolved in the period."),
        "h",
        "lower",
        "median",
    ),
    "median_time_to_decide": KpiDef(
        "_kpi_median_time_to_decide",
        ("distribution.approval.request",),
        "Median time to decide",
        _lt("Median hours from request to decision of approvals decided in the period."),
        "h",
        "lower",
        "median",
    ),
}

KPI_SELECTION = [(key, kpi.label) for key, kpi in KPIS.items()]


def combine(kpi_key, rows, days):
    """One value from snapshot rows of one KPI over `days` days (several scopes and days).

    rows: (date, value, numerator, denominator, record_count, ...). See KpiDef.agg.
    """
    agg = KPIS[kpi_key].agg
    if not rows:
        return None
    if agg in ("ratio", "mean"):
        numerator = sum(row[2] or 0.0 for row in rows)
        denominator = sum(row[3] or 0.0 for row in rows)
        if not denominator:
            return None
        return numerator * (100.0 if agg == "ratio" else 1.0) / denominator
    if agg == "sum":
        return float(sum(row[1] or 0.0 for row in rows))
    if agg == "per_day":
        return sum(row[2] or 0.0 for row in rows) / days if days else None
    if agg == "level":
        last = max(row[0] for row in rows)
        return float(sum(row[1] or 0.0 for row in rows if row[0] == last))
    # median: daily medians weighted by how many records each one covers
    weighted = [(row[1], row[4]) for row in rows if row[1] is not None and row[4]]
    total = sum(count for __, count in weighted)
    return sum(value * count for value, count in weighted) / total if total else None


class DistributionKpi(models.AbstractModel):
    """KPI engine of the warehouse productivity dashboard.

    Every KPI is one aggregate query over indexed columns (no loop over moves), restricted to
    the caller's allowed companies, and returns the Odoo domain of the records it counted so a
    drill-down opens exactly those records. Formulas are documented in readme/USAGE.md.
    """

    _name = "distribution.kpi"
    _description = "Distribution Governance KPI Engine"

    # ------------------------------------------------------------------ entry points
    # Private: they answer for every company the caller works in, unlike the dashboard's RPC
    # (distribution.dashboard.get_kpi_dashboard), which checks the caller's group and filters.

    @api.model
    def _compute_kpis(self, date_from, date_to, warehouse_ids=None):
        """{kpi_key: {value, numerator, denominator, count, unit, model, domain}} for the period
        [date_from 00:00, date_to + 1 day 00:00) UTC; KPIs on models the user may not read are
        left out."""
        scope = self._scope(date_from, date_to, warehouse_ids)
        self.env.flush_all()
        return self._compute_scope(scope, self._readable_kpis())

    @api.model
    def _compute_series(self, kpi_key, date_from, date_to, warehouse_ids=None):
        """[{date, value}] one entry per day of the period (the day's value of the KPI)."""
        if not isinstance(kpi_key, str) or kpi_key not in KPIS:
            raise UserError(_("Unknown KPI: %s", kpi_key))
        if kpi_key not in self._readable_kpis():
            return []
        scope = self._scope(date_from, date_to, warehouse_ids)
        self.env.flush_all()
        series = []
        day = scope["start"]
        while day < scope["end"]:
            day_scope = dict(scope, start=day, end=day + timedelta(days=1), days=1)
            series.append(
                {
                    "date": fields.Date.to_string(day.date()),
                    "value": self._compute_scope(day_scope, [kpi_key])[kpi_key]["value"],
                }
            )
            day += timedelta(days=1)
        return series

    @api.model
    def _readable_kpis(self):
        """Keys of the KPIs over models the current user may read, in display order."""
        return [key for key, kpi in KPIS.items() if self._readable(kpi.models)]

    @api.model
    def _kpi_labels(self):
        """{kpi_key: label} in the user's language."""
        field = self.env["distribution.kpi.target"]._fields["kpi_key"]
        return dict(field._description_selection(self.env))

    def _compute_scope(self, scope, keys):
        """{key: result} computed live over the scope. With a `memo` dict in the scope (copies
        of a scope share it), a KPI asked again for the same dates and filters is not
        recomputed."""
        memo = scope.get("memo")
        results = {}
        for key in keys:
            memo_key = (
                key,
                scope["start"],
                scope["end"],
                scope["company_ids"],
                scope["warehouse_ids"],
                bool(scope.get("split")),
                bool(scope.get("total")),
                scope.get("split_ids"),
            )
            if memo is not None and memo_key in memo:
                results[key] = memo[memo_key]
                continue
            results[key] = getattr(self, KPIS[key].method)(scope)
            if memo is not None:
                memo[memo_key] = results[key]
        return results

    def _compute_period(self, scope, keys, today):
        """{key: result} as `_compute_scope` gives, but the closed days of the KPIs that have a
        `domain` come from the daily snapshots: only the days from `today` on and the closed
        days lacking a snapshot are computed live, so the cost of a long period stays that of a
        day. Equal to the live computation while the snapshots are fresh: the writes that change
        a closed day's figures delete its snapshots (distribution.kpi.snapshot._invalidate)."""
        live_keys = [key for key in keys if not KPIS[key].domain]
        snap_keys = [key for key in keys if KPIS[key].domain]
        results = self._compute_scope(scope, live_keys)
        if not snap_keys:
            return results
        split, filtered = bool(scope.get("split")), bool(scope["warehouse_ids"])
        # the groups asked: each warehouse reported, and the whole scope ("total")
        whole = not split or scope.get("total")
        split_ids = set(self._split_ids(scope)) if split else set()
        first = scope["start"].date()
        last = (scope["end"] - timedelta(days=1)).date()
        # a KPI day is a UTC day: closed once over in UTC and for the user
        live_from = min(today, fields.Date.today())
        closed_to = min(last, live_from - timedelta(days=1))
        # the snapshots that make each group: its warehouses' rows, or the companies' rows
        wanted = []  # (warehouse_ids or None, expected scope ids)
        if split_ids or (whole and filtered):
            warehouses = split_ids | (set(scope["warehouse_ids"]) if whole and filtered else set())
            wanted.append((tuple(warehouses), warehouses))
        if whole and not filtered:
            wanted.append((None, set(scope["company_ids"])))
        stored, present = [], defaultdict(set)
        for warehouse_ids, __ in wanted if first <= closed_to else ():
            for row in self.env["distribution.kpi.snapshot"]._scope_rows(
                scope["company_ids"], warehouse_ids, first, closed_to, snap_keys
            ):
                key, day, company_id, warehouse_id = row[:4]
                present[key, day, warehouse_ids is None].add(warehouse_id or company_id)
                stored.append(row)
        missing = {
            day
            for day in days_between(first, closed_to)
            for key in snap_keys
            for warehouse_ids, expected in wanted
            if not expected <= present[key, day, warehouse_ids is None]
        }
        rows = defaultdict(list)  # (key, warehouse id or "total") -> combinable rows
        for key, day, __, warehouse_id, *values in stored:
            if day in missing:
                continue
            if warehouse_id in split_ids:
                rows[key, warehouse_id].append((day, *values))
            in_whole = warehouse_id in scope["warehouse_ids"] if filtered else not warehouse_id
            if whole and in_whole:
                rows[key, "total"].append((day, *values))
        ranges = _runs(sorted(missing))
        if live_from <= last:
            ranges.append((max(first, live_from), last))
        for range_from, range_to in ranges:
            live = self._compute_scope(
                dict(
                    scope,
                    start=datetime.combine(range_from, time.min),
                    end=datetime.combine(range_to + timedelta(days=1), time.min),
                    days=(range_to - range_from).days + 1,
                ),
                snap_keys,
            )
            for key in snap_keys:
                for group, result in (live[key] if split else {"total": live[key]}).items():
                    rows[key, group].append(
                        (
                            range_to,
                            result["value"],
                            result.get("numerator"),
                            result.get("denominator"),
                            result["count"],
                            result.get("amount"),
                        )
                    )
        valuation = self._readable(("stock.valuation.layer",))
        for key in snap_keys:
            kpi = KPIS[key]

            def build(group_scope, group_rows, key=key, kpi=kpi):
                count = sum(row[4] or 0 for row in group_rows)
                numerator = sum(row[2] or 0.0 for row in group_rows)
                extra = {}
                if kpi.agg == "per_day":  # receiving: the lines and units behind the rate
                    extra = {"lines": count, "quantity": numerator}
                elif key == "inventory_adjustment_volume":
                    extra["amount"] = (
                        float(sum(row[5] or 0.0 for row in group_rows)) if valuation else None
                    )
                return self._result(
                    kpi.models[0],
                    getattr(self, kpi.domain)(group_scope),
                    combine(key, group_rows, scope["days"]),
                    kpi.unit,
                    count,
                    numerator=numerator,
                    denominator=sum(row[3] or 0.0 for row in group_rows),
                    **extra,
                )

            plain = dict(scope, split=False, total=False)
            if not split:
                results[key] = build(plain, rows[key, "total"])
                continue
            results[key] = {
                warehouse_id: build(
                    dict(plain, warehouse_ids=(warehouse_id,)), rows[key, warehouse_id]
                )
                for warehouse_id in self._split_ids(scope)
            }
            if whole:
                results[key]["total"] = build(plain, rows[key, "total"])
        return results

    # ------------------------------------------------------------------ helpers

    def _readable(self, model_names):
        return all(
            name in self.env and self.env[name].has_access("read") for name in model_names
        )

    @api.model
    def _scope(self, date_from, date_to, warehouse_ids, company_ids=None):
        # The cost of a scope grows with its days: no caller needs more than the dashboard's cap.
        # Any date Python can add a day to: the dashboard's previous periods and baselines go
        # back before the earliest date a user may ask for.
        start_date, end_date = input_checks.period(
            self.env,
            date_from,
            date_to,
            MAX_PERIOD_DAYS,
            earliest=date.min,
            latest=date.max - timedelta(days=1),
        )
        start = datetime.combine(start_date, time.min)
        end = datetime.combine(end_date + timedelta(days=1), time.min)
        return {
            "start": start,
            "end": end,
            "days": (end - start).days,
            "company_ids": tuple(company_ids or self.env.companies.ids),
            "warehouse_ids": tuple(warehouse_ids) if warehouse_ids else None,
        }

    @staticmethod
    def _period_domain(field, scope):
        return [
            (field, ">=", fields.Datetime.to_string(scope["start"])),
            (field, "<", fields.Datetime.to_string(scope["end"])),
        ]

    @staticmethod
    def _ratio(numerator, denominator, factor=100.0):
        return numerator * factor / denominator if denominator else None

    def _result(self, model, domain, value, unit, count, **extra):
        return dict(
            extra, model=model, domain=domain, value=value, unit=unit, count=int(count or 0)
        )

    @staticmethod
    def _split_key(scope, expression):
        """The GROUP BY key of a KPI query: the warehouse when the scope splits by warehouse
        (the per-warehouse table: one query for every warehouse), else one constant group."""
        return expression if scope.get("split") else SQL("0")

    def _per_key(self, scope, rows, build, empty):
        """One result, or {warehouse_id: result} for every warehouse of a split scope.

        rows: (key, *aggregates) of a query grouped by `_split_key`; build(scope, *aggregates)
        makes the result of one group, given the scope narrowed to that warehouse. A split
        scope reports the warehouses `_split_ids`; with `total` it also gives "total": every
        group's aggregates added up (they are counts and sums), the records without a
        warehouse included when the scope does not filter warehouses."""
        values = {key: tuple(rest) for key, *rest in rows}
        if not scope.get("split"):
            return build(scope, *values.get(0, empty))
        results = {
            warehouse_id: build(
                dict(scope, warehouse_ids=(warehouse_id,), split=False, total=False),
                *values.get(warehouse_id, empty),
            )
            for warehouse_id in self._split_ids(scope)
        }
        if scope.get("total"):
            sums = [sum(column) for column in zip(*values.values())] if values else empty
            results["total"] = build(dict(scope, split=False, total=False), *sums)
        return results

    @staticmethod
    def _split_ids(scope):
        """The warehouses a split scope reports on: `split_ids`, else its warehouse filter."""
        return scope.get("split_ids") or scope["warehouse_ids"]

    def _fetchone(self, query):
        self.env.cr.execute(query)
        return self.env.cr.fetchone()

    def _fetchall(self, query):
        self.env.cr.execute(query)
        return self.env.cr.fetchall()

    # ------------------------------------------------------------------ outgoing pickings

    def _shipped_pickings(self, scope):
        """FROM/WHERE SQL of the outgoing pickings done in the period, alias `p`: the period's
        done pickings first (a range scan on the date_done index), then their types."""
        warehouses = scope["warehouse_ids"]
        return SQL(
            """(SELECT p.id, p.picking_type_id, p.date_done, p.date_deadline, p.scheduled_date
                  FROM stock_picking p
                 WHERE p.state = 'done'
                   AND p.date_done >= %(start)s AND p.date_done < %(end)s
                   AND p.company_id IN %(companies)s
                 OFFSET 0) p
               JOIN stock_picking_type pt ON pt.id = p.picking_type_id
              WHERE pt.code = 'outgoing'
                AND %(warehouse)s""",
            start=scope["start"],
            end=scope["end"],
            companies=scope["company_ids"],
            warehouse=SQL("pt.warehouse_id IN %s", warehouses) if warehouses else SQL("TRUE"),
        )

    def _shipped_domain(self, scope):
        """The domain of the outgoing pickings done in the period (the picking KPIs' records)."""
        domain = [
            ("picking_type_code", "=", "outgoing"),
            ("state", "=", "done"),
            *self._period_domain("date_done", scope),
            ("company_id", "in", list(scope["company_ids"])),
        ]
        if scope["warehouse_ids"]:
            domain.append(("picking_type_id.warehouse_id", "in", list(scope["warehouse_ids"])))
        return domain

    def _shipped_figures(self, scope):
        """{key: (pickings, on time, accurate, with backorder, units shipped, units missing)}
        of the outgoing pickings done in the scope: one pass over them serves the four picking
        KPIs (memoised in the scope)."""
        memo = scope.setdefault("memo", {})
        # keyed by what the figures depend on: a scope copied with other dates recomputes
        memo_key = (
            "shipped",
            scope["start"],
            scope["end"],
            scope["company_ids"],
            scope["warehouse_ids"],
            bool(scope.get("split")),
        )
        if memo_key not in memo:
            source = self._shipped_pickings(scope)
            rows = self._fetchall(
                SQL(
                    """WITH shipped AS MATERIALIZED (
                        SELECT p.id, %(key)s AS key,
                               p.date_done <= COALESCE(p.date_deadline, p.scheduled_date)
                                   AS on_time,
                               NOT EXISTS (
                                   SELECT 1 FROM distribution_exception e
                                    WHERE e.picking_id = p.id
                                      AND e.type_code IN ('short_pick', 'damaged_goods')
                                      AND e.state != 'cancelled') AS accurate,
                               EXISTS (SELECT 1 FROM stock_picking b WHERE b.backorder_id = p.id)
                                   AS backorder
                          FROM %(source)s),
                    -- a scrap made from a delivery carries its picking_id: it is not shipped
                    moved AS (
                        SELECT s.key, SUM(%(units)s) AS qty
                          FROM stock_move m
                          JOIN shipped s ON s.id = m.picking_id
                          %(unit_joins)s
                         WHERE m.state = 'done' AND m.scrap_id IS NULL
                         GROUP BY s.key),
                    missing AS (
                        SELECT s.key, SUM(e.quantity_missing) AS qty
                          FROM distribution_exception e
                          JOIN shipped s ON s.id = e.picking_id
                         WHERE e.type_code = 'short_pick' AND e.state != 'cancelled'
                         GROUP BY s.key),
                    counted AS (
                        SELECT key, COUNT(*) AS pickings,
                               COUNT(*) FILTER (WHERE on_time) AS on_time,
                               COUNT(*) FILTER (WHERE accurate) AS accurate,
                               COUNT(*) FILTER (WHERE backorder) AS backorder
                          FROM shipped GROUP BY key)
                    SELECT c.key, c.pickings, c.on_time, c.accurate, c.backorder,
                           COALESCE(moved.qty, 0), COALESCE(missing.qty, 0)
                      FROM counted c
                      LEFT JOIN moved ON moved.key IS NOT DISTINCT FROM c.key
                      LEFT JOIN missing ON missing.key IS NOT DISTINCT FROM c.key""",
                    key=self._split_key(scope, SQL("pt.warehouse_id")),
                    source=source,
                    units=MOVE_UNITS,
                    unit_joins=MOVE_UNIT_JOINS,
                )
            )
            memo[memo_key] = rows
        return memo[memo_key]

    def _picking_ratio(self, scope, column):
        """Share of the outgoing pickings done that are `column` (index in _shipped_figures)."""

        def build(scope, pickings, *figures):
            numerator = figures[column - 1]
            return self._result(
                "stock.picking",
                self._shipped_domain(scope),
                self._ratio(numerator, pickings),
                "%",
                pickings,
                numerator=numerator,
                denominator=pickings,
            )

        return self._per_key(scope, self._shipped_figures(scope), build, (0, 0, 0, 0, 0.0, 0.0))

    def _kpi_on_time_shipment(self, scope):
        return self._picking_ratio(scope, 1)

    def _kpi_pick_accuracy(self, scope):
        return self._picking_ratio(scope, 2)

    def _kpi_backorder_rate(self, scope):
        return self._picking_ratio(scope, 3)

    def _kpi_fill_rate(self, scope):
        def build(scope, pickings, on_time, accurate, backorder, shipped, missing):
            demanded = shipped + missing
            return self._result(
                "stock.picking",
                self._shipped_domain(scope),
                self._ratio(demanded - missing, demanded),
                "%",
                pickings,
                numerator=demanded - missing,
                denominator=demanded,
            )

        return self._per_key(scope, self._shipped_figures(scope), build, (0, 0, 0, 0, 0.0, 0.0))

    def _kpi_order_cycle_time(self, scope):
        # sale.order.dg_delivered_date: the last outgoing delivery done once none is left open
        # (stored, indexed), so this reads only the orders delivered in the period
        warehouses = scope["warehouse_ids"]
        rows = self._fetchall(
            SQL(
                """SELECT %(key)s, COUNT(*),
                          COALESCE(SUM(EXTRACT(EPOCH FROM so.dg_delivered_date - so.date_order)
                                       / 3600.0), 0)
                     FROM sale_order so
                    WHERE so.dg_delivered_date >= %(start)s AND so.dg_delivered_date < %(end)s
                      AND so.state = 'sale'
                      AND so.company_id IN %(companies)s
                      AND %(warehouse)s
                    GROUP BY 1""",
                key=self._split_key(scope, SQL("so.warehouse_id")),
                start=scope["start"],
                end=scope["end"],
                companies=scope["company_ids"],
                warehouse=SQL("so.warehouse_id IN %s", warehouses) if warehouses else SQL("TRUE"),
            )
        )

        def build(scope, count, hours):
            domain = [
                ("state", "=", "sale"),
                *self._period_domain("dg_delivered_date", scope),
                ("company_id", "in", list(scope["company_ids"])),
            ]
            if scope["warehouse_ids"]:
                domain.append(("warehouse_id", "in", list(scope["warehouse_ids"])))
            hours = float(hours)
            return self._result(
                "sale.order",
                domain,
                hours / count if count else None,
                "h",
                count,
                numerator=hours,
                denominator=count,
            )

        return self._per_key(scope, rows, build, (0, 0.0))

    # ------------------------------------------------------------------ stock moves

    def _kpi_inventory_adjustment_volume(self, scope):
        warehouses = scope["warehouse_ids"]
        source = SQL(
            """stock_move m
               JOIN stock_location ls ON ls.id = m.location_id
               JOIN stock_location ld ON ld.id = m.location_dest_id
              WHERE m.is_inventory
                AND m.state = 'done'
                AND m.date >= %(start)s AND m.date < %(end)s
                AND m.company_id IN %(companies)s
                AND %(warehouse)s""",
            start=scope["start"],
            end=scope["end"],
            companies=scope["company_ids"],
            warehouse=SQL(
                "(ls.warehouse_id IN %(wh)s OR ld.warehouse_id IN %(wh)s)", wh=warehouses
            )
            if warehouses
            else SQL("TRUE"),
        )
        (count,) = self._fetchone(SQL("SELECT COUNT(*) FROM %s", source))
        amount = None
        if self._readable(("stock.valuation.layer",)):
            (amount,) = self._fetchone(
                SQL(
                    """SELECT COALESCE(SUM(ABS(svl.value)), 0)
                         FROM stock_valuation_layer svl
                        WHERE svl.company_id IN %s
                          AND svl.stock_move_id IN (SELECT m.id FROM %s)""",
                    scope["company_ids"],
                    source,
                )
            )
            amount = float(amount)
        return self._result(
            "stock.move",
            self._adjustment_domain(scope),
            float(count),
            "count",
            count,
            amount=amount,
        )

    def _adjustment_domain(self, scope):
        domain = [
            ("is_inventory", "=", True),
            ("state", "=", "done"),
            *self._period_domain("date", scope),
            ("company_id", "in", list(scope["company_ids"])),
        ]
        if scope["warehouse_ids"]:
            domain += [
                "|",
                ("location_id.warehouse_id", "in", list(scope["warehouse_ids"])),
                ("location_dest_id.warehouse_id", "in", list(scope["warehouse_ids"])),
            ]
        return domain

    def _kpi_receiving_throughput(self, scope):
        warehouses = scope["warehouse_ids"]
        rows = self._fetchall(
            SQL(
                """WITH done AS MATERIALIZED (
                    -- the period's done moves first: one range scan on the date index
                    SELECT m.picking_type_id, m.product_id, m.product_uom, m.quantity
                      FROM stock_move m
                     WHERE m.state = 'done'
                       AND m.scrap_id IS NULL
                       AND m.date >= %(start)s AND m.date < %(end)s
                       AND m.company_id IN %(companies)s)
                SELECT %(key)s, COUNT(*), COALESCE(SUM(%(units)s), 0)
                  FROM done m
                  JOIN stock_picking_type pt ON pt.id = m.picking_type_id
                  %(unit_joins)s
                 WHERE pt.code = 'incoming'
                   AND %(warehouse)s
                 GROUP BY 1""",
                key=self._split_key(scope, SQL("pt.warehouse_id")),
                units=MOVE_UNITS,
                unit_joins=MOVE_UNIT_JOINS,
                start=scope["start"],
                end=scope["end"],
                companies=scope["company_ids"],
                warehouse=SQL("pt.warehouse_id IN %s", warehouses) if warehouses else SQL("TRUE"),
            )
        )

        def build(scope, count, units):
            units = float(units)
            return self._result(
                "stock.move",
                self._receipt_domain(scope),
                units / scope["days"],
                "units/day",
                count,
                numerator=units,
                denominator=scope["days"],
                lines=count,
                quantity=units,
            )

        return self._per_key(scope, rows, build, (0, 0.0))

    def _receipt_domain(self, scope):
        domain = [
            ("picking_type_id.code", "=", "incoming"),
            ("state", "=", "done"),
            ("scrap_id", "=", False),
            *self._period_domain("date", scope),
            ("company_id", "in", list(scope["company_ids"])),
        ]
        if scope["warehouse_ids"]:
            domain.append(("picking_type_id.warehouse_id", "in", list(scope["warehouse_ids"])))
        return domain

    # ------------------------------------------------------------------ exceptions, approvals

    def _exception_source(self, scope, condition):
        warehouses = scope["warehouse_ids"]
        return SQL(
            """distribution_exception e
              WHERE e.company_id IN %s AND %s AND %s""",
            scope["company_ids"],
            SQL("e.warehouse_id IN %s", warehouses) if warehouses else SQL("TRUE"),
            condition,
        )

    def _exception_domain(self, scope, domain):
        domain = [("company_id", "in", list(scope["company_ids"]))] + domain
        if scope["warehouse_ids"]:
            domain.append(("warehouse_id", "in", list(scope["warehouse_ids"])))
        return domain

    def _kpi_exceptions_opened(self, scope):
        (count,) = self._fetchone(
            SQL(
                "SELECT COUNT(*) FROM %s",
                self._exception_source(
                    scope,
                    SQL("e.create_date >= %s AND e.create_date < %s", scope["start"], scope["end"]),
                ),
            )
        )
        domain = self._exception_domain(scope, self._period_domain("create_date", scope))
        return self._result("distribution.exception", domain, float(count), "count", count)

    def _kpi_exceptions_backlog(self, scope):
        # open at the period's end: created before it and not closed by then (cancel and
        # resolve both stamp resolved_at), so a past day's backlog does not change afterwards
        end = scope["end"]
        rows = self._fetchall(
            SQL(
                "SELECT %s, COUNT(*) FROM %s GROUP BY 1",
                self._split_key(scope, SQL("e.warehouse_id")),
                self._exception_source(
                    scope,
                    SQL(
                        """e.create_date < %(end)s AND (e.state IN %(open)s
                           OR (e.resolved_at >= %(end)s AND e.state IN ('resolved', 'cancelled')))""",
                        end=end,
                        open=OPEN_EXCEPTION_STATES,
                    ),
                ),
            )
        )
        end_string = fields.Datetime.to_string(end)

        def build(scope, count):
            domain = self._exception_domain(
                scope,
                [
                    ("create_date", "<", end_string),
                    "|",
                    ("state", "in", list(OPEN_EXCEPTION_STATES)),
                    "&",
                    ("resolved_at", ">=", end_string),
                    ("state", "in", ["resolved", "cancelled"]),
                ],
            )
            return self._result("distribution.exception", domain, float(count), "count", count)

        return self._per_key(scope, rows, build, (0,))

    def _kpi_sla_breach_rate(self, scope):
        closed = SQL(
            "e.state IN ('resolved', 'cancelled') AND e.resolved_at >= %s AND e.resolved_at < %s",
            scope["start"],
            scope["end"],
        )
        breached, count = self._fetchone(
            SQL(
                "SELECT COUNT(*) FILTER (WHERE e.sla_breached_at_close), COUNT(*) FROM %s",
                self._exception_source(scope, closed),
            )
        )
        domain = self._exception_domain(
            scope,
            [
                ("state", "in", ["resolved", "cancelled"]),
                *self._period_domain("resolved_at", scope),
            ],
        )
        return self._result(
            "distribution.exception",
            domain,
            self._ratio(breached, count),
            "%",
            count,
            numerator=breached,
            denominator=count,
        )

    def _kpi_median_time_to_resolve(self, scope):
        resolved = SQL(
            "e.state = 'resolved' AND e.resolved_at >= %s AND e.resolved_at < %s",
            scope["start"],
            scope["end"],
        )
        median, count = self._fetchone(
            SQL(
                """SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY
                          EXTRACT(EPOCH FROM e.resolved_at - COALESCE(e.detected_at, e.create_date))
                          / 3600.0)::float,
                          COUNT(*)
                     FROM %s""",
                self._exception_source(scope, resolved),
            )
        )
        domain = self._exception_domain(
            scope, [("state", "=", "resolved")] + self._period_domain("resolved_at", scope)
        )
        return self._result(
            "distribution.exception",
            domain,
            float(median) if median is not None else None,
            "h",
            count,
        )

    def _kpi_median_time_to_decide(self, scope):
        warehouses = scope["warehouse_ids"]
        median, count = self._fetchone(
            SQL(
                """SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY
                          EXTRACT(EPOCH FROM r.decided_at - r.create_date) / 3600.0)::float,
                          COUNT(*)
                     FROM distribution_approval_request r
                     LEFT JOIN sale_order so ON so.id = r.sale_order_id
                    WHERE r.company_id IN %s
                      AND r.decided_at >= %s AND r.decided_at < %s
                      AND %s""",
                scope["company_ids"],
                scope["start"],
                scope["end"],
                SQL("so.warehouse_id IN %s", warehouses) if warehouses else SQL("TRUE"),
            )
        )
        domain = [
            ("company_id", "in", list(scope["company_ids"])),
            *self._period_domain("decided_at", scope),
        ]
        if warehouses:
            domain.append(("sale_order_id.warehouse_id", "in", list(warehouses)))
        return self._result(
            "distribution.approval.request",
            domain,
            float(median) if median is not None else None,
            "h",
            count,
        )

    # ------------------------------------------------------------------ invoicing

    def _kpi_invoice_discrepancies(self, scope):
        warehouses = scope["warehouse_ids"]
        (count,) = self._fetchone(
            SQL(
                """WITH orders AS MATERIALIZED (
                    -- the period's orders first: an index range on date_order
                    SELECT so.id FROM sale_order so
                     WHERE so.state = 'sale'
                       AND so.date_order >= %(start)s AND so.date_order < %(end)s
                       AND so.company_id IN %(companies)s
                       AND %(warehouse)s)
                SELECT COUNT(*)
                  FROM orders so
                  JOIN sale_order_line sol ON sol.order_id = so.id
                 WHERE sol.dg_invoice_discrepancy""",
                start=scope["start"],
                end=scope["end"],
                companies=scope["company_ids"],
                warehouse=SQL("so.warehouse_id IN %s", warehouses) if warehouses else SQL("TRUE"),
            )
        )
        domain = [
            ("dg_invoice_discrepancy", "=", True),
            ("order_id.state", "=", "sale"),
            *self._period_domain("order_id.date_order", scope),
            ("order_id.company_id", "in", list(scope["company_ids"])),
        ]
        if warehouses:
            domain.append(("order_id.warehouse_id", "in", list(warehouses)))
        return self._result("sale.order.line", domain, float(count), "count", count)

    def _kpi_credit_notes(self, scope):
        warehouses = scope["warehouse_ids"]
        start, end = scope["start"].date(), scope["end"].date()
        (count,) = self._fetchone(
            SQL(
                """SELECT COUNT(*)
                     FROM account_move am
                    WHERE am.move_type = 'out_refund'
                      AND am.state = 'posted'
                      AND am.invoice_date >= %s AND am.invoice_date < %s
                      AND am.company_id IN %s
                      AND %s""",
                start,
                end,
                scope["company_ids"],
                SQL(
                    """EXISTS (
                        SELECT 1 FROM account_move_line aml
                          JOIN sale_order_line_invoice_rel rel ON rel.invoice_line_id = aml.id
                          JOIN sale_order_line sol ON sol.id = rel.order_line_id
                          JOIN sale_order so ON so.id = sol.order_id
                         WHERE aml.move_id = am.id AND so.warehouse_id IN %s)""",
                    warehouses,
                )
                if warehouses
                else SQL("TRUE"),
            )
        )
        domain = [
            ("move_type", "=", "out_refund"),
            ("state", "=", "posted"),
            ("invoice_date", ">=", fields.Date.to_string(start)),
            ("invoice_date", "<", fields.Date.to_string(end)),
            ("company_id", "in", list(scope["company_ids"])),
        ]
        if warehouses:
            domain.append(("line_ids.sale_line_ids.order_id.warehouse_id", "in", list(warehouses)))
        return self._result("account.move", domain, float(count), "count", count)
