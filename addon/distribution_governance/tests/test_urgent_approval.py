"""Issue 14, urgent order override: a rep asks to expedite a confirmed order, a warehouse manager
approves it (from the order or the transfer); approval sets the urgent priority and reserves the
order's stock ahead of earlier orders; a rejection changes nothing.

Stock: 10 units. An earlier order of 8 units holds 8 of them; the urgent order of 5 gets 2. On
approval the urgent order holds its 5 and the earlier one what is left (10 - 5 = 5).

Tried as the users who would try it: the rep (own orders), a second rep, a warehouse user (write
on transfers and sales orders), a warehouse manager outside the engine, a sales manager and a
portal customer. A refusal is asserted with the database unchanged.
"""

from datetime import timedelta

from freezegun import freeze_time

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import FlowCase, call_rpc

STOCK = 10.0
EARLIER_QTY = 8.0
URGENT_QTY = 5.0


class UrgentCase(FlowCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.dg_urgent_control_active = True
        cls.rep = new_test_user(cls.env, login="dg_rep_u", groups="sales_team.group_sale_salesman")
        cls.rep_2 = new_test_user(cls.env, login="dg_rep_2u", groups="sales_team.group_sale_salesman")
        cls.warehouse_manager_2 = new_test_user(
            cls.env, login="dg_wh_manager_2u", groups="stock.group_stock_manager"
        )
        # a warehouse manager who also sells (his own orders)
        cls.manager_rep = new_test_user(
            cls.env, login="dg_wh_manager_rep_u",
            groups="stock.group_stock_manager,sales_team.group_sale_salesman",
        )
        cls.sales_manager = new_test_user(
            cls.env, login="dg_sales_mgr_u", groups="sales_team.group_sale_manager"
        )
        cls.portal = new_test_user(cls.env, login="dg_portal_u", groups="base.group_portal")
        cls.set_stock(cls.product, STOCK)

    def order(self, qty, user=None):
        order = self.env["sale.order"].with_user(user or self.rep).create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": qty})],
            }
        )
        order.action_confirm()
        return order.with_env(self.env)

    def two_orders(self, user=None):
        earlier = self.order(EARLIER_QTY, user=self.rep_2)
        urgent = self.order(URGENT_QTY, user=user)
        return earlier, urgent

    @staticmethod
    def delivery(order):
        return order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")

    def ask(self, order, user=None, text="Customer's line is down"):
        return order.with_user(user or self.rep).dg_urgent_request(text)

    def request(self, order):
        return order.dg_approval_request_ids.filtered(lambda r: r.kind == "urgent_override").sorted("id")[-1:]

    def log(self, order, event):
        return self.env["distribution.audit.log"].search(
            [("sale_order_id", "=", order.id), ("event", "=", event)]
        )

    def snapshot(self):
        """Priorities, reservations and the engine's fields, as the database holds them."""
        self.env.invalidate_all()
        moves = self.env["stock.move"].search_read(
            [("product_id", "=", self.product.id)],
            ["priority", "quantity", "state", "picking_id"], order="id",
        )
        pickings = self.env["stock.picking"].search_read(
            [("partner_id", "=", self.customer.id)], ["priority", "state"], order="id"
        )
        orders = self.env["sale.order"].search_read(
            [("partner_id", "=", self.customer.id)], ["dg_urgent_state", "state"], order="id"
        )
        requests = self.env["distribution.approval.request"].search_read(
            [("kind", "=", "urgent_override")], ["state", "urgent_picking_ids", "urgent_lines"]
        )
        lines = self.env["stock.move.line"].search_read(
            [("product_id", "=", self.product.id)], ["move_id", "quantity"], order="id"
        )
        return moves, pickings, orders, requests, lines

    def assert_refused(self, name, attempt, error=UserError):  # AccessError is a UserError
        before = self.snapshot()
        with self.assertRaises(error, msg=name), self.env.cr.savepoint():
            attempt()
        self.assertEqual(self.snapshot(), before, f"{name}: refused, yet something changed")

    def urgent_unapproved(self):
        """Transfers or moves of governed orders made urgent without an approved override."""
        moves = self.env["stock.move"].search(
            [("priority", "=", "1"), ("sale_line_id", "!=", False)]
        )
        pickings = self.env["stock.picking"].search([("priority", "=", "1"), ("sale_id", "!=", False)])
        return (moves.sale_line_id.order_id | pickings.sale_id).filtered(
            lambda o: o.dg_urgent_state != "approved"
        )


