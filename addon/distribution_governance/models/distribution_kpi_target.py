from odoo import _, api, fields, models
from odoo.exceptions import ValidationError

from ..kpi.registry import KPI_SELECTION, KPIS

DIRECTIONS = [("higher", "Higher is better"), ("lower", "Lower is better")]


class DistributionKpiTarget(models.Model):
    """Target of one KPI for a company, or for one of its warehouses (which then wins)."""

    _name = "distribution.kpi.target"
    _description = "Warehouse KPI Target"
    _order = "company_id, warehouse_id, kpi_key"
    _check_company_auto = True

    kpi_key = fields.Selection(KPI_SELECTION, string="KPI", required=True)
    company_id = fields.Many2one(
        "res.company", required=True, index=True, default=lambda self: self.env.company
    )
    warehouse_id = fields.Many2one(
        "stock.warehouse",
        check_company=True,
        ondelete="cascade",
        help="Empty: the target of every warehouse of the company without its own.",
    )
    direction = fields.Selection(
        DIRECTIONS,
        required=True,
        compute="_compute_direction",
        store=True,
        readonly=False,
        precompute=True,
    )
    green = fields.Float(
        "Green From",
        required=True,
        help="Green when the value is at or beyond this (≥ when higher is better, ≤ when lower).",
    )
    amber = fields.Float(
        "Amber From",
        required=True,
        help="Amber when the value is at or beyond this but not green; red otherwise.",
    )
    active = fields.Boolean(default=True)

    @api.depends("kpi_key")
    def _compute_direction(self):
        for target in self:
            if target.kpi_key:
                target.direction = KPIS[target.kpi_key].direction

    @api.constrains("green", "amber", "direction")
    def _check_thresholds(self):
        for target in self:
            if target.direction == "higher" and target.amber > target.green:
                raise ValidationError(
                    _("When higher is better, the amber threshold cannot exceed the green one.")
                )
            if target.direction == "lower" and target.amber < target.green:
                raise ValidationError(
                    _("When lower is better, the amber threshold cannot be below the green one.")
                )

    @api.constrains("kpi_key", "company_id", "warehouse_id", "active")
    def _check_unique(self):
        for target in self.filtered("active"):
            duplicates = self.search_count(
                [
                    ("id", "!=", target.id),
                    ("kpi_key", "=", target.kpi_key),
                    ("company_id", "=", target.company_id.id),
                    ("warehouse_id", "=", target.warehouse_id.id),
                ]
            )
            if duplicates:
                raise ValidationError(
                    _(
                        "%(kpi)s already has a target for %(scope)s.",
                        kpi=dict(KPI_SELECTION)[target.kpi_key],
                        scope=target.warehouse_id.display_name or target.company_id.display_name,
                    )
                )

    def _as_dict(self):
        self.ensure_one()
        return {"direction": self.direction, "green": self.green, "amber": self.amber}

    @api.model
    def _lookup(self, company_ids):
        """{(company_id, warehouse_id or False, kpi_key): target} for these companies."""
        # thresholds are not confidential: whoever sees a KPI sees its colour
        targets = self.sudo().search([("company_id", "in", list(company_ids))])
        return {(t.company_id.id, t.warehouse_id.id, t.kpi_key): t for t in targets}

    @staticmethod
    def _pick(lookup, company_id, warehouse_id, kpi_key):
        """The warehouse's own target, else its company's."""
        return lookup.get((company_id, warehouse_id or False, kpi_key)) or lookup.get(
            (company_id, False, kpi_key)
        )

    @staticmethod
    def _rag(value, target):
        """'green' / 'amber' / 'red' for `value` against `target`; None without either."""
        if value is None or not target:
            return None
        better = (lambda a, b: a >= b) if target.direction == "higher" else (lambda a, b: a <= b)
        if better(value, target.green):
            return "green"
        if better(value, target.amber):
            return "amber"
        return "red"
