from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from ..kpi.engine import KpiEngine
from ..models.kpi_dashboard import record_label
from .common import flag_domain, subject_domain
from .test_kpi import KpiScenarioCase


@tagged("post_install", "-at_install")
class TestKpiRecordRules(KpiScenarioCase):
    """Every figure counts only what the user reads through access rights and record rules:
    each card's count is the length of the list it opens, as that user, for every role the
    dashboard serves; a sales rep limited to his own documents sees narrower figures."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.rep = new_test_user(
            cls.env,
            login="dg_kpi_rep",
            groups="sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        # the rep's own order, delivered in the period, invoiced then credited
        cls.rep_order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "user_id": cls.rep.id,
                "warehouse_id": cls.warehouse.id,
                "order_line": [(0, 0, {"product_id": cls.product.id, "product_uom_qty": 2})],
            }
        )
        cls.rep_order.action_confirm()
        cls.ship(cls.rep_order.picking_ids, 2)
        cls.refunds = cls.env["account.move"]
        for order, user in ((cls.rep_order, cls.rep), (cls.orders[0], cls.env.user)):
            invoice = order._create_invoices()
            invoice.action_post()
            refund = invoice._reverse_moves()
            refund.invoice_user_id = user
            refund.action_post()
            cls.refunds |= refund
        # an approval the rep asked for, decided in the period
        cls.rep_request = cls.env["distribution.approval.request"].create(
            {
                "kind": "credit_override",
                "company_id": cls.company.id,
                "requester_id": cls.rep.id,
                "currency_id": cls.company.currency_id.id,
            }
        )
        cls.rep_request.write(
            {
                "state": "approved",
                "decided_at": cls.rep_request.create_date + timedelta(hours=1),
                "sale_order_id": cls.rep_order.id,
            }
        )
        cls.sales_manager = new_test_user(
            cls.env,
            login="dg_kpi_sales_manager",
            groups="sales_team.group_sale_manager",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.billing = new_test_user(
            cls.env,
            login="dg_kpi_billing",
            groups="account.group_account_invoice,stock.group_stock_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.multi = new_test_user(
            cls.env,
            login="dg_kpi_multi",
            groups="stock.group_stock_manager,sales_team.group_sale_salesman",
            company_id=cls.company.id,
            company_ids=[cls.company.id, cls.company_b.id],
        )
        cls.env.flush_all()
        # closed days come from the snapshots for the users whose rules do not narrow
        cls.env["distribution.kpi.snapshot"]._cron_snapshot(backfill_days=40)

    def roles(self):
        both = [self.company.id, self.company_b.id]
        return [
            ("rep", self.rep, [self.company.id]),
            ("warehouse user", self.warehouse_user, [self.company.id]),
            ("warehouse manager", self.warehouse_manager, [self.company.id]),
            ("sales manager", self.sales_manager, [self.company.id]),
            ("billing", self.billing, [self.company.id]),
            ("multi-company", self.multi, both),
            ("multi-company, one company", self.multi, [self.company_b.id]),
        ]

    def dashboard(self, env, **filters):
        filters.setdefault("period", "custom")
        if filters["period"] == "custom":
            filters.setdefault("date_from", self.date_from)
            filters.setdefault("date_to", self.date_to)
        result = env["distribution.dashboard"].get_kpi_dashboard(filters)
        return result, {card["key"]: card for card in result["kpis"]}

    def assertCardsAreTheirLists(self, env, result, label):
        cards = {card["key"]: card for card in result["kpis"]}
        for key, card in cards.items():
            self.assertEqual(
                card["count"], env[card["model"]].search_count(card["domain"]), f"{label}: {key}"
            )
            # the records that miss ("late"), opened on their own, are as many as it says
            if card["flag"]:
                self.assertEqual(
                    card["flag"]["count"],
                    env[card["model"]].search_count(flag_domain(card)),
                    f"{label}: {key} {card['flag']['label']}",
                )
            if card["list_view_id"]:
                view = self.env["ir.ui.view"].browse(card["list_view_id"])
                self.assertEqual((view.model, view.type), (card["model"], "list"), key)
        # the per-operator table and the per-vendor scorecard
        for table in ("by_operator", "by_vendor"):
            for row in result[table]:
                for key, cell in row["kpis"].items():
                    self.assertEqual(
                        cell["count"],
                        env[cards[key]["model"]].search_count(
                            subject_domain(result, key, row["id"])
                        ),
                        f"{label}: {key} of {row['name']}",
                    )
        for row in result["by_warehouse"]:
            for key, cell in row["kpis"].items():
                self.assertEqual(
                    cell["model_name"], record_label(env, cards[key]["model"], cell["count"]), key
                )
                self.assertEqual(
                    cell["count"],
                    env[cards[key]["model"]].search_count(cell["domain"]),
                    f"{label}: {key} of {row['name']}",
                )

    def test_every_card_counts_its_list_for_every_role(self):
        for label, user, company_ids in self.roles():
            env = self.env(user=user, context={"allowed_company_ids": company_ids})
            for filters in (
                {},
                {"period": "last_7_days"},
                {"period": "last_28_days"},
                {"warehouse_ids": [self.warehouse.id]} if self.company.id in company_ids else {},
            ):
                with self.subTest(role=label, filters=filters):
                    result, cards = self.dashboard(env, **filters)
                    self.assertTrue(cards, label)
                    self.assertCardsAreTheirLists(env, result, label)
            # the engine's live figures are the cards' (snapshots or not)
            __, cards = self.dashboard(env)
            live = env["distribution.kpi"]._compute_kpis(self.date_from, self.date_to)
            self.assertEqual(set(cards), set(live), label)
            for key, card in cards.items():
                self.assertEqual(card["count"], live[key].count, f"{label}: {key}")
                self.assertAlmostEqual(card["value"], live[key].value, msg=f"{label}: {key}")

    def test_own_documents_narrow_the_rep(self):
        rep = self.env(user=self.rep)
        __, mine = self.dashboard(rep)
        __, all_orders = self.dashboard(self.env(user=self.sales_manager))
        __, all_moves = self.dashboard(self.env(user=self.billing))
        __, approver = self.dashboard(self.env(user=self.warehouse_manager))
        # order cycle time: his delivered order only, against every delivered order
        self.assertEqual(
            rep["sale.order"].search(mine["order_cycle_time"]["domain"]), self.rep_order.with_env(rep)
        )
        self.assertEqual(all_orders["order_cycle_time"]["count"], 4)
        self.assertEqual(mine["order_cycle_time"]["count"], 1)
        # the cards say what they count in the right number
        self.assertEqual(mine["order_cycle_time"]["model_name"], "Sales Order")
        self.assertEqual(all_orders["order_cycle_time"]["model_name"], "Sales Orders")
        # invoice discrepancies: the lines of his orders
        lines = rep["sale.order.line"].search(mine["invoice_discrepancies"]["domain"])
        self.assertEqual(lines.order_id, self.rep_order.with_env(rep))
        self.assertGreater(all_orders["invoice_discrepancies"]["count"], len(lines))
        # credit notes: his own
        self.assertEqual(mine["credit_notes"]["count"], 1)
        self.assertEqual(all_moves["credit_notes"]["count"], 2)
        self.assertEqual(
            rep["account.move"].search(mine["credit_notes"]["domain"]), self.refunds[0].with_env(rep)
        )
        # approvals: those he asked for or of orders he sells, against all of them
        self.assertEqual(mine["median_time_to_decide"]["count"], 1)
        self.assertAlmostEqual(mine["median_time_to_decide"]["value"], 1.0, places=4)
        self.assertEqual(approver["median_time_to_decide"]["count"], 4)
        # the warehouse user reads the approvals of his requests (the scenario's three)
        __, warehouse = self.dashboard(self.env(user=self.warehouse_user))
        self.assertEqual(warehouse["median_time_to_decide"]["count"], 3)
        # transfers are not narrowed for him: the whole company's, from the snapshots
        self.assertEqual(mine["on_time_shipment"]["count"], approver["on_time_shipment"]["count"])
        engine = KpiEngine(rep)
        self.assertTrue(engine.narrowed("order_cycle_time", [self.company.id]))
        self.assertTrue(engine.narrowed("credit_notes", [self.company.id]))
        self.assertFalse(engine.narrowed("on_time_shipment", [self.company.id]))
        manager = KpiEngine(self.env(user=self.sales_manager))
        self.assertFalse(manager.narrowed("order_cycle_time", [self.company.id]))

    def test_narrowed_figures_never_come_from_snapshots(self):
        """Stand-in figures in the company-wide snapshots show for a user reading the whole
        company, never for one whose rules narrow the KPI: his previous period, baseline and
        series are computed live, with his rules."""
        today = fields.Date.to_date(self.date_to) - timedelta(days=1)
        self.env.cr.execute(
            """UPDATE distribution_kpi_snapshot
                  SET record_count = record_count + 50, numerator = numerator + 500,
                      denominator = denominator + 50, value = 10
                WHERE company_id = %s AND kpi_key IN ('order_cycle_time', 'median_time_to_decide')
                  AND date < %s""",
            (self.company.id, today),
        )
        rep = self.env(user=self.rep)
        manager = self.env(user=self.sales_manager)
        __, mine = self.dashboard(rep)
        result, all_orders = self.dashboard(manager)
        period = result["period"]
        first = fields.Date.to_date(self.date_from)

        def live(env, date_from, date_to):
            return env["distribution.kpi"]._compute_kpis(date_from, date_to)

        previous = (period["previous_from"], period["previous_to"])
        baseline = (first - timedelta(days=28), first - timedelta(days=1))
        for key in ("order_cycle_time", "median_time_to_decide"):
            # the manager's previous period and baseline read the (stand-in) snapshots
            self.assertNotEqual(all_orders[key]["previous"], live(manager, *previous)[key].value, key)
            # the rep's are his records, live
            self.assertEqual(mine[key]["previous"], live(rep, *previous)[key].value, key)
            self.assertEqual(mine[key]["baseline"], live(rep, *baseline)[key].value, key)
        series = rep["distribution.kpi"]._compute_series(
            "order_cycle_time", self.date_from, self.date_to
        )
        self.assertEqual(
            [point["value"] for point in mine["order_cycle_time"]["series"]],
            [point["value"] for point in series],
        )
        self.assertEqual(len([p for p in series if p["value"] is not None]), 1)
