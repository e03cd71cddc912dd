"""Triage suggestions: who should own a new exception, how severe it is, which resolution code
(playbook) will close it and how long that takes, from the company's own resolved exceptions.

The model is a weighted nearest-neighbour vote that lives in the database:

- the neighbours of an exception are the resolved exceptions of its company and type;
- two exceptions are as similar as the sum of the weights of the features they share (the
  warehouse, the product's category, the customer, the route or carrier, the weekday, the
  3-hour band of the day and the quantity band), each weight learned per company and type by
  the nightly cron (distribution.triage.weight) and a default until there is history;
- the K most similar (most recently resolved first among equals), sharing at least a quarter
  of the type's total weight, vote: the resolution code and the owner with the most votes, the
  severity with the most votes;
- the expected hours are not the neighbours' (they are picked on what decides the playbook, and
  the median of nine is noisy): the median time to resolve of the type's recent resolved cases
  of the suggested severity detected in the same period as this one (working hours, outside
  them, at the weekend, in the company's time zone), backing off to the period alone, then to
  the whole type, when fewer than TRIAGE_HOURS_MIN_CASES; computed by the same query;
- with fewer than MIN_SIMILAR such cases, the type's defaults, and the explanation says so.

A resolved exception is a row of the history the moment it is resolved: the next suggestion
counts it, nothing to refresh. Only the weights wait for the night.
"""

import math
import statistics
from datetime import datetime

import pytz

from odoo import SUPERUSER_ID, _, api, fields, models
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.tools import SQL
from odoo.tools.sql import column_exists, table_exists

from . import input_checks
from .distribution_exception import OPEN_STATES, USER_GROUP
from .distribution_exception_type import SEVERITIES
from .distribution_triage_weight import DEFAULT_WEIGHTS, FEATURE_KEYS, WEIGHT_SCALE, feature_sql

# the neighbours that vote
TRIAGE_K = 9
# fewer similar resolved cases than this: the type's defaults (two cases agreeing by chance
# would otherwise decide)
TRIAGE_MIN_SIMILAR = 3
# a neighbour shares at least 1/TRIAGE_MIN_SHARE_INVERSE of the type's total feature weight
# (a quarter)
TRIAGE_MIN_SHARE_INVERSE = 4
# the history compared: the most recent resolved cases of the company and type (how a
# distributor resolves changes, and the query's time stays bounded as history grows)
TRIAGE_HISTORY = 5000
# the expected hours: a group of the history (severity and period, then period) counts from
# this many cases, else the next coarser one
TRIAGE_HOURS_MIN_CASES = 10
# working hours, local (company's time zone), Monday to Friday: [start, end)
TRIAGE_WORK_START, TRIAGE_WORK_END = 8, 18
TRIAGE_WEEKEND = (5, 6)
MAX_QTY_BAND = 8
# The suggestion and its acceptance are the engine's: set at creation as superuser, by the
# apply action after its own checks, by the resolution; never by a client.
TRIAGE_FIELDS = frozenset(
    {
        "triage_categ_id",
        "triage_route_key",
        "triage_weekday",
        "triage_hour",
        "triage_qty_band",
        "triage_basis",
        "triage_owner_id",
        "triage_severity",
        "triage_resolution_id",
        "triage_hours",
        "triage_support",
        "triage_applied_owner",
        "triage_applied_severity",
        "triage_applied_resolution",
        "triage_applied",
        "triage_auto_assigned",
        "triage_hit",
    }
)
# what the features are read from: a change of one of them computes them again
FEATURE_SOURCES = frozenset(
    {
        "product_id",
        "picking_id",
        "sale_order_id",
        "quantity_missing",
        "quantity_expected",
        "detected_at",
        "company_id",
    }
)
TRIAGE_PARTS = ("owner", "severity", "resolution")


def qty_band(quantity):
    """0 without a quantity, else 1 + floor(log2(quantity)), at most MAX_QTY_BAND."""
    if not quantity or quantity <= 0:
        return 0
    return min(MAX_QTY_BAND, 1 + math.floor(math.log2(max(quantity, 1.0))))


def ranked(values):
    """[(value, votes)] most votes first; among equals, the one met first (the most similar)."""
    counts, first = {}, {}
    for index, value in enumerate(values):
        if value is None:
            continue
        counts[value] = counts.get(value, 0) + 1
        first.setdefault(value, index)
    return [(value, counts[value]) for value in sorted(counts, key=lambda v: (-counts[v], first[v]))]


def detection_period(weekday, hour):
    """'weekend', 'off_hours' or 'working': when an exception was detected (local weekday 0 =
    Monday, hour), as the expected hours group the history."""
    if weekday in TRIAGE_WEEKEND:
        return "weekend"
    if hour is not None and (hour < TRIAGE_WORK_START or hour >= TRIAGE_WORK_END):
        return "off_hours"
    return "working"


def format_hours(hours):
    return ("%.1f" % hours).rstrip("0").rstrip(".") if hours < 10 else "%d" % round(hours)


class ResCompany(models.Model):
    _inherit = "res.company"

    triage_auto_assign = fields.Boolean(
        "Assign the Suggested Owner",
        help="A new exception nobody owns goes to the owner its triage suggestion names, when "
        "the suggestion comes from similar resolved cases; logged on the exception.",
    )


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    triage_auto_assign = fields.Boolean(related="company_id.triage_auto_assign", readonly=False)


