"""What the productivity and supplier KPIs read, recorded when the work is done.

Odoo keeps no "who did it" on a done move line (`stock.move.line` has no user) and no "when did
these goods reach stock" on a receipt, so the addon records them when a transfer is validated,
on the transfer (readonly facts, server-written):

- `dg_validated_by`: the user who validated the transfer (the request's user, also when the
  validation runs with sudo). Odoo's *Responsible* (`user_id`) is who should do it, empty on
  transfers made by procurement, and `write_uid` changes with any later write.
- `dg_pick`: the transfer took goods off the shelves for a delivery: a delivery done in one
  step, or the first step (pick) of a multi-step delivery, whose moves feed the delivery.
- `dg_picked_date` (deliveries in several steps): when the pick step feeding them was done.
- `dg_stocked_date` (receipts): when the goods received were put away in stock: the receipt's
  own date in one-step reception, else the last put-away transfer chained to it once none of
  them is left open.
- `purchase.order.line.dg_received_date`: the last receipt of the line.

The dates follow a transfer's date done when it is corrected. `dg_late` and `dg_pick_issue`
are searchable flags for the drill-downs of the on-time and pick-accuracy KPIs ("late").
Transfers validated before the addon was installed get them from the database once
(`_auto_init`): `dg_validated_by` is then the transfer's last writer (`write_uid`), the
closest record Odoo keeps.
"""

from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column, create_index

from .kpi_freshness import _refuse_facts

# what a transfer's validation records: the engine's (written as superuser), never a user's
# (a picker would credit himself with others' work)
PICKING_FACTS = frozenset({"dg_validated_by", "dg_pick", "dg_picked_date", "dg_stocked_date"})
LINE_FACTS = frozenset({"dg_received_date"})


def _internal(moves):
    return moves.filtered(lambda m: m.picking_type_id.code == "internal" and m.state != "cancel")


def _first_steps(moves):
    """The internal moves at the start of the chains that end in `moves` (the picks feeding
    a delivery through any pack step)."""
    first = moves.browse()
    frontier, seen = _internal(moves.move_orig_ids), set()
    while frontier:
        seen.update(frontier.ids)
        origins = _internal(frontier.move_orig_ids)
        first |= frontier.filtered(lambda m: not (_internal(m.move_orig_ids)))
        frontier = origins.filtered(lambda m: m.id not in seen)
    return first


def _chained_after(moves):
    """The internal moves chained after `moves`: a receipt's put-away (through any quality
    step), a pick's pack step."""
    chain = moves.browse()
    frontier = _internal(moves.move_dest_ids)
    while frontier:
        chain |= frontier
        frontier = _internal(frontier.move_dest_ids) - chain
    return chain


def _flag_domain(operator, value, ids):
    """The domain of a searchable flag: the transfers of `ids` (an SQL query of ids), or the
    others."""
    if operator not in ("=", "!=") or not isinstance(value, bool):
        raise UserError(_("This flag is searched with = or != and True or False."))
    return [("id", "in" if (operator == "=") == value else "not in", ids)]


def _done_date(move):
    return move.picking_id.date_done or move.date


