"""The warehouse KPIs, each defined once (formulas: readme/USAGE.md).

A KPI is a `Population` — the records it counts, as an Odoo domain built from the scope — and
aggregates over those records (`Family`). The engine turns the population's domain into SQL
through the ORM's `_search` (which brings record rules along when the user's rules narrow what
they read), aggregates over exactly those rows, and hands the same domain to the drill-down: the
list a card opens is the set of rows it counted, by construction.

Plain Python: the models (distribution.kpi, distribution.dashboard, the snapshot cron) call the
engine (`engine.py`) with these definitions, as OCA mis_builder's models call its `aep` engine.
"""

from dataclasses import dataclass, field

from odoo import fields
from odoo.osv import expression
from odoo.tools import SQL
from odoo.tools.translate import LazyTranslate

from .results import Figures, total

_lt = LazyTranslate(__name__)

OPEN_EXCEPTION_STATES = ("new", "in_progress")
CLOSED_EXCEPTION_STATES = ("resolved", "cancelled")
# the longest period the engine computes (a year, leap day included)
MAX_PERIOD_DAYS = 366
# how several days (or companies) of a KPI combine into one value
KINDS = ("ratio", "mean", "sum", "per_day", "level", "median")


@dataclass(frozen=True)
class Population:
    """The records a KPI counts over a scope.

    `conditions`: fixed domain leaves. `date_field` (a field or a many2one path to one) places a
    record on a day: a Datetime is read against the UTC bounds of the local days, a Date
    (`date_type` "date") is a local day already. A level (`at_end`) counts instead the records
    in some state at the end of the window: `at_end(end)` gives their domain for that instant.
    `warehouse`: many2one paths to stock.warehouse; a record belongs to a warehouse when any of
    them leads to it (one path of many2ones: the engine also groups by it). `subject`: a
    many2one path to whom a record is about (the operator who validated it, the vendor who
    delivered it), or a selection field (an approval request's kind), which the dashboard's
    per-operator, per-vendor and per-kind tables group by; `subject_model`: the model a
    many2one leads to (its snapshot rows keep the subject in the column SUBJECT_COLUMNS names).
    """

    model: str
    conditions: tuple = ()
    date_field: str | None = None
    date_type: str = "datetime"
    warehouse: tuple = ()
    company_field: str = "company_id"
    at_end: object = None  # callable(end: str) -> domain
    subject: str | None = None
    subject_model: str | None = None

    def window_domain(self, window):
        domain = [(self.company_field, "in", list(window.company_ids))]
        if self.at_end:
            return domain + self.at_end(fields.Datetime.to_string(window.end))
        if self.date_type == "date":
            # a local date has no instant to cut a day at
            assert not window.cut, self
            return domain + [
                (self.date_field, ">=", fields.Date.to_string(window.first)),
                (self.date_field, "<=", fields.Date.to_string(window.last)),
            ]
        return domain + [
            (self.date_field, ">=", fields.Datetime.to_string(window.start)),
            (self.date_field, "<", fields.Datetime.to_string(window.end)),
        ]

    def warehouse_domain(self, warehouse_ids):
        ids = list(warehouse_ids)
        return expression.OR([[(path, "in", ids)] for path in self.warehouse])

    def domain(self, scope):
        """The domain of the records counted over `scope`: the drill-down's domain, and the
        one the aggregate's SQL is made from."""
        parts = [
            list(self.conditions),
            expression.OR([self.window_domain(window) for window in scope.windows]),
        ]
        if scope.warehouse_ids:
            parts.append(self.warehouse_domain(scope.warehouse_ids))
        return expression.AND(parts)

    def subject_domain(self, subject_id):
        """The records of one subject (an operator, a vendor)."""
        return [(self.subject, "=", subject_id)]

    @property
    def split_path(self):
        """The one warehouse path the engine may group by, or None."""
        return self.warehouse[0] if len(self.warehouse) == 1 else None


