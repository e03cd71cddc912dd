"""Resolving, creating and copying exceptions never does more than the user's own rights.

A playbook runs Odoo operations as superuser, so each one first checks, as the resolver, the
rights of what it does (an RFQ takes purchase rights, a scrap takes scrap rights, a backorder
takes transfer rights, and the documents it works from must be theirs to see). What an
exception is about (product, quantities, linked documents, results) is set by detection or an
exception manager only, and what the engine decides (state, resolution, cause, SLA) by the
engine only: neither through values, `default_*` context keys, personal defaults, copy() nor
an import. The engine itself never takes a caller's `default_*` keys.

Every call goes through the RPC path (tests/common.py: call_rpc) as the user who would try it;
a refusal is checked to leave the database as it was.
"""

from contextlib import contextmanager

from odoo import Command
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from .common import CreditCase, call_rpc

EXCEPTION = "distribution.exception"
WIZARD = "distribution.exception.resolve.wizard"


class PlaybookRightsCase(CreditCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        # CreditCase: rep (sales, own documents only), finance, approver = warehouse manager
        # (who sells too, own documents); GovernanceCase: warehouse_user
        cls.buyer = new_test_user(
            cls.env,
            login="dg_pb_buyer",
            groups="stock.group_stock_user,purchase.group_purchase_user",
        )
        # works exceptions and nothing else of Odoo: no transfer, scrap or purchase rights
        cls.clerk = new_test_user(
            cls.env, login="dg_pb_clerk", groups="distribution_governance.group_exception_user"
        )
        cls.portal = new_test_user(cls.env, login="dg_pb_portal", groups="base.group_portal")
        cls.master_data_type = cls.env.ref("distribution_governance.exception_type_master_data")

    # ------------------------------------------------------------------ helpers

    def rpc(self, user, method, *args, **kwargs):
        return call_rpc(self.env(user=user), EXCEPTION, method, *args, **kwargs)

    def db(self, *exceptions):
        """What a refused call must not change, read from the database as superuser."""
        self.env.invalidate_all()
        return {
            "exceptions": self.env[EXCEPTION].search_read(
                [],
                ["state", "resolution_id", "resolved_by_id", "owner_id", "product_id",
                 "quantity_missing", "sale_order_id", "cause_key", "result_purchase_id",
                 "result_picking_id", "result_scrap_id"],
            ),
            **{
                model: self.env[model].search_count([])
                for model in ("purchase.order", "stock.scrap", "stock.picking", "stock.move")
            },
            "quants": self.env["stock.quant"].search_read([], ["quantity"]),
            "move_states": self.env["stock.move"].search_read([], ["state"]),
        }

    def assertRefused(self, call, message=None):
        """`call` raises AccessError (whose text contains `message`), nothing written."""
        before = self.db()
        with self.assertRaises(AccessError) as caught:
            call()
        if message:
            self.assertIn(message, str(caught.exception))
        self.assertEqual(self.db(), before, "refused, yet the database changed")
        return caught.exception

    @contextmanager
    def rolled_back(self):
        """What happens inside is undone: the next user starts from the same data."""
        savepoint = self.env.cr.savepoint()
        try:
            yield
        finally:
            savepoint.close(rollback=True)
            self.env.invalidate_all()

    def resolve(self, user, exception, code, note=None, context=None):
        resolution = self.resolution(exception.type_code, code)
        kwargs = {"context": context} if context else {}
        return self.rpc(user, "action_resolve", exception.ids, resolution.id, note, **kwargs)

    def sell_as(self, user, product, qty):
        """An order the user makes and confirms themselves (their own document)."""
        order = self.env["sale.order"].with_user(user).create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [Command.create({"product_id": product.id, "product_uom_qty": qty})],
            }
        )
        order.action_confirm()
        return order.with_env(self.env)

    def stockout(self, user=None):
        """A stockout detected on an order of `user` (default: of nobody the rep knows)."""
        self.set_stock(self.product, 1)
        order = self.sell_as(user, self.product, 5) if user else self.sell(self.product, 5)
        exc = self.exceptions(type_code="stockout", sale_order_id=order.id)
        self.assertEqual((len(exc), exc.quantity_missing), (1, 4))
        return exc

    def short_pick(self, backorder, user=None):
        self.set_stock(self.product, 10)
        order = self.sell_as(user, self.product, 10) if user else self.sell(self.product, 10)
        picking = self.ship(order.picking_ids, 6, backorder=backorder)
        exc = self.exceptions(type_code="short_pick", picking_id=picking.id)
        self.assertEqual(len(exc), 1)
        return exc

    def returned(self):
        """A return inspection: 2 of 5 delivered units came back into stock."""
        self.set_stock(self.product, 10)
        delivery = self.ship(self.sell(self.product, 5).picking_ids, 5)
        wizard = Form(
            self.env["stock.return.picking"].with_context(
                active_ids=delivery.ids, active_id=delivery.id, active_model="stock.picking"
            )
        ).save()
        wizard.product_return_moves.quantity = 2
        back = self.env["stock.picking"].browse(wizard.action_create_returns()["res_id"])
        back.move_ids.write({"quantity": 2, "picked": True})
        back.button_validate()
        exc = self.exceptions(type_code="return", picking_id=back.id)
        self.assertEqual(len(exc), 1)
        return exc

    def damaged(self):
        """Damaged goods: 1 unit scrapped while preparing a delivery."""
        self.set_stock(self.product, 10)
        picking = self.sell(self.product, 4).picking_ids
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
        exc = self.exceptions(type_code="damaged_goods", scrap_id=scrap.id)
        self.assertEqual(len(exc), 1)
        return exc


