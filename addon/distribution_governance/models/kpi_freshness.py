"""What keeps the warehouse KPIs exact without recomputing a period on every dashboard load.

- `sale.order.dg_delivered_date`: when an order became fully delivered (stored, indexed), so
  the order cycle time reads only the orders delivered in the period.
- The KPIs whose closed days come from the daily snapshots (KpiDef.snapshot) count records by
  the local day of a date (a transfer done, an order delivered, a purchase line last received,
  a credit note's date, an exception opened or closed). The writes that change such a day
  after it has closed (a short-pick exception cancelled later, a done quantity corrected, a
  transfer's date edited, an order line invoiced, a purchase line received again, a credit
  note posted with an earlier date) delete that day's snapshots here, in the same
  transaction: the dashboard then computes the day live until the cron snapshots it again, so
  a card's count still equals its list. Days are the company's local days in its KPI time
  zone, as the snapshots'. So are today's hours already over (snapshotted by the hourly cron,
  distribution.kpi.snapshot.hour): a late write to what one of them counted forgets that hour.
- Transfers and moves are watched in `write` (their facts are read from the records before
  and after it). Orders, order lines, credit notes, purchase lines and exceptions are watched
  where their rows change — `_create`, `_write_multi` (which the flush of a stored computed
  field goes through too: an order's delivered date, a line's invoice discrepancy, a purchase
  line's received quantity) and `unlink` — reading what a KPI counts of them from the
  database before and after the change.
"""

from datetime import datetime

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column

from ..kpi.days import HOUR, hour_start, local_date, local_today
from .credit_hold import refuse_engine_fields

# the fields a closed day's picking and move KPIs read
PICKING_FIELDS = {
    "state",
    "date_done",
    "scheduled_date",
    "date_deadline",
    "picking_type_id",
    "company_id",
    "backorder_id",
    # recorded at validation (kpi_facts.py): who validated, whether it was a pick, when picked
    "dg_validated_by",
    "dg_pick",
    "dg_picked_date",
    # dock-to-stock time, the supplier KPIs
    "dg_stocked_date",
    "partner_id",
    "return_id",
}
MOVE_FIELDS = {
    "state",
    "date",
    "quantity",
    "product_id",
    "product_uom",
    "picking_id",
    "picking_type_id",
    "location_id",
    "location_dest_id",
    "scrap_id",
    "company_id",
    "is_inventory",
}
MOVE_LINE_FIELDS = {"quantity", "product_uom_id", "move_id", "product_id", "picking_id"}
EXCEPTION_FIELDS = {"state", "picking_id", "quantity_missing", "type_id", "company_id"}


def _snapshotted(company_id, tz, moment, today, now):
    """(company id, local day) of a moment on a closed day, (company id, hour start) of one in
    an hour of today over (both may have a snapshot: distribution.kpi.snapshot and .hour), else
    None (`today`: {tz: local today}, filled as needed)."""
    if tz not in today:
        today[tz] = local_today(tz, now)
    day = local_date(moment, tz)
    if day < today[tz]:
        return (company_id, day)
    if day == today[tz] and isinstance(moment, datetime):
        start = hour_start(moment, tz)
        if start + HOUR <= now:
            return (company_id, start)
    return None


def _closed_days(records, moment_field):
    """{(company id, local day or hour start)} of the records' `moment_field` on a closed day
    (before today in the company's KPI time zone) or in an hour of today over."""
    days = set()
    today = {}
    now = datetime.utcnow()
    for record in records:
        moment = record[moment_field]
        if not moment:
            continue
        company = record.company_id
        found = _snapshotted(company.id, company.dg_kpi_tz, moment, today, now)
        if found:
            days.add(found)
    return days


def _closed_picking_days(pickings):
    # the closed days of its dates first: the state (computed from the moves) of a transfer
    # counted on no closed day (being validated today) is not read, which would compute it
    # early; a receipt also counts on the day its goods reached stock (dock-to-stock time)
    days = set()
    for picking in pickings:
        found = _closed_days(picking, "date_done") | _closed_days(picking, "dg_stocked_date")
        if found and picking.state == "done":
            days |= found
    return days


