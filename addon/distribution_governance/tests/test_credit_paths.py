"""Issue 11: the credit hold cannot be walked around.

Each class of hole is tried as the user who would try it: a sales rep limited to his own
documents, a second rep, a warehouse user (Odoo gives stock users write on sales orders), an
approver who also sells, finance, a portal customer. A refusal is asserted with the database
unchanged; an allowed path with the order held and its request filed.
"""

from contextlib import contextmanager
from datetime import timedelta

import psycopg2
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged
from odoo.tools import mute_logger

from .common import CreditCase, call_rpc

REFUSED = (AccessError, UserError)


@contextmanager
def rolled_back(cr):
    savepoint = cr.savepoint()
    try:
        yield
    finally:
        savepoint.close(rollback=True)


class CreditPathsCase(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep_2 = new_test_user(cls.env, login="dg_rep_2c", groups="sales_team.group_sale_salesman")
        cls.warehouse_user.groups_id |= cls.env.ref("base.group_user")
        cls.portal = new_test_user(cls.env, login="dg_portal_c", groups="base.group_portal")
        cls.customer_2 = cls.env["res.partner"].create({"name": "DG Customer Two"})
        cls.customer_2.with_company(cls.company).credit_limit = 1000.0
        cls.by_delivery = cls.env["product.product"].create(
            {
                "name": "DG Drum (invoiced on delivery)",
                "type": "consu",
                "is_storable": True,
                "list_price": 100.0,
                "taxes_id": [Command.set([])],
                "invoice_policy": "delivery",
            }
        )

    def sell(self, qty, product=None, user=None, partner=None, confirm=True):
        order = self.env["sale.order"].with_user(user or self.rep).create(
            {
                "partner_id": (partner or self.customer).id,
                "order_line": [
                    Command.create({"product_id": (product or self.item).id, "product_uom_qty": qty})
                ],
            }
        )
        if confirm:
            order.action_confirm()
        return order.with_env(self.env)

    def held(self, qty=11, **kwargs):
        order = self.sell(qty, **kwargs)
        self.assertEqual((order.state, order.dg_credit_hold), ("draft", "on_hold"))
        return order

    def released(self, qty=11, approver=None, **kwargs):
        order = self.held(qty, **kwargs)
        self.request_of(order).with_user(approver or self.approver).action_approve("ok")
        self.assertEqual((order.state, order.dg_credit_hold), ("sale", "released"))
        return order

    def hold_at_delivery(self):
        self.company.dg_credit_hold_point = "delivery"

    def unheld_confirmed(self, domain=()):
        """Orders of the customers confirmed with no hold standing and no approval covering
        them: what a walk-around would leave behind."""
        orders = self.env["sale.order"].search(
            [("partner_id", "in", (self.customer | self.customer_2).ids), ("state", "=", "sale"), *domain]
        )
        return orders.filtered(
            lambda o: o.dg_credit_hold not in ("on_hold", "rejected") and not o._dg_valid_approval()
            and o._dg_hold_reason()[0]
        )

    def log(self, order, event):
        return self.env["distribution.audit.log"].search(
            [("sale_order_id", "=", order.id), ("event", "=", event)]
        )


@tagged("post_install", "-at_install")
class TestExposureCountsOpenOrders(CreditPathsCase):
    """Class 1: every confirmed order counts until invoiced, whatever its invoicing policy."""

    def test_orders_invoiced_on_delivery_count_until_invoiced(self):
        first = self.sell(6, product=self.by_delivery)
        self.assertEqual((first.state, first.dg_credit_hold), ("sale", "none"))
        self.assertEqual(first.amount_to_invoice, 0.0)  # Odoo's figure: nothing delivered yet
        second = self.sell(6, product=self.by_delivery, confirm=False)
        second.with_user(self.rep).action_confirm()
        self.assertEqual((second.state, second.dg_credit_hold), ("draft", "on_hold"))
        request = self.request_of(second)
        self.assertAlmostEqual(request.exposure_uninvoiced, 600)
        self.assertAlmostEqual(request.exposure_this_order, 600)
        self.assertAlmostEqual(request.exposure_total, 1200)
        # the panel of the confirmed order shows it, not "This order $0.00"
        panel = self.env["distribution.approval.request"].with_user(self.rep).get_panel_data(
            "sale.order", first.id
        )
        self.assertAlmostEqual(panel["exposure"]["this_order"], 600)
        self.assertAlmostEqual(panel["exposure"]["uninvoiced"], 0)
        self.assertAlmostEqual(panel["exposure"]["total"], 600)

    def test_splitting_an_order_holds_the_one_that_crosses_the_limit(self):
        orders = [self.sell(3, product=self.by_delivery) for __ in range(4)]
        self.assertEqual([o.state for o in orders], ["sale", "sale", "sale", "draft"])
        self.assertEqual(orders[3].dg_credit_hold, "on_hold")
        self.assertFalse(self.unheld_confirmed())

    def test_raising_an_approved_undelivered_order_holds_it_again(self):
        self.set_stock(self.by_delivery, 200)
        order = self.released(11, product=self.by_delivery)
        order.with_user(self.rep).write(
            {"order_line": [Command.update(order.order_line.id, {"product_uom_qty": 110})]}
        )
        self.assertEqual((order.state, order.dg_credit_hold), ("sale", "on_hold"))
        self.assertEqual(self.request_of(order).order_amount, 11000)
        self.assertEqual(len(self.log(order, "void")), 1)
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.write({"quantity": 110, "picked": True})
        with self.assertRaisesRegex(UserError, "credit hold"):
            picking.with_user(self.warehouse_user).button_validate()
        self.assertNotEqual(picking.state, "done")

    def test_exposure_equals_an_independent_computation(self):
        """Receivables less credit notes, plus each confirmed order at its ordered quantity
        less what posted invoices cover (tax included, converted), less down payments."""
        self.customer.with_company(self.company).credit_limit = 1000000
        self.invoice(300)
        self.invoice(50, refund=True)
        partly = self.sell(10, product=self.by_delivery)  # 1,000
        self.set_stock(self.by_delivery, 100)
        self.ship(partly.picking_ids, 4)
        partly._create_invoices().action_post()  # 4 of 10 invoiced
        drafted = self.sell(5)  # 500, invoiced in draft only: still uninvoiced
        drafted._create_invoices()
        taxed = self.env["sale.order"].with_user(self.rep).create(
            {
                "partner_id": self.customer.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.item.id,
                            "product_uom_qty": 2,
                            "tax_id": [Command.set(self.tax.ids)],
                        }
                    )
                ],
            }
        )
        taxed.action_confirm()  # 220 tax included
        with_down_payment = self.sell(8)  # 800, 200 paid up front on a posted invoice
        wizard = self.env["sale.advance.payment.inv"].with_context(
            active_model="sale.order", active_ids=with_down_payment.ids
        ).create({"advance_payment_method": "fixed", "fixed_amount": 200})
        wizard.create_invoices()
        with_down_payment.invoice_ids.action_post()
        eur = self.env.ref("base.EUR")
        eur.active = True
        self.env["res.currency.rate"].create(
            {"currency_id": eur.id, "rate": 0.5, "name": fields.Date.today(), "company_id": self.company.id}
        )
        pricelist = self.env["product.pricelist"].create({"name": "DG EUR", "currency_id": eur.id})
        in_eur = self.env["sale.order"].create(
            {
                "partner_id": self.customer.id,
                "pricelist_id": pricelist.id,
                "order_line": [
                    Command.create({"product_id": self.item.id, "product_uom_qty": 1, "price_unit": 50})
                ],
            }
        )
        in_eur.action_confirm()
        at_hand = self.sell(3, confirm=False)

        exposure = self.env["res.partner"]._dg_credit_exposure(self.customer, self.company, at_hand)

        receivables = sum(
            self.env["account.move"].search(
                [("partner_id", "=", self.customer.id), ("state", "=", "posted"),
                 ("move_type", "in", ("out_invoice", "out_refund"))]
            ).mapped("amount_residual_signed")
        )
        currency = self.company.currency_id
        uninvoiced = 0.0
        for order in self.env["sale.order"].search(
            [("partner_id", "=", self.customer.id), ("state", "=", "sale")]
        ):
            amount = 0.0
            for line in order.order_line:
                if line.is_downpayment:
                    amount -= sum(
                        il.price_total * (-1 if il.move_id.move_type == "out_refund" else 1)
                        for il in line.invoice_lines
                        if il.move_id.state == "posted"
                    )
                elif line.product_uom_qty:
                    left = max(line.product_uom_qty - line.qty_invoiced_posted, 0)
                    amount += line.price_total * left / line.product_uom_qty
            uninvoiced += order.currency_id._convert(
                max(amount, 0), currency, self.company, fields.Date.today()
            )
        self.assertAlmostEqual(receivables, 300 - 50 + 400 + 200, places=2)
        self.assertAlmostEqual(uninvoiced, 600 + 500 + 220 + 600 + 100, places=2)
        self.assertAlmostEqual(exposure["receivables"], receivables, places=2)
        self.assertAlmostEqual(exposure["uninvoiced"], uninvoiced, places=2)
        self.assertAlmostEqual(exposure["this_order"], 300, places=2)
        self.assertAlmostEqual(exposure["total"], receivables + uninvoiced + 300, places=2)


