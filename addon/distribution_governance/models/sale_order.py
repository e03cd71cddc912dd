from odoo import _, api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_column, create_index
from odoo.tools.float_utils import float_compare, float_round


class SaleOrder(models.Model):
    _name = "sale.order"
    _inherit = ["sale.order", "distribution.exception.document"]
    _dg_exception_field = "sale_order_id"

    dg_exception_ids = fields.One2many(
        "distribution.exception",
        "sale_order_id",
        string="Exceptions",
        groups="distribution_governance.group_exception_user",
    )

    def _dg_stockout_shortages(self):
        """(line, demanded, free) for storable lines the warehouse's free stock cannot cover.

        Read before confirmation, so the order's own reservations do not count against it; lines
        of one product share the free quantity in order.
        """
        lines_of = {
            order: order.order_line.filtered(
                lambda sol: sol.product_id.is_storable and not sol.display_type and sol.product_uom_qty > 0
            )
            for order in self
        }
        products_of = {}
        for order, lines in lines_of.items():
            products_of.setdefault(order.warehouse_id, self.env["product.product"])
            products_of[order.warehouse_id] |= lines.product_id
        free_of = {
            warehouse.id: self._dg_free_quantities(products, warehouse)
            for warehouse, products in products_of.items()
        }
        shortages = []
        for order, lines in lines_of.items():
            remaining = dict(free_of[order.warehouse_id.id])
            for line in lines:
                product = line.product_id
                demanded = line.product_uom._compute_quantity(
                    line.product_uom_qty, product.uom_id
                )
                free = remaining[product.id]
                if float_compare(demanded, free, precision_rounding=product.uom_id.rounding) > 0:
                    shortages.append((line, demanded, max(free, 0.0)))
                remaining[product.id] = free - demanded
        return shortages

    @api.model
    def _dg_free_quantities(self, products, warehouse):
        """{product id: free quantity in the warehouse}: the products' `free_qty` (on hand less
        reserved in the warehouse's locations), read in one query on the quants, without the
        incoming and outgoing moves `free_qty`'s compute reads along."""
        products = products.with_context(warehouse_id=warehouse.id)
        if not products:
            return {}
        if any(self.env.context.get(key) for key in ("lot_id", "owner_id", "package_id", "to_date")):
            # stock at a date, of a lot, owner or package: Odoo's own figure
            return {product.id: product.free_qty for product in products}
        domain = [("product_id", "in", products.ids)] + products._get_domain_locations()[0]
        quants = self.env["stock.quant"].with_context(active_test=False)._read_group(
            domain, ["product_id"], ["quantity:sum", "reserved_quantity:sum"]
        )
        on_hand = {product.id: (quantity, reserved) for product, quantity, reserved in quants}
        free = {}
        for product in products:
            quantity, reserved = on_hand.get(product.id, (0.0, 0.0))
            free[product.id] = float_round(
                quantity - reserved, precision_rounding=product.uom_id.rounding
            )
        return free

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

    def _action_cancel(self):
        res = super()._action_cancel()
        # what was missing for a cancelled order is missing for nobody
        cancelled = self.filtered(lambda o: o.state == "cancel")
        if cancelled:
            self.env["distribution.exception"]._auto_close(
                [
                    ("sale_order_id", "in", cancelled.ids),
                    ("type_code", "in", ("stockout", "short_pick")),
                ],
                "cancelled_document",
                _("The order was cancelled."),
            )
        return res


class SaleOrderLine(models.Model):
    _inherit = "sale.order.line"

    dg_invoice_discrepancy = fields.Boolean(
        "Invoice Discrepancy",
        compute="_compute_dg_invoice_discrepancy",
        store=True,
        help="Goods delivered and invoiced in different quantities (delivered-not-invoiced or "
        "invoiced-not-delivered): counted by the warehouse KPI dashboard.",
    )

    @api.depends("qty_delivered", "qty_invoiced", "display_type", "product_id.type")
    def _compute_dg_invoice_discrepancy(self):
        digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
        for line in self:
            line.dg_invoice_discrepancy = bool(
                not line.display_type
                and line.product_id.type == "consu"
                and float_compare(line.qty_delivered, line.qty_invoiced, precision_digits=digits)
            )

    def _auto_init(self):
        # fill the new column in one UPDATE rather than computing every existing line in Python
        cr = self.env.cr
        if not column_exists(cr, self._table, "dg_invoice_discrepancy"):
            create_column(cr, self._table, "dg_invoice_discrepancy", "boolean")
            digits = self.env["decimal.precision"].precision_get("Product Unit of Measure")
            cr.execute(
                SQL(
                    """UPDATE sale_order_line sol SET dg_invoice_discrepancy = TRUE
                         FROM product_product pp
                         JOIN product_template tmpl ON tmpl.id = pp.product_tmpl_id
                        WHERE pp.id = sol.product_id
                          AND sol.display_type IS NULL
                          AND tmpl.type = 'consu'
                          AND ROUND(sol.qty_delivered::numeric, %s)
                              != ROUND(sol.qty_invoiced::numeric, %s)""",
                    digits,
                    digits,
                )
            )
        result = super()._auto_init()
        create_index(
            cr,
            "sale_order_line_dg_invoice_discrepancy_idx",
            self._table,
            ["order_id"],
            where="dg_invoice_discrepancy",
        )
        return result