@tagged("post_install", "-at_install")
class TestUrgentHappyPath(UrgentCase):
    def test_reservation_before(self):
        # the fixture itself: the earlier order holds 8, the urgent one gets what is left
        earlier, urgent = self.two_orders()
        self.assertEqual(self.delivery(earlier).move_ids.quantity, EARLIER_QTY)
        self.assertEqual(self.delivery(urgent).move_ids.quantity, STOCK - EARLIER_QTY)
        self.assertEqual(self.delivery(urgent).priority, "0")

    def test_asked_from_the_order_approved_from_the_transfer(self):
        earlier, urgent = self.two_orders()
        self.assertTrue(urgent.with_user(self.rep).dg_urgent_can_request)
        action = urgent.with_user(self.rep).action_dg_urgent_request()
        self.assertEqual(action["res_model"], "distribution.urgent.request.wizard")
        wizard = self.env["distribution.urgent.request.wizard"].with_user(self.rep).with_context(
            action["context"]
        ).create({"justification": "Customer's line is down"})
        wizard.action_send()
        request = self.request(urgent)
        self.assertEqual(request.state, "pending")
        self.assertEqual(urgent.dg_urgent_state, "pending")
        self.assertEqual(request.urgent_picking_ids, self.delivery(urgent))
        self.assertEqual(request.reason, "Customer's line is down")
        self.assertEqual(request.approver_group_id, self.env.ref("stock.group_stock_manager"))
        # a to-do for each warehouse manager, none for the rep or the sales manager
        todo = request.activity_ids.user_id
        self.assertIn(self.warehouse_manager, todo)
        self.assertIn(self.warehouse_manager_2, todo)
        self.assertNotIn(self.rep, todo)
        self.assertNotIn(self.sales_manager, todo)
        self.assertEqual(self.log(urgent, "request").user_id, self.rep)
        # nothing moved yet
        self.assertEqual(self.delivery(urgent).priority, "0")
        self.assertEqual(self.delivery(earlier).move_ids.quantity, EARLIER_QTY)

        # the warehouse manager, on the transfer
        picking = self.delivery(urgent)
        panel = call_rpc(
            self.env(user=self.warehouse_manager), "distribution.approval.request",
            "get_urgent_panel_data", "stock.picking", picking.id,
        )
        self.assertEqual(panel["request"]["id"], request.id)
        self.assertTrue(panel["request"]["can_decide"])
        self.assertEqual(panel["request"]["justification"], "Customer's line is down")
        self.assertFalse(panel["can_request"])
        call_rpc(
            self.env(user=self.warehouse_manager), "distribution.approval.request",
            "action_approve", request.ids, "ok",
        )
        self.assertEqual((request.state, urgent.dg_urgent_state), ("approved", "approved"))
        self.assertEqual(picking.priority, "1")
        self.assertEqual(set(picking.move_ids.mapped("priority")), {"1"})
        # the urgent order holds all it needs, the earlier one what is left
        self.assertEqual(picking.move_ids.quantity, URGENT_QTY)
        self.assertEqual(picking.state, "assigned")
        self.assertEqual(self.delivery(earlier).move_ids.quantity, STOCK - URGENT_QTY)
        self.assertEqual(self.delivery(earlier).priority, "0")
        applied = self.log(urgent, "urgent_apply")
        self.assertEqual(applied.user_id, self.warehouse_manager)
        self.assertIn(self.delivery(earlier).name, applied.reason)
        # both chatters say so
        self.assertTrue(picking.message_ids.filtered(lambda m: request.name in (m.body or "")))
        self.assertTrue(urgent.message_ids.filtered(
            lambda m: "Urgent override approved" in (m.body or "")
        ))
        self.assertFalse(request.activity_ids)

    def test_enough_stock_takes_nothing_from_others(self):
        earlier = self.order(4.0, user=self.rep_2)
        urgent = self.order(URGENT_QTY)
        self.ask(urgent)
        self.request(urgent).with_user(self.warehouse_manager).action_approve()
        self.assertEqual(self.delivery(urgent).move_ids.quantity, URGENT_QTY)
        self.assertEqual(self.delivery(earlier).move_ids.quantity, 4.0)
        self.assertNotIn(self.delivery(earlier).name, self.log(urgent, "urgent_apply").reason)

    def test_a_picked_move_keeps_its_stock(self):
        earlier, urgent = self.two_orders()
        self.delivery(earlier).move_ids.picked = True
        self.ask(urgent)
        self.request(urgent).with_user(self.warehouse_manager).action_approve()
        self.assertEqual(self.delivery(earlier).move_ids.quantity, EARLIER_QTY)
        self.assertEqual(self.delivery(urgent).move_ids.quantity, STOCK - EARLIER_QTY)
        self.assertEqual(self.delivery(urgent).priority, "1")

    def test_rejection_leaves_priorities_and_reservations(self):
        earlier, urgent = self.two_orders()
        self.ask(urgent)
        request = self.request(urgent)
        moves, pickings, *__, lines = self.snapshot()
        request.with_user(self.warehouse_manager).action_reject("Not today")
        after_moves, after_pickings, *__, after_lines = self.snapshot()
        self.assertEqual((after_moves, after_pickings, after_lines), (moves, pickings, lines))
        self.assertEqual((request.state, urgent.dg_urgent_state), ("rejected", "rejected"))
        self.assertEqual(self.delivery(urgent).move_ids.quantity, STOCK - EARLIER_QTY)
        self.assertEqual(self.log(urgent, "reject").reason, "Not today")
        self.assertFalse(self.log(urgent, "urgent_apply"))
        # asked again, with a new request
        self.assertTrue(urgent.with_user(self.rep).dg_urgent_can_request)
        self.ask(urgent, text="Again: the customer pays the freight")
        self.assertEqual(self.request(urgent).state, "pending")
        self.assertNotEqual(self.request(urgent), request)

    def test_governance_off_nothing_to_ask(self):
        self.company.dg_urgent_control_active = False
        urgent = self.order(URGENT_QTY)
        self.assertFalse(urgent.with_user(self.rep).dg_urgent_can_request)
        with self.assertRaises(UserError):
            self.ask(urgent)
        # Odoo as it is: the warehouse stars the transfer
        self.delivery(urgent).with_user(self.warehouse_user).priority = "1"
        self.assertEqual(self.delivery(urgent).priority, "1")

    def test_the_request_form_and_inbox_show_the_kind(self):
        __, urgent = self.two_orders()
        self.ask(urgent)
        request = self.request(urgent)
        inbox = self.env["distribution.approval.request"].with_user(self.warehouse_manager).search(
            [("can_decide", "=", True), ("kind", "=", "urgent_override")]
        )
        self.assertEqual(inbox, request)
        self.assertEqual(
            self.env["distribution.approval.request"].with_user(self.warehouse_manager).get_pending_count(), 1
        )
        panel = call_rpc(
            self.env(user=self.warehouse_manager), "distribution.approval.request",
            "get_urgent_panel_data", "distribution.approval.request", request.id,
        )
        self.assertEqual(panel["order_id"], urgent.id)
        action = request.with_user(self.warehouse_manager).with_context(
            dg_decision="approve"
        ).action_open_decision()
        wizard = self.env["distribution.approval.decision.wizard"].with_user(
            self.warehouse_manager
        ).with_context(action["context"]).create({"reason": "go"})
        wizard.action_confirm()
        self.assertEqual(self.delivery(urgent).priority, "1")