def _closed_move_days(moves):
    # only done moves count: the pickings of the others are not read (move creation and writes
    # are a hot path, and reading a picking's state would compute it early)
    done = moves.filtered(lambda move: move.state == "done")
    # the fill rate counts a delivery's done moves on the day the delivery was done
    return _closed_days(done, "date") | _closed_picking_days(done.picking_id)


def _refuse_facts(model, vals_list, facts, message=None):
    """Refuse the engine's `facts` (what a validation records, what the KPIs derive) to all
    but the superuser (`message`: a function giving the text, see refuse_engine_fields)."""
    refuse_engine_fields(
        model,
        vals_list,
        facts,
        message
        or (lambda: model.env._("What a validation records is the system's: %s cannot be set.")),
    )


def _computed_message(model):
    return model.env._("%s is computed from the deliveries and invoices: it cannot be set.")


class SaleOrderDelivered(models.Model):
    _inherit = "sale.order"

    dg_delivered_date = fields.Datetime(
        "Fully Delivered On",
        compute="_compute_dg_delivered_date",
        store=True,
        copy=False,
        help="When the last outgoing delivery was done, once no other is left open: the end of "
        "the order cycle time of the warehouse KPI dashboard.",
    )

    @api.model_create_multi
    def create(self, vals_list):
        _refuse_facts(self, vals_list, {"dg_delivered_date"}, lambda: _computed_message(self))
        return super().create(vals_list)

    def write(self, vals):
        # a rep or a warehouse user (both write orders) would move the order cycle time
        _refuse_facts(self, [vals], {"dg_delivered_date"}, lambda: _computed_message(self))
        return super().write(vals)

    @api.depends("picking_ids.state", "picking_ids.date_done", "picking_ids.picking_type_id")
    def _compute_dg_delivered_date(self):
        for order in self:
            outgoing = order.picking_ids.filtered(lambda p: p.picking_type_id.code == "outgoing")
            done = outgoing.filtered(lambda p: p.state == "done" and p.date_done)
            still_open = outgoing.filtered(lambda p: p.state not in ("done", "cancel"))
            order.dg_delivered_date = (
                max(done.mapped("date_done")) if done and not still_open else False
            )

    def _auto_init(self):
        # fill the new column from the pickings in one UPDATE, not order by order in Python
        cr = self.env.cr
        if not column_exists(cr, self._table, "dg_delivered_date"):
            create_column(cr, self._table, "dg_delivered_date", "timestamp")
            cr.execute(
                SQL(
                    """UPDATE sale_order so SET dg_delivered_date = d.last_done
                         FROM (SELECT p.sale_id,
                                      MAX(p.date_done) FILTER (WHERE p.state = 'done') AS last_done,
                                      BOOL_OR(p.state NOT IN ('done', 'cancel')) AS still_open
                                 FROM stock_picking p
                                 JOIN stock_picking_type pt ON pt.id = p.picking_type_id
                                WHERE pt.code = 'outgoing' AND p.sale_id IS NOT NULL
                                GROUP BY p.sale_id) d
                        WHERE d.sale_id = so.id AND NOT d.still_open
                          AND d.last_done IS NOT NULL"""
                )
            )
        result = super()._auto_init()
        # covering: the order cycle time of a period is an index-only scan
        cr.execute(
            """CREATE INDEX IF NOT EXISTS sale_order_dg_delivered_idx
                   ON sale_order (dg_delivered_date)
                   INCLUDE (date_order, company_id, warehouse_id)
                WHERE dg_delivered_date IS NOT NULL AND state = 'sale'"""
        )
        return result


class SaleOrderLineDiscrepancy(models.Model):
    _inherit = "sale.order.line"

    @api.model_create_multi
    def create(self, vals_list):
        _refuse_facts(self, vals_list, {"dg_invoice_discrepancy"}, lambda: _computed_message(self))
        return super().create(vals_list)

    def write(self, vals):
        # who writes orders would hide a line from the invoice discrepancies
        _refuse_facts(self, [vals], {"dg_invoice_discrepancy"}, lambda: _computed_message(self))
        return super().write(vals)


