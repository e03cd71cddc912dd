from datetime import datetime, time, timedelta

import pytz

from odoo import fields
from odoo.tests import new_test_user, tagged
from odoo.tools import format_datetime

from ..kpi.engine import KpiEngine
from .common import FlowCase, make_outgoing_picking

LOS_ANGELES = "America/Los_Angeles"
TOKYO = "Asia/Tokyo"


def utc(day, hour, minute, tz):
    """Naive UTC datetime of the local time `hour:minute` of `day` in `tz`."""
    local = pytz.timezone(tz).localize(datetime.combine(day, time(hour, minute)))
    return local.astimezone(pytz.utc).replace(tzinfo=None)


@tagged("post_install", "-at_install")
class TestKpiLocalDays(FlowCase):
    """KPI days are each company's local days: one company in Los Angeles, one in Tokyo, a
    delivery done at 00:30 and one at 23:30 local on the same day in each. In UTC days, the
    Los Angeles one at 23:30 would count on the next day and the Tokyo one at 00:30 on the
    day before."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.company.dg_kpi_tz = LOS_ANGELES
        cls.company_b.dg_kpi_tz = TOKYO
        cls.warehouse_b = cls.env["stock.warehouse"].search(
            [("company_id", "=", cls.company_b.id)], limit=1
        )
        cls.set_stock(cls.product, 50)
        cls.set_stock(cls.product, 50, cls.warehouse_b.lot_stock_id)
        engine = KpiEngine(cls.env)
        # a day closed in both zones
        cls.day = min(engine.today(LOS_ANGELES), engine.today(TOKYO)) - timedelta(days=3)
        cls.deliveries = {}
        for company, tz in ((cls.company, LOS_ANGELES), (cls.company_b, TOKYO)):
            done = cls.env["stock.picking"]
            for hour, minute in ((0, 30), (23, 30)):
                moment = utc(cls.day, hour, minute, tz)
                # on time at 00:30 (due 01:00 local), late at 23:30 (due 22:30)
                due = moment + (timedelta(minutes=30) if hour == 0 else timedelta(hours=-1))
                picking = make_outgoing_picking(cls.env, company, cls.customer, cls.product, due)
                cls.ship(picking, 1)
                picking.date_done = moment
                done |= picking
            cls.deliveries[company] = done
        # an exception opened at 23:30 local on the day (a KPI computed live over the period)
        cls.exception = cls.env["distribution.exception"].create(
            {
                "type_id": cls.env.ref("distribution_governance.exception_type_damaged_goods").id,
                "company_id": cls.company.id,
            }
        )
        cls.env.flush_all()
        cls.env.cr.execute(
            "UPDATE distribution_exception SET create_date = %s WHERE id = %s",
            (utc(cls.day, 23, 30, LOS_ANGELES), cls.exception.id),
        )
        cls.env.invalidate_all()
        cls.user = new_test_user(
            cls.env,
            login="dg_kpi_zones",
            groups="stock.group_stock_manager,sales_team.group_sale_salesman_all_leads",
            company_id=cls.company.id,
            company_ids=[cls.company.id, cls.company_b.id],
        )
        cls.Snapshot = cls.env["distribution.kpi.snapshot"]

    def env_of(self, companies):
        return self.env(user=self.user, context={"allowed_company_ids": companies.ids})

    def dashboard(self, companies, date_from, date_to, **filters):
        env = self.env_of(companies)
        result = env["distribution.dashboard"].get_kpi_dashboard(
            dict(
                filters,
                period="custom",
                date_from=fields.Date.to_string(date_from),
                date_to=fields.Date.to_string(date_to),
            )
        )
        return env, result, {card["key"]: card for card in result["kpis"]}

    def test_cards_and_drilldowns_count_local_days(self):
        both = self.company | self.company_b
        for companies in (self.company, self.company_b, both):
            with self.subTest(companies=companies.mapped("name")):
                env, __, cards = self.dashboard(companies, self.day, self.day)
                expected = sum((self.deliveries[c] for c in companies), self.env["stock.picking"])
                card = cards["on_time_shipment"]
                self.assertEqual(card["count"], len(expected))
                self.assertEqual(env[card["model"]].search(card["domain"]), expected.with_env(env))
                on_time = len(companies)  # the one at 00:30 in each company
                self.assertAlmostEqual(card["value"], on_time * 100.0 / len(expected))
                # the day before and after count none of them
                for other in (self.day - timedelta(days=1), self.day + timedelta(days=1)):
                    env, __, cards = self.dashboard(companies, other, other)
                    self.assertEqual(cards["on_time_shipment"]["count"], 0)
                    self.assertFalse(
                        env["stock.picking"].search(cards["on_time_shipment"]["domain"])
                        & expected.with_env(env)
                    )
        env, __, cards = self.dashboard(self.company, self.day, self.day)
        opened = cards["exceptions_opened"]
        self.assertEqual(opened["count"], 1)
        self.assertEqual(env[opened["model"]].search(opened["domain"]), self.exception.with_env(env))

    def test_series_and_snapshots_count_local_days(self):
        before, after = self.day - timedelta(days=1), self.day + timedelta(days=1)
        self.Snapshot._cron_snapshot(backfill_days=10)
        for company, tz in ((self.company, LOS_ANGELES), (self.company_b, TOKYO)):
            rows = self.Snapshot.search(
                [
                    ("company_id", "=", company.id),
                    ("warehouse_id", "=", False),
                    ("kpi_key", "=", "on_time_shipment"),
                    ("date", "in", [before, self.day, after]),
                ]
            )
            counts = {row.date: (row.record_count, row.numerator) for row in rows}
            self.assertEqual(counts, {before: (0, 0), self.day: (2, 1), after: (0, 0)}, tz)
        opened = self.Snapshot.search(
            [
                ("company_id", "=", self.company.id),
                ("warehouse_id", "=", False),
                ("kpi_key", "=", "exceptions_opened"),
                ("date", "=", self.day),
            ]
        )
        self.assertEqual(opened.record_count, 1)
        both = self.company | self.company_b
        env, result, cards = self.dashboard(both, before, after)
        points = {p["date"]: p["value"] for p in cards["on_time_shipment"]["series"]}
        self.assertEqual(
            points,
            {
                fields.Date.to_string(before): None,
                fields.Date.to_string(self.day): 50.0,
                fields.Date.to_string(after): None,
            },
        )
        # the series of a live KPI (snapshots of its closed days) and the live series agree
        points = {p["date"]: p["value"] for p in cards["exceptions_opened"]["series"]}
        self.assertEqual(points[fields.Date.to_string(self.day)], 1.0)
        self.assertEqual(points[fields.Date.to_string(after)], 0.0)
        live = env["distribution.kpi"]._compute_series("on_time_shipment", before, after)
        self.assertEqual([p["value"] for p in live], [None, 50.0, None])
        # the per-warehouse table, from the same snapshots
        rows = {row["warehouse_id"]: row["kpis"] for row in result["by_warehouse"]}
        self.assertEqual(rows[self.warehouse.id]["on_time_shipment"]["count"], 2)
        self.assertEqual(rows[self.warehouse_b.id]["on_time_shipment"]["count"], 2)
        # a stand-in figure in the day's snapshot shows: the card reads it
        self.env.cr.execute(
            """UPDATE distribution_kpi_snapshot SET record_count = 7, denominator = 7
                WHERE company_id = %s AND date = %s AND kpi_key = 'on_time_shipment'
                  AND warehouse_id IS NULL""",
            (self.company.id, self.day),
        )
        self.assertEqual(self.dashboard(self.company, self.day, self.day)[2]["on_time_shipment"]["count"], 7)

    def test_operator_days_are_local_days(self):
        """The two deliveries of each company, done at 00:30 and 23:30 local by one operator,
        are one operator-day in its zone (two UTC days in Los Angeles and Tokyo alike)."""
        self.Snapshot._cron_snapshot(backfill_days=10)
        for company in (self.company, self.company_b):
            env, __, cards = self.dashboard(company, self.day, self.day)
            for key in ("lines_picked", "transfers_validated"):
                card = cards[key]
                self.assertEqual((card["count"], card["value"]), (2, 2.0), key)
                self.assertEqual(card["secondary"]["value"], 1, key)
                self.assertEqual(env[card["model"]].search_count(card["domain"]), 2, key)
            row = self.Snapshot.search(
                [
                    ("company_id", "=", company.id),
                    ("warehouse_id", "=", False),
                    ("kpi_key", "=", "lines_picked"),
                    ("date", "=", self.day),
                ]
            )
            self.assertEqual((row.record_count, row.denominator), (2, 1))
        # in UTC days the Los Angeles operator worked two days
        self.company.dg_kpi_tz = "UTC"
        __, __, cards = self.dashboard(self.company, self.day, self.day + timedelta(days=1))
        self.assertEqual(cards["lines_picked"]["secondary"]["value"], 2)
        self.assertEqual(cards["lines_picked"]["value"], 1.0)

    def test_changing_the_zone_rebuilds_the_snapshots(self):
        self.Snapshot._cron_snapshot(backfill_days=10)
        mine = [("company_id", "=", self.company.id)]
        self.assertTrue(self.Snapshot.search_count(mine))
        theirs = self.Snapshot.search_count([("company_id", "=", self.company_b.id)])
        cron = self.env.ref("distribution_governance.cron_kpi_snapshot")
        triggers = self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)])
        self.company.dg_kpi_tz = "UTC"
        self.assertFalse(self.Snapshot.search_count(mine))
        self.assertEqual(self.Snapshot.search_count([("company_id", "=", self.company_b.id)]), theirs)
        self.assertEqual(
            self.env["ir.cron.trigger"].search_count([("cron_id", "=", cron.id)]), triggers + 1
        )
        # meanwhile the dashboard computes the days live, in UTC days now: 23:30 in Los
        # Angeles is the next UTC day
        __, __, cards = self.dashboard(self.company, self.day, self.day)
        self.assertEqual(cards["on_time_shipment"]["count"], 1)
        self.Snapshot._cron_snapshot(backfill_days=10)
        row = self.Snapshot.search(
            mine
            + [
                ("warehouse_id", "=", False),
                ("kpi_key", "=", "on_time_shipment"),
                ("date", "=", self.day + timedelta(days=1)),
            ]
        )
        self.assertEqual(row.record_count, 1)
        # writing the same zone again changes nothing
        count = self.Snapshot.search_count(mine)
        self.company.dg_kpi_tz = "UTC"
        self.assertEqual(self.Snapshot.search_count(mine), count)

    def test_today_presets_and_hypercare_are_local(self):
        engine = KpiEngine(self.env)
        for company, tz in ((self.company, LOS_ANGELES), (self.company_b, TOKYO)):
            today = engine.today(tz)
            env = self.env(
                user=self.user,
                context={"allowed_company_ids": (company | (self.company | self.company_b)).ids},
            )
            # the presets count from today in the zone of the company worked in
            period = env["distribution.dashboard"].get_kpi_dashboard({"period": "today"})["period"]
            self.assertEqual(period["date_from"], fields.Date.to_string(today), tz)
            yesterday = env["distribution.dashboard"].get_kpi_dashboard({"period": "yesterday"})
            self.assertEqual(
                yesterday["period"]["date_to"], fields.Date.to_string(today - timedelta(days=1))
            )
            company.dg_go_live_date = today
        result = self.env_of(self.company | self.company_b)["distribution.dashboard"].get_kpi_dashboard({})
        days = {h["company_id"]: h["day"] for h in result["hypercare"]}
        self.assertEqual(days, {self.company.id: 1, self.company_b.id: 1})

    def test_exception_texts_in_the_company_zone(self):
        promised = datetime(2026, 1, 15, 16, 0)  # 08:00 in Los Angeles
        picking = make_outgoing_picking(self.env, self.company, self.customer, self.product, promised)
        self.env["stock.picking"]._dg_cron_detect_late_shipments()
        exception = self.env["distribution.exception"].search(
            [("picking_id", "=", picking.id), ("type_code", "=", "late_shipment")]
        )
        self.assertEqual(len(exception), 1)
        local = format_datetime(self.env, promised, tz=LOS_ANGELES)
        self.assertIn(f"{local} ({LOS_ANGELES})", exception.description)
        self.assertIn("8:00", local)
        self.assertNotIn("16:00", exception.description)
        # its chatter gives the SLA deadline the same way
        opened = exception.message_ids.filtered(lambda m: "SLA until" in str(m.body))
        deadline = format_datetime(self.env, exception.sla_deadline, tz=LOS_ANGELES)
        self.assertIn(f"{deadline} ({LOS_ANGELES})", str(opened.body))