@tagged("post_install", "-at_install")
class TestEveryPathToConfirmed(CreditPathsCase):
    """Class 2: every way an order becomes confirmed, or grows while confirmed, meets the one
    hold decision."""

    def assert_refused_or_held(self, name, attempt, orders_before=None):
        """The path either is refused with nothing changed, or leaves the order held with its
        request filed; never an order confirmed over the limit without approval."""
        Order = self.env["sale.order"]
        before = Order.search_read(
            [("partner_id", "in", (self.customer | self.customer_2).ids)], ["state", "dg_credit_hold"]
        )
        try:
            with self.env.cr.savepoint():
                result = attempt()
        except REFUSED:
            self.env.invalidate_all()
            after = Order.search_read(
                [("partner_id", "in", (self.customer | self.customer_2).ids)], ["state", "dg_credit_hold"]
            )
            self.assertEqual(after, before, f"{name}: refused, yet orders changed")
            return "refused"
        self.env.invalidate_all()
        self.assertFalse(self.unheld_confirmed(), f"{name}: an order got confirmed over the limit")
        return result

    def test_paths_to_a_confirmed_order(self):
        rep = self.rep
        Order = self.env["sale.order"].with_user(rep)
        line = {"product_id": self.item.id, "product_uom_qty": 11}

        def quotation(state="draft"):
            order = self.sell(11, confirm=False)
            if state != "draft":
                order.sudo().write({"state": state})
            return order

        def cancelled_held():
            order = self.held()
            order.with_user(rep)._action_cancel()
            return order

        paths = {
            "action_confirm": lambda: call_rpc(
                self.env(user=rep), "sale.order", "action_confirm", quotation().ids
            ),
            "write state from draft": lambda: call_rpc(
                self.env(user=rep), "sale.order", "write", quotation().ids, {"state": "sale"}
            ),
            "write state from sent": lambda: call_rpc(
                self.env(user=rep), "sale.order", "write", quotation("sent").ids, {"state": "sale"}
            ),
            "write state on the held quotation, cancelled": lambda: call_rpc(
                self.env(user=rep), "sale.order", "write", cancelled_held().ids, {"state": "sale"}
            ),
            "write state with another customer at once": lambda: call_rpc(
                self.env(user=rep), "sale.order", "write", self.held().ids,
                {"state": "sale", "partner_id": self.customer_2.id},
            ),
            "back to quotation and confirm again": lambda: (
                lambda o: (o.with_user(rep).action_draft(), o.with_user(rep).action_confirm())
            )(cancelled_held()),
            "create confirmed": lambda: call_rpc(
                self.env(user=rep), "sale.order", "create",
                {"partner_id": self.customer.id, "state": "sale", "order_line": [Command.create(line)]},
            ),
            "create with default_state in the context": lambda: call_rpc(
                self.env(user=rep), "sale.order", "create",
                {"partner_id": self.customer.id, "order_line": [Command.create(line)]},
                context={"default_state": "sale"},
            ),
            "copy with a confirmed state": lambda: call_rpc(
                self.env(user=rep), "sale.order", "copy", self.held().ids, {"state": "sale"}
            ),
            "import (load) a confirmed order": lambda: Order.load(
                ["partner_id/.id", "state", "order_line/product_id/.id", "order_line/product_uom_qty"],
                [[str(self.customer.id), "sale", str(self.item.id), "11"]],
            ),
        }
        outcomes = {name: self.assert_refused_or_held(name, attempt) for name, attempt in paths.items()}
        # action_confirm holds and files a request; the direct writes and creates are refused
        self.assertNotEqual(outcomes["action_confirm"], "refused")
        for name in ("write state from draft", "write state from sent",
                     "write state on the held quotation, cancelled", "create confirmed",
                     "create with default_state in the context", "copy with a confirmed state",
                     "write state with another customer at once"):
            self.assertEqual(outcomes[name], "refused", name)
        loaded = outcomes["import (load) a confirmed order"]
        self.assertFalse(loaded["ids"])
        self.assertIn("credit hold", loaded["messages"][0]["message"])

    def test_a_batch_of_one_customers_orders(self):
        """Each within the limit alone (600 of 1,000), over it together: confirmed in one call,
        the second is held; written confirmed in one call, refused."""
        first, second = self.sell(6, confirm=False), self.sell(6, confirm=False)
        call_rpc(self.env(user=self.rep), "sale.order", "action_confirm", (first | second).ids)
        self.assertEqual(
            [(o.state, o.dg_credit_hold) for o in first | second],
            [("sale", "none"), ("draft", "on_hold")],
        )
        third, fourth = self.sell(3, confirm=False, partner=self.customer_2), self.sell(
            8, confirm=False, partner=self.customer_2
        )
        with self.assertRaisesRegex(UserError, "credit hold"):
            call_rpc(self.env(user=self.rep), "sale.order", "write", (third | fourth).ids, {"state": "sale"})

    def test_paths_that_grow_a_confirmed_order(self):
        """A confirmed order within the limit (900), then each way of growing it past the limit
        or giving it to another debtor, as the rep who sells it."""
        self.invoice(200, company=self.company)  # the customer owes 200 already: 1,100 > 1,000
        self.customer_2.with_company(self.company).credit_limit = 500.0
        rep_env = self.env(user=self.rep)

        def confirmed():
            # 1,600 at 50% = 800, + 200 receivable = 1,000: within the limit
            order = self.env["sale.order"].with_user(self.rep).create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [
                        Command.create({"product_id": self.item.id, "product_uom_qty": 16, "discount": 50})
                    ],
                }
            )
            order.action_confirm()
            self.assertEqual((order.state, order.dg_credit_hold), ("sale", "none"))
            return order.with_env(self.env)

        def add_line_through_order(order):
            call_rpc(rep_env, "sale.order", "write", order.ids,
                     {"order_line": [Command.create({"product_id": self.item.id, "product_uom_qty": 1})]})

        def add_line_directly(order):
            call_rpc(rep_env, "sale.order.line", "create",
                     {"order_id": order.id, "product_id": self.item.id, "product_uom_qty": 1})

        def raise_quantity(order):
            call_rpc(rep_env, "sale.order.line", "write", order.order_line.ids, {"product_uom_qty": 18})

        def raise_price(order):
            call_rpc(rep_env, "sale.order.line", "write", order.order_line.ids, {"price_unit": 120})

        def add_tax(order):
            call_rpc(rep_env, "sale.order.line", "write", order.order_line.ids,
                     {"tax_id": [Command.set(self.tax.ids)]})

        def drop_the_discount(order):
            call_rpc(rep_env, "sale.order.line", "write", order.order_line.ids, {"discount": 0})

        def switch_customer(order):
            call_rpc(rep_env, "sale.order", "write", order.ids, {"partner_id": self.customer_2.id})

        def switch_invoice_address(order):
            call_rpc(rep_env, "sale.order", "write", order.ids, {"partner_invoice_id": self.customer_2.id})

        grow = [add_line_through_order, add_line_directly, raise_quantity, raise_price, add_tax,
                drop_the_discount, switch_customer, switch_invoice_address]
        for change in grow:
            with self.subTest(change.__name__), rolled_back(self.env.cr):
                order = confirmed()
                change(order)
                self.env.invalidate_all()
                self.assertEqual((order.state, order.dg_credit_hold), ("sale", "on_hold"), change.__name__)
                self.assertEqual(len(self.request_of(order)), 1)
                self.assertEqual(self.request_of(order).requester_id, self.rep)
                self.assertEqual(len(self.log(order, "rehold")), 1)
        with self.subTest("pricelist"), rolled_back(self.env.cr):
            order = confirmed()
            other = self.env["product.pricelist"].create({"name": "DG Other"})
            with self.assertRaises(UserError):
                call_rpc(rep_env, "sale.order", "write", order.ids, {"pricelist_id": other.id})
        # lowering a confirmed order holds nothing
        with self.subTest("lower"), rolled_back(self.env.cr):
            order = confirmed()
            call_rpc(rep_env, "sale.order.line", "write", order.order_line.ids, {"product_uom_qty": 10})
            self.assertEqual(order.dg_credit_hold, "none")

    def test_a_delivery_leads_to_its_order(self):
        """Hold at delivery: the warehouse user cannot ship the held order by any link."""
        self.hold_at_delivery()
        self.item.is_storable = True
        self.set_stock(self.item, 50)
        order = self.sell(11)
        self.assertEqual((order.state, order.dg_credit_hold), ("sale", "on_hold"))
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.write({"quantity": 11, "picked": True})
        wh_env = self.env(user=self.warehouse_user)
        attempts = {
            "validate": lambda: call_rpc(wh_env, "stock.picking", "button_validate", picking.ids),
            "unlink the order from the delivery": lambda: call_rpc(
                wh_env, "stock.picking", "write", picking.ids, {"sale_id": False}
            ),
            "move the delivery to another procurement group": lambda: call_rpc(
                wh_env, "stock.picking", "write", picking.ids,
                {"group_id": self.env["procurement.group"].create({"name": "DG elsewhere"}).id},
            ),
            "unlink the order from the procurement group": lambda: call_rpc(
                wh_env, "procurement.group", "write", picking.group_id.ids, {"sale_id": False}
            ),
            "unlink the moves from the order lines": lambda: call_rpc(
                wh_env, "stock.move", "write", picking.move_ids.ids, {"sale_line_id": False}
            ),
            "finish the moves without the picking": lambda: picking.move_ids.with_user(
                self.warehouse_user
            )._action_done(),
        }
        for name, attempt in attempts.items():
            with self.subTest(name):
                with self.assertRaisesRegex(UserError, "credit hold"), self.env.cr.savepoint():
                    attempt()
                self.env.invalidate_all()
                self.assertEqual(picking.state, "assigned", name)
                self.assertEqual(picking.sale_id, order, name)
                self.assertEqual(picking.move_ids.sale_line_id.order_id, order, name)
        # the message a picker reads tells where the order stands, not credit figures
        with self.assertRaises(UserError) as refusal:
            picking.with_user(self.warehouse_user).button_validate()
        self.assertNotIn("exceeds", str(refusal.exception))
        # once released, it ships
        self.request_of(order).with_user(self.approver).action_approve("ok")
        picking.with_user(self.warehouse_user).button_validate()
        self.assertEqual(picking.state, "done")

    def test_a_rejected_hold_at_delivery_still_blocks_the_delivery(self):
        self.hold_at_delivery()
        self.item.is_storable = True
        self.set_stock(self.item, 50)
        order = self.sell(11)
        self.request_of(order).with_user(self.finance).action_reject("Unpaid since summer")
        self.assertEqual((order.state, order.dg_credit_hold), ("sale", "rejected"))
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.write({"quantity": 11, "picked": True})
        with self.assertRaisesRegex(UserError, "credit hold"):
            picking.with_user(self.warehouse_user).button_validate()
        self.assertEqual(picking.state, "assigned")