def _write_forgetting(records, vals, watched, write, days_of, counted=None):
    """`write(vals)`; when it touches `watched` fields, forgets the closed KPI days the records
    were counted on before it and are counted on after it (`days_of(records)`). `counted(records,
    vals)`, when given, says whether any record can be counted on a day before or after the
    write; when not, there is nothing to forget (the hot path of moves being worked on)."""
    if not watched & set(vals):
        return write(vals)
    if counted is not None and not counted(records, vals):
        return write(vals)
    days = days_of(records)
    result = write(vals)
    records.env["distribution.kpi.snapshot"]._invalidate(days | days_of(records))
    return result


def _picking_days(pickings):
    return _closed_picking_days(pickings.sudo())


def _move_days(moves):
    return _closed_move_days(moves.sudo())


def _moves_counted(moves, vals):
    """Only done moves count (_closed_move_days) and a move becomes done by a write of its
    state only: moves none of which is done, their state not written done, count before and
    after on no day."""
    return vals.get("state") == "done" or any(move.state == "done" for move in moves.sudo())


def _move_line_days(lines):
    # a done line counts as picked on its transfer's day (kpi/registry.py PICKED_LINES)
    lines = lines.sudo()
    return _closed_move_days(lines.move_id) | _closed_picking_days(lines.picking_id)


def _exception_days(exceptions):
    return _closed_picking_days(exceptions.sudo().picking_id)


class StockPickingKpiDays(models.Model):
    _inherit = "stock.picking"

    def write(self, vals):
        return _write_forgetting(self, vals, PICKING_FIELDS, super().write, _picking_days)


class StockMoveKpiDays(models.Model):
    _inherit = "stock.move"

    @api.model_create_multi
    def create(self, vals_list):
        moves = super().create(vals_list)
        self.env["distribution.kpi.snapshot"]._invalidate(_move_days(moves))
        return moves

    def write(self, vals):
        return _write_forgetting(
            self, vals, MOVE_FIELDS, super().write, _move_days, _moves_counted
        )


class StockMoveLineKpiDays(models.Model):
    _inherit = "stock.move.line"

    @api.model_create_multi
    def create(self, vals_list):
        lines = super().create(vals_list)
        self.env["distribution.kpi.snapshot"]._invalidate(_move_line_days(lines))
        return lines

    def write(self, vals):
        return _write_forgetting(self, vals, MOVE_LINE_FIELDS, super().write, _move_line_days)


class DistributionExceptionKpiDays(models.Model):
    _inherit = "distribution.exception"

    @api.model_create_multi
    def create(self, vals_list):
        records = super().create(vals_list)
        self.env["distribution.kpi.snapshot"]._invalidate(_exception_days(records))
        return records

    def write(self, vals):
        return _write_forgetting(self, vals, EXCEPTION_FIELDS, super().write, _exception_days)

    def unlink(self):
        days = _exception_days(self)
        result = super().unlink()
        self.env["distribution.kpi.snapshot"]._invalidate(days)
        return result


# ------------------------------------------------------------------ rows watched in the database

# a moment that depends on every column of its row
EVERY_COLUMN = None


def _row_days(model, before, after):
    """{(company id, local day)} on a closed day of the moments that a change of rows from
    `before` to `after` ({id: row}) alters: a moment of a record in one of them only, or one
    whose columns differ (`model._dg_kpi_moments`), before and after the change."""
    days = set()
    today = {}
    now = datetime.utcnow()
    for id_ in before.keys() | after.keys():
        old, new = before.get(id_), after.get(id_)
        for row, other in ((old, new), (new, old)):
            if row is None:
                continue
            for moment, columns in model._dg_kpi_moments(row):
                if other is not None and all(
                    row[column] == other[column]
                    for column in (row if columns is EVERY_COLUMN else ("company_id", "tz", *columns))
                ):
                    continue
                if moment and row["company_id"]:
                    found = _snapshotted(row["company_id"], row["tz"], moment, today, now)
                    if found:
                        days.add(found)
    return days


def _as_read(field, value):
    """A value as the flush writes it (column format: dates may be strings, with or without
    their fraction of a second), as the database gives it back."""
    if isinstance(value, str) and field.type == "datetime":
        return fields.Datetime.to_datetime(value.split(".")[0])
    if isinstance(value, str) and field.type == "date":
        return fields.Date.to_date(value)
    return value


class _Unknown(Exception):
    """A value of a row that the cache cannot vouch for as the database's."""


