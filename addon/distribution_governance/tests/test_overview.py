from datetime import timedelta

from odoo import fields
from odoo.exceptions import AccessError, MissingError, UserError
from odoo.tests import HttpCase, new_test_user, tagged

from .common import CreditCase, days_ago, make_outgoing_picking

FIGURE_FIELDS = {
    "open": "dg_exceptions_open",
    "critical": "dg_exceptions_critical",
    "high": "dg_exceptions_high",
    "medium": "dg_exceptions_medium",
    "low": "dg_exceptions_low",
    "breached": "dg_exceptions_breached",
    "held": "dg_held_orders",
    "approvals": "dg_pending_approvals",
    "late": "dg_late_shipments",
}


@tagged("post_install", "-at_install")
class TestOverview(CreditCase):
    """The landing overview: a card per warehouse whose every figure equals the list it opens,
    for each reader, with their rights."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        Exception_ = cls.env["distribution.exception"]
        cls.other_rep = new_test_user(
            cls.env, login="dg_rep_other", groups="sales_team.group_sale_salesman"
        )
        # two held orders in the main warehouse: the rep's and another rep's
        cls.own_held = cls.order(11)
        cls.own_held.with_user(cls.rep).action_confirm()
        cls.other_held = cls.order(12, user=cls.other_rep)
        cls.other_held.with_user(cls.other_rep).action_confirm()
        # exceptions of the warehouse: a critical one past its SLA, a low one in time
        late_picking = make_outgoing_picking(
            cls.env, cls.company, cls.customer, cls.product, days_ago(3)
        )
        cls.critical = Exception_._raise_exception(
            "short_pick", "overview:critical",
            {"picking_id": late_picking.id, "product_id": cls.product.id, "severity": "critical"},
        )
        cls.critical.sudo().write({"sla_deadline": days_ago(1)})
        cls.low = Exception_._raise_exception(
            "stockout", "overview:low",
            {"sale_order_id": cls.own_held.id, "product_id": cls.product.id, "severity": "low"},
        )
        make_outgoing_picking(
            cls.env, cls.company, cls.customer, cls.product, fields.Datetime.now() + timedelta(days=4)
        )
        # a second warehouse of the company, quiet
        cls.quiet = cls.env["stock.warehouse"].create(
            {"name": "DG Quiet Depot", "code": "DGQ", "company_id": cls.company.id}
        )
        cls.picker_only = new_test_user(
            cls.env, login="dg_overview_plain",
            groups="distribution_governance.group_exception_user",
        )

    def figures(self, user, warehouse):
        card = warehouse.with_user(user)
        card.invalidate_recordset()
        return {figure: card[field] for figure, field in FIGURE_FIELDS.items()}

    def drilled(self, user, warehouse, figure):
        action = warehouse.with_user(user).action_dg_open_figure(figure)
        return self.env[action["res_model"]].with_user(user).search(action["domain"]), action

    def assertCardsMatchTheirLists(self, user):
        for warehouse in (self.warehouse, self.quiet):
            shown = self.figures(user, warehouse)
            for figure, count in shown.items():
                if figure == "held" and not self.env["sale.order"].with_user(user).has_access("read"):
                    continue
                with self.subTest(user=user.login, warehouse=warehouse.name, figure=figure):
                    records, _action = self.drilled(user, warehouse, figure)
                    self.assertEqual(count, len(records))
        return self.figures(user, self.warehouse)

    def test_every_figure_equals_its_list_for_each_reader(self):
        rep = self.assertCardsMatchTheirLists(self.rep)
        picker = self.assertCardsMatchTheirLists(self.warehouse_user)
        manager = self.assertCardsMatchTheirLists(self.approver)
        self.assertCardsMatchTheirLists(self.finance)
        # the rep reads his own orders and requests only; the approver all of them
        self.assertEqual((rep["held"], rep["approvals"]), (1, 1))
        self.assertEqual((manager["held"], manager["approvals"]), (2, 2))
        # exceptions are read company-wide by everyone working them
        for shown in (rep, picker, manager):
            self.assertEqual(shown["critical"], 1)
            self.assertEqual(shown["low"], 1)
            self.assertGreaterEqual(shown["breached"], 1)
            self.assertEqual(
                shown["open"],
                sum(shown[s] for s in ("critical", "high", "medium", "low")),
            )
        self.assertGreaterEqual(manager["late"], 1)
        self.assertEqual(self.figures(self.approver, self.quiet), dict.fromkeys(FIGURE_FIELDS, 0))

    def test_the_drill_down_opens_exactly_the_counted_records(self):
        records, action = self.drilled(self.approver, self.warehouse, "held")
        self.assertEqual(records, self.own_held | self.other_held)
        self.assertEqual(action["type"], "ir.actions.act_window")
        self.assertIn(self.warehouse.name, action["name"])
        records, _action = self.drilled(self.rep, self.warehouse, "held")
        self.assertEqual(records, self.own_held)
        records, _action = self.drilled(self.warehouse_user, self.warehouse, "breached")
        self.assertIn(self.critical, records)
        self.assertNotIn(self.low, records)
        records, action = self.drilled(self.warehouse_user, self.warehouse, "critical")
        self.assertEqual(records, self.critical)
        self.assertEqual(action["res_model"], "distribution.exception")
        self.assertEqual(action["context"], {"create": False})
        records, _action = self.drilled(self.approver, self.warehouse, "approvals")
        held = (self.own_held | self.other_held).with_env(self.env)
        self.assertEqual(records, held.dg_approval_request_ids)

    def test_figures_of_documents_the_reader_may_not_open_are_left_out(self):
        card = self.warehouse.with_user(self.picker_only)
        self.assertFalse(card.dg_reads_orders)
        self.assertFalse(card.dg_reads_transfers)
        self.assertEqual((card.dg_held_orders, card.dg_late_shipments), (0, 0))
        self.assertEqual(card.dg_exceptions_critical, 1)
        with self.assertRaises(AccessError):
            card.action_dg_open_figure("held")
        with self.assertRaises(AccessError):
            card.action_dg_open_figure("late")

    def test_bad_figures_are_refused(self):
        card = self.warehouse.with_user(self.approver)
        for figure in ("nope", None, 3, ["open"], {"figure": "open"}):
            with self.subTest(figure=figure), self.assertRaises(UserError):
                card.action_dg_open_figure(figure)
        with self.assertRaises(UserError):
            (self.warehouse | self.quiet).with_user(self.approver).action_dg_open_figure("open")
        with self.assertRaises(MissingError):
            self.env["stock.warehouse"].browse(2_000_000_000).with_user(
                self.approver
            ).action_dg_open_figure("open")

    def test_another_company_warehouse_is_not_opened(self):
        foreign = self.env["stock.warehouse"].search(
            [("company_id", "=", self.company_b.id)], limit=1
        )
        self.assertTrue(foreign)
        with self.assertRaises(AccessError):
            foreign.with_user(self.rep).action_dg_open_figure("open")


@tagged("post_install", "-at_install")
class TestOverviewUi(HttpCase):
    """The landing overview in the real web client: a card's figure opens its list."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partner = cls.env["res.partner"].create({"name": "Tour Customer"})
        product = cls.env["product.product"].create({"name": "Tour Crate", "is_storable": True})
        for days in (2, 5):
            make_outgoing_picking(cls.env, cls.env.company, partner, product, days_ago(days))

    def test_overview_tour_drills_down_to_late_deliveries(self):
        # The tour compares the card's figure with the rows of the list it opens.
        self.start_tour(
            "/odoo/action-distribution_governance.action_governance_overview",
            "distribution_governance_overview_tour",
            login="admin",
        )
