from datetime import timedelta

from freezegun import freeze_time

from odoo import fields
from odoo.exceptions import AccessError, UserError
from odoo.tests import Form, new_test_user, tagged

from .common import CreditCase

EXCEPTION = "distribution.exception"


@tagged("post_install", "-at_install")
class TestExceptionLifecycle(CreditCase):
    """What an exception's life leaves in the chatter of its order and transfer, what each
    action answers, and how a cancelled order or transfer settles its exceptions."""

    def messages(self, record, *texts):
        domain = [("model", "=", record._name), ("res_id", "=", record.id)]
        return self.env["mail.message"].search(domain + [("body", "ilike", t) for t in texts])

    def notes_about(self, document, exception, containing=""):
        """The notes of `document`'s chatter about `exception`."""
        return self.messages(document, exception.name, containing)

    def log_of(self, exception, containing):
        return self.messages(exception, containing)

    def assertLoggedForNobody(self, messages):
        self.assertTrue(messages)
        for message in messages:
            self.assertEqual(message.message_type, "notification")
            self.assertFalse(message.partner_ids)
            self.assertFalse(message.notification_ids, "a log notifies nobody")

    def stockout(self, qty=10, stock=4):
        if stock:
            self.set_stock(self.product, stock)
        order = self.sell(self.product, qty)
        exception = self.exceptions(type_code="stockout", sale_order_id=order.id)
        self.assertEqual(len(exception), 1)
        return order, exception

    def test_raise_escalate_resolve_are_noted_on_the_order(self):
        order, stockout = self.stockout()
        opened = self.notes_about(order, stockout)
        self.assertEqual(len(opened), 1)
        self.assertIn("Opened", opened.body)
        self.assertIn(f'data-oe-id="{stockout.id}"', opened.body, "links to the exception")
        with self.freeze(hours=9):
            self.env[EXCEPTION]._cron_escalate()
        escalated = self.notes_about(order, stockout) - opened
        self.assertEqual(len(escalated), 1)
        self.assertIn("escalated to level 1", escalated.body)
        result = stockout.with_user(self.exception_user).action_resolve(
            self.resolution("stockout", "stock_found").id, "Found on B-04"
        )
        resolved = self.notes_about(order, stockout) - opened - escalated
        self.assertEqual(len(resolved), 1)
        self.assertIn("Stock found", resolved.body)
        self.assertEqual(resolved.author_id, self.exception_user.partner_id)
        self.assertLoggedForNobody(opened | escalated | resolved)
        self.assertEqual(result["tag"], "display_notification")
        self.assertIn(stockout.name, result["params"]["message"])
        self.assertIn("resolved", result["params"]["message"])

    def test_short_pick_is_noted_on_the_transfer_and_the_order(self):
        self.set_stock(self.product, 10)
        order = self.sell(self.product, 10)
        picking = self.ship(order.picking_ids, 7, backorder=False)
        short = self.exceptions(type_code="short_pick", picking_id=picking.id)
        self.assertLoggedForNobody(self.notes_about(picking, short))
        self.assertLoggedForNobody(self.notes_about(order, short))

    def test_the_credit_engine_notes_its_own_holds(self):
        order = self.order(11)
        order.with_user(self.rep).action_confirm()
        hold = self.request_of(order).exception_id
        self.assertEqual(hold.type_code, "credit_hold")
        # "On credit hold, approval ... requested" is the order's note; the exception adds none
        self.assertFalse(self.notes_about(order, hold))

    def test_actions_answer_what_they_did(self):
        __, stockout = self.stockout()
        as_user = stockout.with_user(self.exception_user)
        taken = as_user.action_take_ownership()
        self.assertEqual(taken["tag"], "display_notification")
        self.assertIn(stockout.name, taken["params"]["message"])
        # the notification then lets the screen reload (form, list, kanban, wizard)
        self.assertEqual(taken["params"]["next"], {"type": "ir.actions.act_window_close"})
        manager = stockout.with_user(self.warehouse_manager)
        assigned = manager.action_assign(self.warehouse_user.id)
        self.assertIn(self.warehouse_user.name, assigned["params"]["message"])
        self.assertIn("cancelled", manager.action_cancel("duplicate")["params"]["message"])
        self.assertIn("reopened", manager.action_reopen()["params"]["message"])

    def test_resolve_wizard_answers_with_the_result_of_the_playbook(self):
        __, stockout = self.stockout()
        buyer = new_test_user(
            self.env, login="dg_lc_buyer", groups="stock.group_stock_user,purchase.group_purchase_user"
        )
        action = stockout.with_user(buyer).action_open_resolve_wizard()
        wizard = Form.from_action(self.env(user=buyer), action)
        wizard.resolution_id = self.resolution("stockout", "replenish")
        result = wizard.save().action_resolve()
        self.assertEqual(stockout.state, "resolved")
        self.assertIn(stockout.result_purchase_id.name, result["params"]["message"])

    def test_cancelling_an_order_closes_its_stockouts(self):
        order, stockout = self.stockout()
        other_order, other = self.stockout(qty=20, stock=0)
        order._action_cancel()
        self.assertEqual(order.state, "cancel")
        self.assertEqual(stockout.state, "resolved")
        self.assertEqual(stockout.resolution_id.code, "cancelled_document")
        self.assertTrue(self.log_of(stockout, "order was cancelled"))
        self.assertLoggedForNobody(self.notes_about(order, stockout, "order was cancelled"))
        self.assertEqual(other.state, "new", "another order's stockout stays open")

    def test_cancelling_the_rest_of_a_short_delivery_settles_its_short_pick(self):
        self.set_stock(self.product, 10)
        order = self.sell(self.product, 10)
        picking = self.ship(order.picking_ids, 7, backorder=True)
        short = self.exceptions(type_code="short_pick", picking_id=picking.id)
        self.assertEqual(short.state, "new")
        picking.backorder_ids.with_user(self.warehouse_user).action_cancel()
        self.assertEqual(short.state, "resolved")
        self.assertEqual(short.resolution_id.code, "cancel_remainder")
        self.assertTrue(self.log_of(short, picking.backorder_ids.name))
        self.assertLoggedForNobody(self.notes_about(picking, short, "was cancelled"))

    def test_cancelling_an_order_with_a_short_delivery_closes_the_short_pick(self):
        self.set_stock(self.product, 10)
        order = self.sell(self.product, 10)
        picking = self.ship(order.picking_ids, 7, backorder=True)
        short = self.exceptions(type_code="short_pick", picking_id=picking.id)
        order._action_cancel()
        self.assertEqual(picking.backorder_ids.state, "cancel")
        self.assertEqual(short.state, "resolved")

    def freeze(self, hours):
        return freeze_time(fields.Datetime.now() + timedelta(hours=hours))


