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

from odoo import Command, fields
from odoo.exceptions import AccessError, ValidationError
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
        exc.sale_order_id.user_id = False  # an order every salesperson reads, so are its exceptions
        exc.owner_id = self.clerk  # the bare exception role reads what it is given
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
        # a rep does not even read it (the exceptions of an order follow the order)
        self.assertRefused(lambda: self.resolve(self.rep, exc, "restock"), "Distribution Exception")
        # given to him by a manager, he reads it, but restocks no order he may not read
        exc.owner_id = self.rep
        self.assertRefused(lambda: self.resolve(self.rep, exc, "restock"), exc.sale_order_id.name)
        self.resolve(self.warehouse_user, exc, "restock")
        self.assertEqual(exc.state, "resolved")

    def test_backorder_needs_transfer_rights_and_the_order(self):
        exc = self.short_pick(backorder=False)  # sold by someone else
        exc.owner_id = self.clerk  # given to the bare exception role, who reads it so
        self.assertRefused(lambda: self.resolve(self.clerk, exc, "backorder"), "Transfer")
        # a rep may create transfers, but not on an order they may not see
        exc.owner_id = self.rep
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
        exc.owner_id = self.clerk
        self.assertRefused(lambda: self.resolve(self.clerk, exc, "cancel_remainder"), "Stock Move")
        exc.owner_id = self.rep
        self.assertRefused(
            lambda: self.resolve(self.rep, exc, "cancel_remainder"), exc.sale_order_id.name
        )
        self.assertNotEqual(backorder.state, "cancel")
        self.resolve(self.warehouse_user, exc, "cancel_remainder")
        self.assertEqual(backorder.state, "cancel")

    def test_replacement_needs_transfer_rights(self):
        exc = self.damaged()
        exc.owner_id = self.clerk
        self.assertRefused(lambda: self.resolve(self.clerk, exc, "replacement"), "Transfer")
        exc.owner_id = self.rep
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

    def test_playbooks_ignore_the_callers_default_keys(self):
        """The RFQ of a replenish is a draft, whatever the context asks for.

        Odoo's sudo() drops `default_*` keys when a user's environment turns superuser, but
        not in an environment that is superuser already (an automation, a flow that went
        through with_user(SUPERUSER_ID)): resolving from there must not pass them on."""
        exc = self.stockout(user=self.rep)
        self.resolve(self.buyer, exc, "replenish", context={"default_state": "purchase"})
        self.assertEqual(exc.result_purchase_id.state, "draft")
        other = self.stockout(user=self.rep)
        replenish = self.resolution("stockout", "replenish")
        other.with_context(default_state="purchase").sudo().action_resolve(replenish.id)
        self.assertEqual(other.result_purchase_id.state, "draft")
        self.assertEqual(other.result_purchase_id.origin, other.name)


