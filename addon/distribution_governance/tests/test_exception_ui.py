from odoo.tests import Form, HttpCase, new_test_user, tagged


@tagged("post_install", "-at_install", "is_tour")
class TestExceptionUi(HttpCase):
    """The exception panel (picking form) and the exception views in the real web client, as a
    warehouse user.

    Two customers each get 10 crates, confirmed and delivered short (7 picked) through the
    standard flows; each delivery opens a short-pick exception by itself. The panel tour resolves
    the first; the views tour searches, groups and moves the second.
    """

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        env = cls.env
        cls.warehouse = env["stock.warehouse"].search([("company_id", "=", env.company.id)], limit=1)
        cls.product = env["product.product"].create(
            {"name": "DG Tour Crate", "is_storable": True, "list_price": 12.0}
        )
        # Stock through an inventory adjustment, as a warehouse would count it.
        env["stock.quant"].with_context(inventory_mode=True).create(
            {
                "product_id": cls.product.id,
                "location_id": cls.warehouse.lot_stock_id.id,
                "inventory_quantity": 50,
            }
        ).action_apply_inventory()
        cls.picker = new_test_user(
            env, login="dg_tour_picker", name="DG Tour Picker", groups="stock.group_stock_user"
        )
        cls.panel_picking = cls._deliver_short("DG Panel Customer", backorder=False)
        cls.board_picking = cls._deliver_short("DG Board Customer", backorder=True)
        Exception_ = env["distribution.exception"]
        cls.panel_exception = Exception_.search([("picking_id", "=", cls.panel_picking.id)])
        cls.board_exception = Exception_.search([("picking_id", "=", cls.board_picking.id)])

    @classmethod
    def _deliver_short(cls, customer_name, backorder):
        """Sell 10 crates, pick 7, validate; answer the backorder wizard."""
        customer = cls.env["res.partner"].create({"name": customer_name})
        order = cls.env["sale.order"].create(
            {
                "partner_id": customer.id,
                "warehouse_id": cls.warehouse.id,
                "order_line": [(0, 0, {"product_id": cls.product.id, "product_uom_qty": 10})],
            }
        )
        order.action_confirm()
        picking = order.picking_ids
        picking.action_assign()
        picking.move_ids.write({"quantity": 7, "picked": True})
        wizard_action = picking.button_validate()
        wizard = Form.from_action(cls.env, wizard_action).save()
        if backorder:
            wizard.process()
        else:
            wizard.process_cancel_backorder()
        return picking

    def _assert_open_short_pick(self, exception):
        self.assertEqual(len(exception), 1)
        self.assertEqual(exception.type_code, "short_pick")
        self.assertIn(exception.state, ("new", "in_progress"))

    def _resolution(self, code):
        return self.env["distribution.exception.resolution"].search(
            [("type_id.code", "=", "short_pick"), ("code", "=", code)]
        )

    def test_scenario(self):
        self.assertEqual(self.panel_picking.state, "done")
        self.assertFalse(self.panel_picking.backorder_ids)
        self.assertEqual(len(self.board_picking.backorder_ids), 1)
        for exception in (self.panel_exception, self.board_exception):
            self._assert_open_short_pick(exception)
            self.assertFalse(exception.owner_id)
            self.assertEqual(exception.quantity_missing, 3)

    def test_resolve_from_picking_panel(self):
        self._assert_open_short_pick(self.panel_exception)
        self.start_tour(
            f"/odoo/action-stock.action_picking_tree_all/{self.panel_picking.id}",
            "distribution_governance_exception_panel_tour",
            login=self.picker.login,
        )
        exception = self.panel_exception
        exception.invalidate_recordset()
        self.assertEqual(exception.state, "resolved")
        self.assertEqual(exception.resolution_id, self._resolution("accepted"))
        self.assertEqual(exception.resolved_by_id, self.picker)
        self.assertEqual(exception.owner_id, self.picker, "taken from the panel first")
        self.assertEqual(exception.resolution_note, "Customer keeps the 7 units, no backorder.")
        self.assertEqual(self.board_exception.state, "new", "the other exception is untouched")

    def test_triage_in_the_exception_views(self):
        self._assert_open_short_pick(self.board_exception)
        self.start_tour(
            "/odoo/action-distribution_governance.action_exception_board",
            "distribution_governance_exception_views_tour",
            login=self.picker.login,
        )
        exception = self.board_exception
        exception.invalidate_recordset()
        # moved to In Progress: taken; moved to Cancelled: refused, nothing changed
        self.assertEqual((exception.state, exception.owner_id), ("in_progress", self.picker))
        self.assertFalse(exception.resolved_at)
        self.panel_exception.invalidate_recordset()
        self.assertEqual(self.panel_exception.state, "new", "only looked at, not changed")
        self.assertFalse(self.panel_exception.owner_id)