class StockPickingKpiFacts(models.Model):
    _inherit = "stock.picking"

    dg_validated_by = fields.Many2one(
        "res.users",
        "Validated By",
        readonly=True,
        copy=False,
        index="btree_not_null",
        help="Who validated the transfer (recorded by Distribution Governance): the operator of "
        "the warehouse KPIs.",
    )
    dg_pick = fields.Boolean(
        "Pick Step",
        readonly=True,
        copy=False,
        help="The transfer took goods off the shelves for a delivery: a delivery done in one "
        "step, or the pick of a multi-step delivery. Its lines are the lines picked of the "
        "warehouse KPIs.",
    )
    dg_picked_date = fields.Datetime(
        "Picked On",
        readonly=True,
        copy=False,
        help="Deliveries in several steps: when the pick step feeding them was done (the start "
        "of the pick-to-ship time).",
    )
    dg_stocked_date = fields.Datetime(
        "In Stock On",
        readonly=True,
        copy=False,
        help="Receipts: when their goods were put away in stock (the end of the dock-to-stock "
        "time): the receipt itself in one-step reception, else the last put-away chained to it.",
    )

    # what the on-time and pick-accuracy KPIs count, searchable for their drill-downs ("On-time
    # shipment: late"); the same SQL as kpi/registry.py's columns
    dg_late = fields.Boolean(
        "Done Late",
        compute="_compute_dg_late",
        search="_search_dg_late",
        help="Done after its deadline, else its scheduled date.",
    )
    dg_pick_issue = fields.Boolean(
        "Short or Damaged",
        compute="_compute_dg_pick_issue",
        search="_search_dg_pick_issue",
        help="Has a short-pick or damaged-goods exception (not cancelled).",
    )

    @api.depends("state", "date_done", "date_deadline", "scheduled_date")
    def _compute_dg_late(self):
        for picking in self:
            due = picking.date_deadline or picking.scheduled_date
            picking.dg_late = bool(
                picking.state == "done" and picking.date_done and due and picking.date_done > due
            )

    def _compute_dg_pick_issue(self):
        flagged = set(self.search([("id", "in", self.ids), ("dg_pick_issue", "=", True)]).ids)
        for picking in self:
            picking.dg_pick_issue = picking.id in flagged

    def _search_dg_late(self, operator, value):
        return _flag_domain(
            operator,
            value,
            SQL(
                """(SELECT id FROM stock_picking
                     WHERE state = 'done'
                       AND date_done > COALESCE(date_deadline, scheduled_date))"""
            ),
        )

    def _search_dg_pick_issue(self, operator, value):
        return _flag_domain(
            operator,
            value,
            SQL(
                """(SELECT picking_id FROM distribution_exception
                     WHERE picking_id IS NOT NULL AND type_code IN ('short_pick', 'damaged_goods')
                       AND state != 'cancelled')"""
            ),
        )

    def _auto_init(self):
        cr = self.env.cr
        new = not column_exists(cr, self._table, "dg_validated_by")
        if new:
            for name, kind in (
                ("dg_validated_by", "int4"),
                ("dg_pick", "bool"),
                ("dg_picked_date", "timestamp"),
                ("dg_stocked_date", "timestamp"),
            ):
                create_column(cr, self._table, name, kind)
        result = super()._auto_init()
        if new:
            _backfill_pickings(cr)
        # dock-to-stock reads the receipts stocked in a period: an index-only range scan
        cr.execute(
            """CREATE INDEX IF NOT EXISTS stock_picking_dg_stocked_idx
                   ON stock_picking (dg_stocked_date)
                   INCLUDE (date_done, company_id, picking_type_id)
                WHERE dg_stocked_date IS NOT NULL AND state = 'done'"""
        )
        return result

    @api.model_create_multi
    def create(self, vals_list):
        _refuse_facts(self, vals_list, PICKING_FACTS)
        return super().create(vals_list)

    def write(self, vals):
        _refuse_facts(self, [vals], PICKING_FACTS)
        result = super().write(vals)
        if "date_done" in vals:
            # the dates derived from it follow, whoever moves it; the transfers being
            # validated get theirs at the end of their validation, with their operator
            validating = self.env.cr.cache.get("dg_kpi_validating", ())
            self.filtered(lambda p: p.id not in validating)._dg_update_dates()
        return result

    def _action_done(self):
        validating = self.env.cr.cache.setdefault("dg_kpi_validating", set())
        ids = set(self.ids) - validating
        validating.update(ids)
        try:
            result = super()._action_done()
        finally:
            validating.difference_update(ids)
        validated = self.filtered(lambda p: p.id in ids)
        done = validated.filtered(lambda p: p.state == "done")
        # one write per transfer: its operator and pick step with its derived dates
        (validated - done)._dg_update_dates()
        done._dg_update_dates(done._dg_operator_values(self.env.uid))
        return result

    def _dg_operator_values(self, uid):
        """{transfer: values} recording who validated these done transfers and which of them
        were picks."""
        values = {}
        for picking in self.sudo():
            moves = picking.move_ids.filtered(lambda m: m.state == "done")
            values[picking] = {"dg_validated_by": uid, "dg_pick": picking._dg_is_pick(moves)}
        return values

    def _dg_is_pick(self, moves):
        if _internal(moves.move_orig_ids):
            return False  # a later step: the goods were picked before
        code = self.picking_type_id.code
        if code == "outgoing":
            return True
        if code != "internal":
            return False
        chain = _chained_after(moves) | moves
        return bool(chain.move_dest_ids.filtered(lambda m: m.picking_type_id.code == "outgoing"))

    def _dg_update_dates(self, values=None):
        """The picked dates of the deliveries and the stocked dates of the receipts that read
        the done dates of these transfers (themselves, or the steps chained to them), written
        with `values` ({transfer: values}) in one write per transfer."""
        values = {picking.sudo(): dict(vals) for picking, vals in (values or {}).items()}
        done = self.sudo().filtered(lambda p: p.state == "done")
        if done:
            internal = done.move_ids.filtered(
                lambda m: m.state == "done" and m.picking_type_id.code == "internal"
            )
            receipts = done.filtered(lambda p: p.picking_type_id.code == "incoming")
            deliveries = done.filtered(lambda p: p.picking_type_id.code == "outgoing")
            stocked = receipts | _chain_ends(internal, "move_orig_ids", "incoming")
            picked = deliveries | _chain_ends(internal, "move_dest_ids", "outgoing")
            for picking, date in stocked._dg_stocked_dates().items():
                values.setdefault(picking, {})["dg_stocked_date"] = date
            for picking, date in picked._dg_picked_dates().items():
                values.setdefault(picking, {})["dg_picked_date"] = date
        for picking, vals in values.items():
            picking.write(vals)
        if done:
            receipts.move_ids.purchase_line_id._dg_update_received_date()

    def _dg_picked_dates(self):
        """{delivery: picked date} of these done deliveries whose picked date changed."""
        changed = {}
        for delivery in self.filtered(lambda p: p.state == "done"):
            moves = delivery.move_ids.filtered(lambda m: m.state == "done")
            picks = _first_steps(moves).filtered(lambda m: m.state == "done")
            picked = max(map(_done_date, picks)) if picks else False
            if delivery.dg_picked_date != picked:
                changed[delivery] = picked
        return changed

    def _dg_stocked_dates(self):
        """{receipt: stocked date} of these done receipts whose stocked date changed."""
        changed = {}
        for receipt in self.filtered(lambda p: p.state == "done"):
            moves = receipt.move_ids.filtered(lambda m: m.state == "done")
            put_away = _chained_after(moves)
            if not put_away:
                stocked = receipt.date_done
            elif all(m.state == "done" for m in put_away):
                stocked = max(map(_done_date, put_away))
            else:
                stocked = False  # goods still waiting in the input (or quality) location
            if receipt.dg_stocked_date != stocked:
                changed[receipt] = stocked
        return changed


