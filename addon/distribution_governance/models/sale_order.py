from odoo import _, api, fields, models
from odoo.tools.float_utils import float_compare


class SaleOrder(models.Model):
    _inherit = "sale.order"

    dg_exception_ids = fields.One2many(
        "distribution.exception", "sale_order_id", string="Exceptions"
    )
    dg_open_exception_count = fields.Integer(
        "Open Exceptions", compute="_compute_dg_open_exception_count"
    )

    @api.depends("dg_exception_ids.state")
    def _compute_dg_open_exception_count(self):
        data = self.env["distribution.exception"]._read_group(
            [("sale_order_id", "in", self.ids), ("state", "in", ("new", "in_progress"))],
            ["sale_order_id"],
            ["__count"],
        )
        counts = {order.id: count for order, count in data}
        for order in self:
            order.dg_open_exception_count = counts.get(order.id, 0)

    def _dg_stockout_shortages(self):
        """(line, demanded, free) for storable lines the warehouse's free stock cannot cover.

        Read before confirmation, so the order's own reservations do not count against it; lines
        of one product share the free quantity in order.
        """
        shortages = []
        for order in self:
            remaining = {}
            for line in order.order_line.filtered(
                lambda l: l.product_id.is_storable and not l.display_type and l.product_uom_qty > 0
            ):
                product = line.product_id
                if product.id not in remaining:
                    remaining[product.id] = product.with_context(
                        warehouse_id=order.warehouse_id.id
                    ).free_qty
                demanded = line.product_uom._compute_quantity(
                    line.product_uom_qty, product.uom_id
                )
                free = remaining[product.id]
                if float_compare(demanded, free, precision_rounding=product.uom_id.rounding) > 0:
                    shortages.append((line, demanded, max(free, 0.0)))
                remaining[product.id] = free - demanded
        return shortages

    def _action_confirm(self):
        shortages = self._dg_stockout_shortages()
        res = super()._action_confirm()
        Exception_ = self.env["distribution.exception"]
        for line, demanded, free in shortages:
            order = line.order_id
            Exception_._raise_exception(
                "stockout",
                f"stockout:sale.order.line:{line.id}",
                {
                    "company_id": order.company_id.id,
                    "partner_id": order.partner_id.id,
                    "sale_order_id": order.id,
                    "product_id": line.product_id.id,
                    "quantity_expected": demanded,
                    "quantity_actual": free,
                    "quantity_missing": demanded - free,
                    "description": _(
                        "%(order)s needs %(qty)s %(uom)s of %(product)s; %(free)s free in %(wh)s.",
                        order=order.name,
                        qty=demanded,
                        uom=line.product_id.uom_id.name,
                        product=line.product_id.display_name,
                        free=free,
                        wh=order.warehouse_id.name,
                    ),
                },
            )
        return res

    def action_dg_open_exceptions(self):
        self.ensure_one()
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "distribution_governance.action_distribution_exception"
        )
        action["domain"] = [("sale_order_id", "=", self.id)]
        action["context"] = {"default_sale_order_id": self.id}
        return action