@tagged("post_install", "-at_install")
class TestUrgentPaths(UrgentCase):
    """Every way to an urgent transfer of a governed order without an approval is refused."""

    def test_priority_paths_refused(self):
        earlier, urgent = self.two_orders()
        picking = self.delivery(urgent)
        move = picking.move_ids
        sale_line = urgent.order_line
        picking_type = self.warehouse.out_type_id

        def new_picking(user, vals=None, context=None):
            values = {
                "partner_id": self.customer.id,
                "picking_type_id": picking_type.id,
                "location_id": picking_type.default_location_src_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "move_ids": [Command.create({
                    "name": "x", "product_id": self.product.id, "product_uom_qty": 1,
                    "product_uom": self.product.uom_id.id, "sale_line_id": sale_line.id,
                    "location_id": picking_type.default_location_src_id.id,
                    "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                })],
            }
            values.update(vals or {})
            return call_rpc(self.env(user=user), "stock.picking", "create", values, context=context or {})

        def load(user):
            result = self.env["stock.picking"].with_user(user).load(
                [".id", "priority"], [[str(picking.id), "1"]]
            )
            if not result["ids"]:
                raise UserError(result["messages"][0]["message"])
            return result

        attempts = []
        for who, user in (
            ("warehouse user", self.warehouse_user),
            ("warehouse manager", self.warehouse_manager),
            ("another warehouse manager", self.warehouse_manager_2),
        ):
            attempts += [
                (f"{who}: the star (write)", lambda u=user: call_rpc(
                    self.env(user=u), "stock.picking", "write", picking.ids, {"priority": "1"})),
                (f"{who}: the moves' priority", lambda u=user: call_rpc(
                    self.env(user=u), "stock.move", "write", move.ids, {"priority": "1"})),
                (f"{who}: create urgent", lambda u=user: new_picking(u, {"priority": "1"})),
                (f"{who}: default_priority", lambda u=user: new_picking(
                    u, context={"default_priority": "1"})),
                (f"{who}: copy urgent", lambda u=user: call_rpc(
                    self.env(user=u), "stock.picking", "copy", picking.ids, {"priority": "1"})),
                (f"{who}: import", lambda u=user: load(u)),
            ]
        # the order's move taken into an urgent transfer of another order (not governed: the
        # earlier delivery made urgent while governance was off)
        self.company.dg_urgent_control_active = False
        self.delivery(earlier).priority = "1"
        self.company.dg_urgent_control_active = True
        attempts.append(("warehouse user: the move into an urgent transfer", lambda: call_rpc(
            self.env(user=self.warehouse_user), "stock.move", "write", move.ids,
            {"picking_id": self.delivery(earlier).id})))
        # the rep has no right on transfers at all
        attempts.append(("rep: the star", lambda: call_rpc(
            self.env(user=self.rep), "stock.picking", "write", picking.ids, {"priority": "1"})))
        for name, attempt in attempts:
            with self.subTest(name):
                self.assert_refused(name, attempt)
        # a move's priority is its transfer's (Odoo computes it): one created urgent for the
        # order's line is not urgent
        with self.env.cr.savepoint(flush=False) as savepoint:
            created = call_rpc(self.env(user=self.warehouse_user), "stock.move", "create", {
                "name": "x", "product_id": self.product.id, "product_uom_qty": 1,
                "product_uom": self.product.uom_id.id, "sale_line_id": sale_line.id,
                "priority": "1", "location_id": move.location_id.id,
                "location_dest_id": move.location_dest_id.id,
            })
            self.assertEqual(self.env["stock.move"].browse(created).priority, "0")
            savepoint.rollback()
        self.assertEqual(picking.priority, "0")
        self.assertEqual(self.urgent_unapproved(), earlier)  # the one set while it was off

    def test_transfers_of_no_sales_order_are_starred_as_in_odoo(self):
        # a receipt, and a delivery of no sales order: not the engine's
        picking = self.create_outgoing_picking(self.company, fields.Datetime.now())
        picking.with_user(self.warehouse_user).priority = "1"
        self.assertEqual(picking.priority, "1")
        receipt = self.env["stock.picking"].with_user(self.warehouse_user).create({
            "picking_type_id": self.warehouse.in_type_id.id,
            "partner_id": self.vendor.id,
            "priority": "1",
        })
        self.assertEqual(receipt.priority, "1")

    def test_the_approval_expires_without_undoing_it(self):
        __, urgent = self.two_orders()
        self.ask(urgent)
        request = self.request(urgent)
        request.with_user(self.warehouse_manager).action_approve()
        with freeze_time(fields.Datetime.now() + timedelta(days=30)):
            self.env["distribution.approval.request"]._cron_expire()
        self.assertEqual(request.state, "expired")
        self.assertEqual((urgent.dg_urgent_state, urgent.dg_credit_hold), ("approved", "none"))
        self.assertEqual(self.delivery(urgent).priority, "1")
        self.assertEqual(self.delivery(urgent).move_ids.quantity, URGENT_QTY)

    def test_confirmation_with_default_priority_gives_no_urgent_transfer(self):
        order = self.env["sale.order"].with_user(self.rep).create({
            "partner_id": self.customer.id,
            "warehouse_id": self.warehouse.id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
        })
        call_rpc(self.env(user=self.rep), "sale.order", "action_confirm", order.ids,
                 context={"default_priority": "1"})
        self.assertEqual(self.delivery(order).priority, "0")
        self.assertEqual(self.delivery(order).move_ids.priority, "0")
        self.assertFalse(self.urgent_unapproved())

    def test_after_approval_the_backorder_stays_urgent(self):
        __, urgent = self.two_orders()
        self.ask(urgent)
        self.request(urgent).with_user(self.warehouse_manager).action_approve()
        picking = self.delivery(urgent)
        self.ship(picking.with_user(self.warehouse_user), 2.0)
        backorder = picking.backorder_ids
        self.assertEqual(backorder.priority, "1")
        self.assertEqual(urgent.dg_urgent_state, "approved")

    def test_engine_fields_cannot_be_written(self):
        __, urgent = self.two_orders()
        self.ask(urgent)
        request = self.request(urgent)

        def load(user):
            result = self.env["sale.order"].with_user(user).load(
                ["partner_id/.id", "dg_urgent_state"], [[str(self.customer.id), "approved"]]
            )
            if not result["ids"]:
                raise UserError(result["messages"][0]["message"])
            return result

        attempts = [
            ("the rep approves his order", self.rep,
             lambda u: call_rpc(self.env(user=u), "sale.order", "write", urgent.ids,
                                {"dg_urgent_state": "approved"})),
            ("a warehouse user approves", self.warehouse_user,
             lambda u: urgent.with_user(u).write({"dg_urgent_state": "approved"})),
            ("a warehouse manager approves by write", self.warehouse_manager,
             lambda u: urgent.with_user(u).sudo(False).write({"dg_urgent_state": "approved"})),
            ("create approved", self.rep, lambda u: call_rpc(
                self.env(user=u), "sale.order", "create",
                {"partner_id": self.customer.id, "dg_urgent_state": "approved"})),
            ("default_dg_urgent_state", self.rep, lambda u: call_rpc(
                self.env(user=u), "sale.order", "create", {"partner_id": self.customer.id},
                context={"default_dg_urgent_state": "approved"})),
            ("copy approved", self.rep, lambda u: call_rpc(
                self.env(user=u), "sale.order", "copy", urgent.ids, {"dg_urgent_state": "approved"})),
            ("import approved", self.rep, load),
            ("the manager rewrites the transfers asked for", self.warehouse_manager,
             lambda u: request.with_user(u).write({"urgent_picking_ids": [Command.clear()]})),
            ("the manager rewrites the lines asked for", self.warehouse_manager,
             lambda u: request.with_user(u).write({"urgent_lines": []})),
            ("the rep creates an approved request", self.rep,
             lambda u: self.env["distribution.approval.request"].with_user(u).create(
                 {"kind": "urgent_override", "sale_order_id": urgent.id, "state": "approved"})),
            ("a request with default_state", self.rep,
             lambda u: call_rpc(self.env(user=u), "sale.order", "dg_urgent_request", urgent.ids,
                                "x", context={"default_state": "approved"})),
        ]
        for name, user, attempt in attempts:
            with self.subTest(name):
                self.assert_refused(name, lambda: attempt(user))
        self.assertEqual((request.state, urgent.dg_urgent_state), ("pending", "pending"))

    def test_who_may_ask(self):
        __, urgent = self.two_orders()
        # another rep cannot write the order; a portal customer has nothing to do with it
        with self.assertRaises(AccessError):
            self.ask(urgent, user=self.rep_2)
        with self.assertRaises(AccessError):
            self.ask(urgent, user=self.portal)
        with self.assertRaises(UserError):
            self.ask(urgent, text="   ")
        quotation = self.env["sale.order"].with_user(self.rep).create({
            "partner_id": self.customer.id,
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 1})],
        })
        with self.assertRaisesRegex(UserError, "confirmed"):
            self.ask(quotation)
        self.ask(urgent)
        with self.assertRaisesRegex(UserError, "already waits"):
            self.ask(urgent)
        self.assertEqual(len(urgent.dg_approval_request_ids), 1)


