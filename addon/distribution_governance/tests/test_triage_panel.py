"""The exception panel's part of issue 16: its rows say who may notify the customer (the button
shows only then; the action refuses anyway), and the suggestion call the panel makes answers for
the panel's exceptions the caller reads, nothing else."""

from odoo.exceptions import UserError
from odoo.tests import tagged

from .test_customer_notice import PROMISE, NoticeCase

EXCEPTION = "distribution.exception"


@tagged("post_install", "-at_install")
class TestTriagePanel(NoticeCase):
    def row(self, user, order, exc):
        data = self.env[EXCEPTION].with_user(user).get_panel_data("sale.order", order.id)
        return next(row for row in data["exceptions"] if row["id"] == exc.id)

    def test_notify_customer_in_the_rows_as_the_action_decides(self):
        order, exc = self.stockout(self.english)
        # open, no code chosen yet, no revised promise: nothing to tell the customer
        self.assertFalse(self.row(self.rep, order, exc)["can_notify_customer"])
        with self.assertRaises(UserError):
            exc.with_user(self.rep).action_notify_customer()

        exc.with_user(self.rep).promise_date = PROMISE
        self.assertTrue(self.row(self.rep, order, exc)["can_notify_customer"])
        action = exc.with_user(self.rep).action_notify_customer()
        self.assertEqual(action["res_model"], "mail.compose.message")
        self.assertEqual(action["context"]["default_res_ids"], order.ids)

        # cancelled, there is nothing to tell: the row says so, the action refuses
        exc.with_user(self.warehouse_manager).action_cancel(reason="Duplicate")
        manager_view = self.env[EXCEPTION].with_user(self.warehouse_manager)
        self.assertFalse(exc.with_user(self.warehouse_manager).can_notify_customer)
        with self.assertRaises(UserError):
            exc.with_user(self.warehouse_manager).action_notify_customer()
        self.assertNotIn(
            exc.id,
            [r["id"] for r in manager_view.get_panel_data("sale.order", order.id)["exceptions"]],
            "the panel lists open exceptions only",
        )

    def test_suggestions_for_the_panel_exceptions_the_caller_reads(self):
        order, exc = self.stockout(self.english)
        other_order = self.env["sale.order"].create(
            {
                "partner_id": self.english.id,
                "user_id": self.other_rep.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [(0, 0, {"product_id": self.product.id, "product_uom_qty": 3})],
            }
        )
        other_order.action_confirm()
        other = self.exceptions(sale_order_id=other_order.id, type_code="stockout")
        self.assertEqual(len(other), 1)
        Exc = self.env[EXCEPTION].with_user(self.rep)
        ids = [row["id"] for row in Exc.get_panel_data("sale.order", order.id)["exceptions"]]
        self.assertEqual(ids, exc.ids)
        answered = Exc.get_triage_suggestion(ids + other.ids)
        # the other rep's order is not his: its exception is not answered for
        self.assertEqual([s["exception_id"] for s in answered], exc.ids)
        suggestion = answered[0]
        self.assertIn(suggestion["basis"], ("similar", "type_default"))
        for part in ("owner", "severity", "resolution"):
            self.assertIn(part, suggestion["can_apply"])
        self.assertFalse(
            set(suggestion["similar_ids"]) - set(Exc.search([("id", "in", suggestion["similar_ids"])]).ids)
        )