@tagged("post_install", "-at_install")
class TestHoldFieldsAreSystemOwned(CreditPathsCase):
    """Class 3: the hold is written by the engine only, for every user and every way of
    writing a field."""

    def test_no_user_writes_the_hold(self):
        held = self.held()
        fine = self.sell(1)
        other_customer = self.sell(1, user=self.rep_2, partner=self.customer_2)
        attempts = [
            ("the rep clears the hold of his order", self.rep, held, {"dg_credit_hold": "none"}),
            ("the rep rewrites the reason", self.rep, held, {"dg_hold_reason": "all good"}),
            ("a warehouse user forges a release", self.warehouse_user, held, {"dg_credit_hold": "released"}),
            ("a warehouse user holds another customer's order", self.warehouse_user, other_customer,
             {"dg_credit_hold": "on_hold", "dg_hold_reason": "made up"}),
            ("a sales manager releases", self.sales_manager, held, {"dg_credit_hold": "released"}),
            ("an approver releases by write", self.approver, held, {"dg_credit_hold": "released"}),
            ("the administrator releases by write", self.admin, held, {"dg_credit_hold": "released"}),
            ("the rep holds a fine order", self.rep, fine, {"dg_credit_hold": "rejected"}),
        ]
        for name, user, order, values in attempts:
            with self.subTest(name):
                before = order.sudo().read(["dg_credit_hold", "dg_hold_reason", "state"])
                with self.assertRaises(AccessError), self.env.cr.savepoint():
                    call_rpc(self.env(user=user), "sale.order", "write", order.ids, values)
                self.env.invalidate_all()
                self.assertEqual(order.sudo().read(["dg_credit_hold", "dg_hold_reason", "state"]), before)

    def test_no_user_creates_copies_or_imports_a_hold(self):
        held = self.held()
        rep_env = self.env(user=self.rep)
        count = self.env["sale.order"].search_count([])
        with self.assertRaises(AccessError):
            call_rpc(rep_env, "sale.order", "create",
                     {"partner_id": self.customer.id, "dg_credit_hold": "released"})
        with self.assertRaises(AccessError):
            call_rpc(rep_env, "sale.order", "create", {"partner_id": self.customer.id},
                     context={"default_dg_credit_hold": "released", "default_dg_hold_reason": "x"})
        with self.assertRaises(AccessError):
            call_rpc(rep_env, "sale.order", "copy", held.ids, {"dg_credit_hold": "released"})
        result = self.env["sale.order"].with_user(self.rep).load(
            ["partner_id/.id", "dg_credit_hold"], [[str(self.customer.id), "released"]]
        )
        self.assertFalse(result["ids"])
        self.assertEqual(self.env["sale.order"].search_count([]), count)
        # a plain copy starts without any hold, and meets the decision at confirmation
        copy = held.with_user(self.rep).copy()
        self.assertEqual((copy.dg_credit_hold, copy.dg_hold_reason), ("none", False))

    def test_a_superuser_flow_never_inherits_a_default_hold(self):
        order = self.env["sale.order"].with_context(default_dg_credit_hold="released").sudo().create(
            {"partner_id": self.customer.id}
        )
        self.assertEqual(order.dg_credit_hold, "none")

    def test_the_engine_ignores_a_callers_default_context(self):
        """A rep confirming with default_* keys in his context cannot plant them in the
        request, the audit entry or the exception the engine creates."""
        order = self.sell(11, confirm=False)
        order.with_user(self.rep).with_context(
            default_state="approved", default_approved_until="2099-01-01 00:00:00",
            default_event="approve", default_cause_key="x", default_resolved_by_id=self.rep.id,
        ).action_confirm()
        request = self.request_of(order)
        self.assertEqual(request.state, "pending")
        self.assertFalse(request.approved_until)
        self.assertEqual(request.exception_id.state, "new")
        self.assertEqual(request.exception_id.cause_key, f"credit_hold:sale.order:{order.id}")
        self.assertEqual(self.log(order, "request").event, "request")
        self.assertFalse(self.log(order, "approve"))


