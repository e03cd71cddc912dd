from odoo import api, fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

    dg_go_live_date = fields.Date(
        "Go-Live Date",
        help="First day on the new system. The warehouse KPI dashboard then shows the "
        "hypercare window, each KPI against the baseline before this date and the readiness "
        "criteria.",
    )
    dg_hypercare_days = fields.Integer(
        "Hypercare Window (days)",
        default=28,
        help="How many days after go-live the dashboard tracks as hypercare.",
    )

    dg_credit_hold_active = fields.Boolean(
        "Hold Orders Over Credit",
        help="With Odoo's sales credit limit on, orders over the customer's limit (or with "
        "invoices overdue beyond the tolerance) are held until an approver releases them. "
        "Off, Odoo's credit limit only warns, as in standard Odoo.",
    )
    dg_credit_hold_point = fields.Selection(
        [
            ("confirmation", "At order confirmation"),
            ("delivery", "At delivery validation"),
        ],
        string="Credit Hold Applies",
        default="confirmation",
        required=True,
        help="At confirmation, an order over the credit limit does not confirm until an "
        "approver releases it. At delivery, it confirms but its delivery cannot be validated "
        "until released.",
    )
    dg_overdue_days = fields.Integer(
        "Overdue Tolerance (days)",
        default=30,
        help="Invoices overdue by more than this many days put new orders of the customer on hold.",
    )
    dg_approval_validity_hours = fields.Integer(
        "Approval Validity (hours)",
        default=72,
        help="An approved credit override covers the order at its amount for this long.",
    )


    _sql_constraints = [
        (
            "dg_hypercare_days_positive",
            "CHECK (dg_hypercare_days IS NULL OR dg_hypercare_days > 0)",
            "The hypercare window must last at least one day.",
        )
    ]

    @api.model_create_multi
    def create(self, vals_list):
        companies = super().create(vals_list)
        companies.filtered("dg_go_live_date")._dg_ensure_readiness_criteria()
        return companies

    def write(self, vals):
        result = super().write(vals)
        if vals.get("dg_go_live_date"):
            self._dg_ensure_readiness_criteria()
        return result

    def _dg_ensure_readiness_criteria(self):
        """Give a company going live the default readiness criteria, once."""
        Criterion = self.env["distribution.readiness.criterion"].sudo().with_context(
            active_test=False
        )
        for company in self:
            if not Criterion.search_count([("company_id", "=", company.id)]):
                Criterion.create(Criterion._default_values(company))


class ResConfigSettings(models.TransientModel):
    _inherit = "res.config.settings"

    dg_credit_hold_active = fields.Boolean(
        related="company_id.dg_credit_hold_active", readonly=False
    )
    dg_credit_hold_point = fields.Selection(
        related="company_id.dg_credit_hold_point", readonly=False
    )
    dg_overdue_days = fields.Integer(related="company_id.dg_overdue_days", readonly=False)
    dg_approval_validity_hours = fields.Integer(
        related="company_id.dg_approval_validity_hours", readonly=False
    )
    dg_go_live_date = fields.Date(related="company_id.dg_go_live_date", readonly=False)
    dg_hypercare_days = fields.Integer(related="company_id.dg_hypercare_days", readonly=False)