@tagged("post_install", "-at_install")
class TestUrgentBoundToFacts(UrgentCase):
    def test_a_changed_quantity_cancels_the_pending_request(self):
        __, urgent = self.two_orders()
        self.ask(urgent)
        request = self.request(urgent)
        urgent.with_user(self.rep).write(
            {"order_line": [Command.update(urgent.order_line.id, {"product_uom_qty": 6})]}
        )
        self.assertEqual((request.state, urgent.dg_urgent_state), ("cancelled", "none"))
        self.assertTrue(self.log(urgent, "cancel"))
        with self.assertRaisesRegex(UserError, "no longer pending"):
            request.with_user(self.warehouse_manager).action_approve()
        self.assertEqual(self.delivery(urgent).priority, "0")

    def test_a_cancelled_order_cancels_the_request(self):
        __, urgent = self.two_orders()
        self.ask(urgent)
        request = self.request(urgent)
        urgent.with_user(self.rep)._action_cancel()
        self.assertEqual(request.state, "cancelled")
        self.assertIn("cancelled", self.log(urgent, "cancel").reason)

    def test_delivered_before_the_decision_cancels_the_request(self):
        __, urgent = self.two_orders()
        self.ask(urgent)
        request = self.request(urgent)
        self.ship(self.delivery(urgent).with_user(self.warehouse_user), 2.0)
        self.assertEqual(request.state, "cancelled")
        self.assertIn("delivered", self.log(urgent, "cancel").reason)
        with self.assertRaises(UserError):
            request.with_user(self.warehouse_manager).action_approve()
        self.assertEqual(self.delivery(urgent).filtered(lambda p: p.state != "done").priority, "0")

    def test_a_change_after_approval_voids_it_and_takes_the_priority_back(self):
        earlier, urgent = self.two_orders()
        self.ask(urgent)
        request = self.request(urgent)
        request.with_user(self.warehouse_manager).action_approve()
        self.assertEqual(self.delivery(urgent).priority, "1")
        urgent.order_line.with_user(self.rep).product_uom_qty = 9
        self.assertEqual((request.state, urgent.dg_urgent_state), ("voided", "none"))
        self.assertEqual(self.delivery(urgent).priority, "0")
        self.assertTrue(self.log(urgent, "void"))
        self.assertTrue(self.log(urgent, "urgent_reset"))
        self.assertFalse(self.urgent_unapproved())

    def test_a_note_line_keeps_the_request(self):
        __, urgent = self.two_orders()
        self.ask(urgent)
        urgent.with_user(self.rep).write(
            {"order_line": [Command.create({"display_type": "line_note", "name": "Call first"})]}
        )
        self.assertEqual(self.request(urgent).state, "pending")