@tagged("post_install", "-at_install")
class TestApprovalBoundToFacts(CreditPathsCase):
    """Class 4: an approval holds for one order, customer, company, currency, amount ceiling and
    validity."""

    def test_switching_customer_after_approval_voids_it(self):
        order = self.released(11)
        order.with_user(self.rep)._action_cancel()
        order.with_user(self.rep).action_draft()
        self.customer_2.with_company(self.company).credit_limit = 500.0
        order.with_user(self.rep).write({"partner_id": self.customer_2.id})
        approval = order.dg_approval_request_ids.filtered(lambda r: r.state == "voided")
        self.assertEqual(len(approval), 1)
        self.assertEqual(len(self.log(order, "void")), 1)
        self.assertIn("DG Customer Two", self.log(order, "void").reason)
        self.assertEqual(order.dg_credit_hold, "on_hold")
        order.with_user(self.rep).action_confirm()
        self.assertEqual(order.state, "draft")
        request = self.request_of(order)
        self.assertEqual(request.partner_id, self.customer_2)
        self.assertAlmostEqual(request.credit_limit, 500)

    def test_switching_customer_while_pending_cancels_the_request(self):
        order = self.held()
        first = self.request_of(order)
        self.customer_2.with_company(self.company).credit_limit = 5000.0
        order.with_user(self.rep).write({"partner_id": self.customer_2.id})
        self.assertEqual(first.state, "cancelled")
        self.assertTrue(self.log(order, "cancel"))
        with self.assertRaisesRegex(UserError, "no longer pending"):
            first.with_user(self.approver).action_approve("old figures")
        self.assertEqual(order.state, "draft")
        # the new customer's own credit decides now: within his limit, it confirms
        order.with_user(self.rep).action_confirm()
        self.assertEqual((order.state, order.dg_credit_hold), ("sale", "none"))
        self.assertTrue(self.log(order, "clear"))

    def test_moving_the_customer_under_another_company_voids_the_approval(self):
        """The debtor changes without a write on the order: the approval bound to the old one
        is voided (logged) and the confirmed order is decided again for the new one."""
        self.hold_at_delivery()
        order = self.sell(11)
        self.request_of(order).with_user(self.approver).action_approve("ok for DG Customer")
        self.assertEqual(order.dg_credit_hold, "released")
        parent = self.env["res.partner"].create({"name": "DG Holding", "is_company": True})
        parent.with_company(self.company).credit_limit = 500.0
        # a rep the company lets edit contacts (Odoo's "Contact Creation")
        self.rep.groups_id |= self.env.ref("base.group_partner_manager")
        self.customer.with_user(self.rep).write({"parent_id": parent.id})
        self.assertEqual(order._dg_credit_customer(), parent)
        approval = order.dg_approval_request_ids.filtered(lambda r: r.state != "pending")
        self.assertEqual(approval.state, "voided")
        self.assertIn("DG Holding", self.log(order, "void").reason)
        self.assertEqual((order.state, order.dg_credit_hold), ("sale", "on_hold"))
        self.assertEqual(self.request_of(order).partner_id, parent)

    def test_the_amount_is_a_ceiling(self):
        self.hold_at_delivery()
        order = self.sell(11)
        self.request_of(order).with_user(self.approver).action_approve("up to 1,100")
        line = order.order_line
        line.with_user(self.rep).product_uom_qty = 9
        line.with_user(self.rep).product_uom_qty = 11
        self.assertEqual(order.dg_credit_hold, "released")  # still within what was approved
        line.with_user(self.rep).product_uom_qty = 12
        self.assertEqual(order.dg_credit_hold, "on_hold")
        self.assertEqual(len(self.log(order, "void")), 1)

    def test_currency_and_invoice_address_are_facts(self):
        eur = self.env.ref("base.EUR")
        eur.active = True
        pricelist = self.env["product.pricelist"].create({"name": "DG EUR", "currency_id": eur.id})
        order = self.released(11)
        order.with_user(self.rep)._action_cancel()
        order.with_user(self.rep).action_draft()
        order.with_user(self.rep).write({"pricelist_id": pricelist.id})
        self.assertEqual(order.dg_approval_request_ids.state, "voided")
        other = self.released(12)
        other.with_user(self.rep)._action_cancel()
        other.with_user(self.rep).action_draft()
        other.with_user(self.rep).write({"partner_invoice_id": self.customer_2.id})
        self.assertEqual(other.dg_approval_request_ids.state, "voided")

    def test_requests_from_before_the_upgrade_are_bound_to_their_order(self):
        order = self.released(11)
        request = order.dg_approval_request_ids
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE distribution_approval_request SET order_partner_id = NULL,"
            " order_currency_id = NULL, order_amount = NULL WHERE id = %s",
            [request.id],
        )
        self.env.invalidate_all()
        self.assertFalse(order._dg_valid_approval())
        self.env["distribution.approval.request"].init()
        self.env.invalidate_all()
        self.assertEqual(order._dg_valid_approval(), request)
        self.assertEqual(request.order_amount, order.amount_total)

    def test_an_expired_approval_does_not_ship_even_before_the_cron(self):
        self.hold_at_delivery()
        self.item.is_storable = True
        self.set_stock(self.item, 50)
        start = fields.Datetime.now()
        order = self.sell(11)
        self.request_of(order).with_user(self.approver).action_approve("ok")
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.write({"quantity": 11, "picked": True})
        with freeze_time(start + timedelta(hours=49)):
            self.assertEqual(order.dg_credit_hold, "released")  # the cron has not run yet
            with self.assertRaisesRegex(UserError, "credit hold"):
                picking.with_user(self.warehouse_user).button_validate()
        self.assertEqual(picking.state, "assigned")