def _before_values(records):
    """{(id, field name): value} of the transaction: the database's values of KPI fields that a
    write or a recompute is replacing in the cache, kept until the flush writes them (then the
    row before the flush is known without reading it). In the precommit data: cleared at every
    commit, rollback and flushing savepoint, with the cache."""
    return records.env.cr.precommit.data.setdefault(f"dg.kpi.before.{records._name}", {})


def _db_value(record, name, vals):
    """The database's value of `name` for `record` while the flush writes `vals` to it: the
    value kept before it changed (`_before_values`) for a field being written, else the
    cache's when it is there and not waiting for a flush. Raises _Unknown otherwise."""
    if name in vals:
        try:
            return _before_values(record)[record.id, name]
        except KeyError:
            raise _Unknown() from None
    field = record._fields[name]
    cache = record.env.cache
    if not cache.contains(record, field) or cache.has_dirty_fields(record, [field]):
        raise _Unknown()
    return cache.get(record, field)


def _company_tz(env, company_id):
    return company_id and _db_value(env["res.company"].browse(company_id), "dg_kpi_tz", {})


class DistributionKpiRows(models.AbstractModel):
    """Forgets the snapshots of the closed days whose figures a change of the records' rows
    alters. `_dg_kpi_query(ids)` is the SQL of one row per record: its id, company id and KPI
    time zone (`tz`), then the columns the snapshot KPIs read of it; `_dg_kpi_moments(row)`
    the moments they count it on, each with the columns it depends on; `_dg_kpi_fields` the
    fields whose write may change a row. Those of `_dg_kpi_own` are columns of the row read
    as they are: when a write touches no other, the row after it is the row before it with the
    values written (no second read in the flush)."""

    _name = "distribution.kpi.rows"
    _description = "Records Counted by Snapshot KPIs"

    _dg_kpi_fields = frozenset()
    _dg_kpi_own = frozenset()
    # the columns of the row after its id, company id and tz, when they are all the record's own
    _dg_kpi_columns = ()

    def _dg_kpi_query(self, ids):
        raise NotImplementedError

    def _dg_kpi_moments(self, row):
        raise NotImplementedError

    def _dg_kpi_cached_row(self, vals):
        """The row of this record in the database while the flush writes `vals` to it, built
        from the cache (`_db_value`), as `_dg_kpi_query` reads it; raises _Unknown when a
        value is not known. By default the row's own `_dg_kpi_columns` after its id, company
        and KPI time zone (a model whose row reads more of other tables says how)."""
        if not self._dg_kpi_columns:
            raise _Unknown()
        row = self._dg_kpi_cached_head(vals)
        row.update((name, _db_value(self, name, vals)) for name in self._dg_kpi_columns)
        return row

    def _dg_kpi_cached_head(self, vals):
        """The first columns of every row (id, company id, its KPI time zone) from the cache."""
        company = _db_value(self, "company_id", vals)
        return {"id": self.id, "company_id": company, "tz": _company_tz(self.env, company)}

    def _dg_kpi_remember(self, names):
        """Keep the database's values of the KPI fields `names` of these records before the
        cache replaces them (a write, a recompute): their cached values not waiting for a
        flush, the first time only (later ones are not the database's)."""
        kept = _before_values(self)
        cache = self.env.cache
        for name in names:
            field = self._fields[name]
            if not field.store:
                continue
            dirty = set(cache.get_dirty_records(self, field)._ids)
            for record in self:
                key = (record.id, name)
                if record.id and key not in kept and record.id not in dirty:
                    value = cache.get(record, field, default=_Unknown)
                    if value is not _Unknown:
                        kept[key] = value

    def write(self, vals):
        self._dg_kpi_remember(self._dg_kpi_fields.intersection(vals))
        return super().write(vals)

    def _compute_field_value(self, field):
        computed = {f.name for f in self.pool.field_computed.get(field, [field])}
        self._dg_kpi_remember(self._dg_kpi_fields & computed)
        return super()._compute_field_value(field)

    def _dg_kpi_rows_before(self, vals_list):
        """The rows of these records as the database has them while a flush writes
        `vals_list` to them (or just inserted them: `vals_list` then names the columns left
        NULL): from the cache when every value is known there, else read."""
        try:
            return {
                record.id: record._dg_kpi_cached_row(vals)
                for record, vals in zip(self, vals_list)
                if record.id
            }
        except _Unknown:
            return self._dg_kpi_rows()

    def _dg_kpi_rows(self):
        ids = tuple(id_ for id_ in self.ids if id_)
        if not ids:
            return {}
        cr = self.env.cr
        # the cursor, not execute_query: this runs inside a flush, which must not flush again
        cr.execute(self._dg_kpi_query(ids))
        names = [column[0] for column in cr.description]
        return {row[0]: dict(zip(names, row)) for row in cr.fetchall()}

    def _dg_kpi_rows_written(self, before, vals_list):
        """The rows after `vals_list` is written, from the rows before it."""
        after = {}
        for record, vals in zip(self, vals_list):
            row = before.get(record.id)
            if row is None:
                continue
            row = dict(row)
            for name in self._dg_kpi_own.intersection(vals):
                row[name] = _as_read(self._fields[name], vals[name])
            after[record.id] = row
        return after

    def _dg_kpi_forget(self, days):
        if days:
            self.env["distribution.kpi.snapshot"]._invalidate(days)

    @api.model
    def _create(self, data_list):
        records = super()._create(data_list)
        # a column the insert was not given is NULL in the database: known until a flush
        # writes it (the computed ones, usually), as what a write replaces is
        kept = _before_values(records)
        unset = []
        for record, data in zip(records, data_list):
            names = {
                name
                for name in records._dg_kpi_fields.difference(data["stored"])
                if records._fields[name].column_type
            }
            kept.update(((record.id, name), None) for name in names)
            unset.append(names)
        records._dg_kpi_forget(_row_days(records, {}, records._dg_kpi_rows_before(unset)))
        return records

    def _write_multi(self, vals_list):
        written = [self._dg_kpi_fields.intersection(vals) for vals in vals_list]
        if not any(written):
            return super()._write_multi(vals_list)
        before = self._dg_kpi_rows_before(vals_list)
        result = super()._write_multi(vals_list)
        # what was kept of the values written is the database's no more
        kept = _before_values(self)
        for record, names in zip(self, written):
            for name in names:
                kept.pop((record.id, name), None)
        if all(fields <= self._dg_kpi_own for fields in written):
            after = self._dg_kpi_rows_written(before, vals_list)
        else:
            after = self._dg_kpi_rows()
        self._dg_kpi_forget(_row_days(self, before, after))
        return result

    def unlink(self):
        days = _row_days(self, self._dg_kpi_rows(), {})
        result = super().unlink()
        self._dg_kpi_forget(days)
        return result