@dataclass(frozen=True)
class Family:
    """Aggregates read in one pass over a population.

    `columns(query, env)`: {name: SQL} computed per record over the population's query (whose
    main table alias is `query.table`; it may add joins that keep one row per record).
    `children`: {name: callable(rows) -> SQL} per-record sums over child rows, each a query of
    (id, value) over the records of `rows` (the population's rows, with their `id`): one
    grouped pass, rather than a subquery per record. `aggregates`: {name: SQL} over those
    columns, per group. `additive`: the aggregates of disjoint groups add up to those of their
    union (not so for medians). `places`: the engine adds what places each record to its
    columns — `company`, `warehouse` (0 for none) and `day` (its local day) — for aggregates
    counting distinct places, such as an operator's warehouse-days (additive: the places of
    disjoint groups are disjoint).
    """

    key: str
    population: Population
    aggregates: dict
    columns: object = None  # callable(query, env) -> {name: SQL}
    children: dict = field(default_factory=dict)
    additive: bool = True
    places: bool = False


@dataclass(frozen=True)
class Flag:
    """The counted records that miss — late, short-picked, with a backorder — opened on their
    own from the card. `domain` narrows the KPI's records to them (the drill-down's), `label`
    names them ("late"), `of`: which figure counts them — "numerator" (the backorders of the
    backorder rate) or "rest" (the denominator less the numerator: the late of the on-time
    rate; both are counts of records)."""

    label: object
    domain: tuple
    of: str = "rest"

    def count(self, figures):
        if self.of == "numerator":
            return int(figures.numerator)
        return int(figures.denominator - figures.numerator)


@dataclass(frozen=True)
class KpiDef:
    """A KPI: its family's aggregates named as the figures a snapshot stores, and how they
    make a value.

    `kind`: "ratio" (numerator ÷ denominator, in %), "mean" (the same without the factor),
    "sum" (the count), "per_day" (numerator ÷ days), "level" (the count at the end of the
    period: several days combine as the last one), "median" (daily medians combine weighted by
    their counts). `snapshot`: the closed days of the dashboard's period come from the daily
    snapshots, so its cost does not grow with the history: every KPI whose days add up
    exactly (not the open exceptions, a level counted today, nor the medians, whose days
    combine only approximately); their past days change only through writes that forget them
    (kpi_freshness.py).
    `flag`: the records that miss, a drill-down of their own. `list_view`: the xml id of the
    list the drill-down opens, with the columns that explain the KPI (the model's default
    list when None).
    """

    key: str
    label: str
    help: object
    unit: str
    direction: str
    kind: str
    family: Family
    count: str
    numerator: str | None = None
    denominator: str | None = None
    amount: str | None = None
    median: str | None = None
    reads: tuple = ()
    amount_reads: tuple = ()
    snapshot: bool = False
    flag: Flag | None = None
    list_view: str | None = None
    models: tuple = field(init=False)

    def __post_init__(self):
        assert self.kind in KINDS, self.kind
        object.__setattr__(self, "models", (self.population.model, *self.reads))

    @property
    def population(self):
        return self.family.population

    @property
    def model(self):
        """The model of the records counted (and listed by the drill-down)."""
        return self.population.model

    def figures(self, row, amount=True):
        """Figures of this KPI from a row of its family's aggregates ({name: value})."""

        def number(name):
            value = row.get(name) if name else None
            return float(value) if value is not None else 0.0

        median = row.get(self.median) if self.median else None
        return Figures(
            count=int(row.get(self.count) or 0),
            numerator=number(self.numerator),
            denominator=number(self.denominator),
            amount=number(self.amount) if self.amount and amount else None,
            median=float(median) if median is not None else None,
        )

    def value(self, figures, days):
        """The KPI's value from its figures over `days` days."""
        if self.kind == "ratio":
            return figures.numerator * 100.0 / figures.denominator if figures.denominator else None
        if self.kind == "mean":
            return figures.numerator / figures.denominator if figures.denominator else None
        if self.kind == "per_day":
            return figures.numerator / days if days else None
        if self.kind == "median":
            return figures.median
        return float(figures.count)

    def combine(self, cells):
        """One Figures from [(day, Figures)] of several days (and groups): they add up, but a
        level is the last day's."""
        cells = list(cells)
        if self.kind == "level" and cells:
            last = max(day for day, __ in cells)
            cells = [(day, figures) for day, figures in cells if day == last]
        return total(figures for __, figures in cells)


# ------------------------------------------------------------------ populations


def _backlog_at(end):
    # open at `end`: created before it and not closed by then (cancel and resolve both stamp
    # resolved_at), so a past day's backlog does not change afterwards
    return [
        ("create_date", "<", end),
        "|",
        ("state", "in", list(OPEN_EXCEPTION_STATES)),
        "&",
        ("resolved_at", ">=", end),
        ("state", "in", list(CLOSED_EXCEPTION_STATES)),
    ]


