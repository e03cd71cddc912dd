"""The shortcuts the hot paths take (issue 17, `npm run bench:overhead`) keep their guarantees:
a confirmation computes the customer's exposure once, yet an order confirmed by a write is
decided again on what changed since its last decision; the stockout reads the free stock Odoo
shows."""

from unittest.mock import patch

from odoo.exceptions import UserError
from odoo.tests import tagged

from .common import CreditCase


@tagged("post_install", "-at_install")
class TestHotPaths(CreditCase):
    def count_exposures(self):
        Partner = type(self.env["res.partner"])
        original = Partner._dg_credit_exposure
        calls = []

        def counting(model, *args, **kwargs):
            calls.append(args)
            return original(model, *args, **kwargs)

        return calls, patch.object(Partner, "_dg_credit_exposure", counting)

    def test_confirmation_computes_the_exposure_once(self):
        order = self.order(4)
        calls, counting = self.count_exposures()
        with counting:
            order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertEqual(order.dg_credit_hold, "none")
        self.assertEqual(len(calls), 1)
        # over the limit: held at once, still one computation
        big = self.order(11)
        calls, counting = self.count_exposures()
        with counting:
            big.action_confirm()
        self.assertEqual(big.state, "draft")
        self.assertEqual(big.dg_credit_hold, "on_hold")
        self.assertEqual(len(calls), 1)

    def test_batch_confirmation_still_sees_each_order(self):
        first, second = self.order(6), self.order(6)
        (first | second).action_confirm()
        self.assertEqual(first.state, "sale")
        self.assertEqual(second.state, "draft")
        self.assertEqual(second.dg_credit_hold, "on_hold")

    def test_written_confirmed_after_its_decision_is_decided_again(self):
        """An order cleared as a quotation, then written confirmed after another order of the
        customer was confirmed: the clearance is not reused, the exposure is computed again."""
        cleared, other = self.order(6), self.order(6)
        cleared.sudo()._dg_credit_decide()
        self.assertEqual(cleared.dg_credit_hold, "none")
        other.action_confirm()
        self.assertEqual(other.state, "sale")
        with self.assertRaises(UserError) as refused:
            cleared.write({"state": "sale"})
        self.assertIn("on credit hold", str(refused.exception))
        cleared.invalidate_recordset()
        self.assertEqual(cleared.state, "draft")

    def test_stockout_reads_the_free_stock_odoo_shows(self):
        self.set_stock(self.product, 10)
        self.sell(self.product, 3)  # reserves 3
        Order = self.env["sale.order"]
        free = Order._dg_free_quantities(self.product, self.warehouse)
        shown = self.product.with_context(warehouse_id=self.warehouse.id).free_qty
        self.assertEqual(shown, 7)
        self.assertEqual(free, {self.product.id: 7})
        # 8 more: 1 missing, reported as a stockout with 7 free
        order = self.sell(self.product, 8)
        stockout = self.exceptions(sale_order_id=order.id, type_code="stockout")
        self.assertEqual(len(stockout), 1)
        self.assertEqual(stockout.quantity_actual, 7)
        self.assertEqual(stockout.quantity_missing, 1)

    def test_blocking_types_are_read_again_when_they_change(self):
        """Validation reads which exception types block deliveries from a registry cache: a type
        made blocking, created blocking or made informational again is seen at the next
        validation."""
        Type = self.env["distribution.exception.type"]
        self.set_stock(self.product, 10)
        self.ship(self.sell(self.product, 1).picking_ids, 1)  # the cache holds: none blocks
        self.assertEqual(Type._dg_delivery_blocking_ids(), ())

        def blocked_delivery(type_code):
            order = self.sell(self.product, 1)
            block = self.env["distribution.exception"]._raise_exception(
                type_code, f"test:block:{order.id}", {"sale_order_id": order.id}
            )
            with self.assertRaisesRegex(UserError, block.name):
                self.ship(order.picking_ids, 1)
            self.assertNotEqual(order.picking_ids.state, "done")
            return order

        urgent = self.env.ref("distribution_governance.exception_type_urgent_override")
        urgent.blocking = "delivery"
        order = blocked_delivery("urgent_override")
        urgent.blocking = "none"
        self.ship(order.picking_ids, 1)
        self.assertEqual(order.picking_ids.state, "done")
        created = Type.create({"name": "Customs hold", "code": "dg_test_customs", "blocking": "delivery"})
        order = blocked_delivery("dg_test_customs")
        created.active = False  # archived, its open exceptions still block
        with self.assertRaisesRegex(UserError, "exceptions are open"):
            self.ship(order.picking_ids, 1)
        self.assertEqual(Type._dg_delivery_blocking_ids(), (created.id,))