class SaleOrderKpiRows(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "distribution.kpi.rows"]

    # order cycle time (delivered date), invoice discrepancies (their lines, by order date)
    _dg_kpi_fields = frozenset(
        {"state", "dg_delivered_date", "date_order", "company_id", "warehouse_id"}
    )
    _dg_kpi_own = frozenset({"state", "dg_delivered_date", "date_order", "warehouse_id"})
    _dg_kpi_columns = ("state", "dg_delivered_date", "date_order", "warehouse_id")

    def _dg_kpi_query(self, ids):
        return SQL(
            """SELECT o.id, o.company_id, c.dg_kpi_tz AS tz, o.state, o.dg_delivered_date,
                      o.date_order, o.warehouse_id
                 FROM sale_order o
                 LEFT JOIN res_company c ON c.id = o.company_id
                WHERE o.id IN %s""",
            ids,
        )

    def _dg_kpi_moments(self, row):
        if row["state"] != "sale":
            return ()
        return (
            (row["dg_delivered_date"], EVERY_COLUMN),
            # its lines' discrepancies: not what the delivered date is
            (row["date_order"], ("state", "date_order", "warehouse_id")),
        )


class SaleOrderLineKpiRows(models.Model):
    _name = "sale.order.line"
    _inherit = ["sale.order.line", "distribution.kpi.rows"]

    _dg_kpi_fields = frozenset({"dg_invoice_discrepancy", "order_id", "company_id"})
    _dg_kpi_own = frozenset({"dg_invoice_discrepancy"})

    def _dg_kpi_query(self, ids):
        return SQL(
            """SELECT l.id, l.company_id, c.dg_kpi_tz AS tz, l.dg_invoice_discrepancy,
                      l.order_id, o.state AS order_state, o.date_order
                 FROM sale_order_line l
                 JOIN sale_order o ON o.id = l.order_id
                 LEFT JOIN res_company c ON c.id = l.company_id
                WHERE l.id IN %s""",
            ids,
        )

    def _dg_kpi_cached_row(self, vals):
        order = self.env["sale.order"].browse(_db_value(self, "order_id", vals))
        if not order:
            raise _Unknown()
        return {
            **self._dg_kpi_cached_head(vals),
            "dg_invoice_discrepancy": _db_value(self, "dg_invoice_discrepancy", vals),
            "order_id": order.id,
            "order_state": _db_value(order, "state", {}),
            "date_order": _db_value(order, "date_order", {}),
        }

    def _dg_kpi_moments(self, row):
        if not (row["dg_invoice_discrepancy"] and row["order_state"] == "sale"):
            return ()
        return ((row["date_order"], EVERY_COLUMN),)


