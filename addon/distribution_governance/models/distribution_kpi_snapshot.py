import logging
from collections import defaultdict
from datetime import timedelta

from odoo import api, fields, models
from odoo.tools import SQL
from odoo.tools.sql import create_index

from .distribution_kpi import KPI_SELECTION, KPIS, days_between

_logger = logging.getLogger(__name__)

BACKFILL_DAYS = 90
REFRESH_DAYS = 3
BASELINE_DAYS = 28


class DistributionKpiSnapshot(models.Model):
    """Daily value of every KPI per company (warehouse empty) and per warehouse.

    Written only by the daily cron (SQL upsert, idempotent), read by the dashboard for previous
    periods, baselines and trends, so its cost does not grow with the number of moves.
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
    kpi_key = fields.Selection(KPI_SELECTION, string="KPI", required=True, readonly=True)
    value = fields.Float(readonly=True)
    numerator = fields.Float(readonly=True)
    denominator = fields.Float(readonly=True)
    record_count = fields.Integer("Records", readonly=True)
    amount = fields.Float(
        readonly=True, help="Inventory adjustments: the absolute valuation of the day's moves."
    )

    def init(self):
        # the warehouse KPIs read inventory adjustments of a period: a small range scan
        create_index(
            self.env.cr,
            "stock_move_dg_inventory_date_idx",
            "stock_move",
            ["date"],
            where="is_inventory AND state = 'done'",
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
        self.env.cr.execute(
            """CREATE UNIQUE INDEX IF NOT EXISTS distribution_kpi_snapshot_unique
               ON distribution_kpi_snapshot (date, company_id, COALESCE(warehouse_id, 0), kpi_key)"""
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
        recompute the last `refresh_days` closed days, for every company and warehouse."""
        # only days over both for the cron's user and in UTC (the KPI days are UTC days)
        today = min(fields.Date.context_today(self), fields.Date.today())
        Company = self.env["res.company"].sudo()
        for company in Company.search([]):
            first = today - timedelta(days=backfill_days)
            if company.dg_go_live_date:
                first = min(first, company.dg_go_live_date - timedelta(days=BASELINE_DAYS))
            self._snapshot_company(company, first, today - timedelta(days=1), refresh_days)

    def _snapshot_company(self, company, first, last, refresh_days=REFRESH_DAYS):
        warehouses = self.env["stock.warehouse"].sudo().search([("company_id", "=", company.id)])
        scopes = [False, *warehouses.ids]
        self.env.cr.execute(
            SQL(
                """SELECT date, COALESCE(warehouse_id, 0) FROM distribution_kpi_snapshot
                    WHERE company_id = %s AND date BETWEEN %s AND %s
                    GROUP BY date, COALESCE(warehouse_id, 0)
                   HAVING COUNT(*) = %s""",
                company.id,
                first,
                last,
                len(KPIS),
            )
        )
        done = {(day, warehouse_id or False) for day, warehouse_id in self.env.cr.fetchall()}
        refresh_from = last - timedelta(days=refresh_days - 1)
        Kpi = self.env["distribution.kpi"].sudo()
        self.env.flush_all()
        written = 0
        for day in days_between(first, last):
            for warehouse_id in scopes:
                if (day, warehouse_id) in done and day < refresh_from:
                    continue
                scope = Kpi._scope(day, day, [warehouse_id] if warehouse_id else None, [company.id])
                values = Kpi._compute_scope(scope, list(KPIS))
                self._upsert(day, company.id, warehouse_id, values)
                written += 1
        if written:
            _logger.info("KPI snapshots: %s day scopes written for %s", written, company.name)
        return written

    def _upsert(self, day, company_id, warehouse_id, values):
        rows = [
            SQL(
                "(%s, %s, %s, %s, %s, %s, %s, %s, %s, %s, %s, "
                "now() at time zone 'UTC', now() at time zone 'UTC')",
                day,
                company_id,
                warehouse_id or None,
                key,
                result["value"],
                result.get("numerator"),
                result.get("denominator"),
                result["count"],
                result.get("amount"),
                self.env.uid,
                self.env.uid,
            )
            for key, result in values.items()
        ]
        self.env.cr.execute(
            SQL(
                """INSERT INTO distribution_kpi_snapshot
                       (date, company_id, warehouse_id, kpi_key, value, numerator, denominator,
                        record_count, amount, create_uid, write_uid, create_date, write_date)
                   VALUES %s
                   ON CONFLICT (date, company_id, COALESCE(warehouse_id, 0), kpi_key)
                   DO UPDATE SET value = EXCLUDED.value, numerator = EXCLUDED.numerator,
                       denominator = EXCLUDED.denominator,
                       record_count = EXCLUDED.record_count, amount = EXCLUDED.amount,
                       write_uid = EXCLUDED.write_uid,
                       write_date = EXCLUDED.write_date""",
                SQL(", ").join(rows),
            )
        )
        self.invalidate_model()

    # ------------------------------------------------------------------ reading

    @api.model
    def _read_rows(self, company_ids, warehouse_ids, date_from, date_to):
        """{kpi_key: {date: [rows]}} of the scopes asked: per warehouse when `warehouse_ids`,
        else the company-wide rows."""
        self.env.cr.execute(
            SQL(
                """SELECT kpi_key, date, value, numerator, denominator, record_count
                     FROM distribution_kpi_snapshot
                    WHERE company_id IN %s AND date BETWEEN %s AND %s AND %s""",
                tuple(company_ids),
                date_from,
                date_to,
                SQL("warehouse_id IN %s", tuple(warehouse_ids))
                if warehouse_ids
                else SQL("warehouse_id IS NULL"),
            )
        )
        rows = defaultdict(lambda: defaultdict(list))
        for kpi_key, day, *values in self.env.cr.fetchall():
            rows[kpi_key][day].append((day, *values))
        return rows

    @api.model
    def _scope_rows(self, company_ids, warehouse_ids, date_from, date_to, keys):
        """[(kpi_key, date, company_id, warehouse_id, value, numerator, denominator,
        record_count, amount)] of the `keys`: per warehouse when `warehouse_ids`, else the
        company-wide rows."""
        self.env.cr.execute(
            SQL(
                """SELECT kpi_key, date, company_id, warehouse_id, value, numerator, denominator,
                          record_count, amount
                     FROM distribution_kpi_snapshot
                    WHERE company_id IN %s AND date BETWEEN %s AND %s AND kpi_key IN %s
                      AND %s""",
                tuple(company_ids),
                date_from,
                date_to,
                tuple(keys),
                SQL("warehouse_id IN %s", tuple(warehouse_ids))
                if warehouse_ids
                else SQL("warehouse_id IS NULL"),
            )
        )
        return self.env.cr.fetchall()

    @api.model
    def _invalidate(self, days):
        """Forget the snapshots of the KPIs read from snapshots (KpiDef.domain) for these
        (company_id, date) pairs, after a write changed those days' figures: the dashboard
        computes such days live until the cron snapshots them again."""
        days = {(company_id, day) for company_id, day in days if company_id and day}
        if not days:
            return
        self.env.cr.execute(
            SQL(
                """DELETE FROM distribution_kpi_snapshot
                    WHERE (company_id, date) IN %s AND kpi_key IN %s""",
                tuple(days),
                tuple(key for key, kpi in KPIS.items() if kpi.domain),
            )
        )
        if self.env.cr.rowcount:
            self.invalidate_model()