SHIPPED = Population(
    "stock.picking",
    (("picking_type_id.code", "=", "outgoing"), ("state", "=", "done")),
    date_field="date_done",
    warehouse=("picking_type_id.warehouse_id",),
)
RECEIVED = Population(
    "stock.move",
    (
        ("picking_type_id.code", "=", "incoming"),
        ("state", "=", "done"),
        ("scrap_id", "=", False),
    ),
    date_field="date",
    warehouse=("picking_type_id.warehouse_id",),
)
ADJUSTED = Population(
    "stock.move",
    (("is_inventory", "=", True), ("state", "=", "done")),
    date_field="date",
    warehouse=("location_id.warehouse_id", "location_dest_id.warehouse_id"),
)
DELIVERED_ORDERS = Population(
    "sale.order",
    (("state", "=", "sale"),),
    date_field="dg_delivered_date",
    warehouse=("warehouse_id",),
)
DISCREPANT_LINES = Population(
    "sale.order.line",
    (("dg_invoice_discrepancy", "=", True), ("order_id.state", "=", "sale")),
    date_field="order_id.date_order",
    warehouse=("order_id.warehouse_id",),
)
CREDIT_NOTES = Population(
    "account.move",
    (("move_type", "=", "out_refund"), ("state", "=", "posted")),
    date_field="invoice_date",
    date_type="date",
    warehouse=("line_ids.sale_line_ids.order_id.warehouse_id",),
)
VALIDATED = Population(
    "stock.picking",
    (("state", "=", "done"), ("dg_validated_by", "!=", False)),
    date_field="date_done",
    warehouse=("picking_type_id.warehouse_id",),
    subject="dg_validated_by",
    subject_model="res.users",
)
PICKED_LINES = Population(
    "stock.move.line",
    (
        ("state", "=", "done"),
        # the transfer's state too: its done transfers of a period are a range scan
        ("picking_id.state", "=", "done"),
        ("picking_id.dg_pick", "=", True),
        ("picking_id.dg_validated_by", "!=", False),
    ),
    date_field="picking_id.date_done",
    warehouse=("picking_id.picking_type_id.warehouse_id",),
    subject="picking_id.dg_validated_by",
    subject_model="res.users",
)
PICKED_SHIPPED = Population(
    "stock.picking",
    (
        ("picking_type_id.code", "=", "outgoing"),
        ("state", "=", "done"),
        ("dg_picked_date", "!=", False),
    ),
    date_field="date_done",
    warehouse=("picking_type_id.warehouse_id",),
)
STOCKED = Population(
    "stock.picking",
    (("picking_type_id.code", "=", "incoming"), ("state", "=", "done")),
    date_field="dg_stocked_date",
    warehouse=("picking_type_id.warehouse_id",),
)
SUPPLIER_RECEIPTS = Population(
    "stock.picking",
    (
        ("picking_type_id.code", "=", "incoming"),
        ("state", "=", "done"),
        # from a vendor: not a customer's return, nor a receipt of nobody's
        ("return_id", "=", False),
        ("partner_id", "!=", False),
    ),
    date_field="date_done",
    warehouse=("picking_type_id.warehouse_id",),
    subject="partner_id",
    subject_model="res.partner",
)
RECEIVED_PURCHASE_LINES = Population(
    "purchase.order.line",
    (("display_type", "=", False), ("state", "in", ["purchase", "done"]), ("product_qty", ">", 0)),
    date_field="dg_received_date",
    warehouse=("order_id.picking_type_id.warehouse_id",),
    subject="partner_id",
    subject_model="res.partner",
)
OPENED = Population("distribution.exception", date_field="create_date", warehouse=("warehouse_id",))
BACKLOG = Population("distribution.exception", warehouse=("warehouse_id",), at_end=_backlog_at)
CLOSED = Population(
    "distribution.exception",
    (("state", "in", list(CLOSED_EXCEPTION_STATES)),),
    date_field="resolved_at",
    warehouse=("warehouse_id",),
)
RESOLVED = Population(
    "distribution.exception",
    (("state", "=", "resolved"),),
    date_field="resolved_at",
    warehouse=("warehouse_id",),
)
# exceptions given a triage suggestion when they were created (issue 16): the acceptance
# counts those created in the period, the hit rate those resolved in it
SUGGESTED = Population(
    "distribution.exception",
    (("triage_basis", "!=", False),),
    date_field="create_date",
    warehouse=("warehouse_id",),
)
RESOLVED_SUGGESTED = Population(
    "distribution.exception",
    (("state", "=", "resolved"), ("triage_resolution_id", "!=", False)),
    date_field="resolved_at",
    warehouse=("warehouse_id",),
)
# decided by approvers: approved or rejected (an approval may have expired or been voided
# since); not the requests cancelled before anyone decided them
DECIDED_STATES = ("approved", "rejected", "expired", "voided")
DECIDED = Population(
    "distribution.approval.request",
    (("state", "in", list(DECIDED_STATES)),),
    date_field="decided_at",
    warehouse=("sale_order_id.warehouse_id",),
    subject="kind",
)

