"""Exceptions are read as their orders are: a salesperson limited to his own documents reads the
exceptions of his orders (and of unassigned ones, those on no order and those he owns), not a
colleague's; the roles that work every order read them all."""

from odoo.exceptions import AccessError
from odoo.tests import new_test_user, tagged

from .common import call_rpc
from .test_credit_paths import CreditPathsCase

EXCEPTION = "distribution.exception"


@tagged("post_install", "-at_install")
class TestExceptionReadsFollowOrders(CreditPathsCase):
    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.master_data_type = cls.env.ref("distribution_governance.exception_type_master_data")
        cls.clerk = new_test_user(
            cls.env, login="dg_er_clerk", groups="distribution_governance.group_exception_user"
        )

    def setUp(self):
        super().setUp()
        self.order_ = self.held()  # the rep's order, held: its credit-hold exception is open
        self.hold = self.env[EXCEPTION].search([("sale_order_id", "=", self.order_.id)])
        self.assertEqual(len(self.hold), 1)

    def visible(self, user, records):
        """The ids of `records` that `user` finds by searching, over RPC."""
        return set(call_rpc(self.env(user=user), EXCEPTION, "search", [("id", "in", records.ids)]))

    def test_a_second_rep_neither_finds_nor_reads_nor_works_anothers_exception(self):
        self.assertEqual(self.visible(self.rep, self.hold), set(self.hold.ids))
        self.assertEqual(self.visible(self.rep_2, self.hold), set())
        self.assertEqual(
            call_rpc(self.env(user=self.rep_2), EXCEPTION, "search_count", [("id", "=", self.hold.id)]), 0
        )
        before = self.hold.read(["state", "owner_id", "description"])
        for method, args in (
            ("read", (["description", "partner_id"],)),
            ("action_take_ownership", ()),
            ("write", ({"description": "seen"},)),
        ):
            with self.subTest(method=method), self.assertRaises(AccessError):
                call_rpc(self.env(user=self.rep_2), EXCEPTION, method, self.hold.ids, *args)
        self.env.invalidate_all()
        self.assertEqual(self.hold.read(["state", "owner_id", "description"]), before)

    def test_an_exception_reached_through_a_colleagues_transfer_is_his_too(self):
        """Linked to the transfer only (no order on the exception), it follows the transfer's order."""
        self.hold_at_delivery()
        self.item.is_storable = True
        order = self.sell(3)
        picking = order.picking_ids
        self.assertTrue(picking)
        on_picking = self.env[EXCEPTION].create(
            {"type_id": self.master_data_type.id, "picking_id": picking.id, "description": "x"}
        )
        self.assertFalse(on_picking.sale_order_id)
        self.assertEqual(self.visible(self.rep, on_picking), set(on_picking.ids))
        self.assertEqual(self.visible(self.rep_2, on_picking), set())

    def test_exceptions_on_no_order_unassigned_orders_or_owned_are_read(self):
        unlinked = self.env[EXCEPTION].create({"type_id": self.master_data_type.id, "description": "x"})
        unassigned = self.sell(1, confirm=False)
        unassigned.user_id = False
        on_unassigned = self.env[EXCEPTION].create(
            {"type_id": self.master_data_type.id, "sale_order_id": unassigned.id, "description": "y"}
        )
        self.assertEqual(self.visible(self.rep_2, unlinked | on_unassigned), {unlinked.id, on_unassigned.id})
        # a manager gives the colleague's exception to rep 2: he reads what he is asked to work
        self.hold.with_user(self.warehouse_manager).action_assign(self.rep_2.id)
        self.assertEqual(self.visible(self.rep_2, self.hold), set(self.hold.ids))

    def test_the_roles_that_work_every_order_read_it(self):
        for user in (self.warehouse_user, self.approver, self.finance, self.sales_manager, self.admin):
            with self.subTest(user=user.login):
                self.assertEqual(self.visible(user, self.hold), set(self.hold.ids))
        # the bare exception role (no sales, no stock) reads as a rep limited to his documents
        self.assertEqual(self.visible(self.clerk, self.hold), set())

    def test_the_second_reps_figures_leave_it_out(self):
        """The overview's warehouse card counts what its list opens, for each rep."""
        warehouse = self.hold.warehouse_id or self.warehouse
        if not self.hold.warehouse_id:
            self.hold.warehouse_id = warehouse
        open_domain = [("state", "in", ["new", "in_progress"]), ("warehouse_id", "=", warehouse.id)]
        for user in (self.rep, self.rep_2):
            with self.subTest(user=user.login):
                card = call_rpc(
                    self.env(user=user), "stock.warehouse", "read", warehouse.ids, ["dg_exceptions_open"]
                )[0]["dg_exceptions_open"]
                listed = call_rpc(self.env(user=user), EXCEPTION, "search", open_domain)
                self.assertEqual(card, len(listed))
                self.assertEqual(self.hold.id in listed, user == self.rep)
        as_rep = call_rpc(self.env(user=self.rep), "stock.warehouse", "read", warehouse.ids,
                          ["dg_exceptions_open"])[0]["dg_exceptions_open"]
        as_rep_2 = call_rpc(self.env(user=self.rep_2), "stock.warehouse", "read", warehouse.ids,
                            ["dg_exceptions_open"])[0]["dg_exceptions_open"]
        self.assertEqual(as_rep - as_rep_2, 1)

    def test_an_order_given_to_another_salesperson_takes_its_exceptions_along(self):
        self.assertEqual(self.hold.order_user_id, self.rep)
        self.order_.user_id = self.rep_2
        self.assertEqual(self.hold.order_user_id, self.rep_2)
        self.assertEqual(self.visible(self.rep_2, self.hold), set(self.hold.ids))
        self.assertEqual(self.visible(self.rep, self.hold), set())

    def test_the_salesperson_read_by_the_rule_is_the_engines(self):
        """The column the rule reads cannot be set by hand: not by write, not by create."""
        with self.assertRaises(AccessError):
            call_rpc(self.env(user=self.rep), EXCEPTION, "write", self.hold.ids,
                     {"order_user_id": self.rep_2.id})
        with self.assertRaises(AccessError):
            call_rpc(self.env(user=self.rep_2), EXCEPTION, "create",
                     {"type_id": self.master_data_type.id, "order_user_id": self.rep_2.id})
        with self.assertRaises(AccessError):
            call_rpc(self.env(user=self.rep_2), EXCEPTION, "create",
                     {"type_id": self.master_data_type.id, "description": "planted"},
                     context={"default_order_user_id": self.rep_2.id})
        self.assertFalse(self.env[EXCEPTION].search([("description", "=", "planted")]))
        self.env.invalidate_all()
        self.assertEqual(self.hold.order_user_id, self.rep)

    def test_a_backlog_by_day_counts_what_each_reader_reads_at_each_days_end(self):
        """The backlog series (a level: the open exceptions at each local day's end), computed in
        one statement, equals a search of each day's records by each reader."""
        from datetime import timedelta

        from ..kpi.engine import DAY, KpiEngine
        from ..kpi.registry import KPIS

        self.env[EXCEPTION].create({"type_id": self.master_data_type.id, "description": "z"})
        resolved = self.env[EXCEPTION].create({"type_id": self.master_data_type.id, "description": "r"})
        resolved.sudo().write({"state": "cancelled", "resolved_at": resolved.create_date})
        population = KPIS["exceptions_backlog"].population
        for user in (self.rep, self.rep_2, self.warehouse_manager):
            with self.subTest(user=user.login):
                engine = KpiEngine(self.env(user=user))
                today = engine.today(self.company.dg_kpi_tz or "UTC")
                scope = engine.scope(today - timedelta(days=3), today + timedelta(days=1), [self.company.id])
                groups = engine.live(scope, ["exceptions_backlog"], (DAY,))["exceptions_backlog"].groups
                for day in scope.dates():
                    expected = self.env[EXCEPTION].with_user(user).search_count(
                        population.domain(scope.clip(day, day))
                    )
                    self.assertEqual(groups[(day,)].count, expected, day)
                # the days after today hold what is open now, the days before the records nothing
                self.assertGreater(groups[(today + timedelta(days=1),)].count, 0)
                self.assertEqual(groups[(today - timedelta(days=3),)].count, 0)