@tagged("post_install", "-at_install")
class TestExceptionKanbanMoves(CreditCase):
    """A card dropped in another state's column runs the action leading there, as the user who
    dropped it: a move the action refuses is refused, and nothing changes."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.stockout = cls.env[EXCEPTION]._raise_exception(
            "stockout", "kanban:1", {"product_id": cls.product.id, "quantity_missing": 2}
        )
        cls.picker = cls.exception_user  # a warehouse user: no purchase rights

    def move(self, user, state, exception=None):
        return (exception or self.stockout).with_user(user).action_move(state)

    def test_user_moves_a_card_in_progress_and_owns_it(self):
        result = self.move(self.picker, "in_progress")
        self.assertEqual((self.stockout.state, self.stockout.owner_id), ("in_progress", self.picker))
        self.assertEqual(result["tag"], "display_notification")

    def test_someone_elses_card_is_refused_to_a_user(self):
        self.stockout.with_user(self.warehouse_user).action_take_ownership()
        self.stockout.sudo().state = "new"  # as if still to start
        with self.assertRaisesRegex(UserError, "already belongs"):
            self.move(self.picker, "in_progress")
        self.assertEqual(self.stockout.owner_id, self.warehouse_user)

    def test_user_may_not_cancel_by_moving(self):
        with self.assertRaisesRegex(AccessError, "Only an exception manager can cancel"):
            self.move(self.picker, "cancelled")
        self.assertEqual(self.stockout.state, "new")
        self.move(self.warehouse_manager, "cancelled")
        self.assertEqual(self.stockout.state, "cancelled")

    def test_nothing_goes_back_to_new(self):
        self.move(self.picker, "in_progress")
        for user in (self.picker, self.warehouse_manager):
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "cannot go back"):
                self.move(user, "new")
        self.assertEqual(self.stockout.state, "in_progress")

    def test_moving_to_resolved_opens_the_wizard_whose_playbook_needs_the_users_rights(self):
        action = self.move(self.picker, "resolved")
        self.assertEqual(action["res_model"], "distribution.exception.resolve.wizard")
        self.assertEqual(self.stockout.state, "new", "nothing resolved until the wizard is done")
        wizard = Form.from_action(self.env(user=self.picker), action)
        wizard.resolution_id = self.resolution("stockout", "replenish")
        wizard = wizard.save()
        purchases = self.env["purchase.order"].search_count([])
        with self.assertRaisesRegex(AccessError, "request for quotation"):
            wizard.action_resolve()
        self.assertEqual(self.stockout.state, "new")
        self.assertEqual(self.env["purchase.order"].search_count([]), purchases)

    def test_a_credit_hold_never_resolves_by_moving(self):
        order = self.order(11)
        order.with_user(self.rep).action_confirm()
        hold = self.request_of(order).exception_id
        for user in (self.picker, self.warehouse_manager, self.admin):
            with self.subTest(user=user.login), self.assertRaisesRegex(UserError, "credit decision"):
                self.move(user, "resolved", hold)
        self.assertFalse(hold.with_user(self.picker).user_can_resolve)

    def test_manager_reopens_by_moving_back_in_progress(self):
        self.stockout.action_resolve(self.resolution("stockout", "stock_found").id)
        with self.assertRaises(AccessError):
            self.move(self.picker, "in_progress")
        self.move(self.warehouse_manager, "in_progress")
        self.assertEqual(self.stockout.state, "in_progress")

    def test_the_views_offer_what_the_actions_allow(self):
        as_picker = self.stockout.with_user(self.picker)
        self.assertTrue(as_picker.user_can_take and as_picker.user_can_resolve)
        self.stockout.with_user(self.warehouse_user).action_take_ownership()
        as_picker.invalidate_recordset()
        self.assertFalse(as_picker.user_can_take, "someone else's: a manager's to reassign")
        self.assertTrue(self.stockout.with_user(self.warehouse_manager).user_can_take)
        row = as_picker._ui_row()
        self.assertFalse(row["can_take"])
        self.assertIn("already belongs", row["why_not_take"])
        self.assertEqual(row["severity_label"], "High")
        self.assertEqual(row["state_label"], "In Progress")

    def test_the_kanban_shows_every_state_as_a_column(self):
        groups = self.env[EXCEPTION].with_user(self.picker).web_read_group(
            [("id", "=", self.stockout.id)], ["state"], ["state"]
        )["groups"]
        self.assertEqual([g["state"] for g in groups], ["new", "in_progress", "resolved", "cancelled"])


@tagged("post_install", "-at_install")
class TestExceptionSystray(CreditCase):
    """The systray counts what is mine; breaches of the whole company only for managers."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Exception_ = cls.env[EXCEPTION]
        late = fields.Datetime.now() - timedelta(days=3)
        cls.breached = Exception_._raise_exception(
            "stockout", "systray:late", {"product_id": cls.product.id, "detected_at": late}
        )
        cls.mine = Exception_._raise_exception(
            "stockout", "systray:mine", {"product_id": cls.product.id}
        )
        cls.mine.with_user(cls.exception_user).action_take_ownership()

    def systray(self, user):
        return self.env[EXCEPTION].with_user(user).get_systray_data()

    def test_a_user_counts_only_what_is_theirs(self):
        data = self.systray(self.exception_user)
        self.assertEqual(data, {"can_work": True, "my_open": 1, "my_breached": 0})
        self.assertEqual(self.systray(self.rep), {"can_work": True, "my_open": 0, "my_breached": 0})

    def test_my_breaches(self):
        self.breached.with_user(self.exception_user).action_take_ownership()
        data = self.systray(self.exception_user)
        self.assertEqual((data["my_open"], data["my_breached"]), (2, 1))

    def test_managers_also_see_the_companys_breaches(self):
        data = self.systray(self.warehouse_manager)
        self.assertEqual(data["breached"], 1)
        self.assertEqual((data["my_open"], data["my_breached"]), (0, 0))
        self.assertIn("pending_approvals", data)

    def test_triage_counts_follow_the_search_filters(self):
        Exception_ = self.env[EXCEPTION].with_user(self.exception_user)
        counts = Exception_.get_triage_counts()
        self.assertEqual(counts, {"mine": 1, "unassigned": 1, "breached": 1, "at_risk": 0})
        by_status = {
            group["sla_status"]: group["sla_status_count"]
            for group in Exception_.read_group(
                [("state", "in", ("new", "in_progress"))], ["sla_status"], ["sla_status"]
            )
        }
        self.assertEqual(by_status, {"breached": 1, "on_track": 1})

    def test_the_counts_say_what_the_filters_say_beside_closed_breaches(self):
        """The counts read the open exceptions' half of the SLA rule (index-backed): among
        open exceptions it finds what the Breached and At Risk filters find, closed ones late
        beside them."""
        Exception_ = self.env[EXCEPTION]
        late = Exception_._raise_exception(
            "stockout", "systray:closed late", {"product_id": self.product.id}
        )
        late.sudo().write(
            {"state": "resolved", "sla_breached_at_close": True, "resolved_at": fields.Datetime.now()}
        )
        open_ = [("state", "in", ("new", "in_progress"))]
        for status in ("breached", "at_risk"):
            self.assertEqual(
                Exception_.search(open_ + Exception_._sla_status_domain(status, open_only=True)),
                Exception_.search(open_ + [("sla_status", "=", status)]),
                status,
            )
        self.assertIn(late, Exception_.search([("sla_status", "=", "breached")]))


