import logging

from odoo import api, fields, models
from odoo.tools import SQL

from ..kpi.days import hours_over
from ..kpi.engine import SUBJECT, WAREHOUSE, KpiEngine
from ..kpi.registry import HOUR_SNAPSHOT_KEYS, KPI_SELECTION, SUBJECT_SNAPSHOT_KEYS
from ..kpi.scope import Scope, Window
from .row_locks import unless_changed

_logger = logging.getLogger(__name__)

# the hours recomputed on every run (a write racing the cron's transaction heals then), as the
# daily snapshots refresh their last days
REFRESH_HOURS = 2
# the advisory lock of a company's hours being written (with the company's id)
LOCK_KEY = 0x4B504948  # "KPIH"

# CONCURRENCY. The hourly and the daily crons (on one host or several, or run by hand) write
# a company's hours, and the writes that change what an hour over counted forget it in their
# own transaction (kpi_freshness.py). Odoo's transactions are REPEATABLE READ: a run computes
# from, and sees the hour rows of, the moment its transaction began, before it took the
# advisory lock. The lock only keeps two runs from writing at once; one that gets it after
# another committed neither sees that one's rows (its DELETE removes nothing, its INSERT
# would meet them: UniqueViolation) nor any write committed since it began. So an hour is
# written only where PostgreSQL can tell nothing changed under it since then:
# - its rows are deleted before the new ones are inserted: rows that a transaction committed
#   since deleted (a write forgetting the hour, a run rewriting it) fail the DELETE with a
#   serialization failure, and one still at them is waited for, then fails it the same way;
# - the new rows are inserted ON CONFLICT DO NOTHING: a row of the same key that another
#   run committed since (when the hour had none) fails too (a row it can see was deleted by
#   the DELETE just before: nothing is skipped silently).
# On such a failure (or a deadlock with such a write) the hour is rolled back to a savepoint
# and left as the other transaction made it (another run's rows, or a forgotten hour that the
# dashboard computes live) for the next run; the other hours are written. Raising for a retry
# would not do for a cron: Odoo 18's ir.cron retries no job, it logs it as failed with every
# company rolled back. The other way round, a write that forgets an hour whose rows a run
# deleted and committed after the write began fails the same way (an RPC is retried by Odoo:
# the retry sees and deletes the run's rows).
# Not caught: an hour that has no rows when both begin (never snapshotted, or forgotten
# before) gives a write nothing to conflict on, so a write committed while a run computes
# that hour can be missing from the rows the run writes (REPEATABLE READ has no predicate
# locks). The hours just over are written again by the next run (REFRESH_HOURS), which sees
# the write; an older forgotten hour keeps the run's figures until the day is over and the
# daily snapshot computes it again.