@tagged("post_install", "-at_install")
class TestSegregationAtDecisionTime(CreditPathsCase):
    """Class 5: who may not decide is judged from the facts of the decision's moment."""

    def refused(self, request, user, pattern):
        with self.assertRaisesRegex(AccessError, pattern):
            request.with_user(user).action_approve("mine")
        self.assertEqual(request.state, "pending")
        self.assertFalse(request.decision_ids)

    def test_an_approver_who_becomes_the_salesperson_cannot_approve(self):
        order = self.held()
        request = self.request_of(order)
        self.approver.groups_id |= self.env.ref("sales_team.group_sale_salesman_all_leads")
        order.with_user(self.approver).user_id = self.approver
        self.refused(request, self.approver, "salesperson")
        self.assertEqual(self.log(order, "self_approval_refused").user_id, self.approver)
        self.assertNotIn(self.approver.name, request.waiting_for)
        request.with_user(self.finance).action_approve("ok")
        self.assertEqual(request.state, "approved")

    def test_the_creator_of_the_order_cannot_approve(self):
        order = self.sell(11, user=self.approver, confirm=False)
        order.sudo().user_id = self.rep
        order.with_user(self.rep).action_confirm()
        self.refused(self.request_of(order), self.approver, "created")

    def test_who_changes_the_lines_while_pending_cannot_approve(self):
        order = self.held(12)
        request = self.request_of(order)
        # the approver, who may write orders as a salesman of all leads, lowers it a bit
        self.approver.groups_id |= self.env.ref("sales_team.group_sale_salesman_all_leads")
        order.order_line.with_user(self.approver).product_uom_qty = 11
        self.assertEqual(request.state, "pending")  # lower: the request still covers it
        self.assertEqual(request.changed_by_ids, self.approver)
        changed = self.log(order, "change_pending")
        self.assertEqual(changed.user_id, self.approver)
        self.assertIn("amount changed", changed.reason)
        self.refused(request, self.approver, "changed")


