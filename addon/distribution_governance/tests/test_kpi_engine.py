from datetime import date, datetime, timedelta

from odoo.tests import BaseCase, tagged

from ..kpi.access import domain_holds
from ..kpi.days import day_start, days_between, local_date
from ..kpi.registry import KPIS, SHIPPED
from ..kpi.results import Figures, total
from ..kpi.scope import Scope


@tagged("post_install", "-at_install")
class TestKpiEnginePieces(BaseCase):
    """The engine's plain-Python pieces, without a database."""

    def test_local_days_are_contiguous_and_agree_with_local_dates(self):
        # daylight-saving changes: a 23-hour day, and days whose local midnight does not exist
        for tz, changed in (
            ("America/Los_Angeles", date(2026, 3, 8)),
            ("America/Los_Angeles", date(2026, 11, 1)),
            ("America/Santiago", date(2026, 9, 6)),
            ("America/Havana", date(2026, 3, 8)),
            ("Asia/Tokyo", date(2026, 3, 8)),
            ("UTC", date(2026, 3, 8)),
        ):
            with self.subTest(tz=tz, day=changed):
                days = list(days_between(changed - timedelta(days=1), changed + timedelta(days=2)))
                bounds = [day_start(day, tz) for day in days]
                self.assertEqual(bounds, sorted(bounds))
                for day, start, end in zip(days, bounds, bounds[1:]):
                    self.assertEqual(local_date(start, tz), day)
                    self.assertEqual(local_date(end - timedelta(seconds=1), tz), day)
                    self.assertIn((end - start).total_seconds() / 3600, (23, 24, 25))
        self.assertEqual(day_start(date(2026, 7, 1), "America/Los_Angeles"), datetime(2026, 7, 1, 7))
        self.assertEqual(day_start(date(2026, 7, 1), "Asia/Tokyo"), datetime(2026, 6, 30, 15))
        # a date is its own day, an unknown zone is UTC
        self.assertEqual(local_date(date(2026, 7, 1), "Asia/Tokyo"), date(2026, 7, 1))
        self.assertEqual(day_start(date(2026, 7, 1), "Mars/Olympus"), datetime(2026, 7, 1))

    def test_scopes_and_their_domains(self):
        scope = Scope.of(
            {"Asia/Tokyo": [2], "America/Los_Angeles": [1]}, date(2026, 7, 1), date(2026, 7, 2), [5]
        )
        self.assertEqual(scope.company_ids, (1, 2))
        self.assertEqual(scope.days, 2)
        los_angeles, tokyo = scope.windows
        self.assertEqual(
            (los_angeles.start, los_angeles.end), (datetime(2026, 7, 1, 7), datetime(2026, 7, 3, 7))
        )
        self.assertEqual((tokyo.start, tokyo.end), (datetime(2026, 6, 30, 15), datetime(2026, 7, 2, 15)))
        domain = SHIPPED.domain(scope)
        # each company over its own local days, the warehouse on top
        for leaf in (
            ("company_id", "in", [1]),
            ("date_done", ">=", "2026-07-01 07:00:00"),
            ("date_done", "<", "2026-07-03 07:00:00"),
            ("company_id", "in", [2]),
            ("date_done", ">=", "2026-06-30 15:00:00"),
            ("picking_type_id.warehouse_id", "in", [5]),
        ):
            self.assertIn(leaf, domain)
        self.assertIn("|", domain)
        one_day = scope.clip(date(2026, 7, 2), date(2026, 7, 9))
        self.assertEqual([(w.first, w.last) for w in one_day.windows], [(date(2026, 7, 2),) * 2] * 2)
        self.assertFalse(scope.clip(date(2026, 8, 1), date(2026, 8, 2)).windows)

    def test_which_rules_narrow(self):
        self.assertTrue(domain_holds([("company_id", "in", [1, 2])], 1))
        self.assertFalse(domain_holds([("company_id", "in", [2])], 1))
        self.assertTrue(domain_holds(["|", ("company_id", "=", False), ("company_id", "in", [1])], 1))
        self.assertTrue(domain_holds([(1, "=", 1)], 1))
        # own documents, a document type, a follower: they depend on the record
        self.assertIsNone(domain_holds(["|", ("user_id", "=", 7), ("user_id", "=", False)], 1))
        self.assertIsNone(domain_holds([("move_type", "in", ("out_invoice", "out_refund"))], 1))
        self.assertIsNone(
            domain_holds(["&", ("company_id", "in", [1]), ("message_partner_ids", "child_of", [3])], 1)
        )
        self.assertFalse(domain_holds(["&", ("company_id", "in", [2]), ("user_id", "=", 7)], 1))
        self.assertTrue(domain_holds(["|", (1, "=", 1), ("user_id", "=", 7)], 1))
        self.assertIsNone(domain_holds(["!", ("user_id", "=", 7)], 1))

    def test_figures_combine(self):
        days = [(date(2026, 7, 1), Figures(2, 1.0, 2.0, 5.0)), (date(2026, 7, 2), Figures(3, 3.0, 3.0))]
        combined = KPIS["on_time_shipment"].combine(days)
        self.assertEqual((combined.count, combined.numerator, combined.denominator), (5, 4.0, 5.0))
        self.assertEqual(combined.amount, 5.0)
        self.assertAlmostEqual(KPIS["on_time_shipment"].value(combined, 2), 80.0)
        # a level is its last day's; a rate per day divides by the days
        self.assertEqual(KPIS["exceptions_backlog"].combine(days).count, 3)
        self.assertEqual(KPIS["receiving_throughput"].value(Figures(4, 10.0), 5), 2.0)
        # medians weigh by what they cover; ratios over nothing have no value
        medians = total([Figures(1, median=2.0), Figures(3, median=6.0), Figures(0, median=None)])
        self.assertEqual((medians.count, medians.median), (4, 5.0))
        self.assertIsNone(KPIS["on_time_shipment"].value(Figures(), 1))
        self.assertEqual(KPIS["credit_notes"].value(Figures(), 1), 0.0)

    def test_operator_days_and_flags(self):
        # lines per operator-day: the days' lines and operator-days add up, then divide
        days = [(date(2026, 7, 1), Figures(12, 12.0, 3.0)), (date(2026, 7, 2), Figures(6, 6.0, 1.0))]
        lines = KPIS["lines_picked"]
        self.assertEqual(lines.value(lines.combine(days), 2), 4.5)
        self.assertTrue(lines.family.places)
        self.assertEqual(lines.population.subject, "picking_id.dg_validated_by")
        self.assertEqual(
            lines.population.subject_domain(7), [("picking_id.dg_validated_by", "=", 7)]
        )
        # the records that miss: the rest of an on-time rate, the numerator of a backorder rate
        figures = Figures(count=10, numerator=7.0, denominator=10.0)
        self.assertEqual(KPIS["on_time_shipment"].flag.count(figures), 3)
        self.assertEqual(KPIS["supplier_on_time"].flag.count(figures), 3)
        self.assertEqual(KPIS["backorder_rate"].flag.count(figures), 7)
        self.assertIsNone(KPIS["fill_rate"].flag)
        # the KPIs whose days add up read closed days from the snapshots (USAGE.md says
        # why); the open exceptions (a level, counted today), the medians and the approval
        # rate (a few requests a day, grouped by kind) are live
        live = {key for key, kpi in KPIS.items() if not kpi.snapshot}
        self.assertEqual(
            live,
            {
                "exceptions_backlog",
                "median_time_to_resolve",
                "median_time_to_decide",
                "approval_rate",
                "suggestion_acceptance",
                "suggestion_hit_rate",
            },
        )
