from datetime import timedelta
from statistics import median

from odoo import fields
from odoo.exceptions import UserError
from odoo.tests import new_test_user, tagged

from .common import FlowCase, days_ago, make_outgoing_picking


class KpiScenarioCase(FlowCase):
    """A week of deliveries, receipts, adjustments, exceptions and approvals in two companies."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env["res.users"])
        # a period around "now" wide enough for every date written below
        cls.start = fields.Datetime.to_datetime(today - timedelta(days=6))
        cls.end = fields.Datetime.to_datetime(today + timedelta(days=2))
        cls.date_from = fields.Date.to_string(today - timedelta(days=6))
        cls.date_to = fields.Date.to_string(today + timedelta(days=1))
        cls.product.with_company(cls.company).standard_price = 8.0
        cls.set_stock(cls.product, 100)
        cls.product_2 = cls.env["product.product"].create(
            {"name": "DG Stretch Film", "is_storable": True}
        )

        # deliveries: (ordered, shipped, backorder, on time)
        cls.orders = cls.env["sale.order"]
        cls.pickings = cls.env["stock.picking"]
        plans = [(5, 5, True, True), (5, 5, True, False), (5, 3, True, True), (4, 2, False, False)]
        # done today, before now, either side of their promise, whatever the hour the tests run
        # at (an hour after a promise of 23:30 would be tomorrow's; at 00:30, an hour before one
        # of 00:10 yesterday's): an hour, or a quarter of the day gone so far
        now = fields.Datetime.now()
        offset = min(timedelta(hours=1), (now - fields.Datetime.to_datetime(today)) / 4)
        offset = max(offset, timedelta(seconds=1))
        promised = now - 2 * offset
        for ordered, shipped, backorder, on_time in plans:
            order = cls.sell(cls.product, ordered)
            order.date_order = days_ago(3)
            picking = order.picking_ids
            cls.ship(picking, shipped, backorder=backorder)
            # a done transfer's promise is not written through the ORM (Odoo refuses)
            cls.env.cr.execute(
                """UPDATE stock_picking SET scheduled_date = %(promised)s,
                          date_deadline = CASE WHEN date_deadline IS NOT NULL THEN %(promised)s END
                    WHERE id = %(id)s;
                   UPDATE stock_move SET date_deadline = %(promised)s
                    WHERE picking_id = %(id)s AND date_deadline IS NOT NULL""",
                {"promised": promised, "id": picking.id},
            )
            cls.env.invalidate_all()
            picking.date_done = promised + (-offset if on_time else offset)
            cls.orders |= order
            cls.pickings |= picking
        # shipped long before the period: counted nowhere
        cls.old_order = cls.sell(cls.product, 1)
        cls.ship(cls.old_order.picking_ids, 1)
        cls.old_order.picking_ids.date_done = days_ago(10)

        # damaged goods on the second (late) delivery
        cls.env["stock.scrap"].create(
            {
                "product_id": cls.product.id,
                "scrap_qty": 1,
                "picking_id": cls.pickings[1].id,
                "location_id": cls.stock_location.id,
                "company_id": cls.company.id,
            }
        ).do_scrap()

        # receipt of two lines
        in_type = cls.warehouse.in_type_id
        supplier = cls.env.ref("stock.stock_location_suppliers")
        cls.receipt = cls.env["stock.picking"].create(
            {
                "partner_id": cls.vendor.id,
                "picking_type_id": in_type.id,
                "location_id": supplier.id,
                "location_dest_id": cls.stock_location.id,
                "move_ids": [
                    (
                        0,
                        0,
                        {
                            "name": product.name,
                            "product_id": product.id,
                            "product_uom_qty": qty,
                            "product_uom": product.uom_id.id,
                            "location_id": supplier.id,
                            "location_dest_id": cls.stock_location.id,
                        },
                    )
                    for product, qty in ((cls.product, 10), (cls.product_2, 6))
                ],
            }
        )
        cls.receipt.action_confirm()
        for move in cls.receipt.move_ids:
            move.write({"quantity": move.product_uom_qty, "picked": True})
        cls.receipt.button_validate()

        # inventory adjustment: count 7 more than on hand
        cls.adjust(cls.product, cls.stock_location, 7)

        # exceptions: resolve the damage (SLA breached) and the short pick without backorder
        Exception_ = cls.env["distribution.exception"]
        cls.damage = Exception_.search(
            [("type_code", "=", "damaged_goods"), ("picking_id", "=", cls.pickings[1].id)]
        )
        cls.shorts = Exception_.search(
            [("type_code", "=", "short_pick"), ("picking_id", "in", cls.pickings.ids)]
        )
        short_no_backorder = cls.shorts.filtered(lambda e: e.picking_id == cls.pickings[3])
        cls.damage.write({"detected_at": days_ago(0.25), "sla_deadline": days_ago(0.1)})
        short_no_backorder.write({"detected_at": days_ago(0.1)})
        cls.damage.action_resolve(
            cls.env.ref("distribution_governance.resolution_damaged_goods_written_off").id,
            note="Crushed pallet",
        )
        short_no_backorder.action_resolve(
            cls.env.ref("distribution_governance.resolution_short_pick_accepted").id
        )

        # approval requests (made by the credit-hold workflow in real life, as superuser)
        Request = cls.env["distribution.approval.request"]
        cls.requests = Request
        for hours in (2, 5, 20):
            request = Request.create(
                {
                    "kind": "credit_override",
                    "company_id": cls.company.id,
                    "requester_id": cls.warehouse_user.id,
                    "currency_id": cls.company.currency_id.id,
                }
            )
            decided_at = request.create_date + timedelta(hours=hours)
            request.write(
                {"state": "approved", "decided_at": decided_at, "sale_order_id": cls.orders[0].id}
            )
            cls.requests |= request

        # the second company's activity must never be counted for the first
        cls.warehouse_b = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company_b.id)], limit=1
        )
        cls.set_stock(cls.product, 20, cls.warehouse_b.lot_stock_id)
        cls.picking_b = make_outgoing_picking(
            cls.env, cls.company_b, cls.customer, cls.product, fields.Datetime.now(), qty=2
        )
        cls.ship(cls.picking_b, 1, backorder=False)
        cls.adjust(cls.product.with_company(cls.company_b), cls.warehouse_b.lot_stock_id, 3)

        cls.kpi_user = new_test_user(
            cls.env,
            login="dg_kpi_user",
            groups="stock.group_stock_manager,sales_team.group_sale_salesman_all_leads,"
            "distribution_governance.group_exception_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.env.flush_all()

    @classmethod
    def adjust(cls, product, location, delta):
        quant = cls.env["stock.quant"]._gather(product, location)
        quant.with_context(inventory_mode=True).write(
            {"inventory_quantity": quant.quantity + delta}
        )
        quant.action_apply_inventory()

    def kpis(self, env=None, warehouse_ids=None):
        env = env or self.env(user=self.kpi_user)
        return env["distribution.kpi"]._compute_kpis(self.date_from, self.date_to, warehouse_ids)

    def in_period(self, moment):
        return bool(moment) and self.start <= moment < self.end

    def assertDrillDown(self, kpi, records, env=None):
        env = env or self.env(user=self.kpi_user)
        self.assertEqual(kpi.count, len(records))
        self.assertEqual(env[kpi.model].search(kpi.domain), records.with_env(env))
        self.assertEqual(env[kpi.model].search_count(kpi.domain), len(records))

    def assertRatio(self, kpi, numerator, denominator):
        self.assertAlmostEqual(kpi.numerator, numerator, places=4)
        self.assertAlmostEqual(kpi.denominator, denominator, places=4)
        self.assertAlmostEqual(kpi.value, numerator * 100.0 / denominator, places=4)
        self.assertEqual(kpi.unit, "%")


@tagged("post_install", "-at_install")
class TestKpi(KpiScenarioCase):
    """Each KPI on a hand-built scenario against a value computed here in plain Python."""

    def test_outgoing_kpis(self):
        kpis = self.kpis()
        pickings = self.pickings
        self.assertEqual(len(pickings), 4)
        on_time = pickings.filtered(
            lambda p: p.date_done <= (p.date_deadline or p.scheduled_date)
        )
        self.assertEqual(len(on_time), 2)
        self.assertRatio(kpis["on_time_shipment"], len(on_time), len(pickings))
        self.assertDrillDown(kpis["on_time_shipment"], pickings)

        flagged = self.env["distribution.exception"].search(
            [
                ("picking_id", "in", pickings.ids),
                ("type_code", "in", ["short_pick", "damaged_goods"]),
                ("state", "!=", "cancelled"),
            ]
        )
        accurate = pickings - flagged.picking_id
        self.assertEqual(len(accurate), 1)
        self.assertRatio(kpis["pick_accuracy"], len(accurate), len(pickings))
        self.assertDrillDown(kpis["pick_accuracy"], pickings)

        with_backorder = pickings.filtered(
            lambda p: self.env["stock.picking"].search_count([("backorder_id", "=", p.id)])
        )
        self.assertEqual(len(with_backorder), 1)
        self.assertRatio(kpis["backorder_rate"], len(with_backorder), len(pickings))

        shipped = sum(
            m.product_uom._compute_quantity(m.quantity, m.product_id.uom_id)
            for m in pickings.move_ids
            if m.state == "done" and not m.scrap_id
        )
        missing = sum(
            e.quantity_missing for e in flagged if e.type_code == "short_pick"
        )
        self.assertEqual((shipped, missing), (15, 4))
        self.assertRatio(kpis["fill_rate"], shipped, shipped + missing)
        self.assertDrillDown(kpis["fill_rate"], pickings)

    def test_order_cycle_time(self):
        kpi = self.kpis()["order_cycle_time"]
        hours = {}
        for order in self.orders | self.old_order:
            outgoing = order.picking_ids.filtered(lambda p: p.picking_type_code == "outgoing")
            if any(p.state not in ("done", "cancel") for p in outgoing):
                continue
            last = max(p.date_done for p in outgoing if p.state == "done")
            if self.in_period(last):
                hours[order] = (last - order.date_order).total_seconds() / 3600
        # the order with an open backorder and the old one are out
        self.assertEqual(len(hours), 3)
        self.assertAlmostEqual(kpi.value, sum(hours.values()) / len(hours), places=4)
        self.assertEqual(kpi.unit, "h")
        self.assertDrillDown(kpi, self.env["sale.order"].browse([o.id for o in hours]))
        # the order left with an open backorder is delivered once the backorder is done
        partial = self.orders[2]
        self.assertNotIn(partial, hours)
        self.assertFalse(partial.dg_delivered_date)
        backorder = partial.picking_ids.filtered(lambda p: p.state not in ("done", "cancel"))
        self.assertEqual(len(backorder), 1)
        self.ship(backorder, 2)
        self.assertEqual(partial.dg_delivered_date, backorder.date_done)
        kpi = self.kpis()["order_cycle_time"]
        self.assertEqual(kpi.count, 4)
        self.assertIn(partial, self.env["sale.order"].search(kpi.domain))
        # a new delivery opened for it (a line added) makes it undelivered again
        partial.order_line = [(0, 0, {"product_id": self.product.id, "product_uom_qty": 1})]
        self.assertFalse(partial.dg_delivered_date)
        self.assertEqual(self.kpis()["order_cycle_time"].count, 3)

    def test_stock_move_kpis(self):
        kpis = self.kpis()
        Move = self.env["stock.move"]
        adjustments = Move.search([("product_id", "=", self.product.id)]).filtered(
            lambda m: m.is_inventory and m.state == "done" and m.company_id == self.company
        )
        self.assertEqual(len(adjustments), 1)
        kpi = kpis["inventory_adjustment_volume"]
        self.assertEqual(kpi.value, 1)
        value = sum(abs(layer.value) for layer in adjustments.stock_valuation_layer_ids)
        self.assertAlmostEqual(value, 7 * 8.0)
        self.assertAlmostEqual(kpi.amount, value)
        self.assertDrillDown(kpi, adjustments)

        received = self.receipt.move_ids
        units = sum(m.quantity for m in received)
        days = (self.end - self.start).days
        kpi = kpis["receiving_throughput"]
        self.assertEqual((kpi.count, kpi.numerator), (2, 16))
        self.assertAlmostEqual(kpi.value, units / days)
        self.assertEqual(kpi.unit, "units/day")
        self.assertDrillDown(kpi, received)

    def test_exception_and_approval_kpis(self):
        kpis = self.kpis()
        mine = self.env["distribution.exception"].search([("company_id", "=", self.company.id)])
        self.assertEqual(mine, self.damage | self.shorts)
        opened = mine.filtered(lambda e: self.in_period(e.create_date))
        self.assertEqual(kpis["exceptions_opened"].value, len(opened))
        self.assertDrillDown(kpis["exceptions_opened"], opened)

        backlog = mine.filtered(lambda e: e.state in ("new", "in_progress"))
        self.assertEqual(len(backlog), 1)
        self.assertEqual(kpis["exceptions_backlog"].value, 1)
        self.assertDrillDown(kpis["exceptions_backlog"], backlog)
        closed = mine.filtered(
            lambda e: e.state in ("resolved", "cancelled") and self.in_period(e.resolved_at)
        )
        breached = closed.filtered("sla_breached_at_close")
        self.assertEqual((len(closed), len(breached)), (2, 1))
        self.assertRatio(kpis["sla_breach_rate"], len(breached), len(closed))
        self.assertDrillDown(kpis["sla_breach_rate"], closed)

        resolved = closed.filtered(lambda e: e.state == "resolved")
        expected = median(
            (e.resolved_at - e.detected_at).total_seconds() / 3600 for e in resolved
        )
        self.assertAlmostEqual(kpis["median_time_to_resolve"].value, expected, places=4)
        self.assertDrillDown(kpis["median_time_to_resolve"], resolved)

        decided = self.requests
        expected = median(
            (r.decided_at - r.create_date).total_seconds() / 3600 for r in decided
        )
        self.assertAlmostEqual(expected, 5.0)
        self.assertAlmostEqual(kpis["median_time_to_decide"].value, expected, places=4)
        self.assertDrillDown(kpis["median_time_to_decide"], decided)
        # the backlog at the end of an earlier day: open then, whatever happened since
        yesterday = fields.Date.to_string(fields.Date.today() - timedelta(days=1))
        self.env.flush_all()
        self.env.cr.execute(
            "UPDATE distribution_exception SET create_date = %s, resolved_at = %s WHERE id = %s",
            (days_ago(3), days_ago(0), self.damage.id),
        )
        self.env.invalidate_all()
        earlier = self.env(user=self.kpi_user)["distribution.kpi"]._compute_kpis(
            self.date_from, yesterday
        )["exceptions_backlog"]
        self.assertEqual(earlier.count, 1)
        self.assertDrillDown(earlier, self.damage)

    def test_approval_kpis_by_kind(self):
        """The approval rate and the time to decide count the requests approvers decided (a
        request cancelled before anyone decided it is not a decision), in total and per kind
        in the dashboard's table, whose cells open the kind's requests."""
        Request = self.env["distribution.approval.request"]

        def request(kind, state, hours):
            made = Request.create(
                {
                    "kind": kind,
                    "company_id": self.company.id,
                    "requester_id": self.warehouse_user.id,
                    "currency_id": self.company.currency_id.id,
                }
            )
            made.write(
                {
                    "state": state,
                    "decided_at": made.create_date + timedelta(hours=hours),
                    "sale_order_id": self.orders[0].id,
                }
            )
            return made

        rejected = request("price_override", "rejected", 1)
        cancelled = request("credit_override", "cancelled", 0.5)
        decided = self.requests | rejected
        kpis = self.kpis()
        self.assertRatio(kpis["approval_rate"], len(self.requests), len(decided))
        self.assertDrillDown(kpis["approval_rate"], decided)
        self.assertNotIn(cancelled, Request.search(kpis["median_time_to_decide"].domain))
        hours = sorted((r.decided_at - r.create_date).total_seconds() / 3600 for r in decided)
        self.assertAlmostEqual(kpis["median_time_to_decide"].value, median(hours), places=4)

        board = self.env(user=self.kpi_user)["distribution.dashboard"].get_kpi_dashboard(
            {"period": "custom", "date_from": self.date_from, "date_to": self.date_to}
        )
        self.assertEqual(board["kind_kpis"], ["approval_rate", "median_time_to_decide"])
        rows = {row["id"]: row for row in board["by_kind"]}
        self.assertEqual(set(rows), {"credit_override", "price_override"})
        self.assertEqual(rows["price_override"]["name"], "Price below policy")
        env = self.env(user=self.kpi_user)
        cards = {card["key"]: card for card in board["kpis"]}
        for kind, requests in (("credit_override", self.requests), ("price_override", rejected)):
            approved = requests.filtered(lambda r: r.state != "rejected")
            cell = rows[kind]["kpis"]["approval_rate"]
            self.assertEqual(cell["count"], len(requests))
            self.assertAlmostEqual(cell["value"], len(approved) * 100.0 / len(requests))
            drill = cards["approval_rate"]["domain"] + [
                (board["subject_fields"]["approval_rate"], "=", kind)
            ]
            self.assertEqual(env[Request._name].search(drill), requests.with_env(env))
            hours = [(r.decided_at - r.create_date).total_seconds() / 3600 for r in requests]
            self.assertAlmostEqual(
                rows[kind]["kpis"]["median_time_to_decide"]["value"], median(hours), places=4
            )

    def test_invoice_kpis(self):
        invoice = self.orders[0]._create_invoices()
        invoice.action_post()
        refund = invoice._reverse_moves()
        refund.action_post()
        self.orders[1]._create_invoices().action_post()
        self.env.flush_all()
        kpis = self.kpis()
        lines = (self.orders | self.old_order).order_line.filtered(
            lambda line: self.in_period(line.order_id.date_order)
            and line.product_id.type == "consu"
            and round(line.qty_delivered, 4) != round(line.qty_invoiced, 4)
        )
        # delivered, never invoiced (3) + invoiced then credited (1); the invoiced one is even
        self.assertEqual(len(lines), 4)
        self.assertNotIn(self.orders[1].order_line, lines)
        self.assertEqual(kpis["invoice_discrepancies"].value, len(lines))
        self.assertDrillDown(kpis["invoice_discrepancies"], lines)
        self.assertEqual(kpis["credit_notes"].value, 1)
        self.assertDrillDown(kpis["credit_notes"], refund)
        elsewhere = self.env["stock.warehouse"].create(
            {"name": "DG Empty Depot", "code": "DGE", "company_id": self.company.id}
        )
        other = self.kpis(warehouse_ids=[elsewhere.id])
        self.assertEqual(other["credit_notes"].count, 0)
        self.assertEqual(other["invoice_discrepancies"].count, 0)
        same = self.kpis(warehouse_ids=[self.warehouse.id])
        self.assertDrillDown(same["credit_notes"], refund)

    def test_companies_and_warehouses(self):
        both = self.env(
            context=dict(self.env.context, allowed_company_ids=[self.company.id, self.company_b.id])
        )
        only_a = self.env(context=dict(self.env.context, allowed_company_ids=[self.company.id]))
        all_kpis = self.kpis(env=both)
        a_kpis = self.kpis(env=only_a)
        user_kpis = self.kpis()
        # company B adds one delivery (a short pick), one adjustment and one exception
        self.assertEqual(all_kpis["on_time_shipment"].count, 5)
        self.assertEqual(all_kpis["inventory_adjustment_volume"].count, 2)
        self.assertEqual(all_kpis["exceptions_opened"].count, 4)
        for key in ("on_time_shipment", "inventory_adjustment_volume", "exceptions_opened"):
            self.assertEqual(a_kpis[key].count, all_kpis[key].count - 1, key)
        for key, kpi in a_kpis.items():
            self.assertEqual(user_kpis[key].value, kpi.value, key)
            self.assertEqual(user_kpis[key].count, kpi.count, key)

        main = self.kpis(warehouse_ids=[self.warehouse.id])
        self.assertEqual(
            {k: v.value for k, v in main.items()}, {k: v.value for k, v in user_kpis.items()}
        )
        other = self.kpis(env=both, warehouse_ids=[self.warehouse_b.id])
        self.assertEqual(other["on_time_shipment"].count, 1)
        self.assertEqual(other["pick_accuracy"].value, 0.0)
        self.assertEqual(other["fill_rate"].value, 50.0)
        self.assertEqual(other["receiving_throughput"].count, 0)
        self.assertEqual(other["exceptions_opened"].count, 1)
        self.assertIsNone(other["order_cycle_time"].value)

    def test_series_and_access(self):
        Kpi = self.env(user=self.kpi_user)["distribution.kpi"]
        series = Kpi._compute_series("on_time_shipment", self.date_from, self.date_to)
        self.assertEqual(len(series), (self.end - self.start).days)
        self.assertEqual(series[0]["date"], self.date_from)
        days = {
            fields.Date.to_string(p.date_done.date()) for p in self.pickings
        }
        for point in series:
            expected = self.pickings.filtered(
                lambda p, d=point["date"]: fields.Date.to_string(p.date_done.date()) == d
            )
            if point["date"] in days:
                on_time = expected.filtered(lambda p: p.date_done <= p.scheduled_date)
                self.assertAlmostEqual(point["value"], len(on_time) * 100.0 / len(expected))
            else:
                self.assertIsNone(point["value"])
        # KPIs over models the user may not read are left out rather than failing
        employee = new_test_user(self.env, login="dg_kpi_employee", groups="base.group_user")
        env = self.env(user=employee)
        kpis = env["distribution.kpi"]._compute_kpis(self.date_from, self.date_to)
        self.assertLess(len(kpis), len(self.kpis()))
        for key, model in (
            ("exceptions_opened", "distribution.exception"),
            ("on_time_shipment", "stock.picking"),
            ("median_time_to_decide", "distribution.approval.request"),
        ):
            self.assertEqual(key in kpis, env[model].has_access("read"), key)

    def test_bad_periods_are_refused(self):
        """The engine refuses what is not a period, or one over a year, with a UserError: its
        callers (the dashboard, the snapshot cron, readiness) never pass such a period, and its
        cost grows with the period's days."""
        Kpi = self.env(user=self.kpi_user)["distribution.kpi"]
        today = fields.Date.context_today(Kpi)
        for date_from, date_to in (
            ("x", self.date_to),
            (self.date_from, "2026-02-30"),
            (None, self.date_to),
            (20260101, self.date_to),
            ([self.date_from], self.date_to),
            (self.date_to, self.date_from),
            ("9999-12-31", "9999-12-31"),  # the period's end would be the day after
            (today - timedelta(days=366), today),  # 367 days
        ):
            with self.subTest(date_from=date_from, date_to=date_to):
                with self.assertRaises(UserError):
                    Kpi._compute_kpis(date_from, date_to)
                with self.assertRaises(UserError):
                    Kpi._compute_series("on_time_shipment", date_from, date_to)
        with self.assertRaises(UserError):
            Kpi._compute_series(["on_time_shipment"], self.date_from, self.date_to)
        # a year, leap day included, is the longest period; any day Python can count on is one
        last = fields.Date.to_date(self.date_to)
        year = Kpi._compute_kpis(last - timedelta(days=365), last)
        # the week's deliveries and the one shipped ten days ago
        self.assertDrillDown(year["on_time_shipment"], self.pickings | self.old_order.picking_ids)
        first_week = Kpi._compute_kpis("0001-01-01", "0001-01-07")
        self.assertEqual(first_week["exceptions_opened"].count, 0)
