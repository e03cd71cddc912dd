from datetime import date, datetime

import psycopg2
from freezegun import freeze_time

from odoo import SUPERUSER_ID, api
from odoo.tests import TransactionCase, tagged
from odoo.tools import mute_logger

from ..kpi.days import hours_over
from ..kpi.engine import KpiEngine
from ..kpi.registry import HOUR_SNAPSHOT_KEYS, KPIS

# noon UTC: every company's KPI time zone (UTC-11 to UTC+11) has hours of the day over
NOW = datetime(2026, 6, 1, 12, 0)
# the closed day the daily runs write
DAY = date(2026, 5, 31)
HOUR_COLUMNS = (
    "company_id, start, warehouse_id, operator_id, vendor_id, kpi_key, numerator, "
    "denominator, record_count, amount"
)
DAY_COLUMNS = (
    "company_id, date, warehouse_id, operator_id, vendor_id, kpi_key, value, numerator, "
    "denominator, record_count, amount"
)


@tagged("post_install", "-at_install")
class TestKpiSnapshotRace(TransactionCase):
    """Two runs of the KPI snapshot jobs that meet (the hourly job and a manual run of the
    daily one, on two Odoo hosts), and a write forgetting an hour while a run computes it:
    real transactions on their own cursors, committed. The run whose transaction began first
    but comes second must neither fail nor write its older view over what was committed
    since; what the other transaction committed stays."""

    def setUp(self):
        super().setUp()
        with self.registry.cursor() as cr:
            cr.execute("SELECT COUNT(*) FROM distribution_kpi_snapshot_hour")
            hours_before = cr.fetchone()[0]
            cr.execute("SELECT COUNT(*) FROM distribution_kpi_snapshot WHERE date = %s", [DAY])
            days_before = cr.fetchone()[0]
        if hours_before or days_before:
            # the hourly runs drop the hours of other days: never those of a database in use
            self.skipTest("KPI snapshot rows committed already")
        self.addCleanup(self._drop_committed_rows)
        freezer = freeze_time(NOW)
        freezer.start()
        self.addCleanup(freezer.stop)

    def _drop_committed_rows(self):
        with self.registry.cursor() as cr:
            cr.execute("DELETE FROM distribution_kpi_snapshot_hour")
            cr.execute("DELETE FROM distribution_kpi_snapshot WHERE date = %s", [DAY])

    def env_of(self, cr):
        return api.Environment(cr, SUPERUSER_ID, {})

    def committed(self, table, columns):
        with self.registry.cursor() as cr:
            cr.execute(f"SELECT id, {columns} FROM {table} ORDER BY id")  # noqa: S608
            return cr.fetchall()

    def companies_hours(self, env):
        """{company id: [hour start]} of the hours over now, of every company."""
        engine = KpiEngine(env)
        return {
            company.id: [
                start
                for start, __ in hours_over(
                    engine.today(company.dg_kpi_tz), company.dg_kpi_tz, engine.now
                )
            ]
            for company in env["res.company"].search([])
        }

    def test_two_hourly_runs_meeting(self):
        with self.registry.cursor() as cr_late:
            # the later run's transaction begins (Odoo's REPEATABLE READ: its view is taken)
            cr_late.execute("SELECT 1")
            with self.registry.cursor() as cr_first:
                self.env_of(cr_first)["distribution.kpi.snapshot.hour"]._cron_snapshot_hours()
            first = self.committed("distribution_kpi_snapshot_hour", HOUR_COLUMNS)
            # it gets the advisory lock the first one released: it neither fails nor writes
            # its view (older than the first's rows, which it cannot see) over them
            env_late = self.env_of(cr_late)
            env_late["distribution.kpi.snapshot.hour"]._cron_snapshot_hours()
            env_late.flush_all()
        self.assertEqual(self.committed("distribution_kpi_snapshot_hour", HOUR_COLUMNS), first)
        # the first run wrote every hour over, whole: one row per KPI at the company level
        expected = self.companies_hours(self.env)
        self.assertTrue(any(expected.values()))
        company_rows = {}
        for __, company_id, start, warehouse_id, operator_id, vendor_id, key, *__ in first:
            if not (warehouse_id or operator_id or vendor_id):
                company_rows.setdefault((company_id, start), set()).add(key)
        self.assertEqual(
            set(company_rows), {(cid, start) for cid, starts in expected.items() for start in starts}
        )
        self.assertTrue(all(keys == set(HOUR_SNAPSHOT_KEYS) for keys in company_rows.values()))
        # a run that begins afterwards sees them and writes the hours it refreshes again
        with self.registry.cursor() as cr:
            env = self.env_of(cr)
            company = env["res.company"].browse(next(cid for cid, s in expected.items() if s))
            written = env["distribution.kpi.snapshot.hour"]._snapshot_company_hours(
                KpiEngine(env), company
            )
        self.assertEqual(written, min(2, len(expected[company.id])))

    def test_an_hour_forgotten_after_the_run_began_stays_forgotten(self):
        with self.registry.cursor() as cr:
            self.env_of(cr)["distribution.kpi.snapshot.hour"]._cron_snapshot_hours()
        expected = self.companies_hours(self.env)
        company_id = next(cid for cid, starts in expected.items() if starts)
        # the last hour over: one the run refreshes (rewrites) anyway
        forgotten = (company_id, expected[company_id][-1])
        with self.registry.cursor() as cr_run:
            cr_run.execute("SELECT 1")
            with self.registry.cursor() as cr_write:
                # a write that changed what the hour counted, committed while the run goes on
                self.env_of(cr_write)["distribution.kpi.snapshot"]._invalidate({forgotten})
            before = self.committed("distribution_kpi_snapshot_hour", HOUR_COLUMNS)
            self.assertNotIn(forgotten, {(row[1], row[2]) for row in before})
            # the run's view holds the hour's rows and misses the write: writing the hour
            # again from it would bring back figures without the write
            env_run = self.env_of(cr_run)
            env_run["distribution.kpi.snapshot.hour"]._cron_snapshot_hours()
            env_run.flush_all()
        after = self.committed("distribution_kpi_snapshot_hour", HOUR_COLUMNS)
        self.assertNotIn(forgotten, {(row[1], row[2]) for row in after})
        # the other companies' hours were written by that run all the same
        others = {row for row in after if row[1] != company_id}
        self.assertEqual(
            {(row[1], row[2]) for row in others},
            {(row[1], row[2]) for row in before if row[1] != company_id},
        )
        if len(expected) > 1:
            self.assertNotEqual(others, {row for row in before if row[1] != company_id})

    def test_two_daily_runs_meeting(self):
        day = DAY
        with self.registry.cursor() as cr_late:
            cr_late.execute("SELECT 1")
            with self.registry.cursor() as cr_first:
                env = self.env_of(cr_first)
                snapshots = env["distribution.kpi.snapshot"]
                for company in env["res.company"].search([]):
                    self.assertEqual(
                        snapshots._snapshot_company(KpiEngine(env), company, day, day, 1), 1
                    )
            first = self.committed("distribution_kpi_snapshot", DAY_COLUMNS)
            self.assertTrue(first)
            env_late = self.env_of(cr_late)
            snapshots = env_late["distribution.kpi.snapshot"]
            for company in env_late["res.company"].search([]):
                self.assertEqual(
                    snapshots._snapshot_company(KpiEngine(env_late), company, day, day, 1), 0
                )
            env_late.flush_all()
        self.assertEqual(self.committed("distribution_kpi_snapshot", DAY_COLUMNS), first)

    def test_a_day_forgotten_after_the_run_began_stays_forgotten(self):
        day = DAY
        with self.registry.cursor() as cr:
            env = self.env_of(cr)
            company = env["res.company"].search([], limit=1)
            env["distribution.kpi.snapshot"]._snapshot_company(KpiEngine(env), company, day, day, 1)
        company_id = company.id
        snapshot_keys = {key for key, kpi in KPIS.items() if kpi.snapshot}

        def keys_of_the_day():
            return {
                row[6]
                for row in self.committed("distribution_kpi_snapshot", DAY_COLUMNS)
                if row[1:3] == (company_id, day)
            }

        self.assertEqual(keys_of_the_day(), set(KPIS))
        with self.registry.cursor() as cr_run:
            cr_run.execute("SELECT 1")
            with self.registry.cursor() as cr_write:
                self.env_of(cr_write)["distribution.kpi.snapshot"]._invalidate({(company_id, day)})
            self.assertEqual(keys_of_the_day(), set(KPIS) - snapshot_keys)
            # the run refreshes the day from a view that still holds its rows and misses the
            # write: an upsert would bring them back without it
            env_run = self.env_of(cr_run)
            written = env_run["distribution.kpi.snapshot"]._snapshot_company(
                KpiEngine(env_run), env_run["res.company"].browse(company_id), day, day, 1
            )
            env_run.flush_all()
        self.assertEqual(written, 0)
        self.assertEqual(keys_of_the_day(), set(KPIS) - snapshot_keys)

    def test_a_write_forgetting_an_hour_a_run_rewrote_since_it_began_is_retried(self):
        with self.registry.cursor() as cr:
            self.env_of(cr)["distribution.kpi.snapshot.hour"]._cron_snapshot_hours()
        expected = self.companies_hours(self.env)
        company_id = next(cid for cid, starts in expected.items() if starts)
        hour = (company_id, expected[company_id][-1])
        with self.registry.cursor() as cr_write:
            # the write's transaction begins, then a run rewrites the hour (the last hours
            # are refreshed) and commits
            cr_write.execute("SELECT 1")
            with self.registry.cursor() as cr:
                self.env_of(cr)["distribution.kpi.snapshot.hour"]._cron_snapshot_hours()
            # the write cannot see the run's rows: forgetting the old ones fails, which Odoo
            # retries for an RPC
            with self.assertRaises(psycopg2.errors.SerializationFailure), mute_logger("odoo.sql_db"):
                self.env_of(cr_write)["distribution.kpi.snapshot"]._invalidate({hour})
            cr_write.rollback()
        # the retry, in a new transaction, forgets the run's rows
        with self.registry.cursor() as cr_write:
            self.env_of(cr_write)["distribution.kpi.snapshot"]._invalidate({hour})
        rows = self.committed("distribution_kpi_snapshot_hour", HOUR_COLUMNS)
        self.assertNotIn(hour, {(row[1], row[2]) for row in rows})
        self.assertTrue(rows)
