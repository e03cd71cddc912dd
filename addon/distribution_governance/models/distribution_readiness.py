from datetime import timedelta

from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..kpi.engine import DAY, KpiEngine
from ..kpi.registry import KPI_SELECTION, KPIS, MAX_PERIOD_DAYS, OPEN_EXCEPTION_STATES

CRITERION_KINDS = [
    ("kpi_target", "KPI at target N days running"),
    ("no_breached_critical", "Breached critical exceptions at most N"),
    ("approval_backlog", "Pending approvals at most N"),
    ("master_data_clean", "Master-data exceptions at most N"),
]


class DistributionReadinessCriterion(models.Model):
    """A pass/fail go-live readiness criterion of a company, shown in the hypercare panel."""

    _name = "distribution.readiness.criterion"
    _description = "Go-Live Readiness Criterion"
    _order = "company_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    kind = fields.Selection(CRITERION_KINDS, required=True, default="kpi_target")
    kpi_key = fields.Selection(
        KPI_SELECTION, string="KPI", help="Its company-wide target decides a day's pass."
    )
    days = fields.Integer(
        "Days Running",
        default=5,
        help="The KPI must be green on each of the last N days that had activity.",
    )
    max_count = fields.Integer("At Most", default=0)

    @api.constrains("kind", "kpi_key", "days", "max_count")
    def _check_parameters(self):
        for criterion in self:
            if criterion.kind == "kpi_target" and (not criterion.kpi_key or criterion.days < 1):
                raise ValidationError(
                    _("A KPI criterion needs a KPI and at least one day running.")
                )
            # its evaluation reads the snapshots of the last 3 N days
            if criterion.days > MAX_PERIOD_DAYS:
                raise ValidationError(
                    _("A KPI criterion can ask for at most %s days running.", MAX_PERIOD_DAYS)
                )
            if criterion.max_count < 0:
                raise ValidationError(_("A readiness limit cannot be negative."))

    @api.model
    def _default_values(self, company):
        return [
            {
                "name": _("Pick accuracy at target 5 days running"),
                "sequence": 10,
                "kind": "kpi_target",
                "kpi_key": "pick_accuracy",
                "days": 5,
                "company_id": company.id,
            },
            {
                "name": _("On-time shipment at target 5 days running"),
                "sequence": 20,
                "kind": "kpi_target",
                "kpi_key": "on_time_shipment",
                "days": 5,
                "company_id": company.id,
            },
            {
                "name": _("No breached critical exception"),
                "sequence": 30,
                "kind": "no_breached_critical",
                "company_id": company.id,
            },
            {
                "name": _("Approval backlog under 5"),
                "sequence": 40,
                "kind": "approval_backlog",
                "max_count": 4,
                "company_id": company.id,
            },
            {
                "name": _("Master-data checks clean"),
                "sequence": 50,
                "kind": "master_data_clean",
                "company_id": company.id,
            },
        ]

    # ------------------------------------------------------------------ evaluation

    def _evaluate(self, targets):
        """[{id, name, passed, detail, model, domain, count}] as the current user sees it.

        targets: the lookup of distribution.kpi.target._lookup for the criteria's companies.
        """
        return [getattr(criterion, f"_evaluate_{criterion.kind}")(targets) for criterion in self]

    def _outcome(self, passed, detail, model=None, domain=None, count=None):
        return {
            "id": self.id,
            "name": self.name,
            "passed": bool(passed),
            "detail": detail,
            "model": model,
            "domain": domain,
            "count": count,
        }

    def _evaluate_count(self, model, domain):
        records = self.env[model]
        if not records.has_access("read"):
            return self._outcome(False, _("You cannot read these records."))
        count = records.search_count(domain)
        detail = _("%(count)s found, at most %(max)s allowed", count=count, max=self.max_count)
        return self._outcome(count <= self.max_count, detail, model, domain, count)

    def _evaluate_no_breached_critical(self, targets):
        return self._evaluate_count(
            "distribution.exception",
            [
                ("company_id", "=", self.company_id.id),
                ("state", "in", list(OPEN_EXCEPTION_STATES)),
                ("severity", "=", "critical"),
                ("sla_status", "=", "breached"),
            ],
        )

    def _evaluate_approval_backlog(self, targets):
        return self._evaluate_count(
            "distribution.approval.request",
            [("company_id", "=", self.company_id.id), ("state", "=", "pending")],
        )

    def _evaluate_master_data_clean(self, targets):
        return self._evaluate_count(
            "distribution.exception",
            [
                ("company_id", "=", self.company_id.id),
                ("type_code", "=", "master_data"),
                ("state", "in", list(OPEN_EXCEPTION_STATES)),
            ],
        )

    def _evaluate_kpi_target(self, targets):
        label = self.env["distribution.kpi"]._kpi_labels()[self.kpi_key]
        target = self.env["distribution.kpi.target"]._pick(
            targets, self.company_id.id, False, self.kpi_key
        )
        if not target:
            return self._outcome(False, _("No target set for %s", label))
        engine = KpiEngine(self.env)
        if not engine.readable(self.kpi_key):
            return self._outcome(False, _("You cannot read these records."))
        kpi = KPIS[self.kpi_key]
        company = self.company_id
        today = engine.today(company.dg_kpi_tz)
        # the last N days with activity, looking back at most 3 N days
        first, last = today - timedelta(days=3 * self.days), today - timedelta(days=1)
        if engine.narrowed(self.kpi_key, company.ids):
            # the user's records only, as every figure they see
            scope = engine.scope(first, last, company.ids)
            self.env.flush_all()
            by_day = engine.live(scope, [self.kpi_key], (DAY,))[self.kpi_key]
            daily = {day: by_day.group(day) for day in scope.dates()}
        else:
            daily = {
                day: figures
                for __, day, __, __, figures in engine.snapshot_cells(
                    company.ids, first, last, [self.kpi_key]
                )
            }
        values = {day: kpi.value(figures, 1) for day, figures in daily.items()}
        measured = sorted((day for day, value in values.items() if value is not None), reverse=True)[
            : self.days
        ]
        Target = self.env["distribution.kpi.target"]
        green = [day for day in measured if Target._rag(values[day], target) == "green"]
        detail = _(
            "%(green)s of the last %(days)s measured days at target (%(measured)s measured)",
            green=len(green),
            days=self.days,
            measured=len(measured),
        )
        return self._outcome(len(measured) == self.days and len(green) == self.days, detail)