# ------------------------------------------------------------------ per-record columns


def _table(query):
    return SQL.identifier(query.table)


def _move_units(move, uom, template_uom):
    """A done move's quantity in its product's unit."""
    return SQL(
        "%s / %s * %s",
        SQL.identifier(move, "quantity"),
        SQL.identifier(uom, "factor"),
        SQL.identifier(template_uom, "factor"),
    )


def _shipped_columns(query, env):
    p = _table(query)
    return {
        "on_time": _on_time(p),
        "backorder": SQL("EXISTS (SELECT 1 FROM stock_picking b WHERE b.backorder_id = %s.id)", p),
    }


def _shipped_units(rows):
    # a scrap made from a delivery carries its picking_id: it is not shipped
    return SQL(
        """SELECT m.picking_id AS id, SUM(%s) AS value
             FROM stock_move m
             JOIN uom_uom mu ON mu.id = m.product_uom
             JOIN product_product pp ON pp.id = m.product_id
             JOIN product_template tmpl ON tmpl.id = pp.product_tmpl_id
             JOIN uom_uom pu ON pu.id = tmpl.uom_id
            WHERE m.picking_id IN (SELECT id FROM %s)
              AND m.state = 'done' AND m.scrap_id IS NULL
            GROUP BY m.picking_id""",
        _move_units("m", "mu", "pu"),
        rows,
    )


def _pick_issues(rows):
    # a subquery per delivery would be planned, past a thousand deliveries, as one hash of
    # every short-pick and damaged-goods exception of the history
    return SQL(
        """SELECT e.picking_id AS id, COUNT(*) AS value
             FROM distribution_exception e
            WHERE e.picking_id IN (SELECT id FROM %s)
              AND e.type_code IN ('short_pick', 'damaged_goods') AND e.state != 'cancelled'
            GROUP BY e.picking_id""",
        rows,
    )


def _missing_units(rows):
    return SQL(
        """SELECT e.picking_id AS id, SUM(e.quantity_missing) AS value
             FROM distribution_exception e
            WHERE e.picking_id IN (SELECT id FROM %s)
              AND e.type_code = 'short_pick' AND e.state != 'cancelled'
            GROUP BY e.picking_id""",
        rows,
    )


def _on_time(table):
    # done on or before the deadline, else the scheduled date (deliveries and receipts alike)
    return SQL("%(p)s.date_done <= COALESCE(%(p)s.date_deadline, %(p)s.scheduled_date)", p=table)


def _received_columns(query, env):
    move = query.table
    uom = query.join(move, "product_uom", "uom_uom", "id", "product_uom")
    product = query.join(move, "product_id", "product_product", "id", "product_id")
    template = query.join(product, "product_tmpl_id", "product_template", "id", "product_tmpl_id")
    template_uom = query.join(template, "uom_id", "uom_uom", "id", "uom_id")
    return {"units": _move_units(move, uom, template_uom)}


def _adjusted_columns(query, env):
    if "stock.valuation.layer" not in env:
        return {"amount": SQL("NULL::float")}
    return {
        "amount": SQL(
            """(SELECT COALESCE(SUM(ABS(svl.value)), 0)
                  FROM stock_valuation_layer svl WHERE svl.stock_move_id = %s.id)""",
            _table(query),
        )
    }


def _hours(end, start):
    return lambda query, env: {
        "hours": SQL(
            "EXTRACT(EPOCH FROM %s - %s) / 3600.0",
            SQL(end, table=_table(query)),
            SQL(start, table=_table(query)),
        )
    }


