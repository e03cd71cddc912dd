from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.tests import Form, new_test_user, tagged

from .common import CreditCase

EXCEPTION = "distribution.exception"


@tagged("post_install", "-at_install")
class TestExceptionLifecycle(CreditCase):
    """What an exception's life leaves in the chatter of its order and transfer, what each
    action answers, and how a cancelled order or transfer settles its exceptions."""

    def messages(self, record, *texts):
        domain = [("model", "=", record._name), ("res_id", "=", record.id)]
        return self.env["mail.message"].search(domain + [("body", "ilike", t) for t in texts])

    def notes_about(self, document, exception, containing=""):
        """The notes of `document`'s chatter about `exception`."""
        return self.messages(document, exception.name, containing)

    def log_of(self, exception, containing):
        return self.messages(exception, containing)

    def assertLoggedForNobody(self, messages):
        self.assertTrue(messages)
        for message in messages:
            self.assertEqual(message.message_type, "notification")
            self.assertFalse(message.partner_ids)
            self.assertFalse(message.notification_ids, "a log notifies nobody")

    def stockout(self, qty=10, stock=4):
        if stock:
            self.set_stock(self.product, stock)
        order = self.sell(self.product, qty)
        exception = self.exceptions(type_code="stockout", sale_order_id=order.id)
        self.assertEqual(len(exception), 1)
        return order, exception

    def test_raise_escalate_resolve_are_noted_on_the_order(self):
        order, stockout = self.stockout()
        opened = self.notes_about(order, stockout)
        self.assertEqual(len(opened), 1)
        self.assertIn("Opened", opened.body)
        self.assertIn(f'data-oe-id="{stockout.id}"', opened.body, "links to the exception")
        with self.freeze(hours=9):
            self.env[EXCEPTION]._cron_escalate()
        escalated = self.notes_about(order, stockout) - opened
        self.assertEqual(len(escalated), 1)
        self.assertIn("escalated to level 1", escalated.body)
        result = stockout.with_user(self.exception_user).action_resolve(
            self.resolution("stockout", "stock_found").id, "Found on B-04"
        )
        resolved = self.notes_about(order, stockout) - opened - escalated
        self.assertEqual(len(resolved), 1)
        self.assertIn("Stock found", resolved.body)
        self.assertEqual(resolved.author_id, self.exception_user.partner_id)
        self.assertLoggedForNobody(opened | escalated | resolved)
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn(stockout.name, result["params"]["message"])
        self.assertIn("resolved", result["params"]["message"])

    def test_short_pick_is_noted_on_the_transfer_and_the_order(self):
        self.set_stock(self.product, 10)
        order = self.sell(self.product, 10)
        picking = self.ship(order.picking_ids, 7, backorder=False)
        short = self.exceptions(type_code="short_pick", picking_id=picking.id)
        self.assertLoggedForNobody(self.notes_about(picking, short))
        self.assertLoggedForNobody(self.notes_about(order, short))

    def test_the_credit_engine_notes_its_own_holds(self):
        order = self.order(11)
        order.with_user(self.rep).action_confirm()
        hold = self.request_of(order).exception_id
        self.assertEqual(hold.type_code, "credit_hold")
        # "On credit hold, approval ... requested" is the order's note; the exception adds none
        self.assertFalse(self.notes_about(order, hold))

    def test_actions_answer_what_they_did(self):
        __, stockout = self.stockout()
        as_user = stockout.with_user(self.exception_user)
        taken = as_user.action_take_ownership()
        self.assertEqual(taken["tag"], "display_notification")
        self.assertIn(stockout.name, taken["params"]["message"])
        # the notification then lets the screen reload (form, list, kanban, wizard)
        self.assertEqual(taken["params"]["next"], {"type": "ir.actions.act_window_close"})
        manager = stockout.with_user(self.warehouse_manager)
        assigned = manager.action_assign(self.warehouse_user.id)
        self.assertIn(self.warehouse_user.name, assigned["params"]["message"])
        self.assertIn("cancelled", manager.action_cancel("duplicate")["params"]["message"])
        self.assertIn("reopened", manager.action_reopen()["params"]["message"])

    def test_resolve_wizard_answers_with_the_result_of_the_playbook(self):
        __, stockout = self.stockout()
        buyer = new_test_user(
            self.env, login="dg_lc_buyer", groups="stock.group_stock_user,purchase.group_purchase_user"
        )
        context = {"active_model": EXCEPTION, "active_ids": stockout.ids}
        wizard = Form(self.env["distribution.exception.resolve.wizard"].with_user(buyer).with_context(context))
        wizard.resolution_id = self.resolution("stockout", "replenish")
        result = wizard.save().action_resolve()
        self.assertEqual(stockout.state, "resolved")
        self.assertIn(stockout.result_purchase_id.name, result["params"]["message"])

    def test_cancelling_an_order_closes_its_stockouts(self):
        order, stockout = self.stockout()
        other_order, other = self.stockout(qty=20, stock=0)
        order._action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(stockout.state, "resolved")
        self.assertEqual(stockout.resolution_id.code, "cancelled_document")
        self.assertTrue(self.log_of(stockout, "order was cancelled"))
        self.assertLoggedForNobody(self.notes_about(order, stockout, "order was cancelled"))
        self.assertEqual(other.state, "new", "another order's stockout stays open")

    def test_cancelling_the_rest_of_a_short_delivery_settles_its_short_pick(self):
        self.set_stock(self.product, 10)
        order = self.sell(self.product, 10)
        picking = self.ship(order.picking_ids, 7, backorder=True)
        short = self.exceptions(type_code="short_pick", picking_id=picking.id)
        self.assertEqual(short.state, "new")
        picking.backorder_ids.with_user(self.warehouse_user).action_cancel()
        self.assertEqual(short.state, "resolved")
        self.assertEqual(short.resolution_id.code, "cancel_remainder")
        self.assertTrue(self.log_of(short, picking.backorder_ids.name))
        self.assertLoggedForNobody(self.notes_about(picking, short, "was cancelled"))

    def test_cancelling_an_order_with_a_short_delivery_closes_the_short_pick(self):
        self.set_stock(self.product, 10)
        order = self.sell(self.product, 10)
        picking = self.ship(order.picking_ids, 7, backorder=True)
        short = self.exceptions(type_code="short_pick", picking_id=picking.id)
        order._action_cancel()
        self.assertEqual(picking.backorder_ids.state, "cancel")
        self.assertEqual(short.state, "resolved")

    def freeze(self, hours):
        return freeze_time(fields.Datetime.now() + timedelta(hours=hours))