@tagged("post_install", "-at_install")
class TestCreditReadsFollowRights(CreditPathsCase):
    """Class 7: each reader gets what their rights let them read."""

    def setUp(self):
        super().setUp()
        self.hold_at_delivery()
        self.item.is_storable = True
        self.order_ = self.sell(11)
        self.request_of(self.order_).with_user(self.finance).action_reject("Unpaid since summer")
        self.order_.order_line.with_user(self.rep).product_uom_qty = 12  # held again
        self.picking = self.order_.picking_ids

    def panel(self, user, model="stock.picking", res_id=None):
        return call_rpc(
            self.env(user=user), "distribution.approval.request", "get_panel_data",
            model, res_id or (self.picking.id if model == "stock.picking" else self.order_.id),
        )

    def test_a_rep_who_cannot_read_the_order_sees_where_it_stands_only(self):
        with self.assertRaises(AccessError):
            self.order_.with_user(self.rep_2).read(["name"])
        data = self.panel(self.rep_2)
        self.assertEqual(data["audience"], "status")
        self.assertEqual((data["order_name"], data["partner"], data["hold_reason"]), ("", "", ""))
        self.assertFalse(data["exposure"])
        self.assertEqual((data["history"], data["overdue_invoices"]), ([], []))
        self.assertIn("waiting for approval", data["status"])
        text = repr(data)
        for secret in (self.order_.name, "Unpaid since summer", "1,200", "1200"):
            self.assertNotIn(secret, text)

    def test_a_picker_sees_the_hold_not_the_financials(self):
        data = self.panel(self.warehouse_user)
        self.assertEqual(data["audience"], "status")
        self.assertFalse(data["exposure"])
        self.assertNotIn("amount", data["request"])
        self.assertIn("waiting for approval", data["status"])
        with self.assertRaises(AccessError):
            self.order_.with_user(self.warehouse_user).read(["dg_hold_reason"])
        self.assertFalse(
            self.env["distribution.approval.request"].with_user(self.warehouse_user).search([])
        )

    def test_the_rep_sees_his_order_the_approver_the_customer(self):
        mine = self.panel(self.rep, "sale.order")
        self.assertEqual(mine["audience"], "sales")
        self.assertAlmostEqual(mine["exposure"]["this_order"], 1200)
        self.assertEqual(mine["history"], [])
        approver = self.panel(self.approver, "sale.order")
        self.assertEqual(approver["audience"], "credit")
        self.assertIn("Unpaid since summer", [h["reason"] for h in approver["history"]])

    def test_a_second_rep_reads_no_request_nor_decision_of_anothers_order(self):
        request = self.order_.dg_approval_request_ids
        with self.assertRaises(AccessError):
            request.with_user(self.rep_2).read(["hold_reason"])
        with self.assertRaises(AccessError):
            request.decision_ids.with_user(self.rep_2).read(["reason"])
        self.assertEqual(
            request.with_user(self.rep).read(["hold_reason"])[0]["hold_reason"], request[0].hold_reason
        )

    def test_the_portal_customer_reads_neither_reason_nor_panel(self):
        order = self.sell(11, partner=self.portal.partner_id, confirm=False)
        order.sudo().action_confirm()
        order.message_subscribe(partner_ids=self.portal.partner_id.ids)
        self.assertEqual(order.with_user(self.portal).read(["name"])[0]["name"], order.name)
        with self.assertRaises(AccessError):
            order.with_user(self.portal).read(["dg_hold_reason"])
        self.assertEqual(self.panel(self.portal, "sale.order", order.id), {"visible": False})


