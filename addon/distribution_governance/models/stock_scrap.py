from odoo import _, models


class StockScrap(models.Model):
    _inherit = "stock.scrap"

    def do_scrap(self):
        res = super().do_scrap()
        if self.env.context.get("dg_no_damage_exception"):
            # a scrap made by a playbook (failed return inspection) is the resolution itself
            return res
        Exception_ = self.env["distribution.exception"]
        for scrap in self:
            picking = scrap.picking_id
            Exception_._raise_exception(
                "damaged_goods",
                f"damaged_goods:stock.scrap:{scrap.id}",
                {
                    "company_id": scrap.company_id.id,
                    "partner_id": picking.partner_id.id,
                    "sale_order_id": picking.sale_id.id,
                    "picking_id": picking.id,
                    "product_id": scrap.product_id.id,
                    "scrap_id": scrap.id,
                    "quantity_actual": scrap.scrap_qty,
                    "quantity_missing": scrap.scrap_qty,
                    "description": _(
                        "%(qty)s %(uom)s of %(product)s scrapped (%(scrap)s) from %(location)s.",
                        qty=scrap.scrap_qty,
                        uom=scrap.product_uom_id.name,
                        product=scrap.product_id.display_name,
                        scrap=scrap.name,
                        location=scrap.location_id.display_name,
                    ),
                },
            )
        return res
