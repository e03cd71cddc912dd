from datetime import timedelta

import psycopg2
from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged
from odoo.tools import format_amount, mute_logger

from .common import CreditCase


@tagged("post_install", "-at_install")
class TestCreditExposure(CreditCase):
    def test_exposure_equals_an_independent_computation(self):
        self.invoice(300)
        self.invoice(50, refund=True)
        self.invoice(999, post=False)  # drafts do not count
        self.customer.with_company(self.company).credit_limit = 100000
        confirmed = self.order(4, taxed=True)
        confirmed.action_confirm()
        partly = self.order(10)
        partly.action_confirm()
        self.assertEqual((confirmed.state, partly.state), ("sale", "sale"))
        partly.sudo()._create_invoices().action_post()
        partly.order_line.product_uom_qty = 12  # 2 more still to invoice
        self.invoice(200, days_due=-45)  # overdue beyond the 30-day tolerance
        at_hand = self.order(3, taxed=True)

        exposure = self.env["res.partner"]._dg_credit_exposure(self.customer, self.company, at_hand)

        moves = self.env["account.move"].search(
            [("partner_id", "=", self.customer.id), ("state", "=", "posted"),
             ("move_type", "in", ("out_invoice", "out_refund"))]
        )
        receivables = sum(moves.mapped("amount_residual_signed"))
        orders = self.env["sale.order"].search(
            [("partner_id", "=", self.customer.id), ("state", "=", "sale")]
        )
        uninvoiced = sum(orders.mapped("amount_to_invoice"))
        self.assertAlmostEqual(receivables, 300 + 200 + 1000 - 50, places=2)
        self.assertAlmostEqual(exposure["receivables"], receivables, places=2)
        self.assertAlmostEqual(uninvoiced, 440 + 200, places=2)
        self.assertAlmostEqual(exposure["uninvoiced"], uninvoiced, places=2)
        self.assertAlmostEqual(exposure["this_order"], 330, places=2)
        self.assertAlmostEqual(exposure["total"], receivables + uninvoiced + 330, places=2)
        self.assertEqual(exposure["limit"], 100000)
        self.assertEqual(exposure["overdue_count"], 1)
        self.assertAlmostEqual(exposure["overdue"], 200, places=2)