def _picking_column(query, env, name):
    """A column of a move line's transfer (joined once: the line's day is read from it too)."""
    picking = query.left_join(query.table, "picking_id", "stock_picking", "id", "picking_id")
    return SQL.identifier(picking, name)


def _purchase_line_columns(line):
    # in the product's unit (product_uom_qty); what was received beyond the order does not
    # make up for another line's shortfall
    return {
        "ordered": SQL("%s.product_uom_qty", line),
        "received": SQL(
            "LEAST(%(l)s.qty_received, %(l)s.product_qty) / %(l)s.product_qty * %(l)s.product_uom_qty",
            l=line,
        ),
    }


COUNT = {"records": SQL("COUNT(*)")}
MEDIAN_HOURS = {
    "records": SQL("COUNT(*)"),
    "median": SQL("percentile_cont(0.5) WITHIN GROUP (ORDER BY hours)::float"),
}

# ------------------------------------------------------------------ families

SHIPPED_FIGURES = Family(
    "shipped",
    SHIPPED,
    {
        "pickings": SQL("COUNT(*)"),
        "on_time": SQL("COUNT(*) FILTER (WHERE on_time)"),
        "accurate": SQL("COUNT(*) FILTER (WHERE issues = 0)"),
        "backorder": SQL("COUNT(*) FILTER (WHERE backorder)"),
        "shipped": SQL("COALESCE(SUM(shipped), 0)::float"),
        "demanded": SQL("COALESCE(SUM(shipped + missing), 0)::float"),
    },
    _shipped_columns,
    children={"shipped": _shipped_units, "missing": _missing_units, "issues": _pick_issues},
)
RECEIPTS = Family(
    "receipts",
    RECEIVED,
    {"lines": SQL("COUNT(*)"), "units": SQL("COALESCE(SUM(units), 0)::float")},
    _received_columns,
)
ADJUSTMENTS = Family(
    "adjustments",
    ADJUSTED,
    {"moves": SQL("COUNT(*)"), "amount": SQL("SUM(amount)::float")},
    _adjusted_columns,
)
CYCLE = Family(
    "cycle",
    DELIVERED_ORDERS,
    {"orders": SQL("COUNT(*)"), "hours": SQL("COALESCE(SUM(hours), 0)::float")},
    _hours("%(table)s.dg_delivered_date", "%(table)s.date_order"),
)
BREACHES = Family(
    "breaches",
    CLOSED,
    {"closed": SQL("COUNT(*)"), "breached": SQL("COUNT(*) FILTER (WHERE breached)")},
    lambda query, env: {
        "breached": SQL("COALESCE(%s.sla_breached_at_close, FALSE)", _table(query))
    },
)
LINES_PICKED = Family(
    "lines_picked",
    PICKED_LINES,
    {
        "lines": SQL("COUNT(*)"),
        "operator_days": SQL("COUNT(DISTINCT (operator, company, warehouse, day))"),
    },
    lambda query, env: {"operator": _picking_column(query, env, "dg_validated_by")},
    places=True,
)
TRANSFERS_VALIDATED = Family(
    "transfers_validated",
    VALIDATED,
    {
        "transfers": SQL("COUNT(*)"),
        "operator_days": SQL("COUNT(DISTINCT (operator, company, warehouse, day))"),
    },
    lambda query, env: {"operator": SQL.identifier(query.table, "dg_validated_by")},
    places=True,
)
PICK_TO_SHIP = Family(
    "pick_to_ship",
    PICKED_SHIPPED,
    {"deliveries": SQL("COUNT(*)"), "hours": SQL("COALESCE(SUM(hours), 0)::float")},
    _hours("%(table)s.date_done", "%(table)s.dg_picked_date"),
)
DOCK_TO_STOCK = Family(
    "dock_to_stock",
    STOCKED,
    {"receipts": SQL("COUNT(*)"), "hours": SQL("COALESCE(SUM(hours), 0)::float")},
    _hours("%(table)s.dg_stocked_date", "%(table)s.date_done"),
)
SUPPLIER_ON_TIME = Family(
    "supplier_on_time",
    SUPPLIER_RECEIPTS,
    {"receipts": SQL("COUNT(*)"), "on_time": SQL("COUNT(*) FILTER (WHERE on_time)")},
    lambda query, env: {"on_time": _on_time(_table(query))},
)
SUPPLIER_FILL = Family(
    "supplier_fill",
    RECEIVED_PURCHASE_LINES,
    {
        "lines": SQL("COUNT(*)"),
        "received": SQL("COALESCE(SUM(received), 0)::float"),
        "ordered": SQL("COALESCE(SUM(ordered), 0)::float"),
    },
    lambda query, env: _purchase_line_columns(_table(query)),
)
RESOLUTIONS = Family(
    "resolutions",
    RESOLVED,
    MEDIAN_HOURS,
    _hours("%(table)s.resolved_at", "COALESCE(%(table)s.detected_at, %(table)s.create_date)"),
    additive=False,
)
APPROVAL_OUTCOMES = Family(
    "approval_outcomes",
    DECIDED,
    {"decided": SQL("COUNT(*)"), "approved": SQL("COUNT(*) FILTER (WHERE approved)")},
    lambda query, env: {"approved": SQL("%s.state != 'rejected'", _table(query))},
)
SUGGESTION_ACCEPTANCE = Family(
    "suggestion_acceptance",
    SUGGESTED,
    {"suggested": SQL("COUNT(*)"), "accepted": SQL("COUNT(*) FILTER (WHERE accepted)")},
    lambda query, env: {"accepted": SQL("COALESCE(%s.triage_applied, FALSE)", _table(query))},
)
SUGGESTION_HITS = Family(
    "suggestion_hits",
    RESOLVED_SUGGESTED,
    {"resolved": SQL("COUNT(*)"), "hits": SQL("COUNT(*) FILTER (WHERE hit)")},
    lambda query, env: {"hit": SQL("COALESCE(%s.triage_hit, FALSE)", _table(query))},
)
DECISIONS = Family(
    "decisions",
    DECIDED,
    MEDIAN_HOURS,
    _hours("%(table)s.decided_at", "%(table)s.create_date"),
    additive=False,
)