@tagged("post_install", "-at_install")
class TestExceptionFieldRights(PlaybookRightsCase):
    """The facts of an exception are set by detection or a manager; its state by the engine."""

    FACTS = {
        "product_id": lambda self: self.product.id,
        "quantity_expected": lambda self: 10.0,
        "quantity_actual": lambda self: 3.0,
        "quantity_missing": lambda self: 7.0,
        "sale_order_id": lambda self: self.order(1).id,
        "picking_id": lambda self: self.create_outgoing_picking(self.company, self.today()).id,
        "scrap_id": lambda self: self.env["stock.scrap"].create(
            {"product_id": self.product.id, "scrap_qty": 1}
        ).id,
        "res_model": lambda self: "sale.order",
        "res_id": lambda self: 1,
        "result_purchase_id": lambda self: self.env["purchase.order"].create(
            {"partner_id": self.vendor.id}
        ).id,
        "result_picking_id": lambda self: self.create_outgoing_picking(self.company, self.today()).id,
        "result_scrap_id": lambda self: self.env["stock.scrap"].create(
            {"product_id": self.product.id, "scrap_qty": 1}
        ).id,
    }

    @staticmethod
    def today():
        return fields.Datetime.now()

    def manual(self, user, context=None, **values):
        """Open an exception by hand, as `user`, over RPC."""
        return self.rpc(
            user,
            "create",
            dict({"type_id": self.master_data_type.id}, **values),
            context=context or {},
        )

    def test_only_a_manager_lowers_a_severity(self):
        exc = self.manual(self.rep, severity="high")
        record = self.env[EXCEPTION].browse(exc)
        deadline = record.sla_deadline
        with self.assertRaisesRegex(AccessError, "lower a severity"):
            self.rpc(self.rep, "write", [exc], {"severity": "low"})
        self.env.invalidate_all()
        self.assertEqual((record.severity, record.sla_deadline), ("high", deadline))
        # raising it (a shorter SLA) is anyone's call; lowering it a manager's
        self.rpc(self.rep, "write", [exc], {"severity": "critical"})
        self.rpc(self.warehouse_manager, "write", [exc], {"severity": "low"})
        self.env.invalidate_all()
        self.assertEqual(record.severity, "low")
        self.assertGreater(record.sla_deadline, deadline)

    def test_credit_holds_are_not_opened_by_hand(self):
        credit = self.env.ref("distribution_governance.exception_type_credit_hold")
        before = self.env[EXCEPTION].search_count([])
        for user in (self.rep, self.warehouse_manager):
            with self.subTest(user=user.login), self.assertRaisesRegex(AccessError, "credit check"):
                self.rpc(user, "create", {"type_id": credit.id})
        self.assertEqual(self.env[EXCEPTION].search_count([]), before)

    def test_non_managers_work_but_cannot_set_the_facts(self):
        # they open exceptions by hand and work them
        for user in (self.rep, self.warehouse_user, self.finance):
            with self.subTest(user=user.login):
                new_id = self.manual(
                    user,
                    description="Pallet labels missing",
                    severity="high",
                    owner_id=user.id,
                    partner_id=self.customer.id,
                )
                exc = self.env[EXCEPTION].browse(new_id)
                self.assertEqual((exc.origin, exc.state, exc.owner_id), ("manual", "new", user))
                self.assertFalse(exc.cause_key)
                self.rpc(user, "write", [new_id], {"description": "Reprinted", "severity": "critical"})
                self.assertEqual((exc.description, exc.severity), ("Reprinted", "critical"))
        # what the exception is about is not theirs to set, on a new one or a detected one
        detected = self.stockout()
        for user in (self.rep, self.warehouse_user, self.finance, self.clerk):
            for field, value in self.FACTS.items():
                value = value(self)
                with self.subTest(user=user.login, field=field):
                    self.assertRefused(lambda: self.manual(user, **{field: value}), field)
                    self.assertRefused(
                        lambda: self.rpc(user, "write", detected.ids, {field: value}), field
                    )
        self.assertRefused(lambda: self.manual(self.portal, product_id=self.product.id))

    def test_documents_exception_lists_do_not_go_around(self):
        """An order's exceptions (a one2many the rep may write on their own order) link,
        create and change exceptions through the same create() and write()."""
        order = self.order(1)  # the rep's
        detected = self.stockout(user=self.rep)
        own = self.env[EXCEPTION].browse(self.manual(self.rep, description="Labels"))
        for command in (
            Command.link(detected.id),
            Command.link(own.id),
            Command.create({"type_id": self.master_data_type.id, "description": "x"}),
            Command.update(own.id, {"state": "resolved"}),
        ):
            with self.subTest(command=command):
                self.assertRefused(
                    lambda: call_rpc(
                        self.env(user=self.rep),
                        "sale.order",
                        "write",
                        order.ids,
                        {"dg_exception_ids": [command]},
                    )
                )

    def test_managers_set_the_facts(self):
        order = self.order(1)
        new_id = self.manual(
            self.warehouse_manager,
            product_id=self.product.id,
            quantity_expected=10,
            quantity_actual=4,
            quantity_missing=6,
            sale_order_id=order.id,
        )
        exc = self.env[EXCEPTION].browse(new_id)
        self.assertEqual((exc.product_id, exc.quantity_missing, exc.sale_order_id), (self.product, 6, order))
        self.rpc(self.warehouse_manager, "write", exc.ids, {"quantity_missing": 5})
        self.assertEqual(exc.quantity_missing, 5)
        # the engine's fields stay the engine's, even for a manager
        for field, value in (("state", "resolved"), ("cause_key", "x"), ("warehouse_id", self.warehouse.id)):
            self.assertRefused(lambda: self.rpc(self.warehouse_manager, "write", exc.ids, {field: value}))

    def test_default_keys_cannot_set_what_values_cannot(self):
        """The attack: `default_*` keys of the context on create()."""
        order = self.order(11)  # over the credit limit once confirmed
        planted = {
            "default_state": "resolved",
            "default_resolved_by_id": self.rep.id,
            "default_cause_key": f"credit_hold:sale.order:{order.id}",
            "default_escalation_level": 3,
            "default_name": "EXC/99999",
            "default_product_id": self.product.id,
            "default_sale_order_id": order.id,
            "default_owner_id": self.finance.id,
        }
        for key, value in planted.items():
            field = key[len("default_"):]
            with self.subTest(key=key):
                self.assertRefused(
                    lambda: self.manual(self.rep, description="x", context={key: value}),
                    "assign" if field == "owner_id" else field,
                )
        # a manager may default the facts, not the engine's fields
        new_id = self.manual(
            self.warehouse_manager, context={"default_product_id": self.product.id}
        )
        self.assertEqual(self.env[EXCEPTION].browse(new_id).product_id, self.product)
        self.assertRefused(
            lambda: self.manual(self.warehouse_manager, context={"default_state": "resolved"})
        )
        # allowed fields still take their defaults
        new_id = self.manual(self.rep, context={"default_severity": "critical"})
        self.assertEqual(self.env[EXCEPTION].browse(new_id).severity, "critical")

    def test_personal_defaults_cannot_set_what_values_cannot(self):
        """ir.default: any user may set their own defaults, over RPC."""
        call_rpc(self.env(user=self.rep), "ir.default", "set", EXCEPTION, "state", "resolved", True)
        self.assertRefused(lambda: self.manual(self.rep, description="x"), "state")

    def test_a_planted_cause_key_cannot_capture_a_credit_hold(self):
        order = self.order(11)
        key = f"credit_hold:sale.order:{order.id}"
        self.assertRefused(
            lambda: self.manual(self.rep, description="mine", context={"default_cause_key": key})
        )
        # even the superuser cannot give a hand-made exception a cause
        with self.assertRaises(ValidationError), self.env.cr.savepoint():
            self.env[EXCEPTION].create(
                {"type_id": self.master_data_type.id, "cause_key": key}
            )
        order.with_user(self.rep).action_confirm()
        self.assertEqual(order.dg_credit_hold, "on_hold")
        hold = self.env[EXCEPTION].search([("cause_key", "=", key)])
        self.assertEqual((len(hold), hold.origin, hold.type_code), (1, "auto", "credit_hold"))
        self.assertEqual(self.request_of(order).exception_id, hold)

    def test_detection_ignores_the_callers_default_keys(self):
        """A user confirming with `default_*` keys cannot make the detected exception born
        resolved, escalated or resolved by them."""
        self.set_stock(self.product, 1)
        order = self.env["sale.order"].with_user(self.rep).create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 5})],
            }
        )
        keys = {
            "default_resolved_by_id": self.rep.id,
            "default_escalation_level": 3,
            "default_resolution_note": "done already",
            "default_sla_breached_at_close": True,
        }
        order.with_user(self.rep).with_context(**keys).action_confirm()
        exc = self.exceptions(type_code="stockout", sale_order_id=order.id)
        self.assertEqual(len(exc), 1)
        self.assertEqual(
            (exc.state, exc.resolved_by_id.id, exc.escalation_level, exc.resolution_note),
            ("new", False, 0, False),
        )
        self.assertFalse(exc.sla_breached_at_close)
        # Odoo's sudo() drops them on the way from a user's environment; the engine drops
        # them too when it is called from one that is superuser already
        raised = (
            self.env[EXCEPTION]
            .with_context(default_state="resolved", **keys)
            ._raise_exception("stockout", "test:ctx", {"product_id": self.product.id})
        )
        self.assertEqual(
            (raised.state, raised.resolved_by_id.id, raised.escalation_level), ("new", False, 0)
        )

    def test_copy(self):
        detected = self.stockout(user=self.rep)
        own = self.env[EXCEPTION].browse(self.manual(self.rep, description="Labels"))
        # the facts of a detected exception are copied: a rep may not
        self.assertRefused(lambda: self.rpc(self.rep, "copy", detected.ids), "product_id")
        for default in (
            {"state": "resolved"},
            {"cause_key": "credit_hold:sale.order:1"},
            {"product_id": self.product.id},
        ):
            with self.subTest(default=default):
                self.assertRefused(lambda: self.rpc(self.rep, "copy", own.ids, default))
        self.assertRefused(
            lambda: self.rpc(
                self.rep, "copy", own.ids, context={"default_cause_key": "credit_hold:x"}
            )
        )
        # a copy is a new exception opened by hand
        own.sudo().write({"state": "in_progress", "owner_id": self.rep.id})
        [copy_id] = self.rpc(self.rep, "copy", own.ids)
        copy = self.env[EXCEPTION].browse(copy_id)
        self.assertEqual((copy.state, copy.origin, copy.description), ("new", "manual", "Labels"))
        self.assertFalse(copy.owner_id)
        [copy_id] = self.rpc(self.warehouse_manager, "copy", detected.ids)
        copy = self.env[EXCEPTION].browse(copy_id)
        self.assertEqual((copy.state, copy.origin, copy.cause_key), ("new", "manual", False))
        self.assertEqual((copy.product_id, copy.quantity_missing), (self.product, 4))

    def test_import(self):
        type_id = str(self.master_data_type.id)
        count = self.env[EXCEPTION].search_count([])
        for fields_, row, context in (
            (["type_id/.id", "description", "product_id/.id"], [type_id, "x", str(self.product.id)], {}),
            (["type_id/.id", "quantity_missing"], [type_id, "3"], {}),
            (["type_id/.id", "state"], [type_id, "resolved"], {}),
            (["type_id/.id", "description"], [type_id, "x"], {"default_cause_key": "credit_hold:x"}),
            (["type_id/.id", "description"], [type_id, "x"], {"default_product_id": self.product.id}),
        ):
            with self.subTest(fields=fields_, context=context):
                result = self.rpc(self.rep, "load", fields_, [row], context=context)
                self.assertFalse(result["ids"])
                self.assertEqual(result["messages"][0]["type"], "error")
                self.assertEqual(self.env[EXCEPTION].search_count([]), count)
        result = self.rpc(self.rep, "load", ["type_id/.id", "description"], [[type_id, "Labels"]])
        self.assertEqual(len(result["ids"]), 1)
        result = self.rpc(
            self.warehouse_manager,
            "load",
            ["type_id/.id", "product_id/.id", "quantity_missing"],
            [[type_id, str(self.product.id), "3"]],
        )
        self.assertEqual(self.env[EXCEPTION].browse(result["ids"]).quantity_missing, 3)

    def test_form_mirrors_the_rules(self):
        form = Form(self.env[EXCEPTION].with_user(self.rep))
        form.type_id = self.master_data_type
        form.description = "Labels"
        for field, value in (
            ("product_id", self.product),
            ("sale_order_id", self.order(1)),
            ("quantity_missing", 3),
        ):
            with self.subTest(field=field), self.assertRaises(AssertionError):
                setattr(form, field, value)
        self.assertEqual(form.save().origin, "manual")
        form = Form(self.env[EXCEPTION].with_user(self.warehouse_manager))
        form.type_id = self.master_data_type
        form.product_id = self.product
        form.quantity_missing = 3
        self.assertEqual(form.save().quantity_missing, 3)

    def test_document_smart_button_links_only_for_managers(self):
        order = self.order(1)
        action = order.with_user(self.rep).action_dg_open_exceptions()
        self.assertEqual(action["domain"], [("sale_order_id", "=", order.id)])
        self.assertNotIn("default_sale_order_id", action["context"])
        # a rep creates from that list as from any other
        self.manual(self.rep, description="x", context=action["context"])
        action = order.with_user(self.warehouse_manager).action_dg_open_exceptions()
        self.assertEqual(
            action["context"],
            {"default_sale_order_id": order.id, "search_default_filter_open": 1},
        )
