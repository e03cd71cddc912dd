"""Issue 14, partial shipments: a delivery that must ship complete (its order delivers all at
once, or its customer requires complete delivery) is validated short of its demand only with a
stock manager's approval, on the same approval engine as the credit and price kinds.

Tried as the users who would try it: the warehouse user who picks short, the sales rep who sold
the order, a stock manager (the approvers' group) and a sales manager (who may loosen the
requirement). A refusal is asserted with the transfer not done and no backorder made.
"""

from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import FlowCase, call_rpc

JUSTIFY = "distribution.credit.justify.wizard"


@tagged("post_install", "-at_install")
class TestPartialShipment(FlowCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = new_test_user(cls.env, login="dg_rep_ps", groups="sales_team.group_sale_salesman")
        cls.sales_manager = new_test_user(
            cls.env, login="dg_sales_mgr_ps", groups="sales_team.group_sale_manager"
        )
        cls.warehouse_manager_2 = new_test_user(
            cls.env, login="dg_wh_manager_2ps", groups="stock.group_stock_manager"
        )
        cls.item_b = cls.env["product.product"].create(
            {"name": "DG Stretch Hood", "is_storable": True, "list_price": 50.0}
        )
        cls.set_stock(cls.product, 6)
        cls.set_stock(cls.item_b, 10)

    # ------------------------------------------------------------------ helpers

    def sell_all_at_once(self, policy="one", qty=10, qty_b=0, partner=None):
        lines = [Command.create({"product_id": self.product.id, "product_uom_qty": qty})]
        if qty_b:
            lines.append(Command.create({"product_id": self.item_b.id, "product_uom_qty": qty_b}))
        order = self.env["sale.order"].with_user(self.rep).create(
            {
                "partner_id": (partner or self.customer).id,
                "warehouse_id": self.warehouse.id,
                "picking_policy": policy,
                "order_line": lines,
            }
        )
        order.action_confirm()
        order = order.with_env(self.env)
        picking = order.picking_ids
        self.assertEqual(len(picking), 1)
        picking.action_assign()
        return order, picking

    def pick(self, picking, qty, user=None):
        """The warehouse user picks `qty` of the first product (the rest in full)."""
        picking = picking.with_user(user or self.warehouse_user)
        for move in picking.move_ids:
            move.write({
                "quantity": qty if move.product_id == self.product else move.product_uom_qty,
                "picked": True,
            })
        return picking

    def requests(self, picking):
        return self.env["distribution.approval.request"].search(
            [("picking_id", "=", picking.id), ("kind", "=", "partial_shipment")], order="id"
        )

    def log(self, picking, event):
        return self.env["distribution.audit.log"].search(
            [("request_id.picking_id", "=", picking.id), ("event", "=", event)]
        )

    def blocked_request(self, picking, user=None):
        """Validate short as `user`: refused, told why, a request to justify."""
        result = self.pick(picking, 6, user).button_validate()
        self.assertEqual(result.get("res_model"), JUSTIFY, result)
        self.assert_not_shipped(picking)
        request = self.requests(picking).filtered(lambda r: r.state == "pending")
        self.assertEqual(len(request), 1)
        return request

    def approved(self, picking):
        request = self.blocked_request(picking)
        request.with_user(self.warehouse_manager).action_approve("customer agreed")
        self.assertEqual(request.state, "approved")
        return request

    def assert_not_shipped(self, picking):
        self.env.invalidate_all()
        self.assertNotEqual(picking.state, "done")
        self.assertFalse(picking.backorder_ids)
        self.assertFalse(picking.move_ids.filtered(lambda m: m.state == "done"))

    def validate_with_wizard(self, picking, user=None, backorder=True):
        result = picking.with_user(user or self.warehouse_user).button_validate()
        if isinstance(result, dict) and result.get("res_model") == "stock.backorder.confirmation":
            wizard = Form.from_action(picking.with_user(user or self.warehouse_user).env, result).save()
            result = wizard.process() if backorder else wizard.process_cancel_backorder()
        return result

    # ------------------------------------------------------------------ the flow

    def test_happy_path(self):
        order, picking = self.sell_all_at_once()
        request = self.blocked_request(picking)
        self.assertEqual(request.requester_id, self.warehouse_user)
        self.assertEqual(request.sale_order_id, order)
        self.assertEqual(request.approver_group_id, self.env.ref("stock.group_stock_manager"))
        self.assertIn("6", request.hold_reason)
        self.assertEqual(picking.dg_partial_state, "pending")
        # the requester justifies it, a stock manager approves it from the transfer
        wizard = Form.from_action(
            self.env(user=self.warehouse_user), request.with_user(self.warehouse_user)._dg_justify_action()
        )
        wizard.justification = "The truck leaves now; the customer takes the rest next week."
        wizard.save().action_send()
        self.assertTrue(request.reason)
        self.assertTrue(request.with_user(self.warehouse_manager).can_decide)
        request.with_user(self.warehouse_manager).action_approve("ok")
        self.assertEqual((request.state, picking.dg_partial_state), ("approved", "approved"))
        # the requester validates what was approved: 6 shipped, 4 in a backorder
        self.validate_with_wizard(picking)
        self.assertEqual(picking.state, "done")
        self.assertEqual(picking.move_ids.filtered(lambda m: m.state == "done").quantity, 6)
        backorder = picking.backorder_ids
        self.assertEqual(backorder.move_ids.product_uom_qty, 4)
        self.assertEqual(backorder.dg_partial_state, "none")
        self.assertEqual(order.order_line.qty_delivered, 6)
        self.assertTrue(self.log(picking, "partial_done"))
        self.assertTrue(self.log(picking, "approve"))
        # the backorder is a delivery of its own: shipping it short needs another approval
        self.set_stock(self.product, 1)
        backorder.action_assign()
        result = self.pick(backorder, 1).button_validate()
        self.assertEqual(result.get("res_model"), JUSTIFY)
        self.assertNotEqual(backorder.state, "done")

    def test_complete_delivery_needs_no_approval(self):
        self.set_stock(self.product, 4)
        __, picking = self.sell_all_at_once()
        self.pick(picking, 10).button_validate()
        self.assertEqual(picking.state, "done")
        self.assertFalse(self.requests(picking))

    def test_a_delivery_as_soon_as_possible_ships_short_freely(self):
        __, picking = self.sell_all_at_once(policy="direct")
        self.validate_with_wizard(self.pick(picking, 6))
        self.assertEqual(picking.state, "done")
        self.assertFalse(self.requests(picking))

    def test_a_customer_who_requires_complete_delivery(self):
        with self.assertRaises(AccessError):
            self.customer.with_user(self.rep).dg_complete_delivery = True
        self.customer.with_user(self.sales_manager).dg_complete_delivery = True
        contact = self.env["res.partner"].create({"name": "DG Dock", "parent_id": self.customer.id})
        __, picking = self.sell_all_at_once(policy="direct", partner=contact)
        self.assertIn("requires complete delivery", picking._dg_partial_requirement())
        self.blocked_request(picking)

    def test_rejection_leaves_the_transfer_as_it_was(self):
        __, picking = self.sell_all_at_once()
        request = self.blocked_request(picking)
        before = picking.move_ids.mapped("quantity"), picking.state
        request.with_user(self.warehouse_manager).action_reject("ship it whole")
        self.assertEqual((request.state, picking.dg_partial_state), ("rejected", "rejected"))
        self.assertEqual((picking.move_ids.mapped("quantity"), picking.state), before)
        self.assert_not_shipped(picking)
        # trying again files a new request
        result = picking.with_user(self.warehouse_user).button_validate()
        self.assertEqual(result.get("res_model"), JUSTIFY)
        self.assertEqual(self.requests(picking).mapped("state"), ["rejected", "pending"])

    # ------------------------------------------------------------------ the paths around it

    def test_validation_paths_refused(self):
        """Every way to a partial done delivery, as the warehouse user: no request approved,
        nothing shipped."""
        __, picking = self.sell_all_at_once(qty_b=3)
        self.pick(picking, 6)
        Picking = self.env["stock.picking"].with_user(self.warehouse_user)
        own = picking.with_user(self.warehouse_user)
        for context in (
            {"skip_backorder": True},
            {"skip_backorder": True, "picking_ids_not_to_backorder": picking.ids},
            {"cancel_backorder": True},
        ):
            result = own.with_context(**context).button_validate()
            self.assertEqual(result.get("res_model"), JUSTIFY, context)
            self.assert_not_shipped(picking)
        # over RPC
        result = call_rpc(Picking.env, "stock.picking", "button_validate", picking.ids)
        self.assertEqual(result.get("res_model"), JUSTIFY)
        # the backorder wizard, both answers
        for method in ("process", "process_cancel_backorder"):
            wizard = self.env["stock.backorder.confirmation"].with_user(self.warehouse_user).with_context(
                button_validate_picking_ids=picking.ids
            ).create({
                "pick_ids": [Command.link(picking.id)],
                "backorder_confirmation_line_ids": [
                    Command.create({"picking_id": picking.id, "to_backorder": method == "process"})
                ],
            })
            result = getattr(wizard, method)()
            self.assertEqual(result.get("res_model"), JUSTIFY, method)
            self.assert_not_shipped(picking)
        # the operation type's backorder policy
        for policy in ("always", "never"):
            picking.picking_type_id.create_backorder = policy
            result = own.button_validate()
            self.assertEqual(result.get("res_model"), JUSTIFY, policy)
            self.assert_not_shipped(picking)
        picking.picking_type_id.create_backorder = "ask"
        # Odoo's own validation, whoever calls it
        with self.assertRaisesRegex(UserError, "must ship complete"):
            own._action_done()
        with self.assertRaisesRegex(UserError, "must ship complete"):
            own.move_ids._action_done()
        with self.assertRaisesRegex(UserError, "must ship complete"):
            own.move_ids.filtered(lambda m: m.product_id == self.item_b)._action_done()
        self.assert_not_shipped(picking)
        # split: the rest moved to a new transfer
        count = self.env["stock.picking"].search_count([])
        result = own.action_split_transfer()
        self.assertEqual(result.get("res_model"), JUSTIFY)
        self.assertEqual(self.env["stock.picking"].search_count([]), count)
        # one request, pending, for all those tries
        self.assertEqual(self.requests(picking).mapped("state"), ["pending"])

    def test_a_batch_with_one_short_delivery_validates_nothing(self):
        __, short = self.sell_all_at_once()
        self.pick(short, 6)
        self.set_stock(self.item_b, 5)
        other = self.sell(self.item_b, 5).picking_ids
        other.action_assign()
        result = (short | other).with_user(self.warehouse_user).button_validate()
        # the short one's request to justify; the other waits for a validation of its own
        self.assertEqual(result.get("res_model"), JUSTIFY)
        self.assert_not_shipped(short)
        self.assert_not_shipped(other)
        self.assertEqual(len(self.requests(short)), 1)

    def test_cancelled_moves_then_validate_is_partial(self):
        __, picking = self.sell_all_at_once(qty=6, qty_b=3)
        self.pick(picking, 6)
        move_b = picking.move_ids.filtered(lambda m: m.product_id == self.item_b)
        move_b.with_user(self.warehouse_user).write({"state": "cancel"})
        result = picking.with_user(self.warehouse_user).button_validate()
        self.assertEqual(result.get("res_model"), JUSTIFY)
        self.assert_not_shipped(picking)
        self.assertIn(self.item_b.display_name, self.requests(picking).hold_reason)

    def test_demand_and_moves_stay(self):
        __, picking = self.sell_all_at_once(qty_b=3)
        move = picking.move_ids.filtered(lambda m: m.product_id == self.product)
        with self.assertRaisesRegex(UserError, "must ship complete"):
            move.with_user(self.warehouse_user).product_uom_qty = 6
        other = picking.copy({"move_ids": []})
        with self.assertRaisesRegex(UserError, "must ship complete"):
            move.with_user(self.warehouse_user).picking_id = other
        # nor in a bigger unit (fewer units), nor another product
        dozen = self.env.ref("uom.product_uom_dozen")
        with self.assertRaisesRegex(UserError, "must ship complete"):
            move.with_user(self.warehouse_user).write({"product_uom_qty": 0.5, "product_uom": dozen.id})
        with self.assertRaisesRegex(UserError, "must ship complete"):
            move.with_user(self.warehouse_user).product_id = self.item_b
        # a stock manager neither
        with self.assertRaisesRegex(UserError, "must ship complete"):
            move.with_user(self.warehouse_manager).product_uom_qty = 6
        # cancelled, then deleted: its demand would leave the transfer unseen
        move_b = picking.move_ids - move
        move_b.with_user(self.warehouse_user).write({"state": "cancel"})
        with self.assertRaisesRegex(UserError, "must ship complete"):
            move_b.with_user(self.warehouse_user).unlink()
        self.assertTrue(move_b.exists())
        self.assertEqual(move.product_uom_qty, 10)
        self.assertEqual(move.picking_id, picking)

    def test_the_requirement_is_loosened_by_sales_managers_only(self):
        order, picking = self.sell_all_at_once()
        self.assertEqual(picking.move_type, "one")
        for user in (self.warehouse_user, self.warehouse_manager, self.rep):
            with self.assertRaises(AccessError):
                order.with_user(user).picking_policy = "direct"
            with self.assertRaises(AccessError):
                picking.with_user(user).move_type = "direct"
        self.assertEqual((order.picking_policy, picking.move_type), ("one", "one"))
        # the customer's flag: a rep neither sets nor clears it, by any path
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.rep).create(
                {"name": "DG New", "dg_complete_delivery": True}
            )
        with self.assertRaises(AccessError):
            self.env["res.partner"].with_user(self.rep).with_context(
                default_dg_complete_delivery=True
            ).create({"name": "DG New"})
        result = self.env["res.partner"].with_user(self.rep).load(
            ["name", "dg_complete_delivery"], [["DG Imported", "1"]]
        )
        self.assertFalse(result["ids"])
        with self.assertRaises(AccessError):
            self.customer.with_user(self.rep).write({"dg_complete_delivery": True})
        self.assertFalse(self.env["res.partner"].search([("name", "in", ("DG New", "DG Imported"))]))
        # the sales manager decides the customer takes partial deliveries: then it ships short
        order.with_user(self.sales_manager).picking_policy = "direct"
        picking.with_user(self.sales_manager).move_type = "direct"
        logged = self.env["distribution.audit.log"].search(
            [("sale_order_id", "=", order.id), ("event", "=", "partial_policy")]
        )
        self.assertEqual(logged.user_id, self.sales_manager)
        self.assertEqual(len(logged), 2)
        self.validate_with_wizard(self.pick(picking, 6))
        self.assertEqual(picking.state, "done")
        self.assertFalse(self.requests(picking))

    def test_engine_fields_cannot_be_written(self):
        __, picking = self.sell_all_at_once()
        own = picking.with_user(self.warehouse_user)
        with self.assertRaises(AccessError):
            own.write({"dg_partial_state": "approved"})
        with self.assertRaises(AccessError):
            call_rpc(own.env, "stock.picking", "write", picking.ids, {"dg_partial_state": "approved"})
        with self.assertRaises(AccessError):
            own.copy({"dg_partial_state": "approved"})
        with self.assertRaises(AccessError):
            own.with_context(default_dg_partial_state="approved").copy()
        with self.assertRaises(AccessError):
            self.env["stock.picking"].with_user(self.warehouse_user).create({
                "picking_type_id": picking.picking_type_id.id,
                "dg_partial_state": "approved",
            })
        result = self.env["stock.picking"].with_user(self.warehouse_user).load(
            [".id", "dg_partial_state"], [[str(picking.id), "approved"]]
        )
        self.assertFalse(result["ids"])
        self.assertEqual(picking.dg_partial_state, "none")
        # the request's own fields are the engine's too
        request = self.blocked_request(picking)
        with self.assertRaises(AccessError):
            request.with_user(self.warehouse_user).write({"state": "approved"})
        with self.assertRaises(AccessError):
            request.with_user(self.warehouse_manager).write({"partial_moves": []})
        self.assertEqual(request.state, "pending")
        self.assertEqual(picking.copy().dg_partial_state, "none")

    # ------------------------------------------------------------------ bound to the moves

    def test_a_change_of_quantities_voids_the_approval(self):
        __, picking = self.sell_all_at_once()
        request = self.approved(picking)
        self.pick(picking, 5)
        self.assertEqual(request.state, "voided")
        self.assertTrue(self.log(picking, "void"))
        self.assertEqual(picking.dg_partial_state, "none")
        result = picking.with_user(self.warehouse_user).button_validate()
        self.assertEqual(result.get("res_model"), JUSTIFY)
        self.assert_not_shipped(picking)

    def test_a_change_of_move_lines_voids_the_approval(self):
        __, picking = self.sell_all_at_once()
        request = self.approved(picking)
        picking.move_line_ids.with_user(self.warehouse_user).write({"quantity": 4})
        self.assertEqual(request.state, "voided")
        with self.assertRaises(UserError):
            picking.with_user(self.warehouse_user)._action_done()

    def test_a_change_while_pending_cancels_the_request(self):
        __, picking = self.sell_all_at_once()
        request = self.blocked_request(picking)
        self.pick(picking, 5, self.warehouse_user)
        self.assertEqual(request.state, "cancelled")
        self.assertIn(self.warehouse_user, request.changed_by_ids)
        with self.assertRaises(UserError):
            request.with_user(self.warehouse_manager).action_approve()

    def test_an_approval_covers_the_same_moves_only_once_shipped(self):
        __, picking = self.sell_all_at_once()
        request = self.approved(picking)
        self.validate_with_wizard(picking, backorder=False)
        self.assertEqual(picking.state, "done")
        self.assertFalse(picking.backorder_ids.filtered(lambda p: p.state != "cancel"))
        self.assertEqual(request.state, "approved")

    def test_an_expired_approval_covers_nothing(self):
        __, picking = self.sell_all_at_once()
        request = self.approved(picking)
        request.sudo().approved_until = fields.Datetime.now() - timedelta(minutes=1)
        self.env["distribution.approval.request"]._cron_expire()
        self.assertEqual((request.state, picking.dg_partial_state), ("expired", "none"))
        result = picking.with_user(self.warehouse_user).button_validate()
        self.assertEqual(result.get("res_model"), JUSTIFY)
        self.assert_not_shipped(picking)
        self.assertEqual(self.requests(picking).mapped("state"), ["expired", "pending"])

    # ------------------------------------------------------------------ segregation of duties

    def test_the_requester_cannot_approve(self):
        __, picking = self.sell_all_at_once()
        request = self.blocked_request(picking, self.warehouse_manager)
        self.assertFalse(request.with_user(self.warehouse_manager).can_decide)
        with self.assertRaisesRegex(AccessError, "You requested this approval"):
            request.with_user(self.warehouse_manager).action_approve()
        self.assertNotIn(self.warehouse_manager.name, request.waiting_for)
        request.with_user(self.warehouse_manager_2).action_approve()
        self.assertEqual(request.state, "approved")

    def test_sod_is_judged_at_decision_time(self):
        order, picking = self.sell_all_at_once()
        request = self.blocked_request(picking)
        self.assertTrue(request.with_user(self.warehouse_manager).can_decide)
        # the stock manager becomes the order's salesperson after the request
        self.warehouse_manager.groups_id |= self.env.ref("sales_team.group_sale_salesman")
        order.user_id = self.warehouse_manager
        self.assertFalse(request.with_user(self.warehouse_manager).can_decide)
        self.assertNotIn(
            request,
            self.env["distribution.approval.request"].with_user(self.warehouse_manager).search(
                [("can_decide", "=", True)]
            ),
        )
        with self.assertRaises(AccessError):
            request.with_user(self.warehouse_manager).action_approve()
        self.assertEqual(request.state, "pending")

    def test_the_order_creator_cannot_approve(self):
        self.warehouse_manager_2.groups_id |= self.env.ref("sales_team.group_sale_salesman_all_leads")
        order = self.env["sale.order"].with_user(self.warehouse_manager_2).create({
            "partner_id": self.customer.id,
            "user_id": self.rep.id,
            "picking_policy": "one",
            "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 10})],
        })
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        request = self.blocked_request(picking)
        with self.assertRaises(AccessError):
            request.with_user(self.warehouse_manager_2).action_approve()
        request.with_user(self.warehouse_manager).action_approve()
        self.assertEqual(request.state, "approved")

    def test_a_rep_and_a_warehouse_user_cannot_decide(self):
        __, picking = self.sell_all_at_once()
        request = self.blocked_request(picking)
        for user in (self.rep, self.warehouse_user, self.sales_manager):
            with self.assertRaises(AccessError):
                request.with_user(user).action_approve()
        self.assertEqual(request.state, "pending")

    # ------------------------------------------------------------------ the panel

    def test_the_panel(self):
        __, picking = self.sell_all_at_once()
        Request = self.env["distribution.approval.request"]
        self.pick(picking, 6)
        data = Request.with_user(self.warehouse_user).get_partial_panel_data("stock.picking", picking.id)
        self.assertTrue(data["visible"])
        self.assertEqual(data["short_count"], 1)
        self.assertEqual([(r["demand"], r["shipped"], r["short"]) for r in data["rows"]], [(10, 6, 4)])
        self.assertFalse(data["request"])
        request = self.blocked_request(picking)
        data = Request.with_user(self.warehouse_user).get_partial_panel_data("stock.picking", picking.id)
        self.assertEqual(data["request"]["id"], request.id)
        self.assertTrue(data["request"]["can_justify"])
        self.assertFalse(data["request"]["can_decide"])
        data = Request.with_user(self.warehouse_manager).get_partial_panel_data(
            "distribution.approval.request", request.id
        )
        self.assertTrue(data["request"]["can_decide"])
        # a delivery that may ship short shows no panel
        __, other = self.sell_all_at_once(policy="direct")
        data = Request.with_user(self.warehouse_user).get_partial_panel_data("stock.picking", other.id)
        self.assertFalse(data["visible"])

    # ------------------------------------------------------------------ the hot path's shortcut

    def test_a_change_is_seen_whether_the_transfer_is_in_the_cache_or_not(self):
        """Moves' writes look up in the database only the transfers whose request state the
        cache does not hold (issue 17): both kinds still see the change."""
        __, picking = self.sell_all_at_once()
        request = self.approved(picking)
        self.assertEqual(picking.dg_partial_state, "approved")  # in the cache
        picking.move_line_ids.with_user(self.warehouse_user).write({"quantity": 5})
        self.assertEqual(request.state, "voided")
        __, other = self.sell_all_at_once()
        pending = self.blocked_request(other)
        self.env.invalidate_all()  # the transfer's state is read from the database
        self.pick(other, 5)
        self.assertEqual(pending.state, "cancelled")
        self.assertIn(self.warehouse_user, pending.changed_by_ids)

    def test_the_watched_transfers(self):
        __, picking = self.sell_all_at_once()
        self.blocked_request(picking)
        __, free = self.sell_all_at_once()
        gone = picking.copy({"move_ids": []})
        gone_id = gone.id
        gone.unlink()
        both = picking | free | self.env["stock.picking"].browse(gone_id)
        # the states in the cache (the deleted one's is not: an unlink clears the cache)
        self.assertEqual((picking.dg_partial_state, free.dg_partial_state), ("pending", "none"))
        self.assertEqual(both._dg_partial_watched(), picking)
        self.env.invalidate_all()
        self.assertEqual(both._dg_partial_watched(), picking)
