"""Issue 14, pricing governance: a line priced below the policy holds its order until a price
approver approves it, on the same approval engine as the credit hold.

Tried as the users who would try it: the rep (own documents), a second rep, a warehouse user
(Odoo gives stock users write on sales orders), an approver who also sells, sales managers and a
portal customer. A refusal is asserted with the database unchanged; an allowed path with the
order held and its request filed.
"""

from contextlib import contextmanager
from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import FlowCase, call_rpc


@contextmanager
def rolled_back(cr):
    savepoint = cr.savepoint()
    try:
        yield
    finally:
        savepoint.close(rollback=True)


class PriceCase(FlowCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "dg_price_control_active": True,
                "dg_price_max_discount": 10.0,
                "dg_price_margin_floor": 15.0,
                "dg_approval_validity_hours": 48,
            }
        )
        cls.item = cls.env["product.product"].create(
            {
                "name": "DG Shrink Film",
                "type": "consu",
                "list_price": 100.0,
                "standard_price": 60.0,
                "taxes_id": [Command.set([])],
                "invoice_policy": "order",
            }
        )
        cls.customer_2 = cls.env["res.partner"].create({"name": "DG Price Customer Two"})
        cls.rep = new_test_user(cls.env, login="dg_rep_p", groups="sales_team.group_sale_salesman")
        cls.rep_2 = new_test_user(cls.env, login="dg_rep_2p", groups="sales_team.group_sale_salesman")
        cls.warehouse_user.groups_id |= cls.env.ref("base.group_user")
        cls.sales_manager = new_test_user(
            cls.env, login="dg_sales_mgr_p", groups="sales_team.group_sale_manager"
        )
        cls.sales_manager_2 = new_test_user(
            cls.env, login="dg_sales_mgr_2p", groups="sales_team.group_sale_manager"
        )
        # an override approver who sells too, limited to his own orders
        cls.approver = new_test_user(
            cls.env,
            login="dg_approver_p",
            groups="distribution_governance.group_override_approver,sales_team.group_sale_salesman",
        )
        cls.approver_2 = new_test_user(
            cls.env, login="dg_approver_2p", groups="distribution_governance.group_override_approver"
        )
        cls.portal = new_test_user(cls.env, login="dg_portal_p", groups="base.group_portal")

    def sell(self, price=80.0, qty=10, user=None, partner=None, confirm=True, discount=0.0):
        order = self.env["sale.order"].with_user(user or self.rep).create(
            {
                "partner_id": (partner or self.customer).id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": self.item.id,
                            "product_uom_qty": qty,
                            "price_unit": price,
                            "discount": discount,
                        }
                    )
                ],
            }
        )
        if confirm:
            order.action_confirm()
        return order.with_env(self.env)

    def line_at(self, price, qty=1):
        return {"product_id": self.item.id, "product_uom_qty": qty, "price_unit": price}

    def held(self, price=80.0, **kwargs):
        order = self.sell(price, **kwargs)
        self.assertEqual((order.state, order.dg_price_hold), ("draft", "on_hold"))
        return order

    def approved(self, price=80.0, **kwargs):
        order = self.held(price, **kwargs)
        self.pending(order).with_user(self.sales_manager).action_approve("ok")
        self.assertEqual((order.state, order.dg_price_hold), ("sale", "released"))
        return order

    def requests(self, order):
        return order.dg_approval_request_ids.filtered(lambda r: r.kind == "price_override").sorted("id")

    def pending(self, order):
        return self.requests(order).filtered(lambda r: r.state == "pending")

    def log(self, order, event):
        return self.env["distribution.audit.log"].search(
            [("sale_order_id", "=", order.id), ("event", "=", event)]
        )

    def unapproved_confirmed(self):
        """Confirmed orders below the policy with no hold standing and no approval covering
        them: what a walk-around would leave behind."""
        orders = self.env["sale.order"].search(
            [("partner_id", "in", (self.customer | self.customer_2).ids), ("state", "=", "sale")]
        )
        return orders.filtered(
            lambda o: o.dg_price_hold not in ("on_hold", "rejected") and o._dg_price_hold_reason()
        )

    def snapshot(self):
        self.env.invalidate_all()
        orders = self.env["sale.order"].search_read(
            [("partner_id", "in", (self.customer | self.customer_2).ids)],
            ["state", "dg_price_hold", "partner_id"],
        )
        lines = self.env["sale.order.line"].search_read(
            [("order_id.partner_id", "in", (self.customer | self.customer_2).ids)],
            ["price_unit", "discount", "product_uom_qty"],
        )
        requests = self.env["distribution.approval.request"].search_read(
            [("kind", "=", "price_override")], ["state", "price_lines"]
        )
        return orders, lines, requests

    def assert_refused(self, name, attempt, error=UserError):  # AccessError is a UserError
        before = self.snapshot()
        with self.assertRaises(error, msg=name), self.env.cr.savepoint():
            attempt()
        self.assertEqual(self.snapshot(), before, f"{name}: refused, yet something changed")


