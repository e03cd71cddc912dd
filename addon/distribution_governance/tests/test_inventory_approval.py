"""Issue 14, large inventory adjustments: applying a count above the threshold (value or
quantity, the company's or the warehouse's) waits for a stock manager who did not count nor
request it; every other path to the same stock change is refused.

Tried as the users who would try it: a stock user, a sales rep with stock rights, a sales rep
without, a stock manager applying his own count. A refusal is asserted with the stock unchanged;
an allowed path with the stock changed by the independent computation of the count.
"""

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import GovernanceCase, call_rpc

REQUEST = "distribution.approval.request"


@tagged("post_install", "-at_install")
class TestInventoryApproval(GovernanceCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.write(
            {
                "dg_inventory_control_active": True,
                "dg_inventory_value_threshold": 500.0,
                "dg_inventory_qty_threshold": 0.0,
            }
        )
        cls.stock = cls.warehouse.lot_stock_id
        cls.item = cls.env["product.product"].create(
            {"name": "DG Counted Crate", "is_storable": True, "standard_price": 10.0}
        )
        cls.cheap = cls.env["product.product"].create(
            {"name": "DG Counted Label", "is_storable": True, "standard_price": 0.1}
        )
        cls.counter = new_test_user(cls.env, login="dg_inv_counter", groups="stock.group_stock_user")
        cls.rep_stock = new_test_user(
            cls.env, login="dg_inv_rep_stock",
            groups="sales_team.group_sale_salesman,stock.group_stock_user",
        )
        cls.rep = new_test_user(cls.env, login="dg_inv_rep", groups="sales_team.group_sale_salesman")
        cls.manager = new_test_user(cls.env, login="dg_inv_mgr", groups="stock.group_stock_manager")
        cls.manager_2 = new_test_user(cls.env, login="dg_inv_mgr_2", groups="stock.group_stock_manager")
        # decides credit overrides (an accounting manager), not counts
        cls.finance = new_test_user(cls.env, login="dg_inv_fin", groups="account.group_account_manager")
        cls.governance_admin = new_test_user(
            cls.env, login="dg_inv_admin",
            groups="distribution_governance.group_governance_admin,stock.group_stock_manager",
        )

    def setUp(self):
        super().setUp()
        self.env["stock.quant"]._update_available_quantity(self.item, self.stock, 100.0)
        self.env["stock.quant"]._update_available_quantity(self.cheap, self.stock, 100.0)
        self.quant = self.quant_of(self.item)

    def quant_of(self, product, location=None):
        return self.env["stock.quant"].search(
            [("product_id", "=", product.id), ("location_id", "=", (location or self.stock).id)]
        )

    def count(self, quant, qty, user=None):
        quant.with_user(user or self.counter).with_context(inventory_mode=True).write(
            {"inventory_quantity": qty}
        )

    def on_hand(self, product, location=None):
        return product.with_context(location=(location or self.stock).id).qty_available

    def requests(self, **criteria):
        domain = [("kind", "=", "inventory_adjustment")] + [
            (key, "=", value) for key, value in criteria.items()
        ]
        return self.env[REQUEST].search(domain)

    def events(self, request):
        return self.env["distribution.audit.log"].search(
            [("request_id", "=", request.id)], order="id"
        ).mapped("event")

    def pending_count(self, qty=200.0, user=None):
        """A count of 200 for 100 on hand, worth 1,000 (over the 500 threshold), applied."""
        user = user or self.counter
        self.count(self.quant, qty, user)
        action = call_rpc(self.env(user=user), "stock.quant", "action_apply_inventory", self.quant.ids)
        return self.quant.dg_inventory_request_id, action

    # ------------------------------------------------------------------ thresholds

    def test_below_the_threshold_applies_as_odoo_does(self):
        self.count(self.quant, 140.0)  # +40 x 10 = 400
        self.quant.with_user(self.counter).action_apply_inventory()
        self.assertEqual(self.on_hand(self.item), 140.0)
        self.assertFalse(self.requests())
        self.assertFalse(self.quant.inventory_quantity_set)

    def test_above_the_value_threshold_waits_then_the_approval_applies_the_count(self):
        request, action = self.pending_count()
        self.assertEqual(self.on_hand(self.item), 100.0, "nothing applied before the approval")
        self.assertEqual(action["res_model"], "distribution.credit.justify.wizard")
        self.assertEqual(request.state, "pending")
        self.assertEqual(request.kind, "inventory_adjustment")
        self.assertEqual(request.requester_id, self.counter)
        self.assertEqual(request.inventory_counter_ids, self.counter)
        self.assertEqual(request.amount, 100 * 10.0)
        self.assertEqual(request.approver_group_id, self.env.ref("stock.group_stock_manager"))
        [line] = request.inventory_lines
        self.assertEqual((line["quant_id"], line["on_hand"], line["counted"], line["change"]),
                         (self.quant.id, 100.0, 200.0, 100.0))
        # pending in Physical Inventory: the badge's field and the filter's domain
        self.assertEqual(self.quant.dg_inventory_approval, "pending")
        self.assertEqual(
            self.env["stock.quant"].with_user(self.counter).search(
                [("dg_inventory_approval", "=", "pending")]
            ),
            self.quant,
        )
        self.assertIn(self.manager, self.env[REQUEST].with_user(self.manager).search(
            [("can_decide", "=", True)]).mapped("requester_id") | self.manager
        )
        self.assertTrue(request.with_user(self.manager).can_decide)

        request.with_user(self.manager).action_approve("Recounted with the team lead")
        self.assertEqual(request.state, "approved")
        self.assertFalse(request.approved_until, "spent: an applied count never expires")
        self.assertEqual(self.on_hand(self.item), 200.0)
        self.assertFalse(self.quant.dg_inventory_request_id)
        self.assertFalse(self.quant.inventory_quantity_set)
        move = self.env["stock.move"].search(
            [("product_id", "=", self.item.id), ("is_inventory", "=", True)], order="id desc", limit=1
        )
        self.assertEqual(move.create_uid, self.manager, "applied as the approver")
        self.assertIn(request.name, move.name)
        self.assertEqual(move.product_uom_qty, 100.0)
        self.assertEqual(self.events(request), ["request", "approve", "inventory_apply"])
        self.assertIn("counts applied", request.message_ids[0].body)

    def test_a_quantity_threshold_of_a_warehouse_of_its_own(self):
        self.company.write({"dg_inventory_value_threshold": 0.0, "dg_inventory_qty_threshold": 50.0})
        warehouse_2 = self.env["stock.warehouse"].create(
            {"name": "DG Overflow", "code": "DGO", "company_id": self.company.id}
        )
        # a stock manager may not lower the bar of his own warehouse; a governance admin may
        with self.assertRaises(AccessError):
            warehouse_2.with_user(self.manager).write({"dg_inventory_qty_threshold": 500.0})
        warehouse_2.with_user(self.governance_admin).write({"dg_inventory_qty_threshold": 10.0})
        self.env["stock.quant"]._update_available_quantity(self.cheap, warehouse_2.lot_stock_id, 100.0)

        # +20 units: within the company's 50 in the main warehouse, above the overflow's 10
        cheap_main = self.quant_of(self.cheap)
        self.count(cheap_main, 120.0)
        cheap_main.with_user(self.counter).action_apply_inventory()
        self.assertEqual(self.on_hand(self.cheap), 120.0)
        cheap_2 = self.quant_of(self.cheap, warehouse_2.lot_stock_id)
        self.count(cheap_2, 120.0)
        cheap_2.with_user(self.counter).action_apply_inventory()
        self.assertEqual(self.on_hand(self.cheap, warehouse_2.lot_stock_id), 100.0)
        self.assertEqual(cheap_2.dg_inventory_approval, "pending")
        # a value of 2.00: only the quantity decided
        self.assertEqual(cheap_2.dg_inventory_request_id.amount, 2.0)

    def test_the_tier_of_a_value_band_decides_how_many_managers(self):
        self.env["distribution.approval.policy"].create(
            {
                "name": "DG Inventory from 5,000",
                "kind": "inventory_adjustment",
                "company_id": self.company.id,
                "amount_min": 5000.0,
                "group_id": self.env.ref("stock.group_stock_manager").id,
                "approvals_required": 2,
            }
        )
        self.env["distribution.approval.policy"].create(
            {
                "name": "DG Inventory up to 5,000",
                "kind": "inventory_adjustment",
                "company_id": self.company.id,
                "amount_min": 0.0,
                "amount_max": 5000.0,
                "group_id": self.env.ref("stock.group_stock_manager").id,
                "approvals_required": 1,
            }
        )
        request, __ = self.pending_count(qty=700.0)  # 600 x 10 = 6,000
        self.assertEqual(request.approvals_required, 2)
        request.with_user(self.manager).action_approve()
        self.assertEqual(self.on_hand(self.item), 100.0, "one manager of two")
        request.with_user(self.manager_2).action_approve()
        self.assertEqual(self.on_hand(self.item), 700.0)

    # ------------------------------------------------------------------ the paths

    def test_a_batch_mixing_small_and_large_counts(self):
        cheap = self.quant_of(self.cheap)
        self.count(cheap, 150.0)  # 5.00
        self.count(self.quant, 300.0)
        call_rpc(self.env(user=self.rep_stock), "stock.quant", "action_apply_inventory",
                 (cheap | self.quant).ids)
        self.assertEqual(self.on_hand(self.cheap), 150.0)
        self.assertEqual(self.on_hand(self.item), 100.0)
        self.assertEqual(self.quant.dg_inventory_request_id.requester_id, self.rep_stock)

    def test_the_apply_wizard_and_apply_all(self):
        cheap = self.quant_of(self.cheap)
        self.count(cheap, 90.0)
        self.count(self.quant, 40.0)  # -60 x 10 = 600
        wizard = self.env["stock.inventory.adjustment.name"].with_user(self.counter).create(
            {"quant_ids": [Command.set((cheap | self.quant).ids)], "inventory_adjustment_name": "Q4"}
        )
        wizard.action_apply()
        self.assertEqual(self.on_hand(self.cheap), 90.0)
        self.assertEqual(self.on_hand(self.item), 100.0)
        request = self.quant.dg_inventory_request_id
        self.assertEqual(request.amount, 600.0)
        # Apply again (a colleague's Apply All): the same request, not a second one
        self.quant.with_user(self.rep_stock).action_apply_inventory()
        self.assertEqual(self.requests(), request)
        self.assertEqual(self.on_hand(self.item), 100.0)

    def test_every_other_path_is_refused_above_the_threshold(self):
        Quant = self.env["stock.quant"]
        for user in (self.counter, self.rep_stock, self.manager):
            with self.subTest(user=user.login):
                inventory = Quant.with_user(user).with_context(inventory_mode=True)
                # the On Hand Quantity edited in place (the product's Update Quantity list)
                with self.assertRaises(UserError):
                    inventory.browse(self.quant.id).write({"inventory_quantity_auto_apply": 300.0})
                # a create of it in inventory mode (a new line, an import's column)
                with self.assertRaises(UserError):
                    inventory.create(
                        {"product_id": self.item.id, "location_id": self.stock.id,
                         "inventory_quantity_auto_apply": 300.0}
                    )
                # the count set and applied in one call, past action_apply_inventory
                with self.assertRaises(UserError):
                    inventory.browse(self.quant.id).write({"inventory_quantity": 300.0})
                    inventory.browse(self.quant.id).with_context(
                        set_inventory_quantity_auto_apply=True
                    ).action_apply_inventory()
                # quantity itself, outside any move
                with self.assertRaises(AccessError):
                    inventory.browse(self.quant.id).write({"quantity": 300.0})
                with self.assertRaises(AccessError):
                    Quant.with_user(user).create(
                        {"product_id": self.item.id, "location_id": self.stock.id, "quantity": 300.0}
                    )
                self.assertEqual(self.on_hand(self.item), 100.0)
        # the product's Update Quantity wizard (no locations, no lots)
        wizard = self.env["stock.change.product.qty"].with_user(self.counter).create(
            {"product_id": self.item.id, "product_tmpl_id": self.item.product_tmpl_id.id,
             "new_quantity": 300.0}
        )
        with self.assertRaises(UserError):
            wizard.change_product_qty()
        # a stock manager deleting the quant (Odoo applies a count of 0)
        with self.assertRaises(UserError):
            self.quant.with_user(self.manager).unlink()
        # the tracked-product confirmation applies directly
        self.count(self.quant, 300.0)
        confirm = self.env["stock.track.confirmation"].with_user(self.counter).create(
            {"quant_ids": [Command.set(self.quant.ids)]}
        )
        with self.assertRaises(UserError):
            confirm.action_confirm()
        self.assertEqual(self.on_hand(self.item), 100.0)
        self.assertFalse(self.requests())

    def test_below_the_threshold_the_other_paths_work_as_odoo(self):
        # the On Hand Quantity edited in place is a stock manager's (Odoo's field rights)
        inventory = self.env["stock.quant"].with_user(self.manager).with_context(inventory_mode=True)
        inventory.browse(self.quant.id).write({"inventory_quantity_auto_apply": 130.0})
        self.assertEqual(self.on_hand(self.item), 130.0)

    def test_a_hand_made_adjustment_move_is_refused(self):
        loss = self.item.with_company(self.company).property_stock_inventory
        for user in (self.counter, self.manager):
            for source, dest, flag in ((loss, self.stock, False), (self.stock, loss, False),
                                       (loss, self.stock, True)):
                with self.subTest(user=user.login, source=source.name, is_inventory=flag):
                    move = self.env["stock.move"].with_user(user).create(
                        {
                            "name": "DG hand-made adjustment",
                            "product_id": self.item.id,
                            "product_uom": self.item.uom_id.id,
                            "product_uom_qty": 80.0,
                            "location_id": source.id,
                            "location_dest_id": dest.id,
                            "is_inventory": flag,
                        }
                    )
                    move._action_confirm()
                    move.quantity = 80.0
                    move.picked = True
                    with self.assertRaises(UserError):
                        move._action_done()
                    self.assertEqual(self.on_hand(self.item), 100.0)
        # a small one goes through, as in Odoo
        move = self.env["stock.move"].with_user(self.counter).create(
            {"name": "DG small", "product_id": self.item.id, "product_uom": self.item.uom_id.id,
             "product_uom_qty": 5.0, "location_id": loss.id, "location_dest_id": self.stock.id}
        )
        move._action_confirm()
        move.quantity = 5.0
        move.picked = True
        move._action_done()
        self.assertEqual(self.on_hand(self.item), 105.0)

    def test_a_done_adjustment_is_not_edited(self):
        self.count(self.quant, 110.0)
        self.quant.with_user(self.counter).action_apply_inventory()
        move = self.env["stock.move"].search(
            [("product_id", "=", self.item.id), ("is_inventory", "=", True)]
        )
        self.assertEqual(move.state, "done")
        for user in (self.counter, self.manager):
            with self.subTest(user=user.login):
                with self.assertRaises(UserError):
                    move.move_line_ids.with_user(user).write({"quantity": 500.0})
                with self.assertRaises(UserError):
                    self.env["stock.move.line"].with_user(user).create(
                        {"move_id": move.id, "product_id": self.item.id,
                         "product_uom_id": self.item.uom_id.id, "quantity": 500.0,
                         "location_id": move.location_id.id,
                         "location_dest_id": move.location_dest_id.id}
                    )
                self.assertEqual(self.on_hand(self.item), 110.0)

    def test_import(self):
        data = [[self.item.display_name, self.stock.display_name, "300"]]
        for user in (self.counter, self.manager):
            self.env["stock.quant"].with_user(user).with_context(inventory_mode=True).load(
                ["product_id", "location_id", "inventory_quantity_auto_apply"], data
            )
        # Odoo's import leaves the applied column aside: nothing moves
        self.assertEqual(self.on_hand(self.item), 100.0)
        self.assertFalse(self.env["stock.move"].search([("product_id", "=", self.item.id)]))
        # an imported count is a count: Apply files the request
        result = self.env["stock.quant"].with_user(self.counter).with_context(
            inventory_mode=True
        ).load(["product_id", "location_id", "inventory_quantity"], data)
        self.assertFalse(result["messages"])
        self.assertEqual(self.quant.inventory_quantity, 300.0)
        self.quant.with_user(self.counter).action_apply_inventory()
        self.assertEqual(self.on_hand(self.item), 100.0)
        self.assertEqual(self.quant.dg_inventory_approval, "pending")

    def test_without_stock_rights_nothing_is_applied(self):
        self.count(self.quant, 300.0)
        with self.assertRaises(AccessError):
            call_rpc(self.env(user=self.rep), "stock.quant", "action_apply_inventory", self.quant.ids)
        self.assertEqual(self.on_hand(self.item), 100.0)
        self.assertFalse(self.requests())

    # ------------------------------------------------------------------ fields

    def test_the_engine_fields_are_refused(self):
        request, __ = self.pending_count()
        Quant = self.env["stock.quant"].with_user(self.counter)
        for vals in ({"dg_inventory_request_id": False}, {"dg_inventory_approval": False},
                     {"dg_counted_by_id": self.manager.id}):
            with self.subTest(vals=vals), self.assertRaises(AccessError):
                Quant.browse(self.quant.id).write(vals)
        with self.assertRaises(AccessError):
            Quant.with_context(inventory_mode=True).create(
                {"product_id": self.cheap.id, "location_id": self.stock.id,
                 "inventory_quantity": 5.0, "dg_inventory_request_id": request.id}
            )
        with self.assertRaises(AccessError):
            Quant.with_context(
                inventory_mode=True, default_dg_inventory_request_id=request.id
            ).create({"product_id": self.cheap.id, "location_id": self.stock.id,
                      "inventory_quantity": 5.0})
        # an import naming the field
        result = Quant.with_context(inventory_mode=True).load(
            ["product_id", "location_id", "inventory_quantity", "dg_inventory_request_id/.id"],
            [[self.cheap.display_name, self.stock.display_name, "5", str(request.id)]],
        )
        self.assertTrue(result["messages"])
        self.assertFalse(self.quant_of(self.cheap).dg_inventory_request_id)
        with self.assertRaises(AccessError):
            request.with_user(self.manager).write({"inventory_lines": []})
        with self.assertRaises(AccessError):
            self.env[REQUEST].with_user(self.manager).create(
                {"kind": "inventory_adjustment", "company_id": self.company.id,
                 "requester_id": self.manager.id, "currency_id": self.company.currency_id.id}
            )
        self.assertEqual(self.quant.dg_inventory_request_id, request)
        self.assertEqual(self.quant.dg_counted_by_id, self.counter)

    # ------------------------------------------------------------------ voided, rejected

    def test_a_recount_voids_the_request(self):
        request, __ = self.pending_count()
        self.count(self.quant, 210.0, self.counter)
        self.assertEqual(request.state, "voided")
        self.assertFalse(self.quant.dg_inventory_request_id)
        self.assertEqual(self.events(request), ["request", "inventory_void"])
        with self.assertRaises(UserError):
            request.with_user(self.manager).action_approve()
        self.assertEqual(self.on_hand(self.item), 100.0)
        # Apply again: a new request for the new count
        self.quant.with_user(self.counter).action_apply_inventory()
        new = self.quant.dg_inventory_request_id
        self.assertNotEqual(new, request)
        self.assertEqual(new.inventory_lines[0]["counted"], 210.0)

    def test_a_stock_move_on_the_quant_voids_the_request(self):
        request, __ = self.pending_count()
        self.env["stock.quant"]._update_available_quantity(self.item, self.stock, -5.0)
        self.assertEqual(request.state, "voided")
        cleared, __ = self.pending_count(qty=200.0)
        self.quant.with_user(self.counter).action_clear_inventory_quantity()
        self.assertEqual(cleared.state, "voided")

    def test_a_rejection_leaves_the_stock_and_clears_the_count(self):
        request, __ = self.pending_count()
        request.with_user(self.manager).action_reject("Count the back shelf again")
        self.assertEqual(request.state, "rejected")
        self.assertEqual(self.on_hand(self.item), 100.0)
        self.assertFalse(self.quant.inventory_quantity_set)
        self.assertFalse(self.quant.dg_inventory_request_id)
        self.assertEqual(request.inventory_lines[0]["counted"], 200.0, "the request keeps it")
        self.assertEqual(self.events(request), ["request", "reject"])

    # ------------------------------------------------------------------ who decides

    def test_segregation_of_duties_at_decision_time(self):
        # a stock manager counted, a stock user applied: neither decides
        self.count(self.quant, 200.0, self.manager_2)
        self.quant.with_user(self.counter).action_apply_inventory()
        request = self.quant.dg_inventory_request_id
        self.assertEqual(request.inventory_counter_ids, self.manager_2)
        for user in (self.manager_2, self.counter, self.finance):
            with self.subTest(user=user.login):
                self.assertFalse(request.with_user(user).can_decide)
                with self.assertRaises(AccessError):
                    request.with_user(user).action_approve()
        # a manager who lost the role since the request
        self.manager.groups_id -= self.env.ref("stock.group_stock_manager")
        self.assertFalse(request.with_user(self.manager).can_decide)
        with self.assertRaises(AccessError):
            request.with_user(self.manager).action_approve()
        self.assertEqual(self.on_hand(self.item), 100.0)
        request.with_user(self.governance_admin).action_approve()
        self.assertEqual(self.on_hand(self.item), 200.0)

    def test_a_stock_manager_applying_his_own_count_waits_for_another(self):
        request, __ = self.pending_count(user=self.manager)
        self.assertEqual(self.on_hand(self.item), 100.0)
        self.assertEqual(request.requester_id, self.manager)
        with self.assertRaises(AccessError):
            request.with_user(self.manager).action_approve()
        request.with_user(self.manager_2).action_approve()
        self.assertEqual(self.on_hand(self.item), 200.0)

    def test_can_decide_agrees_with_the_refusals(self):
        request, __ = self.pending_count()
        Request = self.env[REQUEST]
        for user in (self.counter, self.manager, self.manager_2, self.finance,
                     self.governance_admin, self.rep_stock):
            with self.subTest(user=user.login):
                expected = not request.sudo()._refusal(user)
                found = Request.sudo().search(
                    Request._can_decide_domain(user) + [("id", "=", request.id)]
                )
                self.assertEqual(bool(found), expected)

    # ------------------------------------------------------------------ companies

    def test_multi_company(self):
        company_b = self.company_b
        company_b.write({"dg_inventory_control_active": True, "dg_inventory_value_threshold": 50.0})
        self.item.with_company(company_b).standard_price = 10.0
        warehouse_b = self.env["stock.warehouse"].search([("company_id", "=", company_b.id)], limit=1)
        stock_b = warehouse_b.lot_stock_id
        self.env["stock.quant"].with_company(company_b)._update_available_quantity(
            self.item, stock_b, 10.0
        )
        counter_b = new_test_user(
            self.env, login="dg_inv_counter_b", groups="stock.group_stock_user",
            company_id=company_b.id, company_ids=[Command.set(company_b.ids)],
        )
        manager_b = new_test_user(
            self.env, login="dg_inv_mgr_b", groups="stock.group_stock_manager",
            company_id=company_b.id, company_ids=[Command.set(company_b.ids)],
        )
        quant_b = self.quant_of(self.item, stock_b)
        # +10 x 10 = 100: within company A's 500, above company B's 50
        quant_b.with_user(counter_b).with_context(inventory_mode=True).write({"inventory_quantity": 20.0})
        self.count(self.quant, 110.0)
        quant_b.with_user(counter_b).action_apply_inventory()
        self.quant.with_user(self.counter).action_apply_inventory()
        self.assertEqual(self.on_hand(self.item), 110.0)
        request = quant_b.dg_inventory_request_id
        self.assertEqual(request.company_id, company_b)
        self.assertEqual(request.currency_id, company_b.currency_id)
        # company A's manager neither reads nor decides it
        self.assertFalse(self.env[REQUEST].with_user(self.manager).search([("id", "=", request.id)]))
        with self.assertRaises(AccessError):
            request.with_user(self.manager).action_approve()
        request.with_user(manager_b).action_approve()
        self.assertEqual(
            self.item.with_company(company_b).with_context(location=stock_b.id).qty_available, 20.0
        )

    def test_the_request_form_shows_the_counts(self):
        request, __ = self.pending_count()
        html = request.with_user(self.manager).inventory_lines_html
        self.assertIn(self.item.display_name, html)
        self.assertIn("o_dg_inventory_line", html)
        form = Form(request.with_user(self.manager))
        self.assertEqual(form.kind, "inventory_adjustment")
