from datetime import timedelta

import psycopg2

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, tagged
from odoo.tools import mute_logger

from .common import FlowCase


@tagged("post_install", "-at_install")
class TestExceptionDetection(FlowCase):
    """Exceptions are raised by Odoo's own flows, once per cause."""

    def test_order_beyond_stock_opens_one_stockout_with_the_missing_quantity(self):
        self.set_stock(self.product, 4)
        order = self.sell(self.product, 10)
        stockout = self.exceptions(type_code="stockout", sale_order_id=order.id)
        self.assertEqual(len(stockout), 1)
        self.assertEqual(stockout.state, "new")
        self.assertEqual(stockout.origin, "auto")
        self.assertEqual(stockout.quantity_expected, 10)
        self.assertEqual(stockout.quantity_actual, 4)
        self.assertEqual(stockout.quantity_missing, 6)
        self.assertEqual(stockout.product_id, self.product)
        self.assertEqual(stockout.partner_id, self.customer)
        self.assertEqual(stockout.warehouse_id, self.warehouse)
        self.assertTrue(stockout.name.startswith("EXC/"))
        # SLA of a high-severity stockout: 8 hours from now
        self.assertEqual(stockout.severity, "high")
        # (from its detection: the test's transaction, whose time create_date holds, may have
        # begun long before on a busy machine)
        self.assertLessEqual(stockout.create_date, stockout.detected_at)
        window = stockout.sla_deadline - stockout.detected_at
        self.assertAlmostEqual(window.total_seconds(), 8 * 3600, delta=5)
        # Re-running detection for the same cause never duplicates the open exception
        order._action_confirm()
        self.assertEqual(len(self.exceptions(type_code="stockout", sale_order_id=order.id)), 1)

    def test_order_within_stock_opens_nothing_and_lines_share_free_stock(self):
        self.set_stock(self.product, 10)
        within = self.sell(self.product, 10)
        self.assertFalse(self.exceptions(sale_order_id=within.id))
        # the stock is now reserved by the first order: a second one is short
        beyond = self.sell(self.product, 1)
        self.assertEqual(len(self.exceptions(type_code="stockout", sale_order_id=beyond.id)), 1)

    def test_short_pick_with_backorder(self):
        self.set_stock(self.product, 10)
        order = self.sell(self.product, 10)
        picking = order.picking_ids
        self.ship(picking, 7, backorder=True)
        self.assertEqual(picking.state, "done")
        self.assertEqual(len(picking.backorder_ids), 1)
        short = self.exceptions(type_code="short_pick", picking_id=picking.id)
        self.assertEqual(len(short), 1)
        self.assertEqual((short.quantity_expected, short.quantity_actual, short.quantity_missing), (10, 7, 3))
        self.assertEqual(short.sale_order_id, order)
        self.assertIn(picking.backorder_ids.name, short.description)

    def test_short_pick_without_backorder(self):
        self.set_stock(self.product, 10)
        order = self.sell(self.product, 10)
        picking = order.picking_ids
        self.ship(picking, 6, backorder=False)
        self.assertFalse(picking.backorder_ids)
        short = self.exceptions(type_code="short_pick", picking_id=picking.id)
        self.assertEqual(len(short), 1)
        self.assertEqual(short.quantity_missing, 4)

    def test_full_delivery_opens_no_short_pick(self):
        self.set_stock(self.product, 10)
        order = self.sell(self.product, 5)
        self.ship(order.picking_ids, 5)
        self.assertFalse(self.exceptions(type_code="short_pick", sale_order_id=order.id))

    def test_scrap_opens_damaged_goods(self):
        self.set_stock(self.product, 10)
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.product.id,
                "scrap_qty": 2,
                "location_id": self.stock_location.id,
                "company_id": self.company.id,
            }
        )
        scrap.action_validate()
        damaged = self.exceptions(type_code="damaged_goods", scrap_id=scrap.id)
        self.assertEqual(len(damaged), 1)
        self.assertEqual(damaged.quantity_actual, 2)

    def test_return_opens_return_inspection(self):
        self.set_stock(self.product, 10)
        order = self.sell(self.product, 5)
        delivery = self.ship(order.picking_ids, 5)
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_ids=delivery.ids, active_id=delivery.id, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.quantity = 2
        return_picking = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        self.assertFalse(self.exceptions(type_code="return", picking_id=return_picking.id))
        return_picking.move_ids.write({"quantity": 2, "picked": True})
        return_picking.button_validate()
        inspection = self.exceptions(type_code="return", picking_id=return_picking.id)
        self.assertEqual(len(inspection), 1)
        self.assertEqual(inspection.quantity_actual, 2)
        self.assertEqual(inspection.sale_order_id, order)
        # a return is incoming: no short-pick exception for it
        self.assertFalse(self.exceptions(type_code="short_pick", picking_id=return_picking.id))

    def test_late_shipment_detection_is_idempotent_and_closes_when_shipped(self):
        self.set_stock(self.product, 10)
        order = self.sell(self.product, 3)
        picking = order.picking_ids
        two_days_ago = fields.Datetime.now() - timedelta(days=2)
        picking.write({"scheduled_date": two_days_ago, "date_deadline": two_days_ago})
        on_time = self.sell(self.product, 1).picking_ids
        in_two_days = fields.Datetime.now() + timedelta(days=2)
        on_time.write({"scheduled_date": in_two_days, "date_deadline": in_two_days})
        Picking = self.env["stock.picking"]
        Picking._dg_cron_detect_late_shipments()
        Picking._dg_cron_detect_late_shipments()
        late = self.exceptions(type_code="late_shipment", picking_id=picking.id)
        self.assertEqual(len(late), 1)
        # the SLA runs from the promised date: two days late is already breached
        self.assertEqual(late.detected_at, picking.date_deadline)
        self.assertEqual(late.sla_status, "breached")
        self.assertFalse(self.exceptions(type_code="late_shipment", picking_id=on_time.id))
        # a commitment date in the future wins over a past scheduled date
        committed = self.sell(self.product, 1).picking_ids
        committed.write(
            {
                "scheduled_date": fields.Datetime.now() - timedelta(days=1),
                "date_deadline": fields.Datetime.now() + timedelta(days=3),
            }
        )
        Picking._dg_cron_detect_late_shipments()
        self.assertFalse(self.exceptions(type_code="late_shipment", picking_id=committed.id))
        self.ship(picking, 3)
        self.assertEqual(late.state, "resolved")
        self.assertEqual(late.resolution_id.code, "shipped")

    def test_late_delivery_rescheduled_after_its_exception_still_closes_it_when_shipped(self):
        """A validation looks up late-shipment exceptions only for the deliveries the check
        found late (not at every validation): one found late, then promised for later, still
        has its exception closed when it ships; nobody but the check marks or unmarks it."""
        self.set_stock(self.product, 10)
        picking = self.sell(self.product, 2).picking_ids
        yesterday = fields.Datetime.now() - timedelta(days=1)
        picking.write({"scheduled_date": yesterday, "date_deadline": yesterday})
        never_late = self.sell(self.product, 1).picking_ids
        self.assertFalse(picking.dg_late_raised)
        self.env["stock.picking"]._dg_cron_detect_late_shipments()
        late = self.exceptions(type_code="late_shipment", picking_id=picking.id)
        self.assertEqual(len(late), 1)
        self.assertTrue(picking.dg_late_raised)
        self.assertFalse(never_late.dg_late_raised)
        # a warehouse user writes transfers, not this mark: clearing it would leave the
        # exception open once the delivery ships
        as_user = picking.with_user(self.warehouse_user)
        with self.assertRaises(AccessError):
            as_user.write({"dg_late_raised": False})
        with self.assertRaises(AccessError):
            self.env["stock.picking"].with_user(self.warehouse_user).with_context(
                default_dg_late_raised=True
            ).create(
                {
                    "picking_type_id": self.warehouse.out_type_id.id,
                    "location_id": self.stock_location.id,
                    "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                }
            )
        self.assertFalse(picking.copy().dg_late_raised)
        # promised for next week now: not late any more, its exception still open
        next_week = fields.Datetime.now() + timedelta(days=7)
        as_user.write({"scheduled_date": next_week, "date_deadline": next_week})
        self.assertEqual(late.state, "new")
        self.ship(picking.with_user(self.warehouse_user), 2)
        self.assertEqual(picking.state, "done")
        self.assertEqual(late.state, "resolved")
        self.assertEqual(late.resolution_id.code, "shipped")

    def test_upgrade_marks_the_deliveries_of_existing_late_shipment_exceptions(self):
        """A database upgraded to the mark: the deliveries whose late-shipment exception the
        check opened before it existed are marked once, the others not (or their validation
        would leave those exceptions open)."""
        self.set_stock(self.product, 10)
        late = self.sell(self.product, 1).picking_ids
        yesterday = fields.Datetime.now() - timedelta(days=1)
        late.write({"scheduled_date": yesterday, "date_deadline": yesterday})
        on_time = self.sell(self.product, 1).picking_ids
        self.env["stock.picking"]._dg_cron_detect_late_shipments()
        self.assertTrue(self.exceptions(type_code="late_shipment", picking_id=late.id))
        self.env.flush_all()
        # the database as it was before the mark: no column; the upgrade's table update adds it
        self.env.cr.execute("ALTER TABLE stock_picking DROP COLUMN dg_late_raised")
        self.registry.init_models(
            self.env.cr, ["stock.picking"], {"module": "distribution_governance"}, install=False
        )
        self.env.invalidate_all()
        self.assertEqual((late.dg_late_raised, on_time.dg_late_raised), (True, False))
        self.ship(late, 1)
        self.assertEqual(
            self.exceptions(type_code="late_shipment", picking_id=late.id).state, "resolved"
        )

    def test_blocking_type_stops_delivery_validation(self):
        self.set_stock(self.product, 10)
        order = self.sell(self.product, 2)
        picking = order.picking_ids
        blocking_type = self.env.ref("distribution_governance.exception_type_urgent_override")
        blocking_type.blocking = "delivery"
        block = self.env["distribution.exception"]._raise_exception(
            "urgent_override", f"test:block:{order.id}", {"sale_order_id": order.id}
        )
        with self.assertRaisesRegex(UserError, block.name):
            self.ship(picking, 2)
        self.assertNotEqual(picking.state, "done")
        block.with_user(self.warehouse_manager).action_cancel()
        self.ship(picking, 2)
        self.assertEqual(picking.state, "done")

    def test_concurrent_raise_for_one_cause_keeps_one_open(self):
        Exception_ = self.env["distribution.exception"]
        first = Exception_._raise_exception("stockout", "test:race", {"product_id": self.product.id})
        # the partial unique index refuses a second open row for the cause, even written raw
        with self.assertRaises(psycopg2.errors.UniqueViolation), self.env.cr.savepoint(), mute_logger(
            "odoo.sql_db"
        ):
            Exception_.sudo().create(
                {"type_id": first.type_id.id, "cause_key": "test:race", "product_id": self.product.id}
            )
        self.assertEqual(Exception_.search_count([("cause_key", "=", "test:race")]), 1)
        first.with_user(self.warehouse_manager).action_cancel()
        second = Exception_._raise_exception("stockout", "test:race", {})
        self.assertNotEqual(first, second, "a closed cause may open again")
