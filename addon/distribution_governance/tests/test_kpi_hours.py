from datetime import date, datetime, time, timedelta

import pytz

from odoo import fields
from odoo.tests import new_test_user, tagged

from ..kpi.days import HOUR, day_start, hour_start, hours_over
from ..kpi.engine import KpiEngine
from ..kpi.registry import HOUR_SNAPSHOT_KEYS, KPIS
from .common import FlowCase, make_outgoing_picking


def zone_at_noon(now):
    """A fixed-offset zone whose local time is now between 12:00 and 13:00: its morning hours
    are over whatever the time the test runs at."""
    offset = 12 - now.hour
    return "Etc/GMT" if not offset else f"Etc/GMT{'-' if offset > 0 else '+'}{abs(offset)}"


def utc(day, hour, minute, tz):
    local = pytz.timezone(tz).localize(datetime.combine(day, time(hour, minute)))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


@tagged("post_install", "-at_install")
class TestKpiTodayHours(FlowCase):
    """Today's hours over come from their snapshots (distribution.kpi.snapshot.hour), the rest
    of the day live: the cards, the table, the series and the per-operator table equal a live
    count of the day; a late write to what an hour over counted forgets that hour."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.tz = zone_at_noon(fields.Datetime.now())
        cls.company.dg_kpi_tz = cls.tz
        cls.today = KpiEngine(cls.env).today(cls.tz)
        cls.set_stock(cls.product, 50)
        # three deliveries validated by one operator: at 09:15 and 10:15 local (hours over),
        # and now (the current hour)
        cls.operator = new_test_user(
            cls.env, login="dg_hours_operator", groups="stock.group_stock_user"
        )
        cls.deliveries = cls.env["stock.picking"]
        for hour in (9, 10, None):
            due = fields.Datetime.now() + timedelta(days=1)
            picking = make_outgoing_picking(cls.env, cls.company, cls.customer, cls.product, due)
            cls.ship(picking.with_user(cls.operator), 1)
            if hour is not None:
                picking.date_done = utc(cls.today, hour, 15, cls.tz)
            cls.deliveries |= picking
        cls.user = new_test_user(
            cls.env,
            login="dg_hours_manager",
            groups="stock.group_stock_manager,sales_team.group_sale_salesman_all_leads",
        )
        cls.Hour = cls.env["distribution.kpi.snapshot.hour"]
        cls.env.flush_all()

    def hours(self):
        """{hour start: {kpi key: record count}} of the company's rows."""
        found = {}
        for row in self.Hour.search(
            [("company_id", "=", self.company.id), ("warehouse_id", "=", False)]
        ):
            if not row.operator_id and not row.vendor_id:
                found.setdefault(row.start, {})[row.kpi_key] = row.record_count
        return found

    def dashboard(self):
        env = self.env(user=self.user)
        result = env["distribution.dashboard"].get_kpi_dashboard({"period": "today"})
        return result, {card["key"]: card for card in result["kpis"]}

    def assertDashboardLive(self):
        """The dashboard's today (hour snapshots and the rest live) equals the day computed
        live, card by card, and each card's count its drill-down's; the same dashboard
        without any hour snapshot answers the same."""
        env = self.env(user=self.user)
        live = env["distribution.kpi"]._compute_kpis(self.today, self.today)
        result, cards = self.dashboard()
        for key, card in cards.items():
            self.assertAlmostEqual(card["value"], live[key].value, msg=key)
            self.assertEqual(card["count"], live[key].count, key)
            self.assertEqual(card["count"], env[card["model"]].search_count(card["domain"]), key)
        self.env.cr.execute("SAVEPOINT without_hours")
        self.env.cr.execute("DELETE FROM distribution_kpi_snapshot_hour")
        self.env.invalidate_all()
        without, __ = self.dashboard()
        self.env.cr.execute("ROLLBACK TO SAVEPOINT without_hours")
        self.env.invalidate_all()
        for name in ("kpis", "by_warehouse", "by_operator", "by_vendor"):
            self.assertEqual(result[name], without[name], name)
        return result, cards

    def test_hours_of_a_day(self):
        # a zone half an hour off UTC: its hours start at :30 UTC
        day = date(2026, 6, 1)
        start = day_start(day, "Asia/Kolkata")
        self.assertEqual(start, datetime(2026, 5, 31, 18, 30))
        hours = hours_over(day, "Asia/Kolkata", start + timedelta(hours=2, minutes=59))
        self.assertEqual(hours, [(start, start + HOUR), (start + HOUR, start + 2 * HOUR)])
        self.assertEqual(hour_start(start + timedelta(hours=2, minutes=59), "Asia/Kolkata"), start + 2 * HOUR)
        # the day the clocks go back in New York has 25 hours, the day they go forward 23
        for day, count in ((date(2026, 11, 1), 25), (date(2026, 3, 8), 23)):
            end = day_start(day + timedelta(days=1), "America/New_York")
            hours = hours_over(day, "America/New_York", end)
            self.assertEqual(len(hours), count)
            self.assertEqual(hours[0][0], day_start(day, "America/New_York"))
            self.assertEqual(hours[-1][1], end)
            self.assertEqual(hour_start(end - timedelta(seconds=1), "America/New_York"), hours[-1][0])
        self.assertFalse(hours_over(day, "America/New_York", day_start(day, "America/New_York")))

    def test_today_from_hour_snapshots_equals_a_live_count(self):
        self.Hour._cron_snapshot_hours()
        nine, ten = (hour_start(utc(self.today, h, 15, self.tz), self.tz) for h in (9, 10))
        hours = self.hours()
        self.assertEqual(hours[nine]["on_time_shipment"], 1)
        self.assertEqual(hours[ten]["on_time_shipment"], 1)
        self.assertEqual(set(hours[nine]), set(HOUR_SNAPSHOT_KEYS))
        # a local date has no hour: the credit notes of today are counted live
        self.assertNotIn("credit_notes", HOUR_SNAPSHOT_KEYS)
        self.assertTrue(all(kpi.snapshot for kpi in map(KPIS.get, HOUR_SNAPSHOT_KEYS)))
        # the current hour is not over: no snapshot of it
        self.assertNotIn(hour_start(fields.Datetime.now(), self.tz), hours)
        result, cards = self.assertDashboardLive()
        self.assertEqual(cards["on_time_shipment"]["count"], 3)
        self.assertEqual(cards["transfers_validated"]["count"], 3)
        # the operator worked in three hours of one day in one warehouse: one operator-day
        operator = next(row for row in result["by_operator"] if row["id"] == self.operator.id)
        self.assertEqual(operator["kpis"]["transfers_validated"]["count"], 3)
        self.assertAlmostEqual(operator["kpis"]["transfers_validated"]["value"], 3.0)
        self.assertAlmostEqual(cards["transfers_validated"]["value"], 3.0)
        warehouse = next(r for r in result["by_warehouse"] if r["warehouse_id"] == self.warehouse.id)
        self.assertEqual(warehouse["kpis"]["transfers_validated"]["count"], 3)
        self.assertAlmostEqual(warehouse["kpis"]["transfers_validated"]["value"], 3.0)
        # the rest of today holds the delivery done now: its KPIs computed live there, not
        # the others
        self.assertEqual(
            self.busy(), {"on_time_shipment", "transfers_validated", "pick_accuracy"}
        )
        # done at 11:15 instead, snapshotted: nothing is left to compute live after the hours
        self.deliveries[2].date_done = utc(self.today, 11, 15, self.tz)
        self.env.flush_all()
        self.Hour._cron_snapshot_hours()
        self.assertEqual(self.busy(), set())
        __, cards = self.assertDashboardLive()
        self.assertEqual(cards["on_time_shipment"]["count"], 3)
        self.assertAlmostEqual(cards["transfers_validated"]["value"], 3.0)

    def busy(self):
        """Of a few KPIs, those the engine computes live after today's hours snapshotted."""
        engine = KpiEngine(self.env(user=self.user))
        scope = engine.scope(self.today, self.today, self.company.ids)
        keys = ["on_time_shipment", "transfers_validated", "pick_accuracy", "receiving_throughput"]
        return engine._busy(scope, keys, engine._today_hours(scope))

    def test_late_write_forgets_its_hour(self):
        self.Hour._cron_snapshot_hours()
        nine, ten = (hour_start(utc(self.today, h, 15, self.tz), self.tz) for h in (9, 10))
        early, later, current = self.deliveries
        __, cards = self.assertDashboardLive()
        accurate = cards["pick_accuracy"]["value"]
        # damaged goods reported now on the delivery done at 09:15: that hour is forgotten,
        # the dashboard counts it (and every hour after it) live
        self.env["distribution.exception"].create(
            {
                "type_id": self.env.ref("distribution_governance.exception_type_damaged_goods").id,
                "company_id": self.company.id,
                "picking_id": early.id,
            }
        )
        self.env.flush_all()
        hours = self.hours()
        self.assertNotIn(nine, hours)
        self.assertIn(ten, hours)
        __, cards = self.assertDashboardLive()
        self.assertLess(cards["pick_accuracy"]["value"], accurate)
        # the cron snapshots it again
        self.Hour._cron_snapshot_hours()
        self.assertIn(nine, self.hours())
        self.assertDashboardLive()
        # a delivery moved from 10:15 to 11:15: both hours are forgotten
        eleven = hour_start(utc(self.today, 11, 15, self.tz), self.tz)
        self.assertIn(eleven, self.hours())
        later.date_done = utc(self.today, 11, 15, self.tz)
        self.env.flush_all()
        hours = self.hours()
        self.assertNotIn(ten, hours)
        self.assertNotIn(eleven, hours)
        self.assertIn(nine, hours)
        self.assertDashboardLive()
        # work of the current hour forgets nothing
        self.Hour._cron_snapshot_hours()
        count = self.Hour.search_count([])
        current.date_done = fields.Datetime.now()
        picking = make_outgoing_picking(
            self.env, self.company, self.customer, self.product, fields.Datetime.now()
        )
        self.ship(picking, 1)
        self.env.flush_all()
        self.assertEqual(self.Hour.search_count([]), count)
        self.assertDashboardLive()

    def test_days_over_leave_the_hours(self):
        self.Hour._cron_snapshot_hours()
        self.assertTrue(self.hours())
        # yesterday's rows (a day over: its daily snapshot takes over) are dropped by the cron
        self.env.cr.execute(
            "UPDATE distribution_kpi_snapshot_hour SET date = date - 1, start = start - interval '1 day'"
        )
        self.Hour.invalidate_model()
        self.Hour._cron_snapshot_hours()
        self.assertFalse(self.Hour.search([("date", "<", self.today)]))
        self.assertTrue(self.hours())
        # a new KPI time zone forgets them
        self.company.dg_kpi_tz = "UTC" if self.tz != "UTC" else "Etc/GMT-1"
        self.assertFalse(self.Hour.search([("company_id", "=", self.company.id)]))
