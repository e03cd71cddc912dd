from datetime import timedelta

from odoo import Command, api, fields
from odoo.service.model import get_public_method
from odoo.tests import Form, TransactionCase, new_test_user


def days_ago(days):
    return fields.Datetime.now() - timedelta(days=days)


def call_rpc(env, model, method, *args, **kwargs):
    """Call `method` as Odoo's RPC dispatcher does (execute_kw without its own cursor): private
    methods are refused, record methods get their ids as first argument, the context is only
    what the caller sends (`context=` keyword), as from a client."""
    records = env[model]
    get_public_method(records, method)
    return api.call_kw(records, method, list(args), kwargs)


def flag_domain(card):
    """The domain the dashboard opens for a KPI card's flagged records ("late"): the card's,
    narrowed by the flag's (static-src/dashboard/kpi_logic.ts does the same)."""
    return card["domain"] + card["flag"]["domain"]


def subject_domain(result, key, subject_id):
    """The domain a per-operator or per-vendor cell opens: its card's, for that subject."""
    card = next(card for card in result["kpis"] if card["key"] == key)
    return card["domain"] + [(result["subject_fields"][key], "=", subject_id)]


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
            "date_deadline": scheduled_date,
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


class FlowCase(GovernanceCase):
    """Real Odoo flows (sales, deliveries, scraps, returns) for the exception tests."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stock_location = cls.warehouse.lot_stock_id
        cls.vendor = cls.env["res.partner"].create({"name": "DG Vendor"})
        cls.product.write(
            {"seller_ids": [(0, 0, {"partner_id": cls.vendor.id, "price": 8.0, "min_qty": 1})]}
        )
        cls.exception_user = new_test_user(
            cls.env, login="dg_exc_user", groups="stock.group_stock_user"
        )

    @classmethod
    def set_stock(cls, product, qty, location=None):
        cls.env["stock.quant"]._update_available_quantity(
            product, location or cls.stock_location, qty
        )

    @classmethod
    def sell(cls, product, qty, confirm=True):
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "warehouse_id": cls.warehouse.id,
                "order_line": [(0, 0, {"product_id": product.id, "product_uom_qty": qty})],
            }
        )
        if confirm:
            order.action_confirm()
        return order

    @staticmethod
    def ship(picking, qty, backorder=True):
        """Validate `picking` with `qty` picked; answers the backorder wizard when it asks."""
        picking.action_assign()
        picking.move_ids.write({"quantity": qty, "picked": True})
        result = picking.button_validate()
        if isinstance(result, dict) and result.get("res_model") == "stock.backorder.confirmation":
            wizard = Form.from_action(picking.env, result).save()
            if backorder:
                wizard.process()
            else:
                wizard.process_cancel_backorder()
        return picking

    def exceptions(self, **criteria):
        domain = [(key, "=", value) for key, value in criteria.items()]
        return self.env["distribution.exception"].search(domain)

    def resolution(self, type_code, code):
        return self.env["distribution.exception.resolution"].search(
            [("type_id.code", "=", type_code), ("code", "=", code)]
        )


class CreditCase(FlowCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "account_use_credit_limit": True,
                "dg_credit_hold_active": True,
                "dg_credit_hold_point": "confirmation",
                "dg_overdue_days": 30,
                "dg_approval_validity_hours": 48,
            }
        )
        cls.customer.with_company(cls.company).credit_limit = 1000.0
        cls.tax = cls.env["account.tax"].create(
            {"name": "DG VAT 10%", "amount": 10, "amount_type": "percent", "company_id": cls.company.id}
        )
        cls.item = cls.env["product.product"].create(
            {
                "name": "DG Carton",
                "type": "consu",
                "list_price": 100.0,
                "taxes_id": [Command.set([])],
                "invoice_policy": "order",
            }
        )
        cls.rep = new_test_user(cls.env, login="dg_rep_c", groups="sales_team.group_sale_salesman")
        cls.sales_manager = new_test_user(
            cls.env, login="dg_sales_mgr", groups="sales_team.group_sale_manager"
        )
        # a stock manager who sells too, but may only read their own orders, approves others'
        cls.approver = cls.warehouse_manager
        cls.approver.groups_id |= cls.env.ref("sales_team.group_sale_salesman")
        cls.finance = new_test_user(
            cls.env,
            login="dg_finance_c",
            groups="account.group_account_manager,sales_team.group_sale_salesman_all_leads",
        )
        cls.admin = new_test_user(
            cls.env,
            login="dg_admin_c",
            groups="base.group_system,sales_team.group_sale_manager,stock.group_stock_manager",
        )

    @classmethod
    def order(cls, qty, user=None, price=None, taxed=False, partner=None):
        Order = cls.env["sale.order"].with_user(user or cls.rep)
        line = {"product_id": cls.item.id, "product_uom_qty": qty}
        if price is not None:
            line["price_unit"] = price
        if taxed:
            line["tax_id"] = [Command.set(cls.tax.ids)]
        return Order.create(
            {"partner_id": (partner or cls.customer).id, "order_line": [Command.create(line)]}
        )

    @classmethod
    def invoice(cls, amount, days_due=10, refund=False, post=True, company=None):
        move = cls.env["account.move"].with_company(company or cls.company).create(
            {
                "move_type": "out_refund" if refund else "out_invoice",
                "partner_id": cls.customer.id,
                "invoice_date": fields.Date.today() - timedelta(days=60),
                "invoice_date_due": fields.Date.today() + timedelta(days=days_due),
                "invoice_line_ids": [
                    Command.create(
                        {
                            "product_id": cls.item.id,
                            "quantity": 1,
                            "price_unit": amount,
                            "tax_ids": [Command.set([])],
                        }
                    )
                ],
            }
        )
        if post:
            move.action_post()
            terms = move.line_ids.filtered(lambda line: line.display_type == "payment_term")
            terms.date_maturity = (
                fields.Date.today() + timedelta(days=days_due)
            )
        return move

    def request_of(self, order):
        return order.dg_approval_request_ids.filtered(lambda r: r.state == "pending")

    def log(self, order, event):
        return self.env["distribution.audit.log"].search(
            [("sale_order_id", "=", order.id), ("event", "=", event)]
        )
