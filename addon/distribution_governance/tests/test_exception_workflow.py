from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import FlowCase


@tagged("post_install", "-at_install")
class TestExceptionPlaybooks(FlowCase):
    """Resolving with a playbook code performs the real Odoo operation."""

    def short_pick(self, picked, backorder):
        self.set_stock(self.product, 10)
        order = self.sell(self.product, 10)
        picking = self.ship(order.picking_ids, picked, backorder=backorder)
        return self.exceptions(type_code="short_pick", picking_id=picking.id), picking

    def test_short_pick_without_backorder_playbook_creates_the_missing_delivery(self):
        short, picking = self.short_pick(6, backorder=False)
        short.with_user(self.exception_user).action_resolve(
            self.resolution("short_pick", "backorder").id, "Rest ships Monday"
        )
        new = short.result_picking_id
        self.assertTrue(new)
        self.assertEqual(new.backorder_id, picking)
        self.assertEqual(new.picking_type_id, picking.picking_type_id)
        self.assertEqual(new.move_ids.product_id, self.product)
        self.assertEqual(new.move_ids.product_uom_qty, 4)
        self.assertIn(new.state, ("confirmed", "assigned"))
        self.assertEqual(new.move_ids.sale_line_id, picking.move_ids.sale_line_id)
        self.assertEqual(short.state, "resolved")
        self.assertEqual(short.resolved_by_id, self.exception_user)
        self.assertEqual(short.resolution_note, "Rest ships Monday")
        self.assertTrue(short.resolved_at)

    def test_short_pick_with_backorder_cancel_remainder_cancels_the_backorder(self):
        short, picking = self.short_pick(7, backorder=True)
        backorder = picking.backorder_ids
        self.assertEqual(backorder.move_ids.product_uom_qty, 3)
        short.with_user(self.exception_user).action_resolve(
            self.resolution("short_pick", "cancel_remainder").id
        )
        self.assertEqual(backorder.state, "cancel")
        self.assertEqual(short.state, "resolved")

    def test_short_pick_with_backorder_playbook_reuses_the_open_backorder(self):
        short, picking = self.short_pick(7, backorder=True)
        short.action_resolve(self.resolution("short_pick", "backorder").id)
        self.assertEqual(short.result_picking_id, picking.backorder_ids)
        self.assertEqual(len(picking.backorder_ids), 1)

    def test_stockout_replenish_creates_an_rfq_for_the_missing_quantity(self):
        self.set_stock(self.product, 1)
        order = self.sell(self.product, 5)
        stockout = self.exceptions(type_code="stockout", sale_order_id=order.id)
        # an RFQ takes purchase rights (see test_playbook_rights)
        buyer = new_test_user(
            self.env,
            login="dg_buyer_wf",
            groups="stock.group_stock_user,purchase.group_purchase_user",
        )
        stockout.with_user(buyer).action_resolve(self.resolution("stockout", "replenish").id)
        self.assertEqual(stockout.resolved_by_id, buyer)
        rfq = stockout.result_purchase_id
        self.assertEqual(rfq.partner_id, self.vendor)
        self.assertEqual(rfq.state, "draft")
        self.assertEqual(rfq.order_line.product_id, self.product)
        self.assertEqual(rfq.order_line.product_qty, 4)
        self.assertEqual(rfq.origin, stockout.name)

    def test_stockout_replenish_without_vendor_is_refused_and_stays_open(self):
        orphan = self.env["product.product"].create({"name": "DG No Vendor", "is_storable": True})
        order = self.sell(orphan, 3)
        stockout = self.exceptions(type_code="stockout", sale_order_id=order.id)
        with self.assertRaisesRegex(UserError, "no vendor"):
            stockout.action_resolve(self.resolution("stockout", "replenish").id)
        self.assertEqual(stockout.state, "new")
        self.assertFalse(self.env["purchase.order"].search([("origin", "=", stockout.name)]))

    def test_damaged_goods_replacement_creates_a_new_delivery(self):
        self.set_stock(self.product, 10)
        order = self.sell(self.product, 4)
        picking = order.picking_ids
        picking.action_assign()
        scrap = self.env["stock.scrap"].create(
            {
                "product_id": self.product.id,
                "scrap_qty": 1,
                "picking_id": picking.id,
                "location_id": self.stock_location.id,
                "company_id": self.company.id,
            }
        )
        scrap.action_validate()
        damaged = self.exceptions(type_code="damaged_goods", scrap_id=scrap.id)
        self.assertEqual(damaged.picking_id, picking)
        damaged.with_user(self.exception_user).action_resolve(
            self.resolution("damaged_goods", "replacement").id
        )
        replacement = damaged.result_picking_id
        self.assertEqual(replacement.picking_type_code, "outgoing")
        self.assertEqual(replacement.partner_id, self.customer)
        self.assertEqual(replacement.move_ids.product_uom_qty, 1)

    def test_return_scrap_after_failed_inspection(self):
        self.set_stock(self.product, 10)
        order = self.sell(self.product, 5)
        delivery = self.ship(order.picking_ids, 5)
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_ids=delivery.ids, active_id=delivery.id, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.quantity = 2
        returned = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        returned.move_ids.write({"quantity": 2, "picked": True})
        returned.button_validate()
        inspection = self.exceptions(type_code="return", picking_id=returned.id)
        qty_before = self.product.with_context(location=returned.location_dest_id.id).qty_available
        with self.assertRaisesRegex(UserError, "needs a note"):
            inspection.action_resolve(self.resolution("return", "scrap").id)
        inspection.with_user(self.exception_user).action_resolve(
            self.resolution("return", "scrap").id, "Crushed corners"
        )
        scrap = inspection.result_scrap_id
        self.assertEqual(scrap.state, "done")
        self.assertEqual(scrap.scrap_qty, 2)
        qty_after = self.product.with_context(location=returned.location_dest_id.id).qty_available
        self.assertEqual(qty_before - qty_after, 2)
        # the playbook's scrap is the resolution, not a new damaged-goods exception
        self.assertFalse(self.exceptions(type_code="damaged_goods", scrap_id=scrap.id))