@tagged("post_install", "-at_install")
class TestUrgentSegregation(UrgentCase):
    def refused(self, request, user, pattern):
        with self.assertRaisesRegex(AccessError, pattern):
            request.with_user(user).action_approve("mine")
        self.assertEqual(request.state, "pending")
        self.assertFalse(request.decision_ids)
        self.assertFalse(request.with_user(user).can_decide)

    def test_the_requester_cannot_approve(self):
        __, urgent = self.two_orders(user=self.manager_rep)
        self.ask(urgent, user=self.manager_rep)
        self.refused(self.request(urgent), self.manager_rep, "requested")

    def test_the_salesperson_cannot_approve(self):
        __, urgent = self.two_orders()
        self.ask(urgent)
        request = self.request(urgent)
        urgent.sudo().user_id = self.manager_rep
        self.refused(request, self.manager_rep, "salesperson")
        self.assertNotIn(self.manager_rep.name, request.waiting_for)

    def test_the_creator_cannot_approve(self):
        __, urgent = self.two_orders(user=self.manager_rep)
        urgent.sudo().user_id = self.rep
        self.ask(urgent)
        self.refused(self.request(urgent), self.manager_rep, "created")

    def test_who_changes_the_order_while_pending_cannot_approve(self):
        __, urgent = self.two_orders()
        self.ask(urgent)
        request = self.request(urgent)
        # a warehouse manager who also sells, on every order
        changer = new_test_user(
            self.env, login="dg_wh_manager_all_u",
            groups="stock.group_stock_manager,sales_team.group_sale_salesman_all_leads",
        )
        urgent.with_user(changer).write(
            {"order_line": [Command.create({"display_type": "line_note", "name": "Rush"})]}
        )
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.changed_by_ids, changer)
        self.assertEqual(self.log(urgent, "change_pending").user_id, changer)
        self.refused(request, changer, "changed")
        request.with_user(self.warehouse_manager).action_approve()
        self.assertEqual(request.state, "approved")

    def test_only_warehouse_managers_decide(self):
        __, urgent = self.two_orders()
        self.ask(urgent)
        request = self.request(urgent)
        for user in (self.rep, self.rep_2, self.warehouse_user, self.sales_manager, self.portal):
            with self.subTest(user.login), self.assertRaises(AccessError):
                request.with_user(user).action_approve()
        # an override approver who is not a warehouse manager: the tier's group
        approver = new_test_user(
            self.env, login="dg_credit_approver_u", groups="distribution_governance.group_override_approver"
        )
        with self.assertRaisesRegex(AccessError, "group"):
            request.with_user(approver).action_approve()
        self.assertEqual((request.state, self.delivery(urgent).priority), ("pending", "0"))
        self.assertTrue(self.log(urgent, "unauthorized_refused"))


