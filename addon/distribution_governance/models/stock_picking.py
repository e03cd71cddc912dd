from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.tools.float_utils import float_compare
from odoo.tools.sql import column_exists, create_index

from .credit_hold import refuse_engine_fields


def _late_raised_message(model):
    return lambda: model.env._("The late-shipment check sets %s: it cannot be set.")


class StockPicking(models.Model):
    _name = "stock.picking"
    _inherit = ["stock.picking", "distribution.exception.document"]
    _dg_exception_field = "picking_id"

    dg_exception_ids = fields.One2many(
        "distribution.exception",
        "picking_id",
        string="Exceptions",
        groups="distribution_governance.group_exception_user",
    )

    dg_late_raised = fields.Boolean(
        "Late-Shipment Exception Raised",
        readonly=True,
        copy=False,
        help="Set by the late-shipment check when it opens an exception for the transfer: its "
        "validation then closes it (a transfer never found late has none to look up).",
    )

    def _auto_init(self):
        # a plain column, added by the ORM: marked once, when the upgrade adds it
        cr = self.env.cr
        new = not column_exists(cr, self._table, "dg_late_raised")
        result = super()._auto_init()
        if new:
            cr.execute(
                """UPDATE stock_picking SET dg_late_raised = TRUE
                    WHERE id IN (SELECT picking_id FROM distribution_exception
                                  WHERE type_code = 'late_shipment' AND picking_id IS NOT NULL)"""
            )
        return result

    def init(self):
        super().init()
        # the warehouse KPIs read transfers done in a period: keep that a range scan
        create_index(
            self.env.cr,
            "stock_picking_dg_date_done_idx",
            self._table,
            ["date_done"],
            where="state = 'done'",
        )

    def _dg_blocking_exceptions(self):
        # few types, and by default none blocks: no search of the exceptions then
        blocking_types = self.env["distribution.exception.type"]._dg_delivery_blocking_ids()
        if not blocking_types:
            return self.env["distribution.exception"].sudo()
        return self.env["distribution.exception"].sudo().search(
            [
                ("state", "in", ("new", "in_progress")),
                ("type_id", "in", list(blocking_types)),
                "|",
                ("picking_id", "in", self.ids),
                ("sale_order_id", "in", self.sale_id.ids),
            ]
        )

    def _dg_sale_orders(self):
        """The sale orders a transfer ships, however it is linked to them: its order, its
        moves' sale lines, its procurement group."""
        pickings = self.sudo()
        return pickings.sale_id | pickings.move_ids.sale_line_id.order_id | pickings.group_id.sale_id

    def _dg_check_not_blocked(self):
        outgoing = self.filtered(lambda p: p.picking_type_code == "outgoing")
        if not outgoing:
            return
        outgoing._dg_sale_orders()._dg_check_can_ship()
        blocking = outgoing._dg_blocking_exceptions()
        if blocking:
            raise UserError(
                _(
                    "This delivery cannot be validated while these exceptions are open: %s",
                    ", ".join(f"{e.name} ({e.type_id.name})" for e in blocking),
                )
            )

    @api.model_create_multi
    def create(self, vals_list):
        refuse_engine_fields(self, vals_list, {"dg_late_raised"}, _late_raised_message(self))
        return super().create(vals_list)

    def write(self, vals):
        # cleared, a late delivery would ship with its late-shipment exception left open
        refuse_engine_fields(self, [vals], {"dg_late_raised"}, _late_raised_message(self))
        # cutting a delivery's link to its held order would let it ship unseen
        if not self.env.su and {"sale_id", "group_id"} & set(vals):
            self._dg_sale_orders()._dg_check_links_kept()
        return super().write(vals)

    def button_validate(self):
        self._dg_check_not_blocked()
        # checked just now: their _action_done within this call need not search again (a
        # backorder or any other transfer done along is checked there; set here only, never
        # from a context a caller could pass)
        checked = self.env.cr.cache.setdefault("dg_validating", set())
        ids = set(self.ids) - checked
        checked.update(ids)
        try:
            return super().button_validate()
        finally:
            checked.difference_update(ids)

    def _dg_demand_snapshot(self):
        """{picking: [(product, demand, picked)]} of outgoing pickings, in product units."""
        snapshot = {}
        for picking in self.filtered(lambda p: p.picking_type_code == "outgoing" and not p.return_id):
            rows = []
            for move in picking.move_ids.filtered(lambda m: m.state not in ("done", "cancel")):
                uom = move.product_id.uom_id
                demand = move.product_uom._compute_quantity(move.product_uom_qty, uom)
                picked = move.product_uom._compute_quantity(move.quantity, uom)
                rows.append((move.product_id, demand, picked))
            snapshot[picking] = rows
        return snapshot

    def _action_done(self):
        # Deliveries can be validated by many paths (button, backorder wizard, RPC,
        # automation): all end here, so the block and the short-pick detection live here too.
        checked = self.env.cr.cache.get("dg_validating", ())
        self.filtered(lambda p: p.id not in checked)._dg_check_not_blocked()
        snapshot = self._dg_demand_snapshot()
        res = super()._action_done()
        Exception_ = self.env["distribution.exception"]
        for picking, rows in snapshot.items():
            if picking.state != "done":
                continue
            for product, demand, picked in rows:
                if float_compare(picked, demand, precision_rounding=product.uom_id.rounding) >= 0:
                    continue
                backorder = picking.backorder_ids.filtered(lambda p: p.state != "cancel")
                Exception_._raise_exception(
                    "short_pick",
                    f"short_pick:stock.picking:{picking.id}:product:{product.id}",
                    {
                        "company_id": picking.company_id.id,
                        "partner_id": picking.partner_id.id,
                        "sale_order_id": picking.sale_id.id,
                        "picking_id": picking.id,
                        "product_id": product.id,
                        "quantity_expected": demand,
                        "quantity_actual": picked,
                        "quantity_missing": demand - picked,
                        "description": _(
                            "%(picking)s shipped %(picked)s of %(demand)s %(uom)s of %(product)s; %(rest)s",
                            picking=picking.name,
                            picked=picked,
                            demand=demand,
                            uom=product.uom_id.name,
                            product=product.display_name,
                            rest=_("the rest is in backorder %s.", backorder[:1].name)
                            if backorder
                            else _("no backorder was created."),
                        ),
                    },
                )
        for picking in self.filtered(
            lambda p: p.state == "done" and p.return_id and p.picking_type_code == "incoming"
        ):
            for move in picking.move_ids.filtered(lambda m: m.state == "done"):
                Exception_._raise_exception(
                    "return",
                    f"return:stock.move:{move.id}",
                    {
                        "company_id": picking.company_id.id,
                        "partner_id": picking.partner_id.id,
                        "sale_order_id": picking.sale_id.id or picking.return_id.sale_id.id,
                        "picking_id": picking.id,
                        "product_id": move.product_id.id,
                        "quantity_actual": move.quantity,
                        "description": _(
                            "%(qty)s %(uom)s of %(product)s returned by %(partner)s (%(picking)s): "
                            "inspect, then restock or scrap.",
                            qty=move.quantity,
                            uom=move.product_uom.name,
                            product=move.product_id.display_name,
                            partner=picking.partner_id.display_name or "-",
                            picking=picking.name,
                        ),
                    },
                )
        # A late delivery that ships closes its late-shipment exception (a delivery never
        # found late has none: not looked up at each validation).
        done = self.filtered(lambda p: p.state == "done" and p.dg_late_raised)
        if done:
            Exception_._auto_resolve(
                [f"late_shipment:stock.picking:{p.id}" for p in done],
                "shipped",
                _("The delivery was validated."),
            )
        return res

    def action_cancel(self):
        res = super().action_cancel()
        cancelled = self.filtered(lambda p: p.state == "cancel")
        Exception_ = self.env["distribution.exception"]
        Exception_._auto_resolve(
            [f"late_shipment:stock.picking:{p.id}" for p in cancelled],
            "cancelled_delivery",
            _("The delivery was cancelled."),
        )
        if cancelled:
            Exception_._auto_close(
                [
                    ("picking_id", "in", cancelled.ids),
                    ("type_code", "in", ("stockout", "short_pick")),
                ],
                "cancelled_document",
                _("The delivery was cancelled."),
            )
            cancelled._dg_close_remainders()
        return res

    def _dg_close_remainders(self):
        """These backorders are cancelled: the short picks of the deliveries they were the
        remainder of are settled for each product nothing more is to ship of."""
        for origin in self.sudo().backorder_id:
            still_to_ship = origin.backorder_ids.filtered(
                lambda p: p.state not in ("done", "cancel")
            ).move_ids.filtered(lambda m: m.state not in ("done", "cancel")).product_id
            self.env["distribution.exception"]._auto_close(
                [
                    ("picking_id", "=", origin.id),
                    ("type_code", "=", "short_pick"),
                    ("product_id", "not in", still_to_ship.ids),
                ],
                "cancel_remainder",
                _("The rest of the delivery (%s) was cancelled.", ", ".join(
                    self.filtered(lambda p: p.backorder_id == origin).mapped("name")
                )),
            )

    @api.model
    def _dg_cron_detect_late_shipments(self):
        """Open a late-shipment exception for each outgoing delivery past its commitment date
        (the deadline when set, else the scheduled date)."""
        now = fields.Datetime.now()
        late = self.search(
            [
                ("picking_type_code", "=", "outgoing"),
                ("state", "not in", ("done", "cancel", "draft")),
                "|",
                ("date_deadline", "<", now),
                "&",
                ("date_deadline", "=", False),
                ("scheduled_date", "<", now),
            ]
        )
        Exception_ = self.env["distribution.exception"]
        late.filtered(lambda p: not p.dg_late_raised).sudo().write({"dg_late_raised": True})
        for picking in late:
            promised = picking.date_deadline or picking.scheduled_date
            Exception_._raise_exception(
                "late_shipment",
                f"late_shipment:stock.picking:{picking.id}",
                {
                    "company_id": picking.company_id.id,
                    "partner_id": picking.partner_id.id,
                    "sale_order_id": picking.sale_id.id,
                    "picking_id": picking.id,
                    "detected_at": promised,
                    "description": _(
                        "%(picking)s was due %(date)s and is not shipped.",
                        picking=picking.name,
                        date=picking.company_id._dg_format_datetime(promised),
                    ),
                },
            )
        return late


class StockMove(models.Model):
    _inherit = "stock.move"

    def write(self, vals):
        if not self.env.su and {"sale_line_id", "group_id"} & set(vals):
            self.sudo().sale_line_id.order_id._dg_check_links_kept()
        return super().write(vals)

    def _action_done(self, cancel_backorder=False):
        # every way goods leave for a customer ends here, picking or not
        shipped = self.sudo().filtered(
            lambda m: m.sale_line_id and m.location_dest_id.usage == "customer"
        )
        shipped.sale_line_id.order_id._dg_check_can_ship()
        return super()._action_done(cancel_backorder=cancel_backorder)


class ProcurementGroup(models.Model):
    _inherit = "procurement.group"

    def write(self, vals):
        if not self.env.su and "sale_id" in vals:
            self.sudo().sale_id._dg_check_links_kept()
        return super().write(vals)