@tagged("post_install", "-at_install")
class TestPriceHoldHappyPath(PriceCase):
    def test_within_policy_confirms_at_once(self):
        order = self.sell(95.0)
        self.assertEqual((order.state, order.dg_price_hold), ("sale", "none"))
        self.assertFalse(self.requests(order))

    def test_held_approved_confirmed(self):
        order = self.sell(80.0, confirm=False)
        action = order.with_user(self.rep).action_confirm()
        self.assertEqual((order.state, order.dg_price_hold), ("draft", "on_hold"))
        request = self.pending(order)
        self.assertEqual(len(request), 1)
        self.assertEqual(request.requester_id, self.rep)
        self.assertEqual(request.approver_group_id, self.env.ref("sales_team.group_sale_manager"))
        self.assertAlmostEqual(request.amount, 200.0)  # 10 x (100 - 80) given away
        self.assertIn("20.0% below its pricelist price", request.hold_reason)
        self.assertNotIn("margin", request.hold_reason)
        # the rep justifies in the wizard and sees who decides
        wizard = Form.from_action(self.env(user=self.rep), action)
        self.assertIn(self.sales_manager.name, wizard.waiting_for)
        wizard.justification = "Matching a competitor's offer"
        wizard.save().action_send()
        self.assertTrue(order.with_user(self.rep).dg_price_request_pending)
        # confirming again files nothing new
        order.with_user(self.rep).action_confirm()
        self.assertEqual(len(self.requests(order)), 1)
        # the sales manager decides from the To Decide list
        inbox = self.env["distribution.approval.request"].with_user(self.sales_manager).search(
            [("can_decide", "=", True)]
        )
        self.assertIn(request, inbox)
        self.assertEqual(
            self.env["distribution.approval.request"].with_user(self.sales_manager).get_pending_count(), 1
        )
        systray = self.env["distribution.exception"].with_user(self.sales_manager).get_systray_data()
        self.assertEqual(systray["pending_approvals"], 1)
        opened = request.with_user(self.sales_manager).with_context(
            dg_decision="approve"
        ).action_open_decision()
        decision = Form.from_action(self.env(user=self.sales_manager), opened)
        decision.reason = "Strategic account"
        told = decision.save().action_confirm()
        self.assertIn("prices approved and the order confirmed", told["params"]["message"])
        self.assertEqual((order.state, order.dg_price_hold), ("sale", "released"))
        self.assertEqual(request.state, "approved")
        self.assertFalse(request.activity_ids)
        for event in ("request", "justify", "approve", "release"):
            self.assertEqual(len(self.log(order, event)), 1, event)

    def test_margin_floor(self):
        self.item.standard_price = 92.0  # at list price, an 8% margin: under the 15% floor
        order = self.held(100.0)
        self.assertIn("margin floor", self.pending(order).hold_reason)
        self.assertNotIn("92", self.pending(order).hold_reason)
        self.item.standard_price = 80.0  # 20%: fine
        self.assertEqual(self.sell(100.0).state, "sale")

    def test_rejected_then_confirm_again_files_a_new_request(self):
        order = self.held()
        request = self.pending(order)
        told = request.with_user(self.sales_manager).action_reject("Too deep")
        self.assertIn("prices refused", told["params"]["message"])
        self.assertEqual((order.state, order.dg_price_hold), ("draft", "rejected"))
        self.assertEqual(len(self.log(order, "reject")), 1)
        order.with_user(self.rep).action_confirm()
        self.assertEqual(order.dg_price_hold, "on_hold")
        self.assertEqual(len(self.pending(order)), 1)
        self.assertNotEqual(self.pending(order), request)
        # raised back to the policy: the hold lifts and the order confirms
        order.order_line.with_user(self.rep).price_unit = 95.0
        order.with_user(self.rep).action_confirm()
        self.assertEqual((order.state, order.dg_price_hold), ("sale", "none"))
        self.assertEqual(self.requests(order).mapped("state"), ["rejected", "cancelled"])
        self.assertEqual(len(self.log(order, "price_clear")), 1)

    def test_a_deep_cut_needs_two_override_approvers(self):
        order = self.held(60.0)  # 40% below the pricelist
        request = self.pending(order)
        self.assertEqual(
            request.approver_group_id, self.env.ref("distribution_governance.group_override_approver")
        )
        self.assertEqual(request.approvals_required, 2)
        with self.assertRaisesRegex(AccessError, "needs the group"):
            request.with_user(self.sales_manager).action_approve()
        request.with_user(self.approver).action_approve("first")
        self.assertEqual((request.state, order.state), ("pending", "draft"))
        with self.assertRaisesRegex(UserError, "already decided"):
            request.with_user(self.approver).action_approve("again")
        request.with_user(self.approver_2).action_approve("second")
        self.assertEqual((request.state, order.state, order.dg_price_hold), ("approved", "sale", "released"))

    def test_the_tier_validity_bounds_the_approval(self):
        tier = self.env.ref("distribution_governance.policy_price_override_standard")
        tier.validity_hours = 2
        order = self.approved()
        request = self.requests(order)
        self.assertAlmostEqual(
            (request.approved_until - request.decided_at).total_seconds(), 7200, delta=5
        )


