from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import CreditCase

REQUEST = "distribution.approval.request"


@tagged("post_install", "-at_install")
class TestApprovalViews(CreditCase):
    """What the standard approval views and the credit panel read: "To decide" is a search on
    can_decide, the request form's panel shows its order's credit with the order's audience
    rules, and the order's form shows one credit message."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.held = cls.order(11)
        cls.held.with_user(cls.rep).action_confirm()
        cls.request = cls.held.dg_approval_request_ids
        cls.picker = new_test_user(cls.env, login="dg_av_picker", groups="stock.group_stock_user")

    def panel(self, user, model, res_id):
        return self.env[REQUEST].with_user(user).get_panel_data(model, res_id)

    def test_to_decide_is_the_requests_the_user_may_decide(self):
        Request = self.env[REQUEST]
        to_decide = [("can_decide", "=", True)]
        self.assertEqual(Request.with_user(self.approver).search(to_decide), self.request)
        self.assertEqual(Request.with_user(self.finance).search(to_decide), self.request)
        # the requester and salesperson reads it, and may not decide it
        self.assertEqual(Request.with_user(self.rep).search([]), self.request)
        self.assertFalse(Request.with_user(self.rep).search(to_decide))
        self.assertFalse(Request.with_user(self.picker).search([]), "not his request")
        # what the systray counts is what To decide lists
        self.assertEqual(
            Request.with_user(self.approver).get_pending_count(),
            Request.with_user(self.approver).search_count(to_decide),
        )
        self.request.with_user(self.approver).action_approve()
        self.assertFalse(Request.with_user(self.finance).search(to_decide))

    def test_the_list_reads_the_warehouse_and_the_share_of_the_limit(self):
        self.assertEqual(self.request.warehouse_id, self.held.warehouse_id)
        self.assertTrue(self.request.warehouse_id)
        # 1,100 of a 1,000 limit
        self.assertAlmostEqual(self.request.limit_used, 1.1)
        groups = self.env[REQUEST].with_user(self.approver)._read_group(
            [], ["warehouse_id", "state"], ["__count"]
        )
        self.assertIn((self.held.warehouse_id, "pending", 1), groups)

    def test_the_request_form_panel_shows_its_order_credit(self):
        as_approver = self.panel(self.approver, REQUEST, self.request.id)
        self.assertTrue(as_approver["visible"])
        self.assertEqual(as_approver["audience"], "credit")
        self.assertEqual(as_approver["order_id"], self.held.id)
        self.assertEqual(as_approver["request"]["id"], self.request.id)
        self.assertTrue(as_approver["request"]["can_decide"])
        self.assertAlmostEqual(as_approver["exposure"]["this_order"], 1100)
        self.assertTrue(as_approver["attention"])
        # the same credit as on the order's form
        on_order = self.panel(self.approver, "sale.order", self.held.id)
        self.assertEqual(on_order["exposure"], as_approver["exposure"])
        self.assertEqual(on_order["status"], as_approver["status"])
        # the requester: his order's figures, no decision
        as_rep = self.panel(self.rep, REQUEST, self.request.id)
        self.assertEqual(as_rep["audience"], "sales")
        self.assertFalse(as_rep["request"]["can_decide"])
        self.assertTrue(as_rep["request"]["can_justify"])
        self.assertTrue(as_rep["attention"], "he may still justify it")

    def test_the_request_form_panel_follows_the_request_rights(self):
        # a user who may not read the request gets nothing of it, not even the order's status
        with self.assertRaises(AccessError):
            self.panel(self.picker, REQUEST, self.request.id)
        other_company_user = new_test_user(
            self.env, login="dg_av_b", groups="stock.group_stock_manager",
            company_id=self.company_b.id, company_ids=[Command.set(self.company_b.ids)],
        )
        with self.assertRaises(AccessError):
            self.panel(other_company_user, REQUEST, self.request.id)
        with self.assertRaises(UserError):
            self.panel(self.approver, "res.partner", self.customer.id)

    def test_a_request_without_order_has_no_panel(self):
        orphan = self.env[REQUEST].create(
            {
                "kind": "inventory_adjustment",
                "company_id": self.company.id,
                "requester_id": self.rep.id,
                "currency_id": self.company.currency_id.id,
                "amount": 10.0,
            }
        )
        self.assertEqual(self.panel(self.approver, REQUEST, orphan.id), {"visible": False})

    def test_nothing_to_act_on_is_one_quiet_line(self):
        quiet = self.order(2)
        data = self.panel(self.rep, "sale.order", quiet.id)
        self.assertTrue(data["visible"])
        self.assertEqual(data["hold_state"], "none")
        self.assertFalse(data["attention"])
        self.assertEqual(data["status"], "")
        self.assertEqual(data["hold_reason"], "")
        # once released: nothing to act on either
        self.request.with_user(self.approver).action_approve()
        released = self.panel(self.rep, "sale.order", self.held.id)
        self.assertEqual(released["hold_state"], "released")
        self.assertFalse(released["attention"])

    def test_a_quotation_confirming_would_hold_says_so_before(self):
        over = self.order(12)
        data = self.panel(self.rep, "sale.order", over.id)
        self.assertEqual(data["hold_state"], "none")
        self.assertTrue(data["attention"])
        self.assertIn("Confirming puts the order on credit hold", data["status"])
        self.assertIn("exceeds the limit", data["hold_reason"])
        self.company.dg_credit_hold_point = "delivery"
        data = self.panel(self.rep, "sale.order", over.id)
        self.assertIn("the order's deliveries on credit hold", data["status"])
        # what the picker reads of it: nothing he may not (no figures, no reason)
        status_only = self.panel(self.picker, "sale.order", over.id)
        self.assertEqual(status_only["audience"], "status")
        self.assertFalse(status_only["exposure"])
        self.assertEqual(status_only["hold_reason"], "")

    def test_one_credit_message_on_the_order_form(self):
        """Odoo's credit-limit banner gives way to the panel for whoever reads its figures."""
        over = self.order(12)
        self.assertTrue(over.with_user(self.rep).dg_credit_banner_in_panel)
        self.assertTrue(over.with_user(self.approver).dg_credit_banner_in_panel)
        # a picker reads no figures in the panel: Odoo's banner stays his; so does a billing
        # user's, who has no governance role (no panel)
        self.assertFalse(over.with_user(self.picker).dg_credit_banner_in_panel)
        billing = new_test_user(self.env, login="dg_av_billing", groups="account.group_account_invoice")
        self.assertFalse(over.with_user(billing).dg_credit_banner_in_panel)
        # credit holds off: Odoo's banner alone says it, as in standard Odoo
        self.company.dg_credit_hold_active = False
        over.invalidate_recordset()
        self.assertFalse(over.with_user(self.rep).dg_credit_banner_in_panel)
        # the form hides the banner on that field
        arch = self.env["sale.order"].with_user(self.rep).get_views([(False, "form")])["views"][
            "form"
        ]["arch"]
        self.assertIn("dg_credit_banner_in_panel", arch)