def _chain_ends(moves, direction, code):
    """The done transfers of type `code` reached from the internal `moves` along
    `direction` (move_orig_ids: the receipts they put away; move_dest_ids: the deliveries
    they feed) through internal moves only."""
    found = moves.env["stock.picking"]
    frontier, seen = moves[direction], set(moves.ids)
    while frontier:
        seen.update(frontier.ids)
        ends = frontier.filtered(lambda m: m.picking_type_id.code == code and m.state == "done")
        found |= ends.picking_id
        frontier = _internal(frontier[direction]).filtered(lambda m: m.id not in seen)
    return found


class StockMoveLineKpiFacts(models.Model):
    _inherit = "stock.move.line"

    dg_validated_by = fields.Many2one(
        related="picking_id.dg_validated_by", string="Validated By", readonly=True
    )


class PurchaseOrderLineKpiFacts(models.Model):
    _inherit = "purchase.order.line"

    dg_received_date = fields.Datetime(
        "Last Received On",
        readonly=True,
        copy=False,
        help="When the last receipt of this line was done (the supplier fill rate counts a line "
        "on that day).",
    )

    @api.model_create_multi
    def create(self, vals_list):
        _refuse_facts(self, vals_list, LINE_FACTS)
        return super().create(vals_list)

    def write(self, vals):
        _refuse_facts(self, [vals], LINE_FACTS)
        return super().write(vals)

    def _dg_update_received_date(self):
        """The last receipt of each line: the latest done date of its done receipts."""
        for line in self:
            moves = line.move_ids.filtered(
                lambda m: m.state == "done" and m.picking_type_id.code == "incoming"
            )
            last = max(map(_done_date, moves)) if moves else False
            if line.dg_received_date != last:
                line.dg_received_date = last

    def _auto_init(self):
        cr = self.env.cr
        new = not column_exists(cr, self._table, "dg_received_date")
        if new:
            create_column(cr, self._table, "dg_received_date", "timestamp")
        result = super()._auto_init()
        if new:
            _backfill_purchase_lines(cr)
        create_index(
            cr,
            "purchase_order_line_dg_received_idx",
            self._table,
            ["dg_received_date"],
            where="dg_received_date IS NOT NULL",
        )
        return result