@tagged("post_install", "-at_install")
class TestPlaybookRights(PlaybookRightsCase):
    """A playbook does only what the resolver's own rights allow."""

    def test_replenish_needs_purchase_rights(self):
        exc = self.stockout(user=self.rep)
        for user in (self.rep, self.warehouse_user, self.warehouse_manager, self.finance):
            with self.subTest(user=user.login), self.rolled_back():
                self.assertRefused(lambda: self.resolve(user, exc, "replenish"), "Purchase Order")
        self.assertRefused(lambda: self.resolve(self.portal, exc, "replenish"))
        # through the wizard, the same

        def by_wizard():
            env = self.env(user=self.rep)
            values = {
                "exception_ids": [Command.set(exc.ids)],
                "resolution_id": self.resolution("stockout", "replenish").id,
            }
            wizard_id = call_rpc(env, WIZARD, "create", values)
            return call_rpc(env, WIZARD, "action_resolve", [wizard_id])

        with self.rolled_back():
            self.assertRefused(by_wizard, "Purchase Order")
        # a buyer may: the RFQ is theirs to make anyway
        self.resolve(self.buyer, exc, "replenish")
        self.assertEqual((exc.state, exc.resolved_by_id), ("resolved", self.buyer))
        self.assertEqual(exc.result_purchase_id.origin, exc.name)
        self.assertEqual(exc.result_purchase_id.order_line.product_qty, 4)

    def test_replenish_needs_the_order_to_be_readable(self):
        """A buyer who sells too, limited to their own orders, does not buy for another's."""
        exc = self.stockout()  # sold by someone else
        self.buyer.groups_id |= self.env.ref("sales_team.group_sale_salesman")
        self.assertRefused(lambda: self.resolve(self.buyer, exc, "replenish"), exc.sale_order_id.name)
        self.assertFalse(self.env["purchase.order"].search([("origin", "=", exc.name)]))

    def test_scrap_needs_scrap_rights(self):
        exc = self.returned()
        for user in (self.rep, self.finance, self.clerk):
            with self.subTest(user=user.login):
                self.assertRefused(
                    lambda: self.resolve(user, exc, "scrap", "Crushed corners"), "Scrap"
                )
        self.assertRefused(lambda: self.resolve(self.portal, exc, "scrap", "Crushed corners"))
        # a warehouse user scraps a return: it is their job
        stock = self.env["stock.quant"]._get_available_quantity
        location = exc.picking_id.location_dest_id
        before = stock(self.product, location)
        self.resolve(self.warehouse_user, exc, "scrap", "Crushed corners")
        self.assertEqual((exc.state, exc.resolved_by_id), ("resolved", self.warehouse_user))
        self.assertEqual(exc.result_scrap_id.state, "done")
        self.assertEqual(before - stock(self.product, location), 2)

    def test_restock_needs_the_order_to_be_readable(self):
        exc = self.returned()  # of an order sold by someone else
        self.assertRefused(lambda: self.resolve(self.rep, exc, "restock"), exc.sale_order_id.name)
        self.resolve(self.warehouse_user, exc, "restock")
        self.assertEqual(exc.state, "resolved")

    def test_backorder_needs_transfer_rights_and_the_order(self):
        exc = self.short_pick(backorder=False)  # sold by someone else
        self.assertRefused(lambda: self.resolve(self.clerk, exc, "backorder"), "Transfer")
        # a rep may create transfers, but not on an order they may not see
        self.assertRefused(lambda: self.resolve(self.rep, exc, "backorder"), exc.sale_order_id.name)
        self.resolve(self.warehouse_user, exc, "backorder")
        self.assertEqual(exc.result_picking_id.move_ids.product_uom_qty, 4)
        # on their own order, the rep may
        own = self.short_pick(backorder=False, user=self.rep)
        self.resolve(self.rep, own, "backorder")
        self.assertEqual((own.state, own.resolved_by_id), ("resolved", self.rep))
        self.assertEqual(own.result_picking_id.backorder_id, own.picking_id)

    def test_cancel_remainder_needs_move_rights_and_the_order(self):
        exc = self.short_pick(backorder=True)
        backorder = exc.picking_id.backorder_ids
        self.assertRefused(lambda: self.resolve(self.clerk, exc, "cancel_remainder"), "Stock Move")
        self.assertRefused(
            lambda: self.resolve(self.rep, exc, "cancel_remainder"), exc.sale_order_id.name
        )
        self.assertNotEqual(backorder.state, "cancel")
        self.resolve(self.warehouse_user, exc, "cancel_remainder")
        self.assertEqual(backorder.state, "cancel")

    def test_replacement_needs_transfer_rights(self):
        exc = self.damaged()
        self.assertRefused(lambda: self.resolve(self.clerk, exc, "replacement"), "Transfer")
        self.assertRefused(
            lambda: self.resolve(self.rep, exc, "replacement"), exc.sale_order_id.name
        )
        self.resolve(self.warehouse_manager, exc, "replacement")
        self.assertEqual(exc.result_picking_id.move_ids.product_uom_qty, 1)

    def test_a_refused_playbook_leaves_the_whole_batch_open(self):
        """A buyer replenishes two stockouts, the second on an order they may not read."""
        mine = self.stockout(user=self.rep)
        theirs = self.stockout()
        self.buyer.groups_id |= self.env.ref("sales_team.group_sale_salesman")
        mine.sale_order_id.user_id = self.buyer
        both = mine | theirs
        replenish = self.resolution("stockout", "replenish")
        self.assertRefused(lambda: self.rpc(self.buyer, "action_resolve", both.ids, replenish.id))
        self.assertEqual(both.mapped("state"), ["new", "new"])
