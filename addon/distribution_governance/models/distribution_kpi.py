from datetime import date, timedelta

from odoo import _, api, fields, models, tools
from odoo.exceptions import UserError

from ..kpi import access
from ..kpi.engine import DAY, KpiEngine
from ..kpi.registry import KPI_SELECTION, KPIS, MAX_PERIOD_DAYS, OPEN_EXCEPTION_STATES
from . import input_checks

__all__ = ["KPI_SELECTION", "KPIS", "MAX_PERIOD_DAYS", "OPEN_EXCEPTION_STATES"]


class DistributionKpi(models.AbstractModel):
    """Where the models meet the KPI engine (addon/distribution_governance/kpi/).

    Private: these answer for every company the caller works in, unlike the dashboard's RPC
    (distribution.dashboard.get_kpi_dashboard), which checks the caller's group and filters.
    Formulas are documented in readme/USAGE.md.
    """

    _name = "distribution.kpi"
    _description = "Distribution Governance KPI Engine"

    @api.model
    def _engine(self):
        return KpiEngine(self.env)

    @api.model
    def _period_scope(self, engine, date_from, date_to, warehouse_ids=None, company_ids=None):
        """The scope of the local days date_from..date_to of the companies (default: the
        user's), each in its KPI time zone. The cost of a scope grows with its days: no caller
        needs more than the dashboard's cap. Any date Python can add a day to: the dashboard's
        previous periods and baselines go back before the earliest date a user may ask for."""
        first, last = input_checks.period(
            self.env,
            date_from,
            date_to,
            MAX_PERIOD_DAYS,
            earliest=date.min,
            latest=date.max - timedelta(days=1),
        )
        return engine.scope(first, last, company_ids or self.env.companies.ids, warehouse_ids)

    @api.model
    def _compute_kpis(self, date_from, date_to, warehouse_ids=None):
        """{kpi_key: KpiResult} computed live over the local days date_from..date_to of the
        user's companies; KPIs on models the user may not read are left out."""
        engine = self._engine()
        scope = self._period_scope(engine, date_from, date_to, warehouse_ids)
        self.env.flush_all()
        return engine.results(scope, engine.readable_keys())

    @api.model
    def _compute_series(self, kpi_key, date_from, date_to, warehouse_ids=None):
        """[{date, value}] one entry per local day of the period (the day's value of the KPI)."""
        if not isinstance(kpi_key, str) or kpi_key not in KPIS:
            raise UserError(_("Unknown KPI: %s", kpi_key))
        engine = self._engine()
        if kpi_key not in engine.readable_keys():
            return []
        scope = self._period_scope(engine, date_from, date_to, warehouse_ids)
        self.env.flush_all()
        by_day = engine.live(scope, [kpi_key], (DAY,))[kpi_key]
        kpi = KPIS[kpi_key]
        return [
            {"date": fields.Date.to_string(day), "value": kpi.value(by_day.group(day), 1)}
            for day in scope.dates()
        ]

    @api.model
    @tools.ormcache(
        "self.env.uid",
        "self.env.su",
        "self.env.company.id",
        "tuple(self.env.companies.ids)",
        "model_name",
        "company_ids",
    )
    def _kpi_rules_narrow(self, model_name, company_ids):
        """Whether the user's read rules on the model hide records of these companies (see
        kpi/access.py); cached per user and companies worked in (what rule domains read), the
        registry's caches are cleared when rules or a user's groups change."""
        return access.rules_narrow(self.env, model_name, company_ids)

    @api.model
    def _kpi_labels(self):
        """{kpi_key: label} in the user's language."""
        field = self.env["distribution.kpi.target"]._fields["kpi_key"]
        return dict(field._description_selection(self.env))