@tagged("post_install", "-at_install")
class TestTriageAction(CreditCase):
    """The exception board's xml id names the window action of the exceptions to triage, so
    menus and links made for the board keep working."""

    XMLID = "distribution_governance.action_exception_board"

    def test_the_board_is_the_window_action_of_the_exceptions_to_triage(self):
        action = self.env.ref(self.XMLID)
        self.assertEqual(action._name, "ir.actions.act_window")
        self.assertEqual(action.res_model, EXCEPTION)
        self.assertEqual(
            action.view_mode.split(","),
            ["kanban", "list", "pivot", "graph", "calendar", "activity", "form"],
        )
        self.assertIn("search_default_filter_open", action.context)
        self.assertTrue(
            self.env["ir.ui.menu"].search([("action", "=", f"{action._name},{action.id}")]),
            "a menu leads there",
        )

    def test_an_upgrade_drops_the_old_client_action(self):
        """A database where the xml id still names the board's client action (installed
        before): init() removes that record, and the data file can then create the window one."""
        Data = self.env["ir.model.data"]
        window = self.env.ref(self.XMLID)
        board_xmlid = [("module", "=", "distribution_governance"), ("name", "=", "action_exception_board")]
        Data.search(board_xmlid).name = "action_exception_board_new"
        self.env.flush_all()
        board = self.env["ir.actions.client"].create(
            {"name": "Exceptions", "tag": "distribution_governance.exception_board"}
        )
        Data.create(
            {
                "module": "distribution_governance",
                "name": "action_exception_board",
                "model": "ir.actions.client",
                "res_id": board.id,
            }
        )
        self.env.flush_all()
        self.env[EXCEPTION].init()
        self.env.invalidate_all()
        self.assertFalse(board.exists())
        self.assertFalse(Data.search(board_xmlid), "the xml id is free for the window action")
        self.assertTrue(window.exists(), "the window action is untouched")