@tagged("post_install", "-at_install")
class TestAuditEntries(CreditPathsCase):
    """Class 8: no noise from a script, references that survive a rename."""

    def test_repeated_refusals_are_one_entry_with_a_count(self):
        order = self.held()
        request = self.request_of(order)
        self.rep.groups_id |= self.env.ref("distribution_governance.group_override_approver")
        for __ in range(25):
            with self.assertRaisesRegex(AccessError, "another approver"):
                call_rpc(self.env(user=self.rep), "distribution.approval.request", "action_approve",
                         request.ids, "me")
        entries = self.log(order, "self_approval_refused")
        self.assertEqual(len(entries), 1)
        self.assertEqual(entries.repeat_count, 25)
        self.assertTrue(entries.last_repeat_at)
        # another user's refusal is its own entry
        with self.assertRaisesRegex(AccessError, "needs the group"):
            request.with_user(self.sales_manager).action_approve()
        self.assertEqual(len(self.log(order, "unauthorized_refused")), 1)

    def test_entries_keep_the_record_and_the_name_as_it_was(self):
        order = self.held()
        name = order.name
        order.with_user(self.rep).name = "RENAMED-BY-REP"
        entry = self.log(order, "request")
        self.assertEqual((entry.document_ref, entry.res_model, entry.res_id), (name, "sale.order", order.id))
        self.assertEqual(entry.sale_order_id.name, "RENAMED-BY-REP")

    def test_only_the_count_of_an_entry_can_grow(self):
        entry = self.log(self.held(), "request")
        cr = self.env.cr
        for statement in (
            "UPDATE distribution_audit_log SET reason = 'x' WHERE id = %s",
            "UPDATE distribution_audit_log SET repeat_count = repeat_count + 1, reason = 'x' WHERE id = %s",
            "UPDATE distribution_audit_log SET repeat_count = 0 WHERE id = %s",
            "DELETE FROM distribution_audit_log WHERE id = %s",
        ):
            with self.subTest(statement), self.assertRaises(psycopg2.Error), cr.savepoint(), \
                    mute_logger("odoo.sql_db"):
                cr.execute(statement, [entry.id])
        cr.execute("UPDATE distribution_audit_log SET repeat_count = 2 WHERE id = %s", [entry.id])
        entry.invalidate_recordset()
        self.assertEqual(entry.repeat_count, 2)