@tagged("post_install", "-at_install")
class TestCreditHold(CreditCase):
    def test_hold_at_confirmation_requests_approval_and_notifies(self):
        order = self.order(11)  # 1,100 > 1,000
        result = order.with_user(self.rep).action_confirm()
        # the requester is asked for a justification, in a dialog
        self.assertEqual(result["res_model"], "distribution.credit.justify.wizard")
        self.assertEqual(result["context"]["dg_request_id"], self.request_of(order).id)
        self.assertEqual(order.state, "draft")
        self.assertEqual(order.dg_credit_hold, "on_hold")
        self.assertIn("exceeds the limit", order.dg_hold_reason)
        currency = self.company.currency_id
        self.assertIn(format_amount(self.env, 1100, currency), order.dg_hold_reason)
        self.assertIn(format_amount(self.env, 1000, currency), order.dg_hold_reason)
        request = self.request_of(order)
        self.assertEqual(len(request), 1)
        self.assertEqual((request.requester_id, request.salesperson_id), (self.rep, self.rep))
        self.assertAlmostEqual(request.amount, 1100)
        self.assertAlmostEqual(request.exposure_total, 1100)
        self.assertEqual(request.credit_limit, 1000)
        self.assertEqual(request.approvals_required, 1)
        exception = self.env["distribution.exception"].search(
            [("type_code", "=", "credit_hold"), ("sale_order_id", "=", order.id)]
        )
        self.assertEqual(exception.state, "new")
        self.assertEqual(request.exception_id, exception)
        notified = request.sudo().activity_ids.user_id
        self.assertIn(self.approver, notified)
        self.assertNotIn(self.rep, notified)
        self.assertEqual(len(self.log(order, "request")), 1)
        self.assertIn(order, self.env["sale.order"].search([("dg_credit_hold", "=", "on_hold")]))

    def test_hold_is_opt_in_so_odoo_credit_limit_still_only_warns(self):
        self.company.dg_credit_hold_active = False
        order = self.order(11)
        order.with_user(self.rep).action_confirm()
        self.assertEqual((order.state, order.dg_credit_hold), ("sale", "none"))
        self.assertFalse(order.dg_approval_request_ids)
        panel = self.env["distribution.approval.request"].get_panel_data("sale.order", order.id)
        self.assertFalse(panel["visible"])

    def test_within_limit_confirms(self):
        order = self.order(9)
        order.with_user(self.rep).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.dg_credit_hold, "none")

    def test_overdue_invoices_hold_even_within_limit(self):
        self.invoice(10, days_due=-40)
        order = self.order(1)
        order.with_user(self.rep).action_confirm()
        self.assertEqual(order.dg_credit_hold, "on_hold")
        self.assertIn("overdue", order.dg_hold_reason)

    def test_bypasses_are_blocked(self):
        order = self.order(11)
        order.with_user(self.rep).action_confirm()
        # writing the state directly over RPC
        with self.assertRaisesRegex(UserError, "credit hold"):
            order.with_user(self.rep).write({"state": "sale"})
        # confirming again, even as a sales manager
        order.with_user(self.sales_manager).action_confirm()
        self.assertEqual(order.state, "draft")
        # a duplicated quotation starts without the hold and meets the same check
        copy = order.with_user(self.rep).copy()
        self.assertEqual(copy.dg_credit_hold, "none")
        copy.with_user(self.rep).action_confirm()
        self.assertEqual(copy.state, "draft")
        self.assertEqual(copy.dg_credit_hold, "on_hold")
        self.assertEqual(len(self.request_of(copy)), 1)

    def test_hold_at_delivery_confirms_but_blocks_every_validation_path(self):
        self.company.dg_credit_hold_point = "delivery"
        self.item.type = "consu"
        self.item.is_storable = True
        self.set_stock(self.item, 50)
        order = self.order(11)
        order.with_user(self.rep).action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.dg_credit_hold, "on_hold")
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.write({"quantity": 11, "picked": True})
        with self.assertRaisesRegex(UserError, "credit hold"):
            picking.button_validate()
        with self.assertRaisesRegex(UserError, "credit hold"):
            picking._action_done()
        self.assertNotEqual(picking.state, "done")
        self.request_of(order).with_user(self.approver).action_approve("Known customer")
        self.assertEqual(order.dg_credit_hold, "released")
        picking.button_validate()
        self.assertEqual(picking.state, "done")

    def test_approval_releases_and_confirms_with_trail(self):
        order = self.order(11)
        order.with_user(self.rep).action_confirm()
        request = self.request_of(order)
        request.with_user(self.approver).action_approve("Paid by wire today")
        self.assertEqual(request.state, "approved")
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.dg_credit_hold, "released")
        exception = request.exception_id
        self.assertEqual(exception.state, "resolved")
        self.assertEqual(exception.resolution_id.code, "released")
        self.assertFalse(request.sudo().activity_ids)
        events = self.env["distribution.audit.log"].search(
            [("sale_order_id", "=", order.id)], order="id"
        ).mapped("event")
        self.assertEqual(events, ["request", "approve", "release"])
        approve = self.log(order, "approve")
        self.assertEqual(approve.user_id, self.approver)
        self.assertEqual(approve.reason, "Paid by wire today")
        self.assertAlmostEqual(approve.amount, 1100)
        # the requester is told on the request; the customer (a follower of the order) is not
        told = request.sudo().message_ids.filtered(lambda m: "released" in (m.body or ""))
        self.assertIn(self.rep.partner_id, told.notification_ids.res_partner_id)
        self.assertIn(self.customer, order.message_partner_ids)
        on_order = order.message_ids.filtered(lambda m: "released" in (m.body or ""))
        self.assertTrue(on_order)
        self.assertFalse(on_order.notification_ids)

    def test_segregation_of_duties_refuses_and_logs(self):
        order = self.order(11)
        order.with_user(self.rep).action_confirm()
        request = self.request_of(order)
        self.rep.groups_id |= self.env.ref("distribution_governance.group_override_approver")
        with self.assertRaisesRegex(AccessError, "another approver"):
            request.with_user(self.rep).action_approve()
        # the salesperson, even when someone else requested
        order2 = self.order(12, user=self.sales_manager)
        order2.user_id = self.approver
        order2.with_user(self.sales_manager).action_confirm()
        with self.assertRaisesRegex(AccessError, "salesperson"):
            self.request_of(order2).with_user(self.approver).action_approve()
        # the administrator who requested cannot approve either
        order3 = self.order(13, user=self.admin)
        order3.user_id = self.rep
        order3.with_user(self.admin).action_confirm()
        with self.assertRaisesRegex(AccessError, "another approver"):
            self.request_of(order3).with_user(self.admin).action_approve()
        # an approver without the tier's group
        with self.assertRaisesRegex(AccessError, "needs the group"):
            request.with_user(self.sales_manager).action_approve()
        # each refusal is in the log, and nothing was decided
        self.assertEqual(len(self.log(order, "self_approval_refused")), 1)
        self.assertEqual(len(self.log(order2, "self_approval_refused")), 1)
        self.assertEqual(len(self.log(order3, "self_approval_refused")), 1)
        self.assertEqual(len(self.log(order, "unauthorized_refused")), 1)
        self.assertEqual(request.state, "pending")
        self.assertFalse(request.decision_ids)

    def test_credit_hold_exception_closes_only_with_the_decision(self):
        order = self.order(11)
        order.with_user(self.rep).action_confirm()
        exception = self.request_of(order).exception_id
        released = exception.type_id.resolution_code_ids.filtered(lambda r: r.code == "released")
        with self.assertRaisesRegex(UserError, "credit decision"):
            exception.with_user(self.warehouse_manager).action_resolve(released.id)
        self.assertEqual(exception.state, "new")
        self.assertEqual(order.dg_credit_hold, "on_hold")
        row = self.env["distribution.exception"].get_panel_data("sale.order", order.id)["exceptions"][0]
        self.assertFalse(row["can_resolve"])
        self.assertIn("credit decision", row["why_not_resolve"])

    def test_rejection_needs_a_reason(self):
        order = self.order(11)
        order.with_user(self.rep).action_confirm()
        request = self.request_of(order)
        with self.assertRaisesRegex(UserError, "reason"):
            request.with_user(self.finance).action_reject("  ")
        request.with_user(self.finance).action_reject("Two invoices unpaid since summer")
        self.assertEqual(request.state, "rejected")
        self.assertEqual(order.dg_credit_hold, "rejected")
        self.assertEqual(order.state, "draft")
        self.assertEqual(request.exception_id.resolution_id.code, "rejected")
        with self.assertRaisesRegex(UserError, "no longer pending"):
            request.with_user(self.approver).action_approve()
        self.assertEqual(self.log(order, "reject").reason, "Two invoices unpaid since summer")

    def test_large_amount_needs_two_distinct_approvers(self):
        self.customer.with_company(self.company).credit_limit = 5000
        order = self.order(120)  # 12,000: the two-approver tier
        order.with_user(self.rep).action_confirm()
        request = self.request_of(order)
        self.assertEqual(request.approvals_required, 2)
        request.with_user(self.approver).action_approve("ok 1")
        self.assertEqual(request.state, "pending")
        self.assertEqual(order.state, "draft")
        with self.assertRaisesRegex(UserError, "already decided"):
            request.with_user(self.approver).action_approve("again")
        request.with_user(self.finance).action_approve("ok 2")
        self.assertEqual(request.state, "approved")
        self.assertEqual(order.state, "sale")
        self.assertEqual(len(request.decision_ids), 2)

    def test_expiry_and_rehold_on_amount_increase(self):
        self.company.dg_credit_hold_point = "delivery"
        self.item.is_storable = True
        self.set_stock(self.item, 50)
        start = fields.Datetime.now()
        order = self.order(11)
        order.with_user(self.rep).action_confirm()
        self.request_of(order).with_user(self.approver).action_approve("ok")
        self.assertEqual(order.dg_credit_hold, "released")
        # a higher amount is not covered: back on hold with a new request
        order.with_user(self.rep).write(
            {"order_line": [Command.update(order.order_line.id, {"product_uom_qty": 15})]}
        )
        self.assertEqual(order.dg_credit_hold, "on_hold")
        self.assertEqual(len(self.log(order, "rehold")), 1)
        second = self.request_of(order)
        self.assertAlmostEqual(second.amount, 1500)
        second.with_user(self.finance).action_approve("ok at 1,500")
        self.assertEqual(order.dg_credit_hold, "released")
        # after its validity the approval expires and the undelivered order is held again
        with freeze_time(start + timedelta(hours=49)):
            expired = self.env["distribution.approval.request"]._cron_expire()
        self.assertIn(second, expired)
        self.assertEqual(second.state, "expired")
        self.assertEqual(order.dg_credit_hold, "on_hold")
        # the first approval was voided when the amount rose above it; the second expired
        self.assertEqual(len(self.log(order, "void")), 1)
        self.assertEqual(len(self.log(order, "expire")), 1)
        self.assertEqual(len(self.log(order, "rehold")), 2)
        with self.assertRaisesRegex(UserError, "credit hold"):
            order.picking_ids.button_validate()

    def test_an_expired_approval_of_another_kind_leaves_the_credit_hold(self):
        """Only a credit approval's expiry decides the credit again: the expiry of another
        kind's approval on a credit-released order (a kind without its own expiry handling)
        neither holds the order nor logs a re-hold."""
        self.company.dg_credit_hold_point = "delivery"
        self.item.is_storable = True
        self.set_stock(self.item, 50)
        start = fields.Datetime.now()
        order = self.order(11)
        order.with_user(self.rep).action_confirm()
        self.request_of(order).with_user(self.approver).action_approve("ok")
        self.assertEqual(order.dg_credit_hold, "released")
        other = self.env["distribution.approval.request"].sudo().create(
            {
                "kind": "return_authorization",
                "company_id": self.company.id,
                "sale_order_id": order.id,
                "requester_id": self.rep.id,
                "currency_id": self.company.currency_id.id,
            }
        )
        other.write({"state": "approved", "approved_until": start + timedelta(hours=1)})
        with freeze_time(start + timedelta(hours=2)):
            expired = self.env["distribution.approval.request"]._cron_expire()
        self.assertEqual(expired, other)
        self.assertEqual(order.dg_credit_hold, "released")
        self.assertFalse(self.log(order, "rehold"))
        # the credit approval's own expiry still holds it again
        with freeze_time(start + timedelta(hours=49)):
            self.env["distribution.approval.request"]._cron_expire()
        self.assertEqual(order.dg_credit_hold, "on_hold")
        self.assertEqual(len(self.log(order, "rehold")), 1)

    def test_audit_log_is_append_only_for_everyone(self):
        order = self.order(11)
        order.with_user(self.rep).action_confirm()
        entry = self.log(order, "request")
        for env_user in (self.admin, self.approver):
            with self.assertRaises(AccessError):
                entry.with_user(env_user).write({"reason": "edited"})
            with self.assertRaises(AccessError):
                entry.with_user(env_user).unlink()
        with self.assertRaises(AccessError):
            entry.sudo().write({"reason": "edited"})
        with self.assertRaises(AccessError):
            entry.sudo().unlink()
        with self.assertRaises(AccessError):
            self.env["distribution.audit.log"].with_user(self.admin).create(
                {"event": "approve", "user_id": self.admin.id, "company_id": self.company.id}
            )
        with self.assertRaises(psycopg2.Error), self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
            self.env.cr.execute("UPDATE distribution_audit_log SET reason = 'x' WHERE id = %s", [entry.id])
        with self.assertRaises(psycopg2.Error), self.env.cr.savepoint(), mute_logger("odoo.sql_db"):
            self.env.cr.execute("DELETE FROM distribution_audit_log WHERE id = %s", [entry.id])
        # the trail survives cancelling and resetting the order
        order.with_user(self.rep)._action_cancel()
        order.with_user(self.rep).action_draft()
        entry.invalidate_recordset()
        self.assertEqual(entry.reason, order.dg_hold_reason or entry.reason)
        self.assertTrue(entry.exists())
        self.assertEqual(entry.document_ref, order.name)

    def test_approvers_read_orders_they_decide_but_write_only_their_own(self):
        order = self.order(11)
        order.with_user(self.rep).action_confirm()
        other_rep = new_test_user(self.env, login="dg_rep_2", groups="sales_team.group_sale_salesman")
        with self.assertRaises(AccessError):
            order.with_user(other_rep).read(["name"])
        self.assertEqual(order.with_user(self.approver).read(["name"])[0]["name"], order.name)
        lines = order.with_user(self.approver).order_line
        self.assertEqual(len(lines), 1)
        self.assertEqual(lines.read(["price_subtotal"])[0]["price_subtotal"], 1100)
        with self.assertRaises(AccessError):
            order.with_user(self.approver).write({"note": "approver edits"})
        # a stock manager without any sales group still reads every order
        pure = new_test_user(self.env, login="dg_pure_wh", groups="stock.group_stock_manager")
        self.assertTrue(order.with_user(pure).read(["name"]))

    def test_systray_counts_pending_approvals_for_approvers_only(self):
        order = self.order(11)
        order.with_user(self.rep).action_confirm()
        Exception_ = self.env["distribution.exception"]
        approver_data = Exception_.with_user(self.approver).get_systray_data()
        self.assertEqual(approver_data["pending_approvals"], 1)
        # the approver manages exceptions too: the company's breaches are theirs to see
        self.assertEqual(approver_data["breached"], 0)
        rep_data = Exception_.with_user(self.rep).get_systray_data()
        self.assertTrue(rep_data["can_work"])
        self.assertNotIn("pending_approvals", rep_data)
        self.assertNotIn("breached", rep_data)
        plain = new_test_user(self.env, login="dg_plain_tray", groups="base.group_user")
        self.assertEqual(Exception_.with_user(plain).get_systray_data(), {"can_work": False})
        self.request_of(order).with_user(self.approver).action_approve()
        self.assertEqual(Exception_.with_user(self.approver).get_systray_data()["pending_approvals"], 0)

    def test_panel_data_tells_the_requester_why_not(self):
        order = self.order(11)
        order.with_user(self.rep).action_confirm()
        Request = self.env["distribution.approval.request"]
        as_rep = Request.with_user(self.rep).get_panel_data("sale.order", order.id)
        self.assertTrue(as_rep["visible"])
        self.assertEqual(as_rep["hold_state"], "on_hold")
        self.assertFalse(as_rep["request"]["can_decide"])
        self.assertIn(self.approver.name, as_rep["request"]["waiting_for"])
        self.assertNotIn(self.rep.name, as_rep["request"]["waiting_for"])
        self.assertAlmostEqual(as_rep["exposure"]["this_order"], 1100)
        as_approver = Request.with_user(self.approver).get_panel_data("sale.order", order.id)
        self.assertTrue(as_approver["request"]["can_decide"])
        to_decide = [("can_decide", "=", True)]
        self.assertIn(self.request_of(order), Request.with_user(self.approver).search(to_decide))
        self.assertNotIn(self.request_of(order), Request.with_user(self.rep).search(to_decide))