@tagged("post_install", "-at_install")
class TestPriceWithOtherGates(PriceCase):
    def test_an_expired_approval_holds_the_quotation_again(self):
        start = fields.Datetime.now()
        order = self.approved()
        request = self.requests(order)
        order.with_user(self.rep)._action_cancel()
        order.with_user(self.rep).action_draft()
        with freeze_time(start + timedelta(hours=49)):
            self.env["distribution.approval.request"]._cron_expire()
            self.assertEqual(request.state, "expired")
            self.assertEqual(order.dg_price_hold, "on_hold")
            self.assertEqual(len(self.log(order, "rehold")), 1)
            order.with_user(self.rep).action_confirm()
        self.assertEqual((order.state, order.dg_price_hold), ("draft", "on_hold"))
        self.assertEqual(len(self.pending(order)), 1)

    def test_credit_and_prices_are_two_gates(self):
        self.company.write({"account_use_credit_limit": True, "dg_credit_hold_active": True,
                            "dg_credit_hold_point": "confirmation"})
        self.customer.with_company(self.company).credit_limit = 500.0
        credit_approver = new_test_user(
            self.env, login="dg_credit_p", groups="distribution_governance.group_override_approver"
        )
        order = self.held(80.0)  # 800 over a 500 limit, 20% below the pricelist
        self.assertEqual(order.dg_credit_hold, "none")  # prices first: not confirmed yet
        told = self.pending(order).with_user(self.sales_manager).action_approve("ok")
        self.assertIn("waits for its other approvals", told["params"]["message"])
        self.assertEqual((order.state, order.dg_price_hold, order.dg_credit_hold),
                         ("draft", "released", "on_hold"))
        credit = order.dg_approval_request_ids.filtered(
            lambda r: r.kind == "credit_override" and r.state == "pending"
        )
        self.assertEqual(len(credit), 1)
        self.assertEqual(credit.requester_id, self.rep)
        # the price approver may not decide the credit, nor the reverse
        with self.assertRaisesRegex(AccessError, "needs the group"):
            credit.with_user(self.sales_manager).action_approve()
        credit.with_user(credit_approver).action_approve("ok")
        self.assertEqual((order.state, order.dg_price_hold, order.dg_credit_hold),
                         ("sale", "released", "released"))