def _backfill_purchase_lines(cr):
    cr.execute(
        SQL(
            """UPDATE purchase_order_line l SET dg_received_date = r.last
                 FROM (SELECT m.purchase_line_id, MAX(COALESCE(p.date_done, m.date)) AS last
                         FROM stock_move m
                         JOIN stock_picking_type t ON t.id = m.picking_type_id
                         LEFT JOIN stock_picking p ON p.id = m.picking_id
                        WHERE m.state = 'done' AND t.code = 'incoming'
                          AND m.purchase_line_id IS NOT NULL
                        GROUP BY m.purchase_line_id) r
                WHERE r.purchase_line_id = l.id"""
        )
    )


def _backfill_pickings(cr):
    """The facts of the transfers done before the columns existed, in SQL (the rules of
    `_dg_is_pick`, `_dg_picked_dates` and `_dg_stocked_dates`, over the move
    chains of stock_move_move_rel)."""
    cr.execute(
        """UPDATE stock_picking SET dg_validated_by = COALESCE(write_uid, create_uid)
            WHERE state = 'done'"""
    )
    cr.execute(
        """
        CREATE TEMP TABLE dg_move_kind ON COMMIT DROP AS
        SELECT m.id, m.picking_id, m.state, COALESCE(p.date_done, m.date) AS done_at, t.code
          FROM stock_move m
          JOIN stock_picking_type t ON t.id = m.picking_type_id
          LEFT JOIN stock_picking p ON p.id = m.picking_id
         WHERE m.state != 'cancel';
        CREATE INDEX ON dg_move_kind (id);
        ANALYZE dg_move_kind;
        -- a move "has an internal origin" when a move of an internal type feeds it
        CREATE TEMP TABLE dg_fed ON COMMIT DROP AS
        SELECT DISTINCT r.move_dest_id AS id
          FROM stock_move_move_rel r JOIN dg_move_kind o ON o.id = r.move_orig_id
         WHERE o.code = 'internal';
        CREATE INDEX ON dg_fed (id);
        """
    )
    # picks: done outgoing or internal transfers none of whose moves is fed by an internal
    # move, and (internal ones) whose chain reaches a delivery
    cr.execute(
        """
        WITH RECURSIVE forward(start_id, move_id) AS (
            SELECT k.id, k.id FROM dg_move_kind k
             WHERE k.code = 'internal' AND k.state = 'done'
               AND NOT EXISTS (SELECT 1 FROM dg_fed f WHERE f.id = k.id)
            UNION
            SELECT f.start_id, r.move_dest_id
              FROM forward f
              JOIN stock_move_move_rel r ON r.move_orig_id = f.move_id
              JOIN dg_move_kind k ON k.id = f.move_id AND k.code = 'internal'
        )
        UPDATE stock_picking p SET dg_pick = TRUE
         WHERE p.state = 'done' AND (
               (EXISTS (SELECT 1 FROM stock_picking_type t
                         WHERE t.id = p.picking_type_id AND t.code = 'outgoing')
                AND NOT EXISTS (SELECT 1 FROM stock_move m JOIN dg_fed f ON f.id = m.id
                                 WHERE m.picking_id = p.id))
            OR p.id IN (SELECT k.picking_id FROM forward f
                          JOIN dg_move_kind k ON k.id = f.start_id
                          JOIN dg_move_kind d ON d.id = f.move_id AND d.code = 'outgoing'))
        """
    )
    # picked on: the first internal steps chained back from a done delivery's moves
    cr.execute(
        """
        WITH RECURSIVE back(delivery_id, move_id) AS (
            SELECT d.picking_id, r.move_orig_id
              FROM dg_move_kind d
              JOIN stock_move_move_rel r ON r.move_dest_id = d.id
              JOIN dg_move_kind o ON o.id = r.move_orig_id AND o.code = 'internal'
             WHERE d.code = 'outgoing' AND d.state = 'done'
            UNION
            SELECT b.delivery_id, r.move_orig_id
              FROM back b
              JOIN stock_move_move_rel r ON r.move_dest_id = b.move_id
              JOIN dg_move_kind o ON o.id = r.move_orig_id AND o.code = 'internal'
        )
        UPDATE stock_picking p SET dg_picked_date = x.picked
          FROM (SELECT b.delivery_id, MAX(k.done_at) AS picked
                  FROM back b JOIN dg_move_kind k ON k.id = b.move_id
                 WHERE k.state = 'done' AND NOT EXISTS (SELECT 1 FROM dg_fed f WHERE f.id = k.id)
                 GROUP BY b.delivery_id) x
         WHERE p.id = x.delivery_id AND p.state = 'done'
        """
    )
    # in stock on: the receipt's date without put-away, else the last put-away once all done
    cr.execute(
        """UPDATE stock_picking p SET dg_stocked_date = p.date_done
             FROM stock_picking_type t
            WHERE t.id = p.picking_type_id AND t.code = 'incoming' AND p.state = 'done'"""
    )
    cr.execute(
        """
        WITH RECURSIVE chain(receipt_id, move_id) AS (
            SELECT k.picking_id, r.move_dest_id
              FROM dg_move_kind k
              JOIN stock_move_move_rel r ON r.move_orig_id = k.id
              JOIN dg_move_kind d ON d.id = r.move_dest_id AND d.code = 'internal'
             WHERE k.code = 'incoming' AND k.state = 'done'
            UNION
            SELECT c.receipt_id, r.move_dest_id
              FROM chain c
              JOIN stock_move_move_rel r ON r.move_orig_id = c.move_id
              JOIN dg_move_kind d ON d.id = r.move_dest_id AND d.code = 'internal'
        )
        UPDATE stock_picking p
           SET dg_stocked_date = CASE WHEN a.all_done THEN a.last END
          FROM (SELECT c.receipt_id, BOOL_AND(k.state = 'done') AS all_done,
                       MAX(k.done_at) AS last
                  FROM chain c JOIN dg_move_kind k ON k.id = c.move_id
                 GROUP BY c.receipt_id) a
         WHERE a.receipt_id = p.id AND p.state = 'done'
        """
    )