@tagged("post_install", "-at_install")
class TestUrgentReads(UrgentCase):
    def panel(self, user, model, res_id):
        return call_rpc(
            self.env(user=user), "distribution.approval.request", "get_urgent_panel_data", model, res_id
        )

    def test_the_rep_asks_from_his_order(self):
        __, urgent = self.two_orders()
        data = self.panel(self.rep, "sale.order", urgent.id)
        self.assertTrue(data["can_request"])
        self.assertEqual(data["urgent_state"], "none")
        self.assertEqual([t["id"] for t in data["transfers"]], self.delivery(urgent).ids)
        self.ask(urgent)
        data = self.panel(self.rep, "sale.order", urgent.id)
        self.assertFalse(data["can_request"])
        self.assertFalse(data["request"]["can_decide"])

    def test_a_warehouse_user_reads_the_state_on_the_transfer(self):
        __, urgent = self.two_orders()
        self.ask(urgent)
        data = self.panel(self.warehouse_user, "stock.picking", self.delivery(urgent).id)
        self.assertEqual(data["urgent_state"], "pending")
        self.assertFalse(data["can_request"])
        self.assertFalse(data["request"])  # he may not read the request

    def test_others_read_nothing(self):
        __, urgent = self.two_orders()
        with self.assertRaises(AccessError):
            self.panel(self.rep_2, "sale.order", urgent.id)
        self.assertEqual(self.panel(self.portal, "sale.order", urgent.id), {"visible": False})
        with self.assertRaises(UserError):
            self.panel(self.rep, "res.partner", self.customer.id)