@tagged("post_install", "-at_install")
class TestPricePathsToConfirmed(PriceCase):
    """Every way to a confirmed order with a line below the policy meets the one decision."""

    def test_paths_refused(self):
        rep_env = self.env(user=self.rep)
        line = {"product_id": self.item.id, "product_uom_qty": 10, "price_unit": 80.0}

        def quotation(state="draft"):
            order = self.sell(confirm=False)
            if state != "draft":
                order.sudo().write({"state": state})
            return order

        def cancelled_held():
            order = self.held()
            order.with_user(self.rep)._action_cancel()
            return order

        paths = {
            "write state from draft": lambda: call_rpc(
                rep_env, "sale.order", "write", quotation().ids, {"state": "sale"}
            ),
            "write state from sent": lambda: call_rpc(
                rep_env, "sale.order", "write", quotation("sent").ids, {"state": "sale"}
            ),
            "write state on the held quotation, cancelled": lambda: call_rpc(
                rep_env, "sale.order", "write", cancelled_held().ids, {"state": "sale"}
            ),
            "write state and a deeper discount at once": lambda: (
                lambda order: call_rpc(
                    rep_env, "sale.order", "write", order.ids,
                    {"state": "sale", "order_line": [Command.update(order.order_line.id, {"discount": 30})]},
                )
            )(self.held()),
            "write state as a warehouse user": lambda: call_rpc(
                self.env(user=self.warehouse_user), "sale.order", "write", self.held().ids, {"state": "sale"}
            ),
            "create confirmed": lambda: call_rpc(
                rep_env, "sale.order", "create",
                {"partner_id": self.customer.id, "state": "sale", "order_line": [Command.create(line)]},
            ),
            "create with default_state": lambda: call_rpc(
                rep_env, "sale.order", "create",
                {"partner_id": self.customer.id, "order_line": [Command.create(line)]},
                context={"default_state": "sale"},
            ),
            "copy with a confirmed state": lambda: call_rpc(
                rep_env, "sale.order", "copy", self.held().ids, {"state": "sale"}
            ),
        }
        for name, attempt in paths.items():
            with self.subTest(name):
                self.assert_refused(name, attempt)
        self.assertFalse(self.unapproved_confirmed())

    def test_import_of_a_confirmed_order_is_refused(self):
        before = self.snapshot()
        result = self.env["sale.order"].with_user(self.rep).load(
            ["partner_id/.id", "state", "order_line/product_id/.id", "order_line/product_uom_qty",
             "order_line/price_unit"],
            [[str(self.customer.id), "sale", str(self.item.id), "10", "50"]],
        )
        self.assertFalse(result["ids"])
        self.assertIn("prices below policy", result["messages"][0]["message"])
        self.assertEqual(self.snapshot(), before)

    def test_back_to_quotation_and_confirm_again(self):
        # approved and unchanged: the approval still covers it
        order = self.approved()
        order.with_user(self.rep)._action_cancel()
        order.with_user(self.rep).action_draft()
        order.with_user(self.rep).action_confirm()
        self.assertEqual((order.state, order.dg_price_hold), ("sale", "released"))
        self.assertEqual(len(self.requests(order)), 1)
        # cut further once back in quotation: voided, held at the next confirmation
        order.with_user(self.rep)._action_cancel()
        order.with_user(self.rep).action_draft()
        order.order_line.with_user(self.rep).price_unit = 75.0
        self.assertEqual(self.requests(order).state, "voided")
        self.assertEqual(order.dg_price_hold, "on_hold")
        self.assertEqual(len(self.log(order, "void")), 1)
        order.with_user(self.rep).action_confirm()
        self.assertEqual((order.state, order.dg_price_hold), ("draft", "on_hold"))
        self.assertEqual(len(self.pending(order)), 1)
        self.assertFalse(self.unapproved_confirmed())

    def test_changes_to_a_confirmed_order_hold_it_again(self):
        rep_env = self.env(user=self.rep)
        # the customer keeps the first pricelist, the dear one is chosen on the order
        self.env["product.pricelist"].create({"name": "DG Standard", "sequence": 1})
        dear = self.env["product.pricelist"].create(
            {
                "name": "DG Dear",
                "sequence": 100,
                "item_ids": [Command.create(
                    {"applied_on": "0_product_variant", "product_id": self.item.id,
                     "compute_price": "fixed", "fixed_price": 150.0}
                )],
            }
        )

        def confirmed():
            order = self.sell(95.0)
            self.assertEqual((order.state, order.dg_price_hold), ("sale", "none"))
            return order

        changes = {
            "deeper discount": lambda o: call_rpc(
                rep_env, "sale.order.line", "write", o.order_line.ids, {"discount": 20}
            ),
            "lower price": lambda o: call_rpc(
                rep_env, "sale.order.line", "write", o.order_line.ids, {"price_unit": 70}
            ),
            "line added through the order": lambda o: call_rpc(
                rep_env, "sale.order", "write", o.ids,
                {"order_line": [Command.create(
                    {"product_id": self.item.id, "product_uom_qty": 1, "price_unit": 50}
                )]},
            ),
            "line created directly": lambda o: call_rpc(
                rep_env, "sale.order.line", "create",
                {"order_id": o.id, "product_id": self.item.id, "product_uom_qty": 1, "price_unit": 50},
            ),
            "a dearer pricelist": lambda o: call_rpc(
                rep_env, "sale.order", "write", o.ids, {"pricelist_id": dear.id}
            ),
        }
        for name, change in changes.items():
            with self.subTest(name), rolled_back(self.env.cr):
                order = confirmed()
                try:
                    with self.env.cr.savepoint():
                        change(order)
                except UserError:
                    # Odoo refuses some changes on a confirmed order itself: nothing changed
                    self.env.invalidate_all()
                    self.assertEqual(order.dg_price_hold, "none", name)
                    self.assertFalse(order._dg_price_hold_reason(), name)
                    continue
                self.env.invalidate_all()
                self.assertEqual((order.state, order.dg_price_hold), ("sale", "on_hold"), name)
                self.assertEqual(len(self.pending(order)), 1, name)
                self.assertEqual(len(self.log(order, "rehold")), 1, name)

    def test_a_held_confirmed_order_does_not_ship(self):
        self.item.is_storable = True
        self.set_stock(self.item, 50)
        order = self.sell(95.0)
        order.order_line.with_user(self.rep).discount = 25
        self.assertEqual(order.dg_price_hold, "on_hold")
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.write({"quantity": 10, "picked": True})
        wh_env = self.env(user=self.warehouse_user)
        with self.assertRaisesRegex(UserError, "below policy"):
            call_rpc(wh_env, "stock.picking", "button_validate", picking.ids)
        with self.assertRaisesRegex(UserError, "below policy"):
            call_rpc(wh_env, "stock.picking", "write", picking.ids, {"sale_id": False})
        self.assertEqual((picking.state, picking.sale_id), ("assigned", order))
        told = self.pending(order).with_user(self.sales_manager).action_approve("ok")
        self.assertIn("delivery can be validated", told["params"]["message"])
        picking.with_user(self.warehouse_user).button_validate()
        self.assertEqual(picking.state, "done")


