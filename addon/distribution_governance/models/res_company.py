from odoo import api, fields, models
from odoo.addons.base.models.res_partner import _tz_get
from odoo.tools import format_datetime
from odoo.tools.sql import column_exists, table_exists


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
    dg_kpi_tz = fields.Selection(
        _tz_get,
        string="KPI Time Zone",
        required=True,
        default="UTC",
        help="The warehouse KPIs count days from local midnight to local midnight in this time "
        "zone: the dashboard's periods, today, the daily snapshots and hypercare day N. "
        "Changing it computes the company's snapshots again.",
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
    dg_price_control_active = fields.Boolean(
        "Approve Prices Below Policy",
        help="A sales line priced further below its pricelist price than the allowed discount, "
        "or under the margin floor, holds its order until a price approver approves it.",
    )
    dg_price_max_discount = fields.Float(
        "Allowed Discount Below Pricelist (%)",
        default=10.0,
        help="How far below its pricelist price a line may be sold (price and discount "
        "together) without an approval.",
    )
    dg_price_margin_floor = fields.Float(
        "Margin Floor (%)",
        default=0.0,
        help="The lowest margin on a line, from the product's cost, that needs no approval "
        "(0: never below cost).",
    )

    _sql_constraints = [
        (
            "dg_hypercare_days_positive",
            "CHECK (dg_hypercare_days IS NULL OR dg_hypercare_days > 0)",
            "The hypercare window must last at least one day.",
        ),
        (
            "dg_price_max_discount_range",
            "CHECK (dg_price_max_discount IS NULL OR "
            "(dg_price_max_discount >= 0 AND dg_price_max_discount <= 100))",
            "The allowed discount below the pricelist is a percentage between 0 and 100.",
        ),
        (
            "dg_price_margin_floor_range",
            "CHECK (dg_price_margin_floor IS NULL OR "
            "(dg_price_margin_floor >= -100 AND dg_price_margin_floor < 100))",
            "The margin floor is a percentage below 100.",
        ),
    ]

    def _auto_init(self):
        # companies existing before the KPI time zone: their partner's time zone, else UTC
        # (the column's default)
        created = not column_exists(self.env.cr, self._table, "dg_kpi_tz")
        result = super()._auto_init()
        if created:
            self.env.cr.execute(
                """UPDATE res_company c SET dg_kpi_tz = p.tz
                     FROM res_partner p
                    WHERE p.id = c.partner_id AND p.tz IS NOT NULL AND p.tz != ''"""
            )
            if table_exists(self.env.cr, "distribution_kpi_snapshot"):
                # snapshots made before were of UTC days: the cron makes them again
                self.env.cr.execute(
                    """DELETE FROM distribution_kpi_snapshot
                        WHERE company_id IN (SELECT id FROM res_company WHERE dg_kpi_tz != 'UTC')"""
                )
        return result

    @api.model_create_multi
    def create(self, vals_list):
        for vals in vals_list:
            if not vals.get("dg_kpi_tz") and vals.get("partner_id"):
                partner = self.env["res.partner"].browse(vals["partner_id"])
                vals["dg_kpi_tz"] = partner.sudo().tz or "UTC"
        companies = super().create(vals_list)
        companies.filtered("dg_go_live_date")._dg_ensure_readiness_criteria()
        return companies

    def write(self, vals):
        moved = self.browse()
        if "dg_kpi_tz" in vals:
            moved = self.filtered(lambda company: company.dg_kpi_tz != vals["dg_kpi_tz"])
        result = super().write(vals)
        if vals.get("dg_go_live_date"):
            self._dg_ensure_readiness_criteria()
        if moved:
            # the snapshots' days were the old zone's days
            self.env["distribution.kpi.snapshot"]._rebuild(moved)
        return result

    def _dg_format_datetime(self, value):
        """`value` (naive UTC) as texts stored for the company's people say it: in its KPI
        time zone, named, e.g. "Nov 23, 2026, 10:00:00 AM (America/Chicago)"."""
        self.ensure_one()
        return "%s (%s)" % (format_datetime(self.env, value, tz=self.dg_kpi_tz), self.dg_kpi_tz)

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
    dg_price_control_active = fields.Boolean(
        related="company_id.dg_price_control_active", readonly=False
    )
    dg_price_max_discount = fields.Float(related="company_id.dg_price_max_discount", readonly=False)
    dg_price_margin_floor = fields.Float(related="company_id.dg_price_margin_floor", readonly=False)
    dg_go_live_date = fields.Date(related="company_id.dg_go_live_date", readonly=False)
    dg_hypercare_days = fields.Integer(related="company_id.dg_hypercare_days", readonly=False)
    dg_kpi_tz = fields.Selection(related="company_id.dg_kpi_tz", readonly=False)
