from datetime import timedelta

from odoo import fields
from odoo.tests import TransactionCase, new_test_user


def days_ago(days):
    return fields.Datetime.now() - timedelta(days=days)


def make_outgoing_picking(env, company, partner, product, scheduled_date, qty=1.0):
    """A confirmed delivery from the company's main warehouse to the customer."""
    picking_type = env["stock.warehouse"].search([("company_id", "=", company.id)], limit=1).out_type_id
    src = picking_type.default_location_src_id
    dest = env.ref("stock.stock_location_customers")
    picking = env["stock.picking"].create(
        {
            "partner_id": partner.id,
            "picking_type_id": picking_type.id,
            "location_id": src.id,
            "location_dest_id": dest.id,
            "scheduled_date": scheduled_date,
            "company_id": company.id,
            "move_ids": [
                (
                    0,
                    0,
                    {
                        "name": product.name,
                        "product_id": product.id,
                        "product_uom_qty": qty,
                        "product_uom": product.uom_id.id,
                        "location_id": src.id,
                        "location_dest_id": dest.id,
                        "company_id": company.id,
                    },
                )
            ],
        }
    )
    picking.action_confirm()
    return picking


class GovernanceCase(TransactionCase):
    """Shared fixtures: a second company, role users, a storable product and a customer."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company = cls.env.company
        cls.company_b = cls.env["res.company"].create({"name": "DG Second Distributor"})
        cls.warehouse = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company.id)], limit=1
        )
        cls.customer = cls.env["res.partner"].create({"name": "DG Customer"})
        cls.product = cls.env["product.product"].create(
            {"name": "DG Pallet Wrap", "is_storable": True, "list_price": 20.0}
        )
        cls.warehouse_user = new_test_user(
            cls.env, login="dg_wh_user", groups="stock.group_stock_user"
        )
        cls.warehouse_manager = new_test_user(
            cls.env, login="dg_wh_manager", groups="stock.group_stock_manager"
        )

    @classmethod
    def create_outgoing_picking(cls, company, scheduled_date, qty=1.0):
        return make_outgoing_picking(
            cls.env, company, cls.customer, cls.product, scheduled_date, qty
        )