@tagged("post_install", "-at_install")
class TestPriceApprovalBound(PriceCase):
    """An approval is for the order, customer, currency, pricelist and lines as approved."""

    def test_a_re_price_voids_the_approval(self):
        order = self.approved()
        request = self.requests(order)
        order.order_line.with_user(self.rep).price_unit = 70.0
        self.assertEqual(request.state, "voided")
        self.assertEqual((order.state, order.dg_price_hold), ("sale", "on_hold"))
        new = self.pending(order)
        self.assertEqual(len(new), 1)
        self.assertEqual(new.price_lines[0][4], 70.0)
        self.assertEqual(len(self.log(order, "void")), 1)
        self.assertEqual(len(self.log(order, "rehold")), 1)

    def test_a_raised_quantity_voids_the_approval(self):
        # priced by hand (Odoo keeps a manual price when the quantity changes)
        order = self.sell(100.0, confirm=False)
        order.order_line.with_user(self.rep).price_unit = 80.0
        order.with_user(self.rep).action_confirm()
        self.pending(order).with_user(self.sales_manager).action_approve("ok")
        self.assertEqual((order.state, order.dg_price_hold), ("sale", "released"))
        order.order_line.with_user(self.rep).product_uom_qty = 100
        self.assertEqual(order.order_line.price_unit, 80.0)
        self.assertEqual(self.requests(order).mapped("state"), ["voided", "pending"])
        self.assertEqual(order.dg_price_hold, "on_hold")

    def test_a_line_within_policy_added_keeps_the_approval(self):
        order = self.approved()
        order.with_user(self.rep).write(
            {"order_line": [Command.create(self.line_at(100))]}
        )
        self.assertEqual(self.requests(order).state, "approved")
        self.assertEqual(order.dg_price_hold, "released")

    def test_another_customer_voids_the_approval(self):
        order = self.approved()
        order.with_user(self.rep)._action_cancel()
        order.with_user(self.rep).action_draft()
        order.with_user(self.rep).write({"partner_id": self.customer_2.id})
        self.assertEqual(self.requests(order).state, "voided")
        order.with_user(self.rep).action_confirm()
        self.assertEqual((order.state, order.dg_price_hold), ("draft", "on_hold"))

    def test_another_invoice_address_or_currency_voids_the_approval(self):
        order = self.approved()
        order.with_user(self.rep)._action_cancel()
        order.with_user(self.rep).action_draft()
        order.with_user(self.rep).write({"partner_invoice_id": self.customer_2.id})
        self.assertEqual(self.requests(order).state, "voided")
        eur = self.env.ref("base.EUR")
        eur.active = True
        in_eur = self.env["product.pricelist"].create({"name": "DG EUR", "currency_id": eur.id})
        other = self.approved()
        other.with_user(self.rep)._action_cancel()
        other.with_user(self.rep).action_draft()
        other.with_user(self.rep).write({"pricelist_id": in_eur.id})
        self.assertEqual(self.requests(other).state, "voided")
        self.assertEqual(other.dg_price_hold, "on_hold")

    def test_the_customer_moved_under_another_company_voids_the_approval(self):
        order = self.approved()
        group = self.env["res.partner"].create({"name": "DG Holding", "is_company": True})
        self.customer.parent_id = group
        self.assertEqual(self.requests(order).mapped("state"), ["voided", "pending"])
        self.assertEqual((order.state, order.dg_price_hold), ("sale", "on_hold"))

    def test_a_pending_request_for_other_lines_is_cancelled(self):
        order = self.held()
        request = self.pending(order)
        order.order_line.with_user(self.rep).discount = 10
        self.assertEqual(request.state, "cancelled")
        self.assertEqual(len(self.log(order, "cancel")), 1)
        with self.assertRaisesRegex(UserError, "no longer pending"):
            request.with_user(self.sales_manager).action_approve()
        order.with_user(self.rep).action_confirm()
        self.assertNotEqual(self.pending(order), request)
        self.assertEqual(order.state, "draft")

    def test_engine_fields_cannot_be_written(self):
        held = self.held()
        other = self.sell(95.0, user=self.rep_2, partner=self.customer_2)
        attempts = [
            ("the rep releases his order", self.rep,
             lambda u: held.with_user(u).write({"dg_price_hold": "released"})),
            ("a warehouse user releases", self.warehouse_user,
             lambda u: held.with_user(u).write({"dg_price_hold": "none"})),
            ("a warehouse user holds another's order", self.warehouse_user,
             lambda u: other.with_user(u).write({"dg_price_hold": "on_hold"})),
            ("a sales manager releases by write", self.sales_manager,
             lambda u: held.with_user(u).write({"dg_price_hold": "released"})),
            ("create released", self.rep, lambda u: self.env["sale.order"].with_user(u).create(
                {"partner_id": self.customer.id, "dg_price_hold": "released"})),
            ("default_dg_price_hold", self.rep, lambda u: self.env["sale.order"].with_user(u).with_context(
                default_dg_price_hold="released").create({"partner_id": self.customer.id})),
            ("copy released", self.rep, lambda u: held.with_user(u).copy({"dg_price_hold": "released"})),
            ("import released", self.rep, lambda u: self._load_or_raise(u)),
            ("the manager rewrites the approved lines", self.sales_manager,
             lambda u: self.pending(held).with_user(u).write({"price_lines": []})),
            ("the rep creates an approved request", self.rep,
             lambda u: self.env["distribution.approval.request"].with_user(u).create(
                 {"kind": "price_override", "sale_order_id": held.id, "state": "approved"})),
        ]
        for name, user, attempt in attempts:
            with self.subTest(name):
                self.assert_refused(name, lambda: attempt(user))

    def _load_or_raise(self, user):
        result = self.env["sale.order"].with_user(user).load(
            ["partner_id/.id", "dg_price_hold"], [[str(self.customer.id), "released"]]
        )
        if not result["ids"]:
            raise UserError(result["messages"][0]["message"])
        return result