class AccountMoveKpiRows(models.Model):
    _name = "account.move"
    _inherit = ["account.move", "distribution.kpi.rows"]

    # credit notes (their invoice date: a local date already)
    _dg_kpi_fields = frozenset({"state", "move_type", "invoice_date", "company_id"})
    _dg_kpi_own = frozenset({"state", "move_type", "invoice_date"})
    _dg_kpi_columns = ("move_type", "state", "invoice_date")

    def _dg_kpi_query(self, ids):
        return SQL(
            """SELECT m.id, m.company_id, c.dg_kpi_tz AS tz, m.move_type, m.state, m.invoice_date
                 FROM account_move m
                 LEFT JOIN res_company c ON c.id = m.company_id
                WHERE m.id IN %s""",
            ids,
        )

    def _dg_kpi_moments(self, row):
        if not (row["move_type"] == "out_refund" and row["state"] == "posted"):
            return ()
        return ((row["invoice_date"], EVERY_COLUMN),)


class PurchaseOrderLineKpiRows(models.Model):
    _name = "purchase.order.line"
    _inherit = ["purchase.order.line", "distribution.kpi.rows"]

    # supplier fill rate: a line counts on its last receipt's day
    _dg_kpi_own = frozenset(
        {
            "dg_received_date",
            "qty_received",
            "product_qty",
            "product_uom_qty",
            "state",
            "display_type",
            "partner_id",
            "order_id",
        }
    )
    _dg_kpi_fields = _dg_kpi_own | {"company_id"}
    _dg_kpi_columns = (
        "dg_received_date", "qty_received", "product_qty", "product_uom_qty", "state",
        "display_type", "partner_id", "order_id",
    )

    def _dg_kpi_query(self, ids):
        return SQL(
            """SELECT l.id, l.company_id, c.dg_kpi_tz AS tz, l.dg_received_date, l.qty_received,
                      l.product_qty, l.product_uom_qty, l.state, l.display_type, l.partner_id,
                      l.order_id
                 FROM purchase_order_line l
                 LEFT JOIN res_company c ON c.id = l.company_id
                WHERE l.id IN %s""",
            ids,
        )

    def _dg_kpi_moments(self, row):
        return ((row["dg_received_date"], EVERY_COLUMN),)


class DistributionExceptionKpiRows(models.Model):
    _name = "distribution.exception"
    _inherit = ["distribution.exception", "distribution.kpi.rows"]

    # exceptions opened (their creation), SLA breach rate (their closing)
    _dg_kpi_own = frozenset({"state", "resolved_at", "sla_breached_at_close", "warehouse_id"})
    _dg_kpi_fields = _dg_kpi_own | {"company_id"}
    _dg_kpi_columns = ("create_date", "state", "resolved_at", "sla_breached_at_close", "warehouse_id")

    def _dg_kpi_query(self, ids):
        return SQL(
            """SELECT e.id, e.company_id, c.dg_kpi_tz AS tz, e.create_date, e.state,
                      e.resolved_at, e.sla_breached_at_close, e.warehouse_id
                 FROM distribution_exception e
                 LEFT JOIN res_company c ON c.id = e.company_id
                WHERE e.id IN %s""",
            ids,
        )

    def _dg_kpi_moments(self, row):
        closed = row["state"] in ("resolved", "cancelled")
        return ((row["create_date"], EVERY_COLUMN), (row["resolved_at"] if closed else None, EVERY_COLUMN))
