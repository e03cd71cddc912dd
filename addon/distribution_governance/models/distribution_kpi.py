from datetime import datetime, time, timedelta

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL

OPEN_EXCEPTION_STATES = ("new", "in_progress")


class DistributionKpi(models.AbstractModel):
    """KPI engine of the warehouse productivity dashboard.

    Every KPI is one aggregate query over indexed columns (no loop over moves), restricted to
    the caller's allowed companies, and returns the Odoo domain of the records it counted so a
    drill-down opens exactly those records. Formulas are documented in readme/USAGE.md.
    """

    _name = "distribution.kpi"
    _description = "Distribution Governance KPI Engine"

    # key -> (method, models read); the models decide whether the caller may see the KPI
    _KPIS = {
        "order_cycle_time": ("_kpi_order_cycle_time", ("sale.order", "stock.picking")),
        "on_time_shipment": ("_kpi_on_time_shipment", ("stock.picking",)),
        "pick_accuracy": ("_kpi_pick_accuracy", ("stock.picking", "distribution.exception")),
        "backorder_rate": ("_kpi_backorder_rate", ("stock.picking",)),
        "fill_rate": ("_kpi_fill_rate", ("stock.picking", "stock.move", "distribution.exception")),
        "inventory_adjustment_volume": ("_kpi_inventory_adjustment_volume", ("stock.move",)),
        "receiving_throughput": ("_kpi_receiving_throughput", ("stock.move",)),
        "exceptions_opened": ("_kpi_exceptions_opened", ("distribution.exception",)),
        "exceptions_backlog": ("_kpi_exceptions_backlog", ("distribution.exception",)),
        "sla_breach_rate": ("_kpi_sla_breach_rate", ("distribution.exception",)),
        "median_time_to_resolve": ("_kpi_median_time_to_resolve", ("distribution.exception",)),
        "median_time_to_decide": (
            "_kpi_median_time_to_decide",
            ("distribution.approval.request",),
        ),
    }

    # ------------------------------------------------------------------ public API

    @api.model
    def compute_kpis(self, date_from, date_to, warehouse_ids=None):
        """{kpi_key: {value, numerator, denominator, count, unit, model, domain}} for the period
        [date_from 00:00, date_to + 1 day 00:00) UTC; KPIs on models the user may not read are
        left out."""
        scope = self._scope(date_from, date_to, warehouse_ids)
        self.env.flush_all()
        return {
            key: getattr(self, method)(scope)
            for key, (method, model_names) in self._KPIS.items()
            if self._readable(model_names)
        }

    @api.model
    def compute_series(self, kpi_key, date_from, date_to, warehouse_ids=None):
        """[{date, value}] one entry per day of the period (the day's value of the KPI)."""
        if kpi_key not in self._KPIS:
            raise UserError(_("Unknown KPI: %s", kpi_key))
        method, model_names = self._KPIS[kpi_key]
        if not self._readable(model_names):
            return []
        scope = self._scope(date_from, date_to, warehouse_ids)
        self.env.flush_all()
        series = []
        day = scope["start"]
        # one aggregate per day: the number of queries follows the days, never the moves
        while day < scope["end"]:
            day_scope = dict(scope, start=day, end=day + timedelta(days=1), days=1)
            series.append(
                {
                    "date": fields.Date.to_string(day.date()),
                    "value": getattr(self, method)(day_scope)["value"],
                }
            )
            day += timedelta(days=1)
        return series

    # ------------------------------------------------------------------ helpers

    def _readable(self, model_names):
        return all(
            name in self.env and self.env[name].has_access("read") for name in model_names
        )

    @api.model
    def _scope(self, date_from, date_to, warehouse_ids):
        start_date = fields.Date.to_date(date_from)
        end_date = fields.Date.to_date(date_to)
        if not start_date or not end_date or end_date < start_date:
            raise UserError(_("The KPI period needs a start date on or before its end date."))
        start = datetime.combine(start_date, time.min)
        end = datetime.combine(end_date + timedelta(days=1), time.min)
        return {
            "start": start,
            "end": end,
            "days": (end - start).days,
            "company_ids": tuple(self.env.companies.ids),
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

    def _fetchone(self, query):
        self.env.cr.execute(query)
        return self.env.cr.fetchone()

    def _fetchall(self, query):
        self.env.cr.execute(query)
        return self.env.cr.fetchall()

    # ------------------------------------------------------------------ outgoing pickings

    def _shipped_pickings(self, scope):
        """(FROM/WHERE SQL, domain) of outgoing pickings done in the period, alias `p`."""
        warehouses = scope["warehouse_ids"]
        query = SQL(
            """stock_picking p
               JOIN stock_picking_type pt ON pt.id = p.picking_type_id
              WHERE pt.code = 'outgoing'
                AND p.state = 'done'
                AND p.date_done >= %(start)s AND p.date_done < %(end)s
                AND p.company_id IN %(companies)s
                AND %(warehouse)s""",
            start=scope["start"],
            end=scope["end"],
            companies=scope["company_ids"],
            warehouse=SQL("pt.warehouse_id IN %s", warehouses) if warehouses else SQL("TRUE"),
        )
        domain = [
            ("picking_type_code", "=", "outgoing"),
            ("state", "=", "done"),
            *self._period_domain("date_done", scope),
            ("company_id", "in", list(scope["company_ids"])),
        ]
        if warehouses:
            domain.append(("picking_type_id.warehouse_id", "in", list(warehouses)))
        return query, domain

    def _picking_ratio(self, scope, condition):
        source, domain = self._shipped_pickings(scope)
        numerator, denominator = self._fetchone(
            SQL(
                "SELECT COUNT(*) FILTER (WHERE %s), COUNT(*) FROM %s",
                condition,
                source,
            )
        )
        return self._result(
            "stock.picking",
            domain,
            self._ratio(numerator, denominator),
            "%",
            denominator,
            numerator=numerator,
            denominator=denominator,
        )

    def _kpi_on_time_shipment(self, scope):
        return self._picking_ratio(
            scope, SQL("p.date_done <= COALESCE(p.date_deadline, p.scheduled_date)")
        )

    def _kpi_pick_accuracy(self, scope):
        return self._picking_ratio(
            scope,
            SQL(
                """NOT EXISTS (
                    SELECT 1 FROM distribution_exception e
                     WHERE e.picking_id = p.id
                       AND e.type_code IN ('short_pick', 'damaged_goods')
                       AND e.state != 'cancelled')"""
            ),
        )

    def _kpi_backorder_rate(self, scope):
        return self._picking_ratio(
            scope,
            SQL("EXISTS (SELECT 1 FROM stock_picking b WHERE b.backorder_id = p.id)"),
        )

    def _kpi_fill_rate(self, scope):
        # a scrap made from a delivery carries its picking_id: it is not a shipped quantity
        source, domain = self._shipped_pickings(scope)
        shipped, missing, count = self._fetchone(
            SQL(
                """WITH shipped AS (SELECT p.id FROM %(source)s)
                SELECT
                    (SELECT COALESCE(SUM(m.quantity / mu.factor * pu.factor), 0)
                       FROM stock_move m
                       JOIN shipped s ON s.id = m.picking_id
                       JOIN uom_uom mu ON mu.id = m.product_uom
                       JOIN product_product pp ON pp.id = m.product_id
                       JOIN product_template tmpl ON tmpl.id = pp.product_tmpl_id
                       JOIN uom_uom pu ON pu.id = tmpl.uom_id
                      WHERE m.state = 'done' AND m.scrap_id IS NULL),
                    (SELECT COALESCE(SUM(e.quantity_missing), 0)
                       FROM distribution_exception e
                       JOIN shipped s ON s.id = e.picking_id
                      WHERE e.type_code = 'short_pick' AND e.state != 'cancelled'),
                    (SELECT COUNT(*) FROM shipped)""",
                source=source,
            )
        )
        demanded = shipped + missing
        return self._result(
            "stock.picking",
            domain,
            self._ratio(demanded - missing, demanded),
            "%",
            count,
            numerator=demanded - missing,
            denominator=demanded,
        )

    def _kpi_order_cycle_time(self, scope):
        warehouses = scope["warehouse_ids"]
        rows = self._fetchall(
            SQL(
                """WITH candidate AS (
                    -- only orders with a delivery done in the period can have their last one in it
                    SELECT DISTINCT p.sale_id AS id
                      FROM stock_picking p
                      JOIN stock_picking_type pt ON pt.id = p.picking_type_id
                     WHERE pt.code = 'outgoing'
                       AND p.state = 'done'
                       AND p.sale_id IS NOT NULL
                       AND p.date_done >= %(start)s AND p.date_done < %(end)s
                       AND p.company_id IN %(companies)s
                )
                SELECT so.id,
                       EXTRACT(EPOCH FROM MAX(p.date_done) - so.date_order) / 3600.0
                  FROM candidate c
                  JOIN sale_order so ON so.id = c.id
                  JOIN stock_picking p ON p.sale_id = so.id
                  JOIN stock_picking_type pt ON pt.id = p.picking_type_id
                 WHERE so.state = 'sale'
                   AND so.company_id IN %(companies)s
                   AND %(warehouse)s
                   AND pt.code = 'outgoing'
                   AND p.state = 'done'
                   AND NOT EXISTS (
                       SELECT 1 FROM stock_picking o
                         JOIN stock_picking_type ot ON ot.id = o.picking_type_id
                        WHERE o.sale_id = so.id AND ot.code = 'outgoing'
                          AND o.state NOT IN ('done', 'cancel'))
                 GROUP BY so.id
                HAVING MAX(p.date_done) >= %(start)s AND MAX(p.date_done) < %(end)s
                 ORDER BY so.id""",
                companies=scope["company_ids"],
                warehouse=SQL("so.warehouse_id IN %s", warehouses) if warehouses else SQL("TRUE"),
                start=scope["start"],
                end=scope["end"],
            )
        )
        total = sum(hours for __, hours in rows)
        return self._result(
            "sale.order",
            [("id", "in", [order_id for order_id, __ in rows])],
            float(total) / len(rows) if rows else None,
            "h",
            len(rows),
            numerator=float(total),
            denominator=len(rows),
        )

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
        domain = [
            ("is_inventory", "=", True),
            ("state", "=", "done"),
            *self._period_domain("date", scope),
            ("company_id", "in", list(scope["company_ids"])),
        ]
        if warehouses:
            domain += [
                "|",
                ("location_id.warehouse_id", "in", list(warehouses)),
                ("location_dest_id.warehouse_id", "in", list(warehouses)),
            ]
        return self._result("stock.move", domain, float(count), "count", count, amount=amount)

    def _kpi_receiving_throughput(self, scope):
        warehouses = scope["warehouse_ids"]
        count, units = self._fetchone(
            SQL(
                """SELECT COUNT(*), COALESCE(SUM(m.quantity / mu.factor * pu.factor), 0)
                     FROM stock_move m
                     JOIN stock_picking_type pt ON pt.id = m.picking_type_id
                     JOIN uom_uom mu ON mu.id = m.product_uom
                     JOIN product_product pp ON pp.id = m.product_id
                     JOIN product_template tmpl ON tmpl.id = pp.product_tmpl_id
                     JOIN uom_uom pu ON pu.id = tmpl.uom_id
                    WHERE pt.code = 'incoming'
                      AND m.state = 'done'
                      AND m.scrap_id IS NULL
                      AND m.date >= %(start)s AND m.date < %(end)s
                      AND m.company_id IN %(companies)s
                      AND %(warehouse)s""",
                start=scope["start"],
                end=scope["end"],
                companies=scope["company_ids"],
                warehouse=SQL("pt.warehouse_id IN %s", warehouses) if warehouses else SQL("TRUE"),
            )
        )
        domain = [
            ("picking_type_id.code", "=", "incoming"),
            ("state", "=", "done"),
            ("scrap_id", "=", False),
            *self._period_domain("date", scope),
            ("company_id", "in", list(scope["company_ids"])),
        ]
        if warehouses:
            domain.append(("picking_type_id.warehouse_id", "in", list(warehouses)))
        units = float(units)
        return self._result(
            "stock.move",
            domain,
            units / scope["days"],
            "units/day",
            count,
            numerator=units,
            denominator=scope["days"],
            lines=count,
            quantity=units,
        )

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
        (count,) = self._fetchone(
            SQL(
                "SELECT COUNT(*) FROM %s",
                self._exception_source(scope, SQL("e.state IN %s", OPEN_EXCEPTION_STATES)),
            )
        )
        domain = self._exception_domain(scope, [("state", "in", list(OPEN_EXCEPTION_STATES))])
        return self._result("distribution.exception", domain, float(count), "count", count)

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
        median, count = self._fetchone(
            SQL(
                """SELECT percentile_cont(0.5) WITHIN GROUP (ORDER BY
                          EXTRACT(EPOCH FROM r.decided_at - r.create_date) / 3600.0)::float,
                          COUNT(*)
                     FROM distribution_approval_request r
                    WHERE r.company_id IN %s
                      AND r.decided_at >= %s AND r.decided_at < %s""",
                scope["company_ids"],
                scope["start"],
                scope["end"],
            )
        )
        domain = [
            ("company_id", "in", list(scope["company_ids"])),
            *self._period_domain("decided_at", scope),
        ]
        return self._result(
            "distribution.approval.request",
            domain,
            float(median) if median is not None else None,
            "h",
            count,
        )