@tagged("post_install", "-at_install")
class TestPriceSegregation(PriceCase):
    """Who may not decide is judged from the facts of the decision's moment."""

    def refused(self, request, user, pattern):
        with self.assertRaisesRegex(AccessError, pattern):
            request.with_user(user).action_approve("mine")
        self.assertEqual(request.state, "pending")
        self.assertFalse(request.decision_ids)
        self.assertFalse(request.with_user(user).can_decide)

    def test_the_requester_cannot_approve(self):
        order = self.held(user=self.sales_manager)
        self.refused(self.pending(order), self.sales_manager, "requested")

    def test_a_manager_who_becomes_the_salesperson_cannot_approve(self):
        order = self.held()
        request = self.pending(order)
        order.with_user(self.sales_manager).user_id = self.sales_manager
        self.refused(request, self.sales_manager, "salesperson")
        self.assertNotIn(self.sales_manager.name, request.waiting_for)
        request.with_user(self.sales_manager_2).action_approve("ok")
        self.assertEqual(order.state, "sale")

    def test_the_creator_cannot_approve(self):
        order = self.sell(user=self.sales_manager, confirm=False)
        order.sudo().user_id = self.rep
        order.with_user(self.rep).action_confirm()
        self.refused(self.pending(order), self.sales_manager, "created")

    def test_who_changes_the_order_while_pending_cannot_approve(self):
        order = self.held()
        request = self.pending(order)
        order.with_user(self.sales_manager).write(
            {"order_line": [Command.create(self.line_at(100))]}
        )
        self.assertEqual(request.state, "pending")  # the lines below policy are as requested
        self.assertEqual(request.changed_by_ids, self.sales_manager)
        self.assertEqual(self.log(order, "change_pending").user_id, self.sales_manager)
        self.refused(request, self.sales_manager, "changed")

    def test_a_rep_and_a_warehouse_user_cannot_decide(self):
        order = self.held()
        request = self.pending(order)
        with self.assertRaises(AccessError):
            request.with_user(self.rep).action_approve()
        with self.assertRaises(AccessError):
            request.with_user(self.rep_2).action_reject("no")
        with self.assertRaises(AccessError):
            request.with_user(self.warehouse_user).action_approve()
        with self.assertRaises(AccessError):
            request.with_user(self.portal).action_approve()
        self.assertEqual((request.state, order.state), ("pending", "draft"))
        self.assertFalse(request.decision_ids)


