from odoo import fields, models


class ResCompany(models.Model):
    _inherit = "res.company"

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
