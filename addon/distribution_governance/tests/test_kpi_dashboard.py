import collections
from datetime import timedelta
from unittest.mock import patch

from odoo import fields
from odoo.exceptions import AccessError, UserError, ValidationError
from odoo.tests import new_test_user, tagged

from ..kpi.engine import KpiEngine
from ..kpi.registry import KPIS
from ..kpi.results import Figures
from ..models.kpi_freshness import DistributionKpiRows
from .common import days_ago, flag_domain
from .test_kpi import KpiScenarioCase


@tagged("post_install", "-at_install")
class TestKpiDashboard(KpiScenarioCase):
    """The dashboard RPC: snapshots, previous period, baseline, targets, hypercare."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.today = fields.Date.context_today(cls.env["res.users"])
        # one delivery two days ago, so closed days of the period have activity
        cls.early = cls.pickings[0]
        cls.early.date_done = days_ago(2)
        cls.Target = cls.env["distribution.kpi.target"]
        cls.Target.search([("company_id", "in", (cls.company | cls.company_b).ids)]).unlink()
        cls.on_time_target = cls.Target.create(
            {"kpi_key": "on_time_shipment", "company_id": cls.company.id, "green": 90, "amber": 60}
        )
        cls.env.flush_all()
        cls.Snapshot = cls.env["distribution.kpi.snapshot"]
        cls.Snapshot._cron_snapshot(backfill_days=40)

    def dashboard(self, env=None, **filters):
        env = env or self.env(user=self.kpi_user)
        filters.setdefault("period", "custom")
        filters.setdefault("date_from", self.date_from)
        filters.setdefault("date_to", self.date_to)
        result = env["distribution.dashboard"].get_kpi_dashboard(filters)
        return result, {card["key"]: card for card in result["kpis"]}

    def live(self, date_from, date_to, warehouse_ids=None):
        return self.env(user=self.kpi_user)["distribution.kpi"]._compute_kpis(
            date_from, date_to, warehouse_ids
        )

    def test_cards_values_and_drilldown(self):
        result, cards = self.dashboard()
        live = self.live(self.date_from, self.date_to)
        self.assertEqual(set(cards), set(live))
        self.assertIn("invoice_discrepancies", cards)
        env = self.env(user=self.kpi_user)
        for key, card in cards.items():
            # sums of the same figures in another order (per warehouse and day) may differ in
            # the last digit
            self.assertAlmostEqual(card["value"], live[key].value, msg=key)
            self.assertEqual(card["count"], env[card["model"]].search_count(card["domain"]), key)
            self.assertEqual(len(card["series"]), 8, key)
        self.assertEqual(result["period"]["days"], 8)
        # the per-warehouse table (one split query per KPI) equals each warehouse on its own
        self.assertEqual(len(result["by_warehouse"]), len(result["warehouses"]))
        for row in result["by_warehouse"]:
            alone = self.live(self.date_from, self.date_to, [row["warehouse_id"]])
            for key in result["warehouse_kpis"]:
                cell = row["kpis"][key]
                self.assertAlmostEqual(cell["value"], alone[key].value, msg=key)
                self.assertEqual(cell["count"], alone[key].count, key)
                self.assertEqual(
                    env[alone[key].model].search_count(cell["domain"]), cell["count"], key
                )
        # the late deliveries, opened on their own, with the columns that explain them
        late = self.pickings.filtered(lambda p: p.date_done > (p.date_deadline or p.scheduled_date))
        flag = cards["on_time_shipment"]["flag"]
        self.assertEqual((flag["label"], flag["count"]), ("late", len(late)))
        self.assertEqual(
            env["stock.picking"].search(flag_domain(cards["on_time_shipment"])), late.with_env(env)
        )
        self.assertEqual(
            cards["on_time_shipment"]["list_view_id"],
            self.env.ref("distribution_governance.stock_picking_view_list_kpi").id,
        )
        backorders = cards["backorder_rate"]["flag"]
        self.assertEqual(backorders["count"], 1)
        self.assertIsNone(cards["fill_rate"]["flag"])
        self.assertEqual(result["selected_company_ids"], [self.company.id])
        self.assertEqual(
            {w["id"] for w in result["warehouses"]},
            set(self.env["stock.warehouse"].search([("company_id", "=", self.company.id)]).ids),
        )

    def test_snapshots_match_live_computation(self):
        day = self.today - timedelta(days=2)
        rows = self.Snapshot.search(
            [("date", "=", day), ("company_id", "=", self.company.id), ("warehouse_id", "=", False)]
        )
        engine = KpiEngine(self.env(su=True))
        live = engine.results(
            engine.scope(day, day, [self.company.id]), [row.kpi_key for row in rows]
        )
        self.assertEqual(len(rows), len(live))
        for row in rows:
            self.assertAlmostEqual(row.value, live[row.kpi_key].value or 0.0, msg=row.kpi_key)
            self.assertEqual(row.record_count, live[row.kpi_key].count, row.kpi_key)
        on_time = rows.filtered(lambda r: r.kpi_key == "on_time_shipment")
        self.assertEqual((on_time.value, on_time.record_count), (100.0, 1))
        # per warehouse and per company, every day back to the backfill horizon, once
        scopes = self.env["stock.warehouse"].search_count([])
        scopes += self.env["res.company"].search_count([])
        count = self.Snapshot.search_count([("operator_id", "=", False)])
        self.assertEqual(count, 40 * scopes * len(live))
        operators = self.Snapshot.search_count([("operator_id", "!=", False)])
        self.assertTrue(operators)
        self.Snapshot._cron_snapshot(backfill_days=40)
        self.assertEqual(self.Snapshot.search_count([("operator_id", "=", False)]), count)
        self.assertEqual(self.Snapshot.search_count([("operator_id", "!=", False)]), operators)

    def assertCardsLive(self, keys, **filters):
        """The cards of `keys` equal the live computation, and their lists their counts."""
        __, cards = self.dashboard(**filters)
        live = self.live(self.date_from, self.date_to, filters.get("warehouse_ids"))
        env = self.env(user=self.kpi_user)
        for key in keys:
            self.assertAlmostEqual(cards[key]["value"], live[key].value, msg=key)
            self.assertEqual(cards[key]["count"], live[key].count, key)
            self.assertEqual(
                env[cards[key]["model"]].search_count(cards[key]["domain"]), live[key].count, key
            )
        return live

    def test_closed_days_come_from_snapshots(self):
        """A period's closed days are read from the snapshots, not recomputed (the cost of a
        long period stays that of a day); a closed day without a snapshot is computed live."""
        day = self.today - timedelta(days=2)
        heavy = [key for key, kpi in KPIS.items() if kpi.snapshot]
        self.assertEqual(
            set(heavy),
            set(KPIS)
            - {
                "exceptions_backlog",
                "median_time_to_resolve",
                "median_time_to_decide",
                "approval_rate",
                "suggestion_acceptance",
                "suggestion_hit_rate",
            },
        )
        self.assertCardsLive(heavy)
        self.assertCardsLive(heavy, warehouse_ids=[self.warehouse.id])
        # a stand-in figure in the closed day's snapshot shows: the day was not recomputed
        self.env.cr.execute(
            """UPDATE distribution_kpi_snapshot
                  SET numerator = numerator + 3, denominator = denominator + 3,
                      record_count = record_count + 3
                WHERE date = %s AND company_id = %s AND kpi_key = 'on_time_shipment'""",
            (day, self.company.id),
        )
        live = self.live(self.date_from, self.date_to)["on_time_shipment"]
        for filters in ({}, {"warehouse_ids": [self.warehouse.id]}):
            result, cards = self.dashboard(**filters)
            self.assertEqual(cards["on_time_shipment"]["count"], live.count + 3)
            self.assertAlmostEqual(
                cards["on_time_shipment"]["value"],
                (live.numerator + 3) * 100.0 / (live.denominator + 3),
            )
            row = next(r for r in result["by_warehouse"] if r["warehouse_id"] == self.warehouse.id)
            self.assertEqual(row["kpis"]["on_time_shipment"]["count"], live.count + 3)
        # without its snapshot (one warehouse's is enough) the day is computed live again
        self.env.cr.execute(
            """DELETE FROM distribution_kpi_snapshot
                WHERE date = %s AND warehouse_id = %s AND kpi_key = 'on_time_shipment'""",
            (day, self.warehouse.id),
        )
        self.assertCardsLive(["on_time_shipment"], warehouse_ids=[self.warehouse.id])
        # the cards and the table are one computation: the whole day is live for both
        result, cards = self.dashboard()
        self.assertEqual(cards["on_time_shipment"]["count"], live.count)
        row = next(r for r in result["by_warehouse"] if r["warehouse_id"] == self.warehouse.id)
        self.assertEqual(row["kpis"]["on_time_shipment"]["count"], live.count)
        # a closed day of the previous period stays read from its (stand-in) snapshot
        self.env.cr.execute(
            """UPDATE distribution_kpi_snapshot SET numerator = 0
                WHERE date = %s AND company_id = %s AND warehouse_id IS NULL
                  AND kpi_key = 'on_time_shipment'""",
            (self.today - timedelta(days=10), self.company.id),
        )
        self.assertEqual(self.dashboard()[1]["on_time_shipment"]["previous"], 0.0)

    def test_records_of_no_warehouse_count_for_the_company(self):
        """The cards add up the per-warehouse groups and the records of no warehouse."""
        loose_type = self.warehouse.out_type_id.copy(
            {"name": "DG Drop", "sequence_code": "DGX", "warehouse_id": False}
        )
        customers = self.env.ref("stock.stock_location_customers")
        loose = self.env["stock.picking"].create(
            {
                "partner_id": self.customer.id,
                "picking_type_id": loose_type.id,
                "location_id": self.stock_location.id,
                "location_dest_id": customers.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": self.product.name,
                            "product_id": self.product.id,
                            "product_uom_qty": 2,
                            "product_uom": self.product.uom_id.id,
                            "location_id": self.stock_location.id,
                            "location_dest_id": customers.id,
                        },
                    )
                ],
            }
        )
        loose.action_confirm()
        self.ship(loose, 2)
        self.assertEqual(loose.state, "done")
        self.env.flush_all()
        live = self.assertCardsLive(["on_time_shipment", "fill_rate", "backorder_rate"])
        self.assertEqual(live["on_time_shipment"].count, 5)
        result, __ = self.dashboard()
        row = next(r for r in result["by_warehouse"] if r["warehouse_id"] == self.warehouse.id)
        self.assertEqual(row["kpis"]["on_time_shipment"]["count"], 4)

    def stored_kpis(self, day):
        """The KPIs with a snapshot of the company's `day`."""
        rows = self.Snapshot.search([("date", "=", day), ("company_id", "=", self.company.id)])
        return set(rows.mapped("kpi_key"))

    def test_writes_to_closed_days_forget_their_snapshots(self):
        """What changes a closed day's figures deletes that day's snapshots of the KPIs read
        from them, so the cards stay equal to their lists; the cron writes them again."""
        day = self.today - timedelta(days=2)
        heavy = [key for key, kpi in KPIS.items() if kpi.snapshot]

        self.assertEqual(self.stored_kpis(day), set(KPIS))
        before = self.live(self.date_from, self.date_to)["pick_accuracy"]
        # damaged goods reported today on the delivery done two days ago
        exception = self.env["distribution.exception"].create(
            {
                "type_id": self.env.ref("distribution_governance.exception_type_damaged_goods").id,
                "company_id": self.company.id,
                "picking_id": self.early.id,
            }
        )
        self.assertEqual(self.stored_kpis(day), set(KPIS) - set(heavy))
        self.assertEqual(self.stored_kpis(self.today - timedelta(days=3)), set(KPIS))
        live = self.assertCardsLive(heavy)
        self.assertEqual(live["pick_accuracy"].numerator, before.numerator - 1)
        self.Snapshot._cron_snapshot(backfill_days=40)
        self.assertEqual(self.stored_kpis(day), set(KPIS))
        self.assertCardsLive(heavy)
        # cancelled later: the day changes again
        exception.action_cancel(reason="Reported on the wrong delivery")
        self.assertEqual(self.stored_kpis(day), set(KPIS) - set(heavy))
        self.assertEqual(self.assertCardsLive(heavy)["pick_accuracy"].numerator, before.numerator)
        self.Snapshot._cron_snapshot(backfill_days=40)
        # a delivery's date moved to another closed day: both days are forgotten
        self.early.date_done = days_ago(3)
        self.assertEqual(self.stored_kpis(day), set(KPIS) - set(heavy))
        self.assertEqual(self.stored_kpis(self.today - timedelta(days=3)), set(KPIS) - set(heavy))
        self.assertCardsLive(heavy)
        self.Snapshot._cron_snapshot(backfill_days=40)
        # a done quantity corrected afterwards (the receipt is done today: nothing to forget;
        # backdated to a closed day, its lines are)
        self.receipt.move_ids.write({"date": days_ago(4)})
        self.assertEqual(self.stored_kpis(self.today - timedelta(days=4)), set(KPIS) - set(heavy))
        self.Snapshot._cron_snapshot(backfill_days=40)
        self.receipt.move_ids[0].move_line_ids.quantity += 2
        self.assertEqual(self.stored_kpis(self.today - timedelta(days=4)), set(KPIS) - set(heavy))
        self.assertCardsLive(heavy)
        # a line added to that done move afterwards
        self.Snapshot._cron_snapshot(backfill_days=40)
        self.receipt.move_ids[0].move_line_ids[0].copy({"quantity": 1})
        self.assertEqual(self.stored_kpis(self.today - timedelta(days=4)), set(KPIS) - set(heavy))
        self.assertCardsLive(heavy)
        # today's work forgets nothing
        self.Snapshot._cron_snapshot(backfill_days=40)
        count = self.Snapshot.search_count([])
        self.env["distribution.exception"].create(
            {
                "type_id": self.env.ref("distribution_governance.exception_type_damaged_goods").id,
                "company_id": self.company.id,
                "picking_id": self.pickings[2].id,
            }
        )
        self.ship(self.sell(self.product, 1).picking_ids, 1)
        self.assertEqual(self.Snapshot.search_count([]), count)

    def test_writes_to_closed_days_of_orders_invoices_and_exceptions(self):
        """The order, invoicing and exception KPIs read their closed days from the snapshots
        too: a change of what they count on a closed day forgets that day (also when it comes
        from a stored computed field, e.g. a line's invoice discrepancy)."""
        heavy = [key for key, kpi in KPIS.items() if kpi.snapshot]
        ordered = self.today - timedelta(days=3)

        self.assertEqual(self.stored_kpis(ordered), set(KPIS))
        before = self.live(self.date_from, self.date_to)["invoice_discrepancies"]
        # the lines of an order dated three days ago invoiced today: that day changes
        invoice = self.orders[0]._create_invoices()
        invoice.action_post()
        self.env.flush_all()
        self.assertEqual(self.stored_kpis(ordered), set(KPIS) - set(heavy))
        live = self.assertCardsLive(heavy)
        self.assertLess(live["invoice_discrepancies"].count, before.count)
        self.Snapshot._cron_snapshot(backfill_days=40)
        self.assertEqual(self.stored_kpis(ordered), set(KPIS))
        # a credit note dated back to a closed day, counted once posted
        refunded = self.today - timedelta(days=5)
        refund = invoice._reverse_moves()
        refund.invoice_date = refunded
        self.env.flush_all()
        self.assertEqual(self.stored_kpis(refunded), set(KPIS))
        refund.action_post()
        self.env.flush_all()
        self.assertEqual(self.stored_kpis(refunded), set(KPIS) - set(heavy))
        self.assertEqual(self.assertCardsLive(heavy)["credit_notes"].count, 1)
        self.Snapshot._cron_snapshot(backfill_days=40)
        # an exception opened on a closed day, cancelled today
        opened = self.today - timedelta(days=4)
        exception = self.env["distribution.exception"].search(
            [("company_id", "=", self.company.id), ("state", "in", ("new", "in_progress"))],
            limit=1,
        )
        self.env.cr.execute(
            "UPDATE distribution_exception SET create_date = %s WHERE id = %s",
            (days_ago(4), exception.id),
        )
        self.env.invalidate_all()
        self.Snapshot._cron_snapshot(backfill_days=40)
        self.assertEqual(self.stored_kpis(opened), set(KPIS))
        exception.action_cancel(reason="Reported on the wrong delivery")
        self.env.flush_all()
        self.assertEqual(self.stored_kpis(opened), set(KPIS) - set(heavy))
        self.assertCardsLive(heavy)
        # today's orders forget nothing
        self.Snapshot._cron_snapshot(backfill_days=40)
        count = self.Snapshot.search_count([])
        self.ship(self.sell(self.product, 1).picking_ids, 1)
        self.env.flush_all()
        self.assertEqual(self.Snapshot.search_count([]), count)

    def test_only_what_changes_forgets_its_days(self):
        """A write that leaves what the KPIs read of a row as it was forgets nothing; an order
        moved to another closed day forgets both days; an order delivered today forgets no
        day of its own (its order date counts its lines' discrepancies, not its delivery)."""
        heavy = set(key for key, kpi in KPIS.items() if kpi.snapshot)
        ordered = self.today - timedelta(days=3)
        moved = self.today - timedelta(days=6)

        order = self.orders[0]
        self.assertEqual((self.stored_kpis(ordered), self.stored_kpis(moved)), (set(KPIS), set(KPIS)))
        # the same order date, warehouse and state written again
        order.write(
            {"date_order": order.date_order, "warehouse_id": order.warehouse_id.id, "state": "sale"}
        )
        self.env.flush_all()
        self.assertEqual(self.stored_kpis(ordered), set(KPIS))
        # moved to another closed day: both (a date with a fraction of a second, as computed
        # dates have: the flush writes it as a string)
        order.write({"date_order": days_ago(6).replace(microsecond=500000)})
        self.env.flush_all()
        self.assertEqual(self.stored_kpis(ordered), set(KPIS) - heavy)
        self.assertEqual(self.stored_kpis(moved), set(KPIS) - heavy)
        self.assertCardsLive(heavy)
        self.Snapshot._cron_snapshot(backfill_days=40)
        # its delivered date moved (today, then a closed day): the order day stays, the
        # delivered day goes
        delivered = self.today - timedelta(days=5)
        self.assertEqual(self.stored_kpis(delivered), set(KPIS))
        order.sudo().write({"dg_delivered_date": fields.Datetime.now()})
        self.env.flush_all()
        self.assertEqual(self.stored_kpis(moved), set(KPIS))
        order.sudo().write({"dg_delivered_date": days_ago(5)})
        self.env.flush_all()
        self.assertEqual(self.stored_kpis(moved), set(KPIS))
        self.assertEqual(self.stored_kpis(delivered), set(KPIS) - heavy)
        self.assertCardsLive(heavy)

    def test_rows_known_from_the_cache_are_the_rows_read(self):
        """Each watched model's row built from the cache has the columns and values its query
        reads, so the one stands for the other; with nothing in the cache the row is read."""
        invoice = self.orders[0]._create_invoices()
        purchase = self.env["purchase.order"].create(
            {
                "partner_id": self.customer.id,
                "order_line": [(0, 0, {"product_id": self.product.id, "product_qty": 3})],
            }
        )
        exception = self.env["distribution.exception"].search(
            [("company_id", "=", self.company.id)], limit=1
        )
        records = [
            self.orders[0],
            self.orders[0].order_line[:1],
            invoice,
            purchase.order_line,
            exception,
        ]
        self.assertTrue(all(records))
        self.env.flush_all()

        def same(value):
            return value or False

        for record in records:
            self.env.invalidate_all()
            read = record._dg_kpi_rows()[record.id]
            self.assertEqual(record._dg_kpi_rows_before([{}]), {record.id: read})
            # in the cache: what a form or a validation has read of the record and its company
            record.read(list(record._dg_kpi_fields | set(record._dg_kpi_columns)))
            record.company_id.read(["dg_kpi_tz"])
            if record._name == "sale.order.line":
                record.order_id.read(["state", "date_order"])
            cached = record._dg_kpi_cached_row({})
            self.assertEqual(set(cached), set(read), record._name)
            self.assertEqual(
                {key: same(value) for key, value in cached.items()},
                {key: same(value) for key, value in read.items()},
                record._name,
            )

    def test_rows_known_at_each_flush_are_the_database_rows(self):
        """Through a distributor's flows (an order entered, confirmed, shipped short then in
        full, invoiced, refunded; a short-pick exception opened and cancelled; a purchase
        received), every row the KPI watch takes as the database's — from the cache or read —
        equals the row the database gives at that moment, on every model it watches."""
        original = DistributionKpiRows._dg_kpi_rows_before
        compared = collections.Counter()

        def same(rows):
            return {id_: {key: value or False for key, value in row.items()} for id_, row in rows.items()}

        def checked(records, vals_list):
            rows = original(records, vals_list)
            self.assertEqual(same(rows), same(records._dg_kpi_rows()), records._name)
            compared[records._name] += 1
            return rows

        with patch.object(DistributionKpiRows, "_dg_kpi_rows_before", checked):
            order = self.sell(self.product, 2)
            self.ship(order.picking_ids, 1)
            self.ship(order.picking_ids.filtered(lambda p: p.state != "done"), 1)
            invoice = order._create_invoices()
            invoice.action_post()
            invoice._reverse_moves().action_post()
            short = self.exceptions(sale_order_id=order.id, type_code="short_pick")
            self.assertTrue(short)
            short.action_cancel(reason="Counted again: nothing was missing")
            purchase = self.env["purchase.order"].create(
                {
                    "partner_id": self.customer.id,
                    "order_line": [(0, 0, {"product_id": self.product.id, "product_qty": 3})],
                }
            )
            purchase.button_confirm()
            self.ship(purchase.picking_ids, 3)
            self.env.flush_all()
        self.assertEqual(
            set(compared),
            {"sale.order", "sale.order.line", "account.move", "distribution.exception",
             "purchase.order.line"},
        )

    def test_derived_order_facts_are_not_written_by_users(self):
        """An order's delivered date and a line's invoice discrepancy are computed: a sales rep
        or a warehouse user (both write orders) setting them is refused, by write or create."""
        rep = new_test_user(self.env, login="dg_rep_facts", groups="sales_team.group_sale_salesman_all_leads")
        picker = new_test_user(self.env, login="dg_picker_facts", groups="stock.group_stock_user")
        order = self.orders[0]
        delivered, discrepant = order.dg_delivered_date, order.order_line.mapped("dg_invoice_discrepancy")
        for user in (rep, picker):
            with self.assertRaises(AccessError), self.cr.savepoint():
                order.with_user(user).write({"dg_delivered_date": days_ago(9)})
            with self.assertRaises(AccessError), self.cr.savepoint():
                order.order_line[:1].with_user(user).write({"dg_invoice_discrepancy": False})
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.env["sale.order"].with_user(rep).create(
                {"partner_id": order.partner_id.id, "dg_delivered_date": days_ago(9)}
            )
        self.assertEqual(order.dg_delivered_date, delivered)
        self.assertEqual(order.order_line.mapped("dg_invoice_discrepancy"), discrepant)

    def test_rows_written_twice_before_the_flush_forget_the_stored_day(self):
        """The flush forgets the days of the row as the database has it before the flush, kept
        from the cache when a write (or a recompute) first replaced it, not of a value written
        in between and never stored; a row whose values were not in the cache is read (the
        same days). The rows of a validation's order and lines are known this way, without a
        query (issue 17)."""
        heavy = set(key for key, kpi in KPIS.items() if kpi.snapshot)
        ordered = self.today - timedelta(days=3)
        between = self.today - timedelta(days=6)

        order = self.orders[0]
        self.assertEqual((self.stored_kpis(ordered), self.stored_kpis(between)), (set(KPIS), set(KPIS)))
        order.write({"date_order": days_ago(6)})
        order.write({"date_order": fields.Datetime.now()})
        self.env.flush_all()
        # the stored day goes; the day in between was never stored: its snapshots stay
        self.assertEqual(self.stored_kpis(ordered), set(KPIS) - heavy)
        self.assertEqual(self.stored_kpis(between), set(KPIS))
        self.assertCardsLive(heavy)
        self.Snapshot._cron_snapshot(backfill_days=40)
        # nothing of the order in the cache: its row is read, with the same outcome
        self.env.invalidate_all()
        order.write({"date_order": days_ago(6)})
        self.env.flush_all()
        self.assertEqual(self.stored_kpis(between), set(KPIS) - heavy)
        self.assertEqual(self.stored_kpis(ordered), set(KPIS))
        self.Snapshot._cron_snapshot(backfill_days=40)
        # a recomputed field (a line's invoice discrepancy, gone once invoiced): the day of the
        # order as the database has it (six days ago now) is forgotten
        order.order_line.invalidate_recordset()
        order.order_line.mapped("dg_invoice_discrepancy")
        invoice = order._create_invoices()
        invoice.action_post()
        self.env.flush_all()
        self.assertEqual(self.stored_kpis(between), set(KPIS) - heavy)
        self.assertCardsLive(heavy)

    def test_series_previous_and_baseline(self):
        __, cards = self.dashboard()
        card = cards["on_time_shipment"]
        by_date = {point["date"]: point["value"] for point in card["series"]}
        self.assertEqual(by_date[fields.Date.to_string(self.today - timedelta(days=2))], 100.0)
        self.assertIsNone(by_date[fields.Date.to_string(self.today - timedelta(days=1))])
        # today's point is live: the other three deliveries, one of them late
        today_pickings = self.pickings - self.early
        on_time = today_pickings.filtered(lambda p: p.date_done <= p.scheduled_date)
        self.assertAlmostEqual(
            by_date[fields.Date.to_string(self.today)], len(on_time) * 100.0 / len(today_pickings)
        )
        # previous period (8 days before): the old delivery, on time
        previous = self.live(
            fields.Date.to_string(self.today - timedelta(days=14)),
            fields.Date.to_string(self.today - timedelta(days=7)),
        )
        self.assertEqual(previous["on_time_shipment"].count, 1)
        for key in ("on_time_shipment", "fill_rate", "exceptions_opened", "receiving_throughput"):
            self.assertEqual(cards[key]["previous"], previous[key].value, key)
        # baseline: the 28 days before the period, totals scaled to the period's 8 days
        baseline = self.live(
            fields.Date.to_string(self.today - timedelta(days=34)),
            fields.Date.to_string(self.today - timedelta(days=7)),
        )
        self.assertEqual(cards["on_time_shipment"]["baseline"], 100.0)
        self.assertEqual(cards["on_time_shipment"]["baseline"], baseline["on_time_shipment"].value)
        self.assertEqual(cards["backorder_rate"]["baseline"], baseline["backorder_rate"].value)

    def test_targets_and_rag(self):
        __, cards = self.dashboard()
        value = cards["on_time_shipment"]["value"]
        self.assertAlmostEqual(value, 50.0)
        self.assertEqual(
            cards["on_time_shipment"]["target"], {"direction": "higher", "green": 90, "amber": 60}
        )
        self.assertEqual(cards["on_time_shipment"]["rag"], "red")
        self.assertIsNone(cards["fill_rate"]["rag"])
        self.on_time_target.amber = 50
        __, cards = self.dashboard()
        self.assertEqual(cards["on_time_shipment"]["rag"], "amber")
        # a warehouse's own target wins over its company's, for that warehouse
        self.Target.create(
            {
                "kpi_key": "on_time_shipment",
                "company_id": self.company.id,
                "warehouse_id": self.warehouse.id,
                "green": 40,
                "amber": 20,
            }
        )
        result, cards = self.dashboard(warehouse_ids=[self.warehouse.id])
        self.assertEqual(cards["on_time_shipment"]["rag"], "green")
        row = next(r for r in result["by_warehouse"] if r["warehouse_id"] == self.warehouse.id)
        self.assertEqual(row["kpis"]["on_time_shipment"]["rag"], "green")
        self.assertEqual(row["kpis"]["on_time_shipment"]["count"], 4)
        lower = self.Target.create(
            {"kpi_key": "backorder_rate", "company_id": self.company.id, "green": 10, "amber": 30}
        )
        self.assertEqual(lower.direction, "lower")
        self.assertEqual(self.Target._rag(25.0, lower), "amber")
        self.assertEqual(self.Target._rag(31.0, lower), "red")
        self.assertEqual(self.Target._rag(10.0, lower), "green")
        with self.assertRaises(ValidationError):
            lower.amber = 5
        with self.assertRaises(ValidationError):
            self.Target.create(
                {"kpi_key": "backorder_rate", "company_id": self.company.id, "green": 1, "amber": 2}
            )
        # only the governance admin sets targets
        with self.assertRaises(AccessError):
            self.Target.with_user(self.kpi_user).create(
                {"kpi_key": "fill_rate", "company_id": self.company.id, "green": 98, "amber": 95}
            )

    def test_warehouse_and_company_filters(self):
        both = self.env(
            context=dict(self.env.context, allowed_company_ids=[self.company.id, self.company_b.id])
        )
        result, cards = self.dashboard(env=both)
        self.assertEqual(set(result["selected_company_ids"]), {self.company.id, self.company_b.id})
        self.assertEqual(cards["on_time_shipment"]["count"], 5)
        rows = {row["warehouse_id"]: row["kpis"] for row in result["by_warehouse"]}
        self.assertEqual(rows[self.warehouse.id]["on_time_shipment"]["count"], 4)
        self.assertEqual(rows[self.warehouse_b.id]["on_time_shipment"]["count"], 1)
        self.assertEqual(rows[self.warehouse_b.id]["fill_rate"]["value"], 50.0)
        self.assertEqual(rows[self.warehouse_b.id]["pick_accuracy"]["value"], 0.0)
        self.assertIsNone(rows[self.warehouse_b.id]["order_cycle_time"]["value"])
        result, cards = self.dashboard(env=both, company_ids=[self.company_b.id])
        self.assertEqual(cards["on_time_shipment"]["count"], 1)
        self.assertEqual({w["company_id"] for w in result["warehouses"]}, {self.company_b.id})
        __, cards = self.dashboard(env=both, warehouse_ids=[self.warehouse_b.id])
        self.assertEqual(cards["on_time_shipment"]["count"], 1)
        self.assertEqual(
            both["stock.picking"].search(cards["on_time_shipment"]["domain"]), self.picking_b
        )
        # the user works in company A only: B's company and warehouse are refused
        with self.assertRaises(AccessError):
            self.dashboard(company_ids=[self.company_b.id])
        with self.assertRaises(AccessError):
            self.dashboard(warehouse_ids=[self.warehouse_b.id])

    def test_bad_filters(self):
        Dashboard = self.env(user=self.kpi_user)["distribution.dashboard"]
        for filters in (
            "last_7_days",
            [1],
            {"period": "fortnight"},
            {"period": "custom", "date_from": "2026-02-30", "date_to": self.date_to},
            {"period": "custom", "date_from": self.date_to, "date_to": self.date_from},
            {"period": "custom", "date_from": "2020-01-01", "date_to": "2026-01-01"},
            {"warehouse_ids": "1"},
            {"warehouse_ids": [True]},
            {"company_ids": [None]},
            {"company_ids": [0]},
            # dates whose previous period or baseline Python cannot count back to, or whose
            # period's end it cannot count past
            {"period": "custom", "date_from": "0001-01-01", "date_to": "0001-01-07"},
            {"period": "custom", "date_from": "9999-12-25", "date_to": "9999-12-31"},
            {"period": "custom", "date_from": "1899-12-31", "date_to": "1900-01-06"},
            {"period": "custom", "date_from": "x", "date_to": self.date_to},
            {"period": "custom", "date_from": 20260101, "date_to": self.date_to},
        ):
            with self.subTest(filters=filters), self.assertRaises(UserError):
                Dashboard.get_kpi_dashboard(filters)
        # the earliest and latest periods a user may ask for: the previous ones and the
        # baselines before them are computed too
        for date_from, date_to, previous_from in (
            ("1900-01-01", "1900-12-31", "1899-01-01"),
            ("2999-01-01", "2999-12-31", "2998-01-01"),
        ):
            result = Dashboard.get_kpi_dashboard(
                {"period": "custom", "date_from": date_from, "date_to": date_to}
            )
            self.assertEqual(result["period"]["days"], 365)
            self.assertEqual(result["period"]["previous_from"], previous_from)
            cards = {card["key"]: card for card in result["kpis"]}
            self.assertEqual(cards["exceptions_opened"]["value"], 0.0)
            self.assertEqual(len(cards["exceptions_opened"]["series"]), 365)
        for preset in ("today", "yesterday", "last_7_days", "last_28_days", "this_month", "last_month"):
            period = Dashboard.get_kpi_dashboard({"period": preset})["period"]
            start = fields.Date.to_date(period["date_from"])
            end = fields.Date.to_date(period["date_to"])
            self.assertEqual((end - start).days + 1, period["days"], preset)
            self.assertEqual(fields.Date.to_date(period["previous_to"]), start - timedelta(days=1))
            self.assertLessEqual(end, self.today)

    def test_hypercare_day_and_readiness(self):
        go_live = self.today - timedelta(days=3)
        self.company.dg_go_live_date = go_live
        criteria = self.env["distribution.readiness.criterion"].search(
            [("company_id", "=", self.company.id)]
        )
        self.assertEqual(len(criteria), 5)
        result, cards = self.dashboard()
        (hypercare,) = result["hypercare"]
        self.assertEqual((hypercare["day"], hypercare["window_days"], hypercare["active"]), (4, 28, True))
        self.assertEqual(hypercare["baseline_to"], fields.Date.to_string(go_live - timedelta(days=1)))
        # the baseline is now the 28 days before go-live: still the old on-time delivery
        baseline = self.live(hypercare["baseline_from"], hypercare["baseline_to"])
        self.assertEqual(cards["on_time_shipment"]["baseline"], baseline["on_time_shipment"].value)
        outcome = {c["name"]: c for c in hypercare["readiness"]}
        # on-time: target set, but 5 measured days do not exist in this history
        self.assertFalse(outcome["On-time shipment at target 5 days running"]["passed"])
        self.assertIn("No target", outcome["Pick accuracy at target 5 days running"]["detail"])
        self.assertTrue(outcome["Approval backlog under 5"]["passed"])
        self.assertTrue(outcome["Master-data checks clean"]["passed"])
        self.assertFalse(hypercare["ready"])

        # five green days of on-time shipment in the snapshots make that criterion pass
        for offset in range(1, 6):
            self.Snapshot._upsert(
                self.today - timedelta(days=offset),
                self.company.id,
                False,
                {"on_time_shipment": Figures(count=20, numerator=19, denominator=20)},
            )
        outcome = {c["name"]: c for c in self.dashboard()[0]["hypercare"][0]["readiness"]}
        self.assertTrue(outcome["On-time shipment at target 5 days running"]["passed"])
        self.Snapshot._upsert(
            self.today - timedelta(days=3),
            self.company.id,
            False,
            {"on_time_shipment": Figures(count=20, numerator=14, denominator=20)},
        )
        outcome = {c["name"]: c for c in self.dashboard()[0]["hypercare"][0]["readiness"]}
        self.assertFalse(outcome["On-time shipment at target 5 days running"]["passed"])

        # a breached critical exception fails its criterion, with the list to open
        exception = self.env["distribution.exception"].create(
            {
                "type_id": self.env.ref("distribution_governance.exception_type_short_pick").id,
                "name": "DG critical",
                "severity": "critical",
                "company_id": self.company.id,
            }
        )
        exception.sudo().write({"sla_deadline": days_ago(1)})
        outcome = {c["name"]: c for c in self.dashboard()[0]["hypercare"][0]["readiness"]}
        breached = outcome["No breached critical exception"]
        self.assertFalse(breached["passed"])
        self.assertEqual(breached["count"], 1)
        self.assertEqual(
            self.env[breached["model"]].search(breached["domain"]), exception
        )
        # day counting before and after the window
        self.company.dg_go_live_date = self.today + timedelta(days=10)
        self.assertEqual(self.dashboard()[0]["hypercare"][0]["day"], -9)
        self.company.dg_go_live_date = self.today - timedelta(days=28)
        hypercare = self.dashboard()[0]["hypercare"][0]
        self.assertEqual((hypercare["day"], hypercare["active"]), (29, False))
        for days in (0, 367, 10**9):
            with self.subTest(days=days), self.assertRaises(ValidationError):
                criteria[0].write({"kind": "kpi_target", "days": days})

    def test_access(self):
        employee = new_test_user(self.env, login="dg_kpi_plain", groups="base.group_user")
        with self.assertRaises(AccessError):
            self.env(user=employee)["distribution.dashboard"].get_kpi_dashboard({})
        with self.assertRaises(AccessError):
            self.Snapshot.with_user(self.kpi_user).search([], limit=1).unlink()