@tagged("post_install", "-at_install")
class TestExceptionTransitionsAndAccess(FlowCase):
    def new_exception(self, company=None, code="stockout", key="test:1"):
        values = {"product_id": self.product.id, "quantity_missing": 2}
        if company:
            values["company_id"] = company.id
        return self.env["distribution.exception"]._raise_exception(code, key, values)

    def test_user_takes_ownership_and_resolves(self):
        exc = self.new_exception()
        exc.with_user(self.exception_user).action_take_ownership()
        self.assertEqual(exc.owner_id, self.exception_user)
        self.assertEqual(exc.state, "in_progress")
        exc.with_user(self.exception_user).action_resolve(
            self.resolution("stockout", "stock_found").id
        )
        self.assertEqual(exc.state, "resolved")

    def test_wrong_transitions_raise_clear_errors(self):
        exc = self.new_exception()
        with self.assertRaisesRegex(UserError, "resolution code"):
            exc.action_resolve(False)
        with self.assertRaisesRegex(UserError, "does not apply"):
            exc.action_resolve(self.resolution("short_pick", "accepted").id)
        with self.assertRaisesRegex(UserError, "needs a note"):
            exc.action_resolve(self.resolution("stockout", "substituted").id, "   ")
        exc.with_user(self.warehouse_manager).action_cancel("duplicate")
        with self.assertRaisesRegex(UserError, "already Cancelled"):
            exc.action_resolve(self.resolution("stockout", "stock_found").id)
        with self.assertRaisesRegex(UserError, "already Cancelled"):
            exc.with_user(self.exception_user).action_take_ownership()
        with self.assertRaisesRegex(UserError, "still open"):
            self.new_exception(key="test:2").with_user(self.warehouse_manager).action_reopen()

    def test_user_cannot_manage_or_write_system_fields(self):
        exc = self.new_exception()
        as_user = exc.with_user(self.exception_user)
        with self.assertRaises(AccessError):
            as_user.action_cancel()
        with self.assertRaises(AccessError):
            as_user.action_assign(self.warehouse_user.id)
        for field, value in (
            ("state", "resolved"),
            ("escalation_level", 3),
            ("resolved_by_id", self.exception_user.id),
            ("sla_deadline", fields.Datetime.now()),
        ):
            with self.assertRaises(AccessError):
                as_user.write({field: value})
        with self.assertRaises(AccessError):
            as_user.unlink()
        self.assertEqual(exc.state, "new")
        # a user cannot take an exception owned by someone else
        exc.with_user(self.warehouse_user).action_take_ownership()
        with self.assertRaisesRegex(UserError, "already belongs"):
            as_user.action_take_ownership()

    def test_manager_assigns_cancels_reopens_and_deletes_cancelled(self):
        exc = self.new_exception()
        manager = exc.with_user(self.warehouse_manager)
        manager.action_assign(self.exception_user.id)
        self.assertEqual((exc.owner_id, exc.state), (self.exception_user, "in_progress"))
        plain = new_test_user(self.env, login="dg_plain_assign", groups="base.group_user")
        with self.assertRaisesRegex(UserError, "not an exception user"):
            manager.action_assign(plain.id)
        manager.action_cancel("customer cancelled")
        self.assertEqual(exc.state, "cancelled")
        manager.action_reopen()
        self.assertEqual(exc.state, "in_progress")
        manager.action_resolve(self.resolution("stockout", "stock_found").id)
        with self.assertRaisesRegex(UserError, "Only cancelled"):
            manager.unlink()
        manager.action_reopen()
        manager.action_cancel()
        manager.unlink()
        self.assertFalse(exc.exists())

    def test_users_see_only_their_companies(self):
        theirs = self.new_exception(company=self.company_b, key="test:b")
        ours = self.new_exception(key="test:a")
        Exception_ = self.env["distribution.exception"].with_user(self.exception_user)
        visible = Exception_.search([("cause_key", "in", ["test:a", "test:b"])])
        self.assertEqual(visible, ours)
        with self.assertRaises(AccessError):
            theirs.with_user(self.exception_user).read(["name"])
        with self.assertRaises(AccessError):
            theirs.with_user(self.exception_user).action_take_ownership()
        # assigning to a user outside the exception's company is refused
        self.warehouse_manager.write({"company_ids": [(4, self.company_b.id)]})
        with self.assertRaisesRegex(UserError, "no access"):
            theirs.with_user(self.warehouse_manager).with_context(
                allowed_company_ids=[self.company.id, self.company_b.id]
            ).action_assign(self.exception_user.id)

    def test_plain_user_has_no_access(self):
        plain = new_test_user(self.env, login="dg_plain_exc", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env["distribution.exception"].with_user(plain).search([])

    def test_hand_made_exception_gets_reference_and_sla(self):
        exc = self.env["distribution.exception"].with_user(self.exception_user).create(
            {
                "type_id": self.env.ref("distribution_governance.exception_type_master_data").id,
                "description": "Pallet labels missing",
            }
        )
        self.assertEqual(exc.origin, "manual")
        self.assertEqual(exc.severity, "low")
        self.assertTrue(exc.name.startswith("EXC/"))
        self.assertAlmostEqual(
            (exc.sla_deadline - exc.detected_at).total_seconds(), 120 * 3600, delta=5
        )
        with self.assertRaises(AccessError):
            self.env["distribution.exception"].with_user(self.exception_user).create(
                {"type_id": exc.type_id.id, "state": "resolved"}
            )


@tagged("post_install", "-at_install")
class TestExceptionSla(FlowCase):
    def test_sla_status_and_escalation_once_per_level(self):
        start = fields.Datetime.now().replace(microsecond=0)
        managers = self.env.ref("stock.group_stock_manager").users.filtered(
            lambda u: self.company in u.company_ids
        )
        self.assertIn(self.warehouse_manager, managers)
        with freeze_time(start):
            exc = self.env["distribution.exception"]._raise_exception(
                "stockout", "test:sla", {"product_id": self.product.id}
            )
            exc.flush_recordset()
            self.assertEqual(exc.detected_at, start)
        Exception_ = self.env["distribution.exception"]
        activities = lambda: self.env["mail.activity"].search(  # noqa: E731
            [("res_model", "=", exc._name), ("res_id", "=", exc.id)]
        )
        with freeze_time(start + timedelta(hours=1)):
            exc.invalidate_recordset(["sla_status"])
            self.assertEqual(exc.sla_status, "on_track")
            self.assertFalse(Exception_._cron_escalate())
        with freeze_time(start + timedelta(hours=7)):
            exc.invalidate_recordset(["sla_status"])
            self.assertEqual(exc.sla_status, "at_risk")
            self.assertIn(exc, Exception_.search([("sla_status", "=", "at_risk")]))
        with freeze_time(start + timedelta(hours=9)):
            exc.invalidate_recordset(["sla_status"])
            self.assertEqual(exc.sla_status, "breached")
            self.assertIn(exc, Exception_.search([("sla_status", "=", "breached")]))
            self.assertNotIn(exc, Exception_.search([("sla_status", "=", "on_track")]))
            self.assertEqual(Exception_._cron_escalate(), exc)
            self.assertEqual(exc.escalation_level, 1)
            first = activities()
            self.assertEqual(first.user_id, managers)
            # the cron runs again within the same level: nothing new
            self.assertFalse(Exception_._cron_escalate())
            self.assertEqual(activities(), first)
        with freeze_time(start + timedelta(hours=17)):
            Exception_._cron_escalate()
            self.assertEqual(exc.escalation_level, 2)
            self.assertEqual(len(activities()), 2 * len(managers))
        with freeze_time(start + timedelta(hours=100)):
            Exception_._cron_escalate()
            self.assertEqual(exc.escalation_level, 3)
            Exception_._cron_escalate()
            self.assertEqual(exc.escalation_level, 3)
            self.assertEqual(len(activities()), 3 * len(managers))
            escalation_posts = exc.message_ids.filtered(lambda m: "escalated to level" in (m.body or ""))
            self.assertEqual(len(escalation_posts), 3)
            exc.action_resolve(self.resolution("stockout", "stock_found").id)
            self.assertFalse(activities(), "resolving clears the escalation to-dos")
            exc.invalidate_recordset(["sla_status"])
            self.assertEqual(exc.sla_status, "breached", "resolved late stays breached")

    def test_severity_change_moves_the_deadline(self):
        exc = self.env["distribution.exception"]._raise_exception(
            "stockout", "test:sev", {"product_id": self.product.id}
        )
        exc.with_user(self.warehouse_manager).write({"severity": "low"})  # lowering: a manager
        self.assertAlmostEqual((exc.sla_deadline - exc.detected_at).total_seconds(), 72 * 3600, delta=1)


@tagged("post_install", "-at_install")
class TestMasterDataChecks(FlowCase):
    def open_findings(self, key_part):
        return self.env["distribution.exception"].search(
            [
                ("type_code", "=", "master_data"),
                ("cause_key", "like", key_part),
                ("state", "in", ("new", "in_progress")),
            ]
        )

    def test_duplicate_reference_found_once_and_closed_when_fixed(self):
        a = self.env["product.product"].create({"name": "DG A", "default_code": "DG-DUP-1"})
        b = self.env["product.product"].create({"name": "DG B", "default_code": "DG-DUP-1"})
        Checks = self.env["distribution.master.data.check"]
        Checks.run_checks(self.company.ids)
        Checks.run_checks(self.company.ids)
        found = self.open_findings("duplicate_reference")
        self.assertEqual(found.product_id, a | b)
        self.assertEqual(len(found), 2)
        b.default_code = "DG-DUP-2"
        Checks.run_checks(self.company.ids)
        self.assertFalse(self.open_findings("duplicate_reference"))
        closed = self.env["distribution.exception"].search([("cause_key", "like", "duplicate_reference")])
        self.assertEqual(set(closed.mapped("state")), {"resolved"})
        self.assertEqual(closed.resolution_id.code, "data_fixed")

    def test_negative_quant_and_product_without_replenishment(self):
        orphan = self.env["product.product"].create({"name": "DG Orphan", "is_storable": True})
        self.set_stock(orphan, -3)
        self.env["distribution.master.data.check"].run_checks(self.company.ids)
        negative = self.open_findings(f"negative_quant:product.product:{orphan.id}:")
        self.assertEqual(len(negative), 1)
        self.assertEqual(negative.quantity_actual, -3)
        self.assertEqual(len(self.open_findings(f"no_replenishment:product.product:{orphan.id}")), 1)
        # the product with a vendor is not a finding
        self.assertFalse(self.open_findings(f"no_replenishment:product.product:{self.product.id}"))

    def test_customers_without_credit_limit_when_credit_control_is_on(self):
        self.customer.customer_rank = 1
        key = f"no_credit_limit:res.partner:{self.customer.id}:"
        Checks = self.env["distribution.master.data.check"]
        self.company.account_use_credit_limit = False
        Checks.run_checks(self.company.ids)
        self.assertFalse(self.open_findings(key))
        self.company.account_use_credit_limit = True
        Checks.run_checks(self.company.ids)
        self.assertEqual(len(self.open_findings(key)), 1)
        self.customer.with_company(self.company).credit_limit = 5000
        Checks.run_checks(self.company.ids)
        self.assertFalse(self.open_findings(key))

    def test_only_managers_run_checks_on_demand(self):
        Checks = self.env["distribution.master.data.check"]
        with self.assertRaises(AccessError):
            Checks.with_user(self.exception_user).action_run_checks()
        action = Checks.with_user(self.warehouse_manager).action_run_checks()
        self.assertEqual(action["tag"], "display_notification")