class DistributionException(models.Model):
    _inherit = "distribution.exception"

    # ------------------------------------------------------------------ features
    triage_categ_id = fields.Many2one(
        "product.category", string="Product Category (triage)", readonly=True, copy=False
    )
    triage_route_key = fields.Char("Route (triage)", readonly=True, copy=False)
    triage_weekday = fields.Integer("Weekday (triage)", readonly=True, copy=False)
    triage_hour = fields.Integer("Hour (triage)", readonly=True, copy=False)
    triage_qty_band = fields.Integer("Quantity Band (triage)", readonly=True, copy=False)
    # ------------------------------------------------------------------ stored suggestion
    triage_basis = fields.Selection(
        [("similar", "Similar cases"), ("type_default", "Type defaults")],
        string="Suggestion Basis",
        readonly=True,
        copy=False,
    )
    triage_owner_id = fields.Many2one(
        "res.users", string="Suggested Owner", readonly=True, copy=False
    )
    triage_severity = fields.Selection(
        SEVERITIES, string="Suggested Severity", readonly=True, copy=False
    )
    triage_resolution_id = fields.Many2one(
        "distribution.exception.resolution",
        string="Suggested Playbook",
        readonly=True,
        copy=False,
    )
    triage_hours = fields.Float("Expected Hours", digits=(16, 1), readonly=True, copy=False)
    triage_support = fields.Integer(
        "Similar Cases", readonly=True, copy=False, help="Similar resolved cases that voted."
    )
    triage_applied_owner = fields.Boolean("Suggested Owner Applied", readonly=True, copy=False)
    triage_applied_severity = fields.Boolean(
        "Suggested Severity Applied", readonly=True, copy=False
    )
    triage_applied_resolution = fields.Boolean(
        "Suggested Playbook Applied", readonly=True, copy=False
    )
    triage_applied = fields.Boolean(
        "Suggestion Applied", compute="_compute_triage_applied", store=True, copy=False
    )
    triage_auto_assigned = fields.Boolean(
        "Assigned by Triage", readonly=True, copy=False
    )
    triage_hit = fields.Boolean(
        "Suggested Playbook Was Final",
        compute="_compute_triage_hit",
        store=True,
        copy=False,
        help="Resolved with the resolution code suggested when the exception was opened.",
    )

    @api.depends("triage_applied_owner", "triage_applied_severity", "triage_applied_resolution")
    def _compute_triage_applied(self):
        for rec in self:
            rec.triage_applied = (
                rec.triage_applied_owner
                or rec.triage_applied_severity
                or rec.triage_applied_resolution
            )

    @api.depends("state", "resolution_id", "triage_resolution_id")
    def _compute_triage_hit(self):
        for rec in self:
            rec.triage_hit = bool(
                rec.state == "resolved"
                and rec.resolution_id
                and rec.resolution_id == rec.triage_resolution_id
            )

    # ------------------------------------------------------------------ schema

    def _auto_init(self):
        # on an upgrade only (a new table has no rows, and the columns it reads may not be
        # there yet)
        created = table_exists(self.env.cr, self._table) and not column_exists(
            self.env.cr, self._table, "triage_qty_band"
        )
        result = super()._auto_init()
        if created:
            # exceptions from before: their features, so that they count as history at once
            self._triage_fill_features()
        return result

    def init(self):
        super().init()
        # The neighbours of an exception are read from here: the resolved exceptions of one
        # company and type, with what is compared and what votes (index-only once vacuumed).
        self.env.cr.execute(
            """
            CREATE INDEX IF NOT EXISTS distribution_exception_triage_idx
                ON distribution_exception (company_id, type_id, resolved_at DESC, id DESC)
                   INCLUDE (warehouse_id, triage_categ_id, partner_id, triage_route_key,
                            triage_weekday, triage_hour, triage_qty_band, resolution_id,
                            owner_id, resolved_by_id, severity, detected_at, order_user_id)
             WHERE state = 'resolved'
            """
        )

    @api.model
    def _triage_fill_features(self, where=None):
        """Compute the feature columns in SQL for the exceptions matching `where` (an SQL
        condition on alias e; all when None): for exceptions created before the feature
        columns, and for histories inserted in bulk (the bench). Same rules as
        _triage_feature_values."""
        carrier = column_exists(self.env.cr, "stock_picking", "carrier_id")
        route = SQL(
            """CASE %s WHEN p.picking_type_id IS NOT NULL
                        THEN 'type:' || p.picking_type_id END""",
            SQL("WHEN p.carrier_id IS NOT NULL THEN 'carrier:' || p.carrier_id")
            if carrier
            else SQL(),
        )
        self.env.cr.execute(
            SQL(
                """
                UPDATE distribution_exception e
                   SET triage_categ_id = (
                           SELECT pt.categ_id
                             FROM product_product pp
                             JOIN product_template pt ON pt.id = pp.product_tmpl_id
                            WHERE pp.id = e.product_id),
                       triage_route_key = (
                           SELECT %(route)s FROM stock_picking p WHERE p.id = e.picking_id),
                       triage_weekday = EXTRACT(ISODOW FROM l.local)::int - 1,
                       triage_hour = EXTRACT(HOUR FROM l.local)::int,
                       triage_qty_band = CASE
                           WHEN COALESCE(NULLIF(e.quantity_missing, 0), e.quantity_expected, 0)
                                <= 0 THEN 0
                           ELSE LEAST(%(max_band)s, 1 + floor(log(2.0, GREATEST(
                               COALESCE(NULLIF(e.quantity_missing, 0), e.quantity_expected),
                               1)::numeric)))::int
                       END
                  FROM (SELECT x.id,
                               (COALESCE(x.detected_at, x.create_date) AT TIME ZONE 'UTC')
                                   AT TIME ZONE COALESCE(c.dg_kpi_tz, 'UTC') AS local
                          FROM distribution_exception x
                          JOIN res_company c ON c.id = x.company_id) l
                 WHERE l.id = e.id AND %(where)s
                """,
                route=route,
                max_band=MAX_QTY_BAND,
                where=where or SQL("TRUE"),
            )
        )
        self.invalidate_model(
            ["triage_categ_id", "triage_route_key", "triage_weekday", "triage_hour",
             "triage_qty_band"]
        )

    # ------------------------------------------------------------------ features (Python)

    @api.model
    def _triage_local_time(self, company, moment):
        """(weekday 0=Monday, hour) of `moment` (naive UTC) in the company's KPI time zone."""
        local = pytz.utc.localize(moment).astimezone(pytz.timezone(company.dg_kpi_tz or "UTC"))
        return local.weekday(), local.hour

    @api.model
    def _triage_feature_values(self, company, product, picking, detected_at, quantity):
        """The feature columns of an exception about `product` and `picking` (sudo records),
        detected at `detected_at`, of `quantity` (missing, else expected)."""
        route = False
        if picking:
            carrier = picking["carrier_id"] if "carrier_id" in picking._fields else False
            if carrier:
                route = "carrier:%d" % carrier.id
            elif picking.picking_type_id:
                route = "type:%d" % picking.picking_type_id.id
        weekday, hour = self._triage_local_time(company, detected_at)
        return {
            "triage_categ_id": product.categ_id.id or False,
            "triage_route_key": route,
            "triage_weekday": weekday,
            "triage_hour": hour,
            "triage_qty_band": qty_band(quantity),
        }

    def _triage_match_values(self):
        """{feature: value} of this exception, as the neighbour query compares them."""
        self.ensure_one()
        return {
            "warehouse": self.warehouse_id.id or None,
            "categ": self.triage_categ_id.id or None,
            "partner": self.partner_id.id or None,
            "route": self.triage_route_key or None,
            "weekday": self.triage_weekday,
            "hour_band": self.triage_hour // 3 if self.triage_hour is not None else None,
            "qty_band": self.triage_qty_band,
        }

    # ------------------------------------------------------------------ the model

    @api.model
    def _triage_neighbour_rows(self, company_id, type_id, match, exclude_id=None, before=None,
                               weights=None):
        """The K most similar resolved exceptions of `company_id` and `type_id` to an exception
        with the features `match`, and the hours of the history compared, in one query:
        (rows, hours) where rows = [(id, resolution_id, owner_id, severity, hours, similarity,
        similar_count)], most similar first, and hours = {(severity or None, period or None):
        (cases, median hours to resolve)} over the same history (both None: all of it).

        Which history: the records `self`'s environment may read (superuser: the whole
        company's; a user: through his record rules, so nothing he may not read counts).
        `before`: only exceptions resolved before it (offline evaluation). `weights`:
        {feature: weight} to use, else the learned ones of the company and type (defaults
        where none)."""
        self.flush_model()
        domain = [
            ("company_id", "=", company_id),
            ("type_id", "=", type_id),
            ("state", "=", "resolved"),
            ("resolution_id", "!=", False),
        ]
        if exclude_id:
            domain.append(("id", "!=", exclude_id))
        if before:
            domain.append(("resolved_at", "<", before))
        query = self._search(domain)
        table = query.table
        # Weights in ten-thousandths (they are stored with four decimals): the similarity of
        # each row is an integer sum, exact and cheap over a large history.
        if weights is None:
            self.env["distribution.triage.weight"].flush_model()
            cte = SQL(
                "w AS (SELECT %s FROM distribution_triage_weight"
                " WHERE company_id = %s AND type_id = %s), ",
                SQL(", ").join(
                    SQL(
                        "ROUND(COALESCE(MAX(weight) FILTER (WHERE feature = %s), %s) * %s)::int"
                        " AS %s",
                        key,
                        DEFAULT_WEIGHTS[key],
                        WEIGHT_SCALE,
                        SQL.identifier(key),
                    )
                    for key in FEATURE_KEYS
                ),
                company_id,
                type_id,
            )
            weight = {key: SQL.identifier("w", key) for key in FEATURE_KEYS}
            join_w = SQL(" CROSS JOIN w")
        else:
            cte = SQL()
            weight = {key: SQL("%s", round(weights[key] * WEIGHT_SCALE)) for key in FEATURE_KEYS}
            join_w = SQL()
        terms = [
            SQL("CASE WHEN %s = %s THEN %s ELSE 0 END", feature_sql("h", key), value, weight[key])
            for key, value in match.items()
            if value is not None and value is not False
        ]
        similarity = SQL(" + ").join(terms) if terms else SQL("0")
        total = SQL(" + ").join(weight[key] for key in FEATURE_KEYS)

        def col(name):
            return SQL.identifier(table, name)

        # the most recent TRIAGE_HISTORY cases, read in the index's order
        query.order = SQL("%s DESC, %s DESC", col("resolved_at"), col("id"))
        query.limit = TRIAGE_HISTORY
        history = query.select(
            *(
                SQL("%s AS %s", col(name), SQL.identifier(name))
                for name in ("id", "resolution_id", "severity", "resolved_at", "detected_at",
                             "warehouse_id", "triage_categ_id", "partner_id",
                             "triage_route_key", "triage_weekday", "triage_hour",
                             "triage_qty_band")
            ),
            SQL(
                "COALESCE(%s, NULLIF(%s, %s)) AS owner_id",
                col("owner_id"),
                col("resolved_by_id"),
                SUPERUSER_ID,
            ),
        )
        period = SQL(
            """CASE WHEN hist.triage_weekday IN %(weekend)s THEN 'weekend'
                    WHEN hist.triage_hour < %(start)s OR hist.triage_hour >= %(end)s
                    THEN 'off_hours' ELSE 'working' END""",
            weekend=TRIAGE_WEEKEND,
            start=TRIAGE_WORK_START,
            end=TRIAGE_WORK_END,
        )
        # The history is read once (materialized); its hours per severity and period, per
        # period and in all travel with the neighbours (a row without neighbour when none).
        # OFFSET 0 keeps the similarity of each row computed once, not again in each filter.
        self.env.cr.execute(
            SQL(
                """
                WITH %(cte)shist AS MATERIALIZED (%(history)s),
                     g AS (
                    SELECT json_agg(json_build_array(
                               CASE WHEN x.gs = 0 THEN x.severity END,
                               CASE WHEN x.gp = 0 THEN x.period END,
                               x.n, x.median)) AS hours
                      FROM (SELECT y.severity, y.period, count(*) AS n,
                                   GROUPING(y.severity) AS gs, GROUPING(y.period) AS gp,
                                   percentile_cont(0.5) WITHIN GROUP (ORDER BY y.hours) AS median
                              FROM (SELECT hist.severity, %(period)s AS period,
                                           EXTRACT(EPOCH FROM hist.resolved_at - hist.detected_at)
                                               / 3600.0 AS hours
                                      FROM hist WHERE hist.detected_at IS NOT NULL) y
                             GROUP BY GROUPING SETS ((y.severity, y.period), (y.period), ())) x)
                SELECT s.id,
                       CASE WHEN EXISTS (
                           SELECT 1 FROM distribution_exception_resolution r
                            WHERE r.id = s.resolution_id AND r.active) THEN s.resolution_id END,
                       CASE WHEN EXISTS (
                           SELECT 1 FROM res_users u
                             JOIN res_groups_users_rel g ON g.uid = u.id AND g.gid = %(group)s
                             JOIN res_company_users_rel c ON c.user_id = u.id
                                  AND c.cid = %(company)s
                            WHERE u.id = s.owner_id AND u.active AND NOT u.share)
                            THEN s.owner_id END,
                       s.severity,
                       EXTRACT(EPOCH FROM s.resolved_at - s.detected_at) / 3600.0, s.sim, s.n,
                       g.hours
                  FROM g LEFT JOIN LATERAL (
                       SELECT t.*, count(*) OVER () AS n
                          FROM (SELECT h.*, %(similarity)s AS sim, %(total)s AS total
                                  FROM hist h%(join_w)s
                                OFFSET 0) t
                         WHERE t.sim > 0 AND t.sim * %(share)s >= t.total
                         ORDER BY t.sim DESC, t.resolved_at DESC, t.id DESC
                         LIMIT %(k)s) s ON TRUE
                 ORDER BY s.sim DESC, s.resolved_at DESC, s.id DESC
                """,
                cte=cte,
                history=history,
                period=period,
                similarity=similarity,
                total=total,
                join_w=join_w,
                share=TRIAGE_MIN_SHARE_INVERSE,
                group=self.env.ref(USER_GROUP).id,
                company=company_id,
                k=TRIAGE_K,
            )
        )
        fetched = self.env.cr.fetchall()
        hours = {
            (severity, period): (count, float(median))
            for severity, period, count, median in (fetched[0][7] or [] if fetched else [])
            if median is not None
        }
        return [row[:7] for row in fetched if row[0] is not None], hours

    @api.model
    def _triage_vote(self, neighbours, type_rec, company, severity=None, period=None):
        """The suggestion `neighbours` (_triage_neighbour_rows' answer: rows, hours) make for
        an exception of `type_rec` (sudo) and `company` detected in `period`
        (detection_period): {basis, similar_count, k, ids, resolutions: [(id, votes)], owners:
        [(id, votes)], severities: [(key, votes)], hours, hours_basis: {severity, period,
        count} of the group of the history whose median the hours are (None: coarser)}. The
        rows name only what still applies (an active resolution code, a user who may own the
        exception today)."""
        rows, history_hours = neighbours
        similar_count = rows[0][6] if rows else 0
        if len(rows) < TRIAGE_MIN_SIMILAR:
            severity = severity if severity in dict(SEVERITIES) else type_rec.default_severity
            codes = type_rec.resolution_code_ids.sorted(lambda r: (r.sequence, r.id))
            # the hours from the type's history when there is one, else its SLA's
            hours, hours_basis = self._triage_expected_hours(
                history_hours, type_rec.default_severity, period
            )
            return {
                "basis": "type_default",
                "similar_count": similar_count,
                "k": len(rows),
                "ids": [row[0] for row in rows],
                "resolutions": [(code.id, 0) for code in codes[:3]],
                "owners": [],
                "severities": [(type_rec.default_severity, 0)],
                "hours": hours if hours_basis else type_rec.sla_hours_for(severity),
                "hours_basis": hours_basis,
            }
        severities = ranked([row[3] for row in rows])
        hours, hours_basis = self._triage_expected_hours(
            history_hours, severities[0][0] if severities else None, period
        )
        return {
            "basis": "similar",
            "similar_count": similar_count,
            "k": len(rows),
            "ids": [row[0] for row in rows],
            "resolutions": ranked([row[1] for row in rows]),
            "owners": ranked([row[2] for row in rows]),
            "severities": severities,
            "hours": hours,
            "hours_basis": hours_basis,
        }

    @api.model
    def _triage_expected_hours(self, history_hours, severity, period):
        """(hours, basis) from the finest group of the history with enough cases: the
        suggested `severity` and the `period`, the period, the whole type (its median from
        any number); (False, False) without history."""
        for key in ((severity, period), (None, period), (None, None)):
            count, median = history_hours.get(key, (0, None))
            if median is not None and (count >= TRIAGE_HOURS_MIN_CASES or key == (None, None)):
                return median, {"severity": key[0], "period": key[1], "count": count}
        return False, False

    @api.model
    def _triage_stored_values(self, suggestion):
        return {
            "triage_basis": suggestion["basis"],
            "triage_owner_id": suggestion["owners"][0][0] if suggestion["owners"] else False,
            "triage_severity": suggestion["severities"][0][0]
            if suggestion["severities"]
            else False,
            "triage_resolution_id": suggestion["resolutions"][0][0]
            if suggestion["resolutions"]
            else False,
            "triage_hours": suggestion["hours"] or 0.0,
            "triage_support": suggestion["k"] if suggestion["basis"] == "similar" else 0,
        }

    # ------------------------------------------------------------------ ORM

    @api.model
    def _triage_check_client_values(self, vals_list):
        if self.env.su:
            return
        for vals in vals_list:
            if not isinstance(vals, dict):
                continue  # refused by create itself
            given = {name for name, value in vals.items() if value}
            given |= {name for name, value in self._caller_defaults(vals).items() if value}
            self._triage_refuse(given)

    @api.model
    def _triage_create_values(self, vals_list):
        """The features and the stored suggestion of the exceptions `vals_list` will create
        (one neighbour query each), computed before the insert. A value create() will refuse
        anyway is left to it."""
        env = self.env
        now = fields.Datetime.now()

        def ids(name, model):
            # one recordset per model for the batch: its records' reads are shared
            return env[model].sudo().browse(
                {v.get(name) for v in vals_list if isinstance(v, dict) and input_checks.is_id(
                    v.get(name))}
            )

        products = ids("product_id", "product.product")
        pickings = ids("picking_id", "stock.picking")
        orders = ids("sale_order_id", "sale.order")
        companies = ids("company_id", "res.company") | env.company.sudo()
        types = ids("type_id", "distribution.exception.type").exists()
        result = []
        for vals in vals_list:
            if not isinstance(vals, dict) or vals.get("type_id") not in types.ids:
                result.append({})
                continue
            try:
                result.append(
                    self._triage_values_of(vals, types, companies, products, pickings, orders, now)
                )
            except MissingError:
                result.append({})  # a document that does not exist: create() refuses it
        return result

    @api.model
    def _triage_values_of(self, vals, types, companies, products, pickings, orders, now):
        def pick(records, name):
            return records.browse(vals[name] if vals.get(name) in records.ids else ())

        type_rec = pick(types, "type_id")
        company = pick(companies, "company_id") or self.env.company.sudo()
        product = pick(products, "product_id")
        picking = pick(pickings, "picking_id")
        order = pick(orders, "sale_order_id")
        detected_at = vals.get("detected_at") or now
        if isinstance(detected_at, str):
            try:
                detected_at = fields.Datetime.to_datetime(detected_at)
            except ValueError:
                detected_at = now
        if not isinstance(detected_at, datetime):
            detected_at = now  # refused by create() itself
        quantity = vals.get("quantity_missing") or vals.get("quantity_expected") or 0
        if not isinstance(quantity, (int, float)) or isinstance(quantity, bool):
            quantity = 0
        values = self._triage_feature_values(company, product, picking, detected_at, quantity)
        warehouse = picking.picking_type_id.warehouse_id or order.warehouse_id
        partner = vals.get("partner_id") if input_checks.is_id(vals.get("partner_id")) else None
        match = {
            "warehouse": warehouse.id or None,
            "categ": values["triage_categ_id"] or None,
            "partner": partner,
            "route": values["triage_route_key"] or None,
            "weekday": values["triage_weekday"],
            "hour_band": values["triage_hour"] // 3,
            "qty_band": values["triage_qty_band"],
        }
        neighbours = self.sudo()._triage_neighbour_rows(company.id, type_rec.id, match)
        suggestion = self._triage_vote(
            neighbours, type_rec, company, vals.get("severity"),
            detection_period(values["triage_weekday"], values["triage_hour"]),
        )
        values.update(self._triage_stored_values(suggestion))
        return values

    @api.model_create_multi
    def create(self, vals_list):
        self._triage_check_client_values(vals_list)
        triage = self._triage_create_values(vals_list)
        prepared = [
            dict(vals, **values) if values else vals
            for vals, values in zip(vals_list, triage, strict=True)
        ]
        records = super().create(prepared)
        records._triage_after_create()
        return records

    def _triage_after_create(self):
        for rec in self:
            # create() took its own "now" for the detection time: the rare second between
            # the two may have crossed an hour
            weekday, hour = self._triage_local_time(rec.company_id, rec.detected_at)
            if (weekday, hour) != (rec.triage_weekday, rec.triage_hour):
                rec.sudo().write({"triage_weekday": weekday, "triage_hour": hour})
        to_assign = self.filtered(
            lambda r: r.company_id.triage_auto_assign
            and not r.owner_id
            and r.state in OPEN_STATES
            and r.triage_basis == "similar"
            and r.triage_owner_id
        )
        for rec in to_assign:
            rec.sudo().write({"owner_id": rec.triage_owner_id.id, "triage_auto_assigned": True})
            rec._message_log(
                body=_(
                    "Assigned by triage suggestion to %(owner)s (%(count)s similar cases).",
                    owner=rec.triage_owner_id.name,
                    count=rec.triage_support,
                )
            )

    @api.model
    def _triage_refuse(self, names):
        """Refuse a client's values for the engine's triage fields among `names`."""
        if TRIAGE_FIELDS & set(names):
            raise AccessError(
                _(
                    "The triage suggestion is computed, not written: %s",
                    ", ".join(sorted(TRIAGE_FIELDS & set(names))),
                )
            )

    def write(self, vals):
        if not self.env.su:
            self._triage_refuse(vals)
        result = super().write(vals)
        if FEATURE_SOURCES & set(vals):
            self._triage_refresh_features()
        return result

    def _triage_refresh_features(self):
        """The features again, after what they are read from changed (a manager corrected
        the product or the transfer): the history compares what the exception was about."""
        for rec in self.sudo():
            rec.write(
                self._triage_feature_values(
                    rec.company_id,
                    rec.product_id,
                    rec.picking_id,
                    rec.detected_at or rec.create_date,
                    rec.quantity_missing or rec.quantity_expected,
                )
            )

    # ------------------------------------------------------------------ reader's suggestion

    def _triage_suggest_for_reader(self):
        """This exception's suggestion computed now over the history the current user may
        read (his record rules), as get_triage_suggestion returns it."""
        self.ensure_one()
        neighbours = self._triage_neighbour_rows(
            self.company_id.id, self.type_id.id, self._triage_match_values(), exclude_id=self.id
        )
        return self._triage_vote(
            neighbours, self.type_id.sudo(), self.company_id, self.severity,
            detection_period(self.triage_weekday, self.triage_hour),
        )

    def _triage_can_apply(self, suggestion):
        self.ensure_one()
        worker = self._is_worker() and self.state in OPEN_STATES and self.has_access("write")
        owner_id = suggestion["owners"][0][0] if suggestion["owners"] else False
        severity = suggestion["severities"][0][0] if suggestion["severities"] else False
        rank = [key for key, __ in SEVERITIES]
        can_owner = bool(
            worker
            and owner_id
            and owner_id != self.owner_id.id
            and (
                self._is_manager()
                or (owner_id == self.env.uid and not self._take_refusal())
            )
        )
        can_severity = bool(
            worker
            and severity
            and severity != self.severity
            and (self._is_manager() or rank.index(severity) >= rank.index(self.severity))
        )
        can_resolution = bool(
            worker and suggestion["resolutions"] and self.user_can_resolve
        )
        return {"owner": can_owner, "severity": can_severity, "resolution": can_resolution}

    def _triage_explanation(self, suggestion, resolution, owner):
        """The suggestion in a sentence; `resolution`, `owner`: the names of the first."""
        count = suggestion["similar_count"]
        if suggestion["basis"] == "type_default":
            if not count:
                sentence = _("No similar resolved case yet: the type's defaults.")
            elif count == 1:
                sentence = _("Only one similar case: the type's defaults.")
            else:
                sentence = _("Only %(count)s similar cases: the type's defaults.", count=count)
            if suggestion.get("hours_basis"):
                sentence += " " + self._triage_hours_explanation(suggestion)
            return sentence
        parts = []
        if resolution:
            parts.append(
                _(
                    "%(votes)s of the %(k)s most similar were resolved with %(resolution)s.",
                    votes=suggestion["resolutions"][0][1],
                    k=suggestion["k"],
                    resolution=resolution,
                )
            )
        if owner:
            parts.append(
                _("%(votes)s of them were owned by %(owner)s.",
                  votes=suggestion["owners"][0][1], owner=owner)
            )
        if suggestion["hours"] is not False and suggestion.get("hours_basis"):
            parts.append(self._triage_hours_explanation(suggestion))
        return " ".join(parts)

    def _triage_hours_explanation(self, suggestion):
        basis = suggestion["hours_basis"]
        hours, count = format_hours(suggestion["hours"]), basis["count"]
        if basis["period"] is None:
            return _(
                "Expected %(hours)s h: the median time to resolve of %(count)s recent resolved "
                "cases of this type.",
                hours=hours,
                count=count,
            )
        when = {
            "weekend": _("detected at the weekend"),
            "off_hours": _("detected outside working hours"),
            "working": _("detected in working hours"),
        }[basis["period"]]
        if basis["severity"] is None:
            return _(
                "Expected %(hours)s h: the median time to resolve of %(count)s recent resolved "
                "cases of this type %(when)s (too few of the suggested severity).",
                hours=hours,
                count=count,
                when=when,
            )
        labels = dict(self._fields["severity"]._description_selection(self.env))
        return _(
            "Expected %(hours)s h: the median time to resolve of %(count)s recent resolved "
            "cases of this type of severity %(severity)s %(when)s.",
            hours=hours,
            count=count,
            severity=labels.get(basis["severity"], basis["severity"]),
            when=when,
        )

    def _triage_payload(self, suggestion):
        self.ensure_one()
        # the names shown, read at once: one query for the codes, one for the users (their
        # name is their partner's)
        resolutions = self.env["distribution.exception.resolution"].sudo().browse(
            [res_id for res_id, __ in suggestion["resolutions"][:3]]
        )
        code_names = dict(zip(resolutions.ids, resolutions.mapped("name"), strict=True))
        owner_ids = tuple(user_id for user_id, __ in suggestion["owners"][:3])
        user_names = {}
        if owner_ids:
            self.env.cr.execute(
                SQL(
                    """SELECT u.id, p.name FROM res_users u
                         JOIN res_partner p ON p.id = u.partner_id WHERE u.id IN %s""",
                    owner_ids,
                )
            )
            user_names = dict(self.env.cr.fetchall())

        def resolution_item(res_id, votes):
            return {"id": res_id, "name": code_names[res_id], "votes": votes}

        def owner_item(user_id, votes):
            return {"id": user_id, "name": user_names[user_id], "votes": votes}

        similar = suggestion["basis"] == "similar"
        resolution = suggestion["resolutions"][0] if suggestion["resolutions"] else None
        owner = suggestion["owners"][0] if suggestion["owners"] else None
        severity = suggestion["severities"][0] if suggestion["severities"] else None
        labels = dict(self._fields["severity"]._description_selection(self.env))
        return {
            "exception_id": self.id,
            "basis": suggestion["basis"],
            "similar_count": suggestion["similar_count"],
            "k": suggestion["k"],
            "explanation": self._triage_explanation(
                suggestion,
                code_names[resolution[0]] if resolution else None,
                user_names[owner[0]] if owner else None,
            ),
            "resolution": resolution_item(*resolution) if resolution else False,
            "owner": owner_item(*owner) if owner else False,
            "severity": {"value": severity[0], "label": labels[severity[0]], "votes": severity[1]}
            if severity
            else False,
            "expected_hours": suggestion["hours"] if suggestion["hours"] is not False else False,
            "alternatives": {
                "resolution": [resolution_item(*item) for item in suggestion["resolutions"][:3]]
                if similar
                else [],
                "owner": [owner_item(*item) for item in suggestion["owners"][:3]],
            },
            "similar_ids": suggestion["ids"],
            "applied": {
                "owner": self.triage_applied_owner,
                "severity": self.triage_applied_severity,
                "resolution": self.triage_applied_resolution,
            },
            "can_apply": self._triage_can_apply(suggestion),
        }

    @api.model
    @api.readonly
    def get_triage_suggestion(self, exception_ids):
        """The triage suggestion of each of `exception_ids` the caller may read, computed now
        from the resolved exceptions he may read (same company and type): what they were
        resolved with, by whom, how fast, and which of them (ids) voted."""
        ids = input_checks.id_list(self.env, exception_ids, _("The exceptions"))
        if not ids or not self._is_worker():
            return []
        records = self.search([("id", "in", ids)])
        # in the order asked for
        position = {id_: index for index, id_ in reversed(list(enumerate(ids)))}
        records = records.sorted(lambda rec: position[rec.id])
        return [rec._triage_payload(rec._triage_suggest_for_reader()) for rec in records]

    def action_triage_explain(self):
        """The explanation of the suggestion, as a notification (the exception form's
        button; the panel shows it itself)."""
        input_checks.one_record(self, _("Explain one exception's suggestion at a time."))
        self._check_user()
        payload = self._triage_payload(self._triage_suggest_for_reader())
        return {
            "type": "ir.actions.client",
            "tag": "display_notification",
            "params": {"message": payload["explanation"], "type": "info", "sticky": True},
        }

    def action_apply_triage(self, part, value_id=None):
        """Apply one part of the suggestion, as the user would by hand and with the same
        rights: the owner (assign, or take it when it is the user), the severity (write), the
        resolution (the resolve wizard with it chosen; nothing is resolved until the user
        confirms it). `value_id`: one of the alternatives shown instead of the first."""
        input_checks.one_record(self, _("Apply a suggestion to one exception at a time."))
        if not isinstance(part, str) or part not in TRIAGE_PARTS:
            raise UserError(_("Apply the owner, the severity or the resolution."))
        self._check_user()
        self._ensure_open(_("apply a suggestion to"))
        suggestion = self._triage_suggest_for_reader()
        key = {"owner": "owners", "severity": "severities", "resolution": "resolutions"}[part]
        # what the panel offers: the first and its alternatives (the type's defaults and the
        # severity have none)
        alternatives = part != "severity" and suggestion["basis"] == "similar"
        offered = [value for value, __ in suggestion[key][: 3 if alternatives else 1]]
        value = offered[0] if offered and value_id in (None, False) else value_id
        if not offered or value not in offered:
            raise UserError(_("%s: this is not what the triage suggests.", self.name))
        if part == "owner":
            user = self.env["res.users"].browse(value)
            if user == self.env.user:
                self.action_take_ownership()
            else:
                self.action_assign(user.id)
            message = _("Applied the triage suggestion: owner %s.", user.sudo().name)
        elif part == "severity":
            self.write({"severity": value})
            labels = dict(self._fields["severity"]._description_selection(self.env))
            message = _("Applied the triage suggestion: severity %s.", labels[value])
        else:
            action = self.action_open_resolve_wizard()
            action["context"] = dict(action.get("context") or {}, default_resolution_id=value)
            self.sudo().write({"triage_applied_resolution": True})
            return action
        self.sudo().write({f"triage_applied_{part}": True})
        self._message_log(body=message)
        return True

    # ------------------------------------------------------------------ learning, evaluation

    @api.model
    def _cron_triage_refresh(self):
        """Learn the feature weights of every company again (nightly)."""
        companies = self.env["res.company"].sudo().search([])
        self.env["distribution.triage.weight"]._refresh(companies)

    @api.model
    def _dg_triage_evaluate(self, company, split_at, max_test=None):
        """Offline evaluation of the model on `company`'s history: weights and neighbours
        from the exceptions resolved before `split_at` only, tested on the resolved exceptions
        detected at or after it (`max_test`: at most that many, evenly spread). Accuracies
        are fractions (None without test cases); hours are mean absolute errors."""
        Exc = self.sudo()
        if not isinstance(company, models.BaseModel):
            company = self.env["res.company"].browse(company)
        split_at = fields.Datetime.to_datetime(split_at)
        Exc.flush_model()
        learned = self.env["distribution.triage.weight"]._learn(company, before=split_at)
        self.env.cr.execute(
            SQL(
                """
                SELECT e.type_id, e.resolution_id,
                       COALESCE(e.owner_id, NULLIF(e.resolved_by_id, %s)),
                       EXTRACT(EPOCH FROM e.resolved_at - COALESCE(e.detected_at, e.create_date))
                           / 3600.0
                  FROM distribution_exception e
                 WHERE e.company_id = %s AND e.state = 'resolved'
                   AND e.resolution_id IS NOT NULL AND e.resolved_at < %s
                 ORDER BY e.resolved_at, e.id
                """,
                SUPERUSER_ID,
                company.id,
                split_at,
            )
        )
        train = self.env.cr.fetchall()
        majority_resolution, majority_owner, median_hours = {}, {}, {}
        for type_id in {row[0] for row in train}:
            rows = [row for row in train if row[0] == type_id]
            majority_resolution[type_id] = ranked([row[1] for row in rows])[0][0]
            owners = ranked([row[2] for row in rows])
            majority_owner[type_id] = owners[0][0] if owners else None
            median_hours[type_id] = float(statistics.median(row[3] for row in rows))
        tests = Exc.search(
            [
                ("company_id", "=", company.id),
                ("state", "=", "resolved"),
                ("resolution_id", "!=", False),
                ("detected_at", ">=", split_at),
            ],
            order="detected_at, id",
        )
        if max_test and len(tests) > max_test:
            step = len(tests) / max_test
            tests = tests.browse([tests.ids[int(i * step)] for i in range(max_test)])
        counts = dict.fromkeys(
            ("playbook_top1", "playbook_top3", "owner_top1", "owner_top3", "playbook_baseline",
             "owner_baseline"), 0
        )
        errors, baseline_errors = [], []
        defaults = {key: DEFAULT_WEIGHTS[key] for key in FEATURE_KEYS}
        for rec in tests:
            weights = {
                key: row["weight"] for key, row in learned.get(rec.type_id.id, {}).items()
            } or defaults
            neighbours = Exc._triage_neighbour_rows(
                company.id, rec.type_id.id, rec._triage_match_values(), before=split_at,
                weights=weights,
            )
            suggestion = Exc._triage_vote(
                neighbours, rec.type_id, company, rec.severity,
                detection_period(rec.triage_weekday, rec.triage_hour),
            )
            resolutions = [value for value, __ in suggestion["resolutions"]]
            owners = [value for value, __ in suggestion["owners"]]
            owner = rec.owner_id.id or (
                rec.resolved_by_id.id if rec.resolved_by_id.id != SUPERUSER_ID else None
            )
            hours = (rec.resolved_at - (rec.detected_at or rec.create_date)).total_seconds() / 3600
            counts["playbook_top1"] += resolutions[:1] == [rec.resolution_id.id]
            counts["playbook_top3"] += rec.resolution_id.id in resolutions[:3]
            counts["owner_top1"] += bool(owner) and owners[:1] == [owner]
            counts["owner_top3"] += bool(owner) and owner in owners[:3]
            counts["playbook_baseline"] += (
                majority_resolution.get(rec.type_id.id) == rec.resolution_id.id
            )
            counts["owner_baseline"] += bool(owner) and majority_owner.get(rec.type_id.id) == owner
            if suggestion["hours"] is not False:
                errors.append(abs(suggestion["hours"] - hours))
            baseline = median_hours.get(rec.type_id.id)
            if baseline is None:
                baseline = rec.type_id.sla_hours_for(rec.severity)
            baseline_errors.append(abs(baseline - hours))
        n_test = len(tests)
        result = {"n_train": len(train), "n_test": n_test}
        for key, value in counts.items():
            result[key] = value / n_test if n_test else None
        result["hours_mae"] = sum(errors) / len(errors) if errors else None
        result["hours_baseline_mae"] = (
            sum(baseline_errors) / len(baseline_errors) if baseline_errors else None
        )
        return result