@tagged("post_install", "-at_install")
class TestHoldAsItsUsersMeetIt(CreditPathsCase):
    def test_the_rep_justifies_and_sees_who_decides(self):
        order = self.sell(11, confirm=False)
        action = order.with_user(self.rep).action_confirm()
        request = self.request_of(order)
        wizard = Form.from_action(self.env(user=self.rep), action)
        self.assertIn(self.approver.name, wizard.waiting_for)
        self.assertNotIn(self.rep.name, wizard.waiting_for)
        wizard.justification = "Paid by wire this morning"
        done = wizard.save().action_send()
        self.assertIn(request.name, done["params"]["message"])
        self.assertEqual(request.reason, "Paid by wire this morning")
        self.assertEqual(self.log(order, "justify").reason, "Paid by wire this morning")
        activity = request.activity_ids.filtered(lambda a: a.user_id == self.approver)
        self.assertIn("Paid by wire this morning", activity.note)
        with self.assertRaisesRegex(UserError, "already justified"):
            request.with_user(self.rep).action_justify("again")
        with self.assertRaises(AccessError):
            request.with_user(self.sales_manager).action_justify("not mine")
        # not offered Confirm again while the request waits; confirming anyway files nothing new
        self.assertTrue(order.with_user(self.rep).dg_credit_request_pending)
        order.with_user(self.rep).action_confirm()
        self.assertEqual(len(order.dg_approval_request_ids), 1)

    def test_the_approver_decides_from_his_activity_which_closes_with_it(self):
        order = self.held()
        request = self.request_of(order)
        activity = request.activity_ids.filtered(lambda a: a.user_id == self.approver)
        self.assertEqual((activity.res_model, activity.res_id), (request._name, request.id))
        self.assertEqual(activity.date_deadline, fields.Date.context_today(activity))  # due today
        # the requester sees who has it to do, and may ask them on the request
        self.assertIn(self.approver, request.with_user(self.rep).activity_ids.user_id)
        request.with_user(self.rep).message_post(body="Customer paid this morning")
        # marking it done alone does not drop the request
        with self.assertRaisesRegex(UserError, "closes with the decision"):
            activity.with_user(self.approver).action_done()
        with self.assertRaisesRegex(UserError, "closes with the decision"):
            activity.with_user(self.approver).unlink()
        self.assertTrue(activity.exists())
        self.assertTrue(request.with_user(self.approver).can_decide)
        self.assertFalse(request.with_user(self.rep).can_decide)
        self.assertIn(request, self.env["distribution.approval.request"].with_user(self.approver).search(
            [("can_decide", "=", True)]))
        opened = request.with_user(self.approver).with_context(dg_decision="approve").action_open_decision()
        decision = Form.from_action(self.env(user=self.approver), opened)
        decision.reason = "Known customer"
        told = decision.save().action_confirm()
        self.assertEqual(told["params"]["message"], f"{order.name} released and confirmed.")
        self.assertEqual((order.state, order.dg_credit_hold), ("sale", "released"))
        self.assertFalse(request.activity_ids)

    def test_a_rejection_reads_credit_hold_upheld_everywhere(self):
        order = self.held()
        request = self.request_of(order)
        told = request.with_user(self.finance).action_reject("Two invoices unpaid")
        self.assertIn("credit hold upheld", told["params"]["message"])
        self.assertFalse(request.activity_ids)
        panel = self.env["distribution.approval.request"].with_user(self.rep).get_panel_data(
            "sale.order", order.id
        )
        self.assertEqual(panel["hold_label"], "Credit hold upheld")
        self.assertIn("upheld", panel["status"])
        self.assertIn("confirm it again", panel["next_step"])
        field = order._fields["dg_credit_hold"]
        self.assertEqual(dict(field._description_selection(self.env))["rejected"], "Credit hold upheld")
        chatter = order.message_ids.filtered(lambda m: "upheld" in (m.body or ""))
        self.assertTrue(chatter)
        self.assertIn("confirm it again", chatter[0].body)
        # confirming again files a new request
        order.with_user(self.rep).action_confirm()
        self.assertEqual(order.dg_credit_hold, "on_hold")
        self.assertEqual(len(self.request_of(order)), 1)