class DistributionKpiSnapshotHour(models.Model):
    """Figures of today's hours already over, per company (warehouse empty), per warehouse
    and per operator or vendor, for the snapshot KPIs whose records have an instant
    (registry.HOUR_SNAPSHOT_KEYS): a period ending today reads them and computes live only
    the hours after them, so today's cost does not grow with the day's volume.

    An hour is the company's local day's start plus whole hours (`start`, naive UTC). Written
    by the crons (every hour, and the daily one), only for the current local day; a write that
    changes what an hour over counted deletes that hour (kpi_freshness.py), which the
    dashboard then computes live, with every hour after it, until the cron snapshots it again.
    Company-wide, as the daily snapshots: used only for users whose rules do not narrow a KPI.
    """

    _name = "distribution.kpi.snapshot.hour"
    _description = "Warehouse KPI Snapshot of an Hour of Today"
    _order = "start desc, company_id, warehouse_id, kpi_key"

    date = fields.Date(required=True, readonly=True, help="The company's local day.")
    start = fields.Datetime(required=True, readonly=True, help="The hour's first instant.")
    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="cascade")
    warehouse_id = fields.Many2one("stock.warehouse", readonly=True, ondelete="cascade")
    operator_id = fields.Many2one("res.users", "Operator", readonly=True, ondelete="cascade")
    vendor_id = fields.Many2one("res.partner", "Vendor", readonly=True, ondelete="cascade")
    kpi_key = fields.Selection(KPI_SELECTION, string="KPI", required=True, readonly=True)
    numerator = fields.Float(readonly=True)
    denominator = fields.Float(readonly=True)
    record_count = fields.Integer("Records", readonly=True)
    amount = fields.Float(readonly=True)

    def init(self):
        self.env.cr.execute(
            """CREATE UNIQUE INDEX IF NOT EXISTS distribution_kpi_snapshot_hour_unique
               ON distribution_kpi_snapshot_hour
                  (company_id, start, COALESCE(warehouse_id, 0), kpi_key,
                   COALESCE(operator_id, 0), COALESCE(vendor_id, 0))"""
        )

    @api.model
    def _cron_snapshot_hours(self, refresh_hours=REFRESH_HOURS):
        """Snapshot the hours of today over that lack one, and the last `refresh_hours`, for
        every company (today: the company's local day); drop the rows of the days over."""
        engine = KpiEngine(self.env(su=True))
        for company in self.env["res.company"].sudo().search([]):
            self._snapshot_company_hours(engine, company, refresh_hours)

    def _snapshot_company_hours(self, engine, company, refresh_hours=REFRESH_HOURS):
        """Write the company's hours (see _cron_snapshot_hours); the number written. An hour
        changed by another transaction since this one began is left to the next run (see
        CONCURRENCY)."""
        cr = self.env.cr
        # one writer of a company's hours at a time (the hourly and the daily crons may meet,
        # on one host or several): the other leaves them to it
        cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", LOCK_KEY, company.id))
        if not cr.fetchone()[0]:
            return 0
        tz = company.dg_kpi_tz
        today = engine.today(tz)
        # the days over have their daily snapshots (or are computed live until they do)
        self._write_concurrently(
            SQL(
                "DELETE FROM distribution_kpi_snapshot_hour WHERE company_id = %s AND date != %s",
                company.id,
                today,
            )
        )
        hours = hours_over(today, tz, engine.now)
        done = self._complete_hours([company.id], today)
        refresh = {start for start, __ in hours[-refresh_hours:]} if refresh_hours else set()
        warehouses = self.env["stock.warehouse"].sudo().search([("company_id", "=", company.id)])
        self.env.flush_all()
        written = 0
        for start, end in hours:
            if (company.id, start) in done and start not in refresh:
                continue
            scope = Scope((Window((company.id,), tz, today, today, since=start, until=end),))
            grouped = engine.live(scope, HOUR_SNAPSHOT_KEYS, (WAREHOUSE,), warehouses.ids)
            rows = [(None, None, key, g.total) for key, g in grouped.items()]
            rows += [
                (warehouse.id, None, key, g.group(warehouse.id))
                for warehouse in warehouses
                for key, g in grouped.items()
            ]
            subject_keys = [key for key in SUBJECT_SNAPSHOT_KEYS if key in HOUR_SNAPSHOT_KEYS]
            by_subject = engine.live(scope, subject_keys, (WAREHOUSE, SUBJECT))
            rows += [
                (warehouse_id, subject_id, key, figures)
                for key, g in by_subject.items()
                for (warehouse_id, subject_id), figures in g.groups.items()
                if subject_id
            ]
            written += self._write_hour(company.id, today, start, rows)
        if written:
            _logger.debug("KPI snapshots: %s hours of today written for %s", written, company.name)
        return written

    def _write_hour(self, company_id, day, start, rows):
        """Store [(warehouse_id, subject_id, kpi_key, Figures)] of an hour, whole; whether it
        was (not when another transaction changed its rows since this one began)."""
        statements = [
            SQL(
                "DELETE FROM distribution_kpi_snapshot_hour WHERE company_id = %s AND start = %s",
                company_id,
                start,
            )
        ]

        def subject(key, subject_id, column):
            return subject_id if subject_id and SUBJECT_SNAPSHOT_KEYS.get(key) == column else None

        values = [
            SQL(
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
                "now() at time zone 'UTC', now() at time zone 'UTC')",
                day,
                start,
                company_id,
                warehouse_id,
                subject(key, subject_id, "operator_id"),
                subject(key, subject_id, "vendor_id"),
                key,
                figures.numerator,
                figures.denominator,
                figures.count,
                figures.amount,
                self.env.uid,
                self.env.uid,
            )
            for warehouse_id, subject_id, key, figures in rows
        ]
        if values:
            statements.append(
                SQL(
                    """INSERT INTO distribution_kpi_snapshot_hour
                           (date, start, company_id, warehouse_id, operator_id, vendor_id,
                            kpi_key, numerator, denominator, record_count, amount, create_uid,
                            write_uid, create_date, write_date)
                       VALUES %s
                       ON CONFLICT DO NOTHING""",
                    SQL(", ").join(values),
                )
            )
        return self._write_concurrently(*statements)

    def _write_concurrently(self, *statements):
        """Run `statements` all or none; whether they ran (see row_locks.unless_changed)."""
        cr = self.env.cr

        def write():
            for statement in statements:
                cr.execute(statement, log_exceptions=False)

        try:
            return unless_changed(cr, write, "KPI snapshots of hours")
        finally:
            self.invalidate_model()

    @api.model
    def _complete_hours(self, company_ids, day):
        """{(company_id, start)} of the hours of `day` snapshotted whole (every KPI)."""
        if not company_ids:
            return set()
        rows = self.env.execute_query(
            SQL(
                """SELECT company_id, start FROM distribution_kpi_snapshot_hour
                    WHERE company_id IN %s AND date = %s AND warehouse_id IS NULL
                      AND operator_id IS NULL AND vendor_id IS NULL
                    GROUP BY company_id, start
                   HAVING COUNT(*) = %s""",
                tuple(company_ids),
                day,
                len(HOUR_SNAPSHOT_KEYS),
            )
        )
        return set(rows)

    @api.model
    def _forget(self, hours):
        """Forget the snapshots of these (company_id, hour start) pairs: a write changed what
        they counted."""
        if hours:
            self.env.cr.execute(
                SQL(
                    "DELETE FROM distribution_kpi_snapshot_hour WHERE (company_id, start) IN %s",
                    tuple(hours),
                )
            )
            if self.env.cr.rowcount:
                self.invalidate_model()