PICKINGS_LIST = "distribution_governance.stock_picking_view_list_kpi"
MOVES_LIST = "distribution_governance.stock_move_view_list_kpi"


def _kpi(key, label, help, unit, direction, kind, family, count="records", **options):  # noqa: A002
    return KpiDef(key, label, help, unit, direction, kind, family, count, **options)


KPIS = {
    kpi.key: kpi
    for kpi in (
        _kpi(
            "order_cycle_time",
            "Order cycle time",
            _lt("Mean hours from order date to its last delivery done, for orders fully delivered."),
            "h",
            "lower",
            "mean",
            CYCLE,
            count="orders",
            numerator="hours",
            denominator="orders",
            snapshot=True,
            list_view="distribution_governance.sale_order_view_list_kpi",
        ),
        _kpi(
            "on_time_shipment",
            "On-time shipment",
            _lt("Deliveries done on or before their deadline (else scheduled date), in %."),
            "%",
            "higher",
            "ratio",
            SHIPPED_FIGURES,
            count="pickings",
            numerator="on_time",
            denominator="pickings",
            snapshot=True,
            flag=Flag(_lt("late"), (("dg_late", "=", True),)),
            list_view=PICKINGS_LIST,
        ),
        _kpi(
            "pick_accuracy",
            "Pick accuracy",
            _lt("Deliveries done without a short-pick or damaged-goods exception, in %."),
            "%",
            "higher",
            "ratio",
            SHIPPED_FIGURES,
            count="pickings",
            numerator="accurate",
            denominator="pickings",
            reads=("distribution.exception",),
            snapshot=True,
            flag=Flag(_lt("short or damaged"), (("dg_pick_issue", "=", True),)),
            list_view=PICKINGS_LIST,
        ),
        _kpi(
            "fill_rate",
            "Fill rate",
            _lt("Units shipped over units shipped plus units short-picked, in %."),
            "%",
            "higher",
            "ratio",
            SHIPPED_FIGURES,
            count="pickings",
            numerator="shipped",
            denominator="demanded",
            reads=("stock.move", "distribution.exception"),
            snapshot=True,
            list_view=PICKINGS_LIST,
        ),
        _kpi(
            "backorder_rate",
            "Backorder rate",
            _lt("Deliveries done that left a backorder, in %."),
            "%",
            "lower",
            "ratio",
            SHIPPED_FIGURES,
            count="pickings",
            numerator="backorder",
            denominator="pickings",
            snapshot=True,
            flag=Flag(_lt("with a backorder"), (("backorder_ids", "!=", False),), "numerator"),
            list_view=PICKINGS_LIST,
        ),
        _kpi(
            "pick_to_ship",
            "Pick-to-ship time",
            _lt(
                "Mean hours from the pick step done to the delivery done, for deliveries done "
                "in several steps (a one-step delivery has no pick step to measure)."
            ),
            "h",
            "lower",
            "mean",
            PICK_TO_SHIP,
            count="deliveries",
            numerator="hours",
            denominator="deliveries",
            snapshot=True,
            list_view="distribution_governance.stock_picking_view_list_kpi_pick_to_ship",
        ),
        _kpi(
            "lines_picked",
            "Lines picked per operator",
            _lt(
                "Move lines of pick transfers done per operator and working day (the user who "
                "validated them; a day counts once per warehouse)."
            ),
            "lines/day",
            "higher",
            "mean",
            LINES_PICKED,
            count="lines",
            numerator="lines",
            denominator="operator_days",
            snapshot=True,
            list_view="distribution_governance.stock_move_line_view_list_kpi",
        ),
        _kpi(
            "transfers_validated",
            "Transfers validated per operator",
            _lt(
                "Transfers done (receipts, internal, picks, deliveries) per operator and working "
                "day (the user who validated them; a day counts once per warehouse)."
            ),
            "transfers/day",
            "higher",
            "mean",
            TRANSFERS_VALIDATED,
            count="transfers",
            numerator="transfers",
            denominator="operator_days",
            snapshot=True,
            list_view=PICKINGS_LIST,
        ),
        _kpi(
            "receiving_throughput",
            "Receiving throughput",
            _lt("Units received per day (incoming moves done, in the product's unit)."),
            "units/day",
            "higher",
            "per_day",
            RECEIPTS,
            count="lines",
            numerator="units",
            snapshot=True,
            list_view=MOVES_LIST,
        ),
        _kpi(
            "dock_to_stock",
            "Dock-to-stock time",
            _lt(
                "Mean hours from a receipt validated to its goods put away in stock (the last "
                "put-away done; the receipt itself in one-step reception)."
            ),
            "h",
            "lower",
            "mean",
            DOCK_TO_STOCK,
            count="receipts",
            numerator="hours",
            denominator="receipts",
            snapshot=True,
            list_view="distribution_governance.stock_picking_view_list_kpi_dock_to_stock",
        ),
        _kpi(
            "supplier_on_time",
            "Supplier on-time receipts",
            _lt(
                "Receipts from vendors (not returns) done on or before their deadline (else "
                "scheduled date), in %."
            ),
            "%",
            "higher",
            "ratio",
            SUPPLIER_ON_TIME,
            count="receipts",
            numerator="on_time",
            denominator="receipts",
            flag=Flag(_lt("late"), (("dg_late", "=", True),)),
            snapshot=True,
            list_view=PICKINGS_LIST,
        ),
        _kpi(
            "supplier_fill_rate",
            "Supplier fill rate",
            _lt(
                "Units received over units ordered on the purchase order lines last received "
                "in the period, in %."
            ),
            "%",
            "higher",
            "ratio",
            SUPPLIER_FILL,
            count="lines",
            numerator="received",
            denominator="ordered",
            snapshot=True,
            list_view="distribution_governance.purchase_order_line_view_list_kpi",
        ),
        _kpi(
            "inventory_adjustment_volume",
            "Inventory adjustments",
            _lt("Inventory adjustment moves done, with their absolute valuation."),
            "count",
            "lower",
            "sum",
            ADJUSTMENTS,
            count="moves",
            amount="amount",
            amount_reads=("stock.valuation.layer",),
            snapshot=True,
            list_view=MOVES_LIST,
        ),
        _kpi(
            "invoice_discrepancies",
            "Invoice discrepancies",
            _lt(
                "Goods lines of orders confirmed in the period whose delivered and invoiced "
                "quantities differ (delivered-not-invoiced and invoiced-not-delivered)."
            ),
            "count",
            "lower",
            "sum",
            Family("discrepancies", DISCREPANT_LINES, COUNT),
            reads=("sale.order",),
            snapshot=True,
            list_view="distribution_governance.sale_order_line_view_list_kpi",
        ),
        _kpi(
            "credit_notes",
            "Credit notes",
            _lt("Customer credit notes posted (invoice date in the period)."),
            "count",
            "lower",
            "sum",
            Family("credit_notes", CREDIT_NOTES, COUNT),
            snapshot=True,
        ),
        _kpi(
            "exceptions_opened",
            "Exceptions opened",
            _lt("Exceptions created in the period: the support demand."),
            "count",
            "lower",
            "sum",
            Family("opened", OPENED, COUNT),
            snapshot=True,
        ),
        _kpi(
            "exceptions_backlog",
            "Open exceptions",
            _lt("Exceptions open at the end of the period (created before, not closed by then)."),
            "count",
            "lower",
            "level",
            Family("backlog", BACKLOG, COUNT),
        ),
        _kpi(
            "sla_breach_rate",
            "SLA breach rate",
            _lt("Exceptions closed in the period after their SLA deadline, in %."),
            "%",
            "lower",
            "ratio",
            BREACHES,
            count="closed",
            numerator="breached",
            denominator="closed",
            flag=Flag(_lt("breached"), (("sla_breached_at_close", "=", True),), "numerator"),
            snapshot=True,
        ),
        _kpi(
            "median_time_to_resolve",
            "Median time to resolve",
            _lt("Median hours from detection to resolution of exceptions resolved in the period."),
            "h",
            "lower",
            "median",
            RESOLUTIONS,
            median="median",
        ),
        _kpi(
            "median_time_to_decide",
            "Median time to decide",
            _lt(
                "Median hours from request to decision of the approval requests approved or "
                "rejected in the period (not those cancelled before a decision)."
            ),
            "h",
            "lower",
            "median",
            DECISIONS,
            median="median",
        ),
        _kpi(
            "approval_rate",
            "Approval rate",
            _lt(
                "Approval requests approved over those approved or rejected in the period, "
                "in %."
            ),
            "%",
            "higher",
            "ratio",
            APPROVAL_OUTCOMES,
            count="decided",
            numerator="approved",
            denominator="decided",
            flag=Flag(_lt("rejected"), (("state", "=", "rejected"),)),
        ),
        _kpi(
            "suggestion_acceptance",
            "Suggestion acceptance",
            _lt(
                "Exceptions created in the period with a triage suggestion of which a user "
                "applied a part (owner, severity or playbook), over those with a suggestion, in %."
            ),
            "%",
            "higher",
            "ratio",
            SUGGESTION_ACCEPTANCE,
            count="suggested",
            numerator="accepted",
            denominator="suggested",
            flag=Flag(_lt("not applied"), (("triage_applied", "=", False),)),
        ),
        _kpi(
            "suggestion_hit_rate",
            "Top suggestion final",
            _lt(
                "Exceptions resolved in the period with a suggested playbook whose final "
                "resolution is that playbook, over those resolved with a suggested playbook, in %."
            ),
            "%",
            "higher",
            "ratio",
            SUGGESTION_HITS,
            count="resolved",
            numerator="hits",
            denominator="resolved",
            flag=Flag(_lt("resolved otherwise"), (("triage_hit", "=", False),)),
        ),
    )
}

KPI_SELECTION = [(key, kpi.label) for key, kpi in KPIS.items()]
# the snapshot column holding a subject, by the subject's model
SUBJECT_COLUMNS = {"res.users": "operator_id", "res.partner": "vendor_id"}
# the snapshot KPIs whose daily snapshots also hold a row per subject (an operator, a vendor),
# with the column the subject is kept in: the per-operator table and the vendor scorecard read
# their closed days from them
SUBJECT_SNAPSHOT_KEYS = {
    key: SUBJECT_COLUMNS[kpi.population.subject_model]
    for key, kpi in KPIS.items()
    if kpi.snapshot and kpi.population.subject
}
# the snapshot KPIs whose records have an instant: today's hours over are snapshotted too
# (distribution.kpi.snapshot.hour), so a period ending today reads live only the hours not
# snapshotted yet
HOUR_SNAPSHOT_KEYS = [
    key for key, kpi in KPIS.items() if kpi.snapshot and kpi.population.date_type == "datetime"
]
OPERATOR_SNAPSHOT_KEYS = [
    key for key, column in SUBJECT_SNAPSHOT_KEYS.items() if column == "operator_id"
]
