import logging
from datetime import datetime, timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import column_exists, create_index

from ..kpi.days import days_between
from ..kpi.engine import SUBJECT, WAREHOUSE, KpiEngine
from ..kpi.registry import KPI_SELECTION, KPIS, SUBJECT_SNAPSHOT_KEYS
from .row_locks import unless_changed

_logger = logging.getLogger(__name__)

BACKFILL_DAYS = 90
REFRESH_DAYS = 3
BASELINE_DAYS = 28
# the advisory lock of a company's days being written (with the company's id)
LOCK_KEY = 0x4B504944  # "KPID"


class DistributionKpiSnapshot(models.Model):
    """Daily figures of every KPI per company (warehouse empty) and per warehouse, and of the
    operator KPIs per operator and warehouse, of the supplier KPIs per vendor and warehouse;
    `date` is a local day of the company's KPI time zone.

    Written only by the daily cron (SQL, idempotent), read by the dashboard for previous
    periods, baselines and trends, so its cost does not grow with the number of moves. Company
    wide: used only for users whose record rules do not narrow a KPI (kpi/access.py).
    """

    _name = "distribution.kpi.snapshot"
    _description = "Warehouse KPI Daily Snapshot"
    _order = "date desc, company_id, warehouse_id, kpi_key"

    date = fields.Date(required=True, readonly=True, index=True)
    company_id = fields.Many2one("res.company", required=True, readonly=True, ondelete="cascade")
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        readonly=True,
        ondelete="cascade",
        help="Empty: every warehouse of the company together.",
    )
    operator_id = fields.Many2one(
        "res.users",
        "Operator",
        readonly=True,
        ondelete="cascade",
        help="Set: the figures of one operator (the per-operator table of the operator KPIs) in "
        "the row's warehouse (empty: transfers of no warehouse). Empty: the company's or the "
        "warehouse's figures.",
    )
    vendor_id = fields.Many2one(
        "res.partner",
        "Vendor",
        readonly=True,
        ondelete="cascade",
        help="Set: the figures of one vendor (the vendor scorecard of the supplier KPIs) in the "
        "row's warehouse. Empty: the company's or the warehouse's figures.",
    )
    kpi_key = fields.Selection(KPI_SELECTION, string="KPI", required=True, readonly=True)
    value = fields.Float(readonly=True)
    numerator = fields.Float(readonly=True)
    denominator = fields.Float(readonly=True)
    record_count = fields.Integer("Records", readonly=True)
    amount = fields.Float(
        readonly=True, help="Inventory adjustments: the absolute valuation of the day's moves."
    )

    def _auto_init(self):
        new = {
            column
            for column in set(SUBJECT_SNAPSHOT_KEYS.values())
            if not column_exists(self.env.cr, self._table, column)
        }
        result = super()._auto_init()
        stale = tuple(key for key, column in SUBJECT_SNAPSHOT_KEYS.items() if column in new)
        if stale:
            # days snapshotted without their per-subject rows: the cron computes them again
            self.env.cr.execute(
                SQL("DELETE FROM distribution_kpi_snapshot WHERE kpi_key IN %s", stale)
            )
        return result

    def init(self):
        # the warehouse KPIs read inventory adjustments of a period: a small range scan
        create_index(
            self.env.cr,
            "stock_move_dg_inventory_date_idx",
            "stock_move",
            ["date"],
            where="is_inventory AND state = 'done'",
        )
        # the done moves of a day (receipts today): most moves dated today are not done yet,
        # and their rows are spread over the table
        create_index(
            self.env.cr,
            "stock_move_dg_done_date_idx",
            "stock_move",
            ["date", "picking_type_id"],
            where="state = 'done' AND scrap_id IS NULL",
        )
        # covering: the exceptions resolved in a period (the median time to resolve, computed
        # live over the whole period) are an index-only scan
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS distribution_exception_dg_resolved_idx
                   ON distribution_exception (resolved_at)
                   INCLUDE (company_id, warehouse_id, detected_at, create_date)
                WHERE state = 'resolved'"""
        )
        # covering: the orders of a period (invoice discrepancies) and the credit notes of a
        # period are index-only scans, not reads of every order and refund of the period
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS sale_order_dg_date_order_idx
                   ON sale_order (date_order) INCLUDE (id, company_id, warehouse_id)
                WHERE state = 'sale'"""
        )
        self.env.cr.execute(
            """CREATE INDEX IF NOT EXISTS account_move_dg_credit_note_idx
                   ON account_move (invoice_date) INCLUDE (company_id)
                WHERE move_type = 'out_refund' AND state = 'posted'"""
        )
        # one row per day, company, warehouse (0: all), KPI, operator and vendor (0: all)
        self.env.cr.execute(
            """DROP INDEX IF EXISTS distribution_kpi_snapshot_unique;
               DROP INDEX IF EXISTS distribution_kpi_snapshot_row_unique;
               CREATE UNIQUE INDEX IF NOT EXISTS distribution_kpi_snapshot_subject_unique
               ON distribution_kpi_snapshot
                  (date, company_id, COALESCE(warehouse_id, 0), kpi_key, COALESCE(operator_id, 0),
                   COALESCE(vendor_id, 0))"""
        )
        if "stock.valuation.layer" in self.env:
            # days snapshotted before the valuation was kept: the cron computes them again
            self.env.cr.execute(
                """DELETE FROM distribution_kpi_snapshot
                    WHERE kpi_key = 'inventory_adjustment_volume' AND amount IS NULL"""
            )

    # ------------------------------------------------------------------ writing

    @api.model
    def _cron_snapshot(self, backfill_days=BACKFILL_DAYS, refresh_days=REFRESH_DAYS):
        """Fill missing days back to `backfill_days` (and each pre-go-live baseline) and
        recompute the last `refresh_days` closed days, for every company and warehouse; the
        days are each company's local days, closed once over in its KPI time zone."""
        engine = KpiEngine(self.env(su=True))
        for company in self.env["res.company"].sudo().search([]):
            today = engine.today(company.dg_kpi_tz)
            first = today - timedelta(days=backfill_days)
            if company.dg_go_live_date:
                first = min(first, company.dg_go_live_date - timedelta(days=BASELINE_DAYS))
            self._snapshot_company(engine, company, first, today - timedelta(days=1), refresh_days)
        # and today's hours over (the hourly cron keeps them up to date)
        self.env["distribution.kpi.snapshot.hour"]._cron_snapshot_hours()

    def _snapshot_company(self, engine, company, first, last, refresh_days=REFRESH_DAYS):
        """The number of days written. As for the hours (distribution_kpi_snapshot_hour.py,
        CONCURRENCY): one run writes a company's days at a time, and a day whose rows another
        transaction changed since this one began (another run that committed them, a write
        that forgot them) is left as it made them. Not caught either: a day without rows (not
        snapshotted yet, or forgotten) and a write to it committed while the run computes it;
        the last `refresh_days` are computed again by the next run."""
        self.env.cr.execute(SQL("SELECT pg_try_advisory_xact_lock(%s, %s)", LOCK_KEY, company.id))
        if not self.env.cr.fetchone()[0]:
            return 0
        warehouses = self.env["stock.warehouse"].sudo().search([("company_id", "=", company.id)])
        self.env.cr.execute(
            SQL(
                """SELECT date FROM distribution_kpi_snapshot
                    WHERE company_id = %s AND date BETWEEN %s AND %s AND operator_id IS NULL
                      AND vendor_id IS NULL AND (warehouse_id IS NULL OR warehouse_id IN %s)
                    GROUP BY date
                   HAVING COUNT(*) = %s""",
                company.id,
                first,
                last,
                tuple(warehouses.ids) or (None,),
                len(KPIS) * (1 + len(warehouses)),
            )
        )
        done = {day for (day,) in self.env.cr.fetchall()}
        refresh_from = last - timedelta(days=refresh_days - 1)
        self.env.flush_all()
        written = 0
        for day in days_between(first, last):
            if day in done and day < refresh_from:
                continue
            # the company and each of its warehouses: one query per KPI family, grouped
            scope = engine.scope(day, day, [company.id])
            grouped = engine.live(scope, list(KPIS), (WAREHOUSE,), warehouses.ids)
            rows = [(False, False, key, g.total) for key, g in grouped.items()]
            rows += [
                (warehouse.id, False, key, g.group(warehouse.id))
                for warehouse in warehouses
                for key, g in grouped.items()
            ]
            # and each operator and vendor in each warehouse (their operator-days, receipts and
            # lines add up to the company's)
            by_subject = engine.live(scope, list(SUBJECT_SNAPSHOT_KEYS), (WAREHOUSE, SUBJECT))
            rows += [
                (warehouse_id, subject_id, key, figures)
                for key, g in by_subject.items()
                for (warehouse_id, subject_id), figures in g.groups.items()
                if subject_id
            ]
            written += unless_changed(
                self.env.cr,
                lambda day=day, rows=rows: self._upsert_rows(day, company.id, rows),
                f"KPI snapshots of {day}",
            )
        self.invalidate_model()
        if written:
            _logger.info("KPI snapshots: %s days written for %s", written, company.name)
        return written

    def _upsert(self, day, company_id, warehouse_id, figures):
        """Store {kpi_key: Figures} of a day, for the company (no warehouse) or a warehouse."""
        self._upsert_rows(
            day, company_id, [(warehouse_id, False, key, f) for key, f in figures.items()]
        )

    def _upsert_rows(self, day, company_id, rows):
        """Store [(warehouse_id, subject_id, kpi_key, Figures)] of a day (a subject: the
        operator or vendor of a KPI of SUBJECT_SNAPSHOT_KEYS); a day's subject rows are written
        whole (an operator or vendor no longer in them has no row left)."""
        if any(subject_id for __, subject_id, __, __ in rows):
            self.env.cr.execute(
                SQL(
                    """DELETE FROM distribution_kpi_snapshot
                        WHERE company_id = %s AND date = %s
                          AND (operator_id IS NOT NULL OR vendor_id IS NOT NULL)""",
                    company_id,
                    day,
                ),
                log_exceptions=False,
            )

        def subject(key, subject_id, column):
            return subject_id if subject_id and SUBJECT_SNAPSHOT_KEYS.get(key) == column else None

        values = [
            SQL(
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
                "now() at time zone 'UTC', now() at time zone 'UTC')",
                day,
                company_id,
                warehouse_id or None,
                subject(key, subject_id, "operator_id"),
                subject(key, subject_id, "vendor_id"),
                key,
                KPIS[key].value(day_figures, 1),
                day_figures.numerator,
                day_figures.denominator,
                day_figures.count,
                day_figures.amount,
                self.env.uid,
                self.env.uid,
            )
            for warehouse_id, subject_id, key, day_figures in rows
        ]
        if not values:
            return
        # the rows of these keys are deleted, then inserted: not upserted, as an upsert would
        # bring back a row that a write forgot and committed after this transaction began
        # (its conflict check skips rows deleted since); the DELETE fails on such a row, the
        # INSERT on one committed since (hour snapshots, CONCURRENCY)
        keys = [
            SQL(
                "(%s, %s, %s, %s)",
                warehouse_id or 0,
                key,
                subject(key, subject_id, "operator_id") or 0,
                subject(key, subject_id, "vendor_id") or 0,
            )
            for warehouse_id, subject_id, key, __ in rows
        ]
        self.env.cr.execute(
            SQL(
                """DELETE FROM distribution_kpi_snapshot s
                    USING (VALUES %s) AS k (warehouse_id, kpi_key, operator_id, vendor_id)
                    WHERE s.company_id = %s AND s.date = %s
                      AND COALESCE(s.warehouse_id, 0) = k.warehouse_id
                      AND s.kpi_key = k.kpi_key
                      AND COALESCE(s.operator_id, 0) = k.operator_id
                      AND COALESCE(s.vendor_id, 0) = k.vendor_id""",
                SQL(", ").join(keys),
                company_id,
                day,
            ),
            log_exceptions=False,
        )
        self.env.cr.execute(
            SQL(
                """INSERT INTO distribution_kpi_snapshot
                       (date, company_id, warehouse_id, operator_id, vendor_id, kpi_key, value,
                        numerator, denominator, record_count, amount, create_uid, write_uid,
                        create_date, write_date)
                   VALUES %s
                   ON CONFLICT DO NOTHING""",
                SQL(", ").join(values),
            ),
            log_exceptions=False,
        )
        self.invalidate_model()

    @api.model
    def _rebuild(self, companies):
        """Forget every snapshot of `companies` (their KPI days changed, e.g. a new KPI time
        zone) and have the cron compute them again now; until it has, the dashboard computes
        the days lacking a snapshot live."""
        if not companies:
            return
        for table in ("distribution_kpi_snapshot", "distribution_kpi_snapshot_hour"):
            self.env.cr.execute(
                SQL("DELETE FROM %s WHERE company_id IN %s", SQL.identifier(table), tuple(companies.ids))
            )
        self.invalidate_model()
        cron = self.env.ref("distribution_governance.cron_kpi_snapshot", raise_if_not_found=False)
        if cron:
            cron.sudo()._trigger()

    # ------------------------------------------------------------------ reading

    @api.model
    def _invalidate(self, days):
        """Forget the snapshots of the KPIs read from snapshots (KpiDef.snapshot) for these
        (company_id, local date) pairs, after a write changed those days' figures: the
        dashboard computes such days live until the cron snapshots them again. A datetime
        instead of a date: the start of an hour of today over (kpi.days.hour_start), forgotten
        in distribution.kpi.snapshot.hour."""
        days = {(company_id, day) for company_id, day in days if company_id and day}
        hours = {(company_id, day) for company_id, day in days if isinstance(day, datetime)}
        if hours:
            self.env["distribution.kpi.snapshot.hour"]._forget(hours)
            days -= hours
        if not days:
            return
        self.env.cr.execute(
            SQL(
                """DELETE FROM distribution_kpi_snapshot
                    WHERE (company_id, date) IN %s AND kpi_key IN %s""",
                tuple(days),
                tuple(key for key, kpi in KPIS.items() if kpi.snapshot),
            )
        )
        if self.env.cr.rowcount:
            self.invalidate_model()