@tagged("post_install", "-at_install")
class TestPriceReads(PriceCase):
    """Margins and costs go to those who decide prices; the panel follows the reader's rights."""

    def panel(self, user, order):
        return call_rpc(
            self.env(user=user), "distribution.approval.request", "get_price_panel_data",
            "sale.order", order.id,
        )

    def test_the_credit_panel_history_lists_credit_decisions_only(self):
        """The credit panel's history is the customer's credit decisions: a price approval of
        the same customer is not one of them (it is in the price panel and the audit log)."""
        self.company.write({"account_use_credit_limit": True, "dg_credit_hold_active": True})
        self.customer.with_company(self.company).credit_limit = 1_000_000
        order = self.approved()
        self.assertEqual(len(self.log(order, "approve")), 1)
        data = call_rpc(
            self.env(user=self.sales_manager), "distribution.approval.request", "get_panel_data",
            "sale.order", order.id,
        )
        self.assertEqual(data["audience"], "credit")
        self.assertEqual(data["history"], [])

    def test_the_rep_sees_deviation_not_margin(self):
        order = self.held()
        data = self.panel(self.rep, order)
        self.assertEqual(data["hold_state"], "on_hold")
        self.assertFalse(data["show_margins"])
        row = data["lines"][0]
        self.assertEqual((row["pricelist_price"], row["net"], row["deviation"], row["flag"]),
                         (100.0, 80.0, 20.0, "discount"))
        self.assertNotIn("margin", row)
        self.assertNotIn("cost", row)
        self.assertFalse(data["margin_floor"])
        self.assertEqual(data["request"]["state"], "pending")
        self.assertFalse(data["request"]["can_decide"])
        with self.assertRaises(AccessError):
            order.order_line.with_user(self.rep).read(["dg_margin_percent"])
        self.assertAlmostEqual(
            order.order_line.with_user(self.rep).read(["dg_price_deviation"])[0]["dg_price_deviation"], 20.0
        )

    def test_the_manager_sees_the_margin_and_decides(self):
        order = self.held()
        data = self.panel(self.sales_manager, order)
        self.assertTrue(data["show_margins"])
        self.assertAlmostEqual(data["lines"][0]["margin"], 25.0)  # (80 - 60) / 80
        self.assertAlmostEqual(data["lines"][0]["cost"], 60.0)
        self.assertTrue(data["request"]["can_decide"])
        self.assertAlmostEqual(
            order.order_line.with_user(self.sales_manager).dg_margin_percent, 25.0
        )

    def test_a_second_rep_and_a_portal_customer_read_nothing(self):
        order = self.held()
        with self.assertRaises(AccessError):
            self.panel(self.rep_2, order)
        with self.assertRaises(AccessError):
            self.pending(order).with_user(self.rep_2).read(["hold_reason"])
        with self.assertRaises(AccessError):
            self.panel(self.portal, order)

    def test_a_warehouse_user_sees_the_hold_without_margins(self):
        order = self.held()
        data = self.panel(self.warehouse_user, order)
        self.assertFalse(data["show_margins"])
        self.assertNotIn("margin", data["lines"][0])
        self.assertFalse(data["request"])  # not his to read

    def test_the_portal_customer_reads_no_panel_of_his_own_order(self):
        order = self.held(partner=self.portal.partner_id)
        order.message_subscribe(partner_ids=self.portal.partner_id.ids)
        self.assertEqual(order.with_user(self.portal).read(["name"])[0]["name"], order.name)
        self.assertEqual(self.panel(self.portal, order), {"visible": False})
        with self.assertRaises(AccessError):
            order.order_line.with_user(self.portal).read(["dg_margin_percent"])

    def test_the_panel_on_the_request_form(self):
        order = self.held()
        request = self.pending(order)
        data = call_rpc(self.env(user=self.sales_manager), "distribution.approval.request",
                        "get_price_panel_data", "distribution.approval.request", request.id)
        self.assertEqual(data["order_id"], order.id)
        self.assertTrue(data["show_margins"])
        with self.assertRaises(AccessError):
            call_rpc(self.env(user=self.rep_2), "distribution.approval.request",
                     "get_price_panel_data", "distribution.approval.request", request.id)
        with self.assertRaises(UserError):
            call_rpc(self.env(user=self.rep), "distribution.approval.request",
                     "get_price_panel_data", "res.partner", self.customer.id)

    def test_bad_input(self):
        for args in (("sale.order", "x"), ("sale.order", [1]), (None, 1), ("sale.order", 10**12)):
            with self.subTest(args), self.assertRaises(UserError):
                call_rpc(self.env(user=self.rep), "distribution.approval.request",
                         "get_price_panel_data", *args)
        with self.assertRaises(AccessError):
            call_rpc(self.env(user=self.rep), "sale.order", "_dg_price_panel", [1])
