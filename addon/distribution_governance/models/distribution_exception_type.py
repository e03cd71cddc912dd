from odoo import _, api, fields, models
from odoo.exceptions import UserError, ValidationError

from . import input_checks

SEVERITIES = [
    ("low", "Low"),
    ("medium", "Medium"),
    ("high", "High"),
    ("critical", "Critical"),
]

# Resolution actions that perform a real Odoo operation when an exception is resolved with a
# code carrying them; implemented by distribution.exception._playbook_<key>.
PLAYBOOKS = [
    ("backorder", "Ship the missing quantity later (backorder)"),
    ("cancel_remainder", "Cancel the remaining quantity"),
    ("replenish", "Request for quotation for the missing quantity"),
    ("replacement", "Replacement delivery"),
    ("restock", "Restock returned goods"),
    ("scrap_return", "Scrap returned goods"),
]


class DistributionExceptionType(models.Model):
    _name = "distribution.exception.type"
    _description = "Exception Type"
    _order = "sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True, help="Technical key used by automatic detection.")
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    description = fields.Text(translate=True)
    default_severity = fields.Selection(SEVERITIES, required=True, default="medium")
    sla_hours_low = fields.Float("SLA Low (h)", default=72.0)
    sla_hours_medium = fields.Float("SLA Medium (h)", default=24.0)
    sla_hours_high = fields.Float("SLA High (h)", default=8.0)
    sla_hours_critical = fields.Float("SLA Critical (h)", default=2.0)
    owner_group_id = fields.Many2one(
        "res.groups",
        string="Owner Group",
        help="Users of this group work these exceptions; new ones are offered to them.",
    )
    escalation_group_id = fields.Many2one(
        "res.groups",
        string="Escalation Group",
        help="Receives an activity each time an exception of this type escalates.",
    )
    blocking = fields.Selection(
        [
            ("none", "Informational"),
            ("delivery", "Blocks delivery validation"),
        ],
        default="none",
        required=True,
        help="An open exception of a blocking type stops the validation of the linked "
        "delivery until it is resolved or cancelled.",
    )
    resolution_code_ids = fields.One2many(
        "distribution.exception.resolution", "type_id", string="Resolution Codes"
    )

    _sql_constraints = [
        ("code_unique", "unique(code)", "The code of an exception type must be unique."),
    ]

    @api.constrains(
        "sla_hours_low", "sla_hours_medium", "sla_hours_high", "sla_hours_critical"
    )
    def _check_sla_hours(self):
        for rec in self:
            hours = [
                rec.sla_hours_low,
                rec.sla_hours_medium,
                rec.sla_hours_high,
                rec.sla_hours_critical,
            ]
            if any(h <= 0 for h in hours):
                raise ValidationError(_("SLA hours must be positive (type %s).", rec.name))

    def sla_hours_for(self, severity):
        """Hours to resolve an exception of this type and `severity`."""
        input_checks.one_record(self, _("Ask for the SLA of one exception type at a time."))
        if not isinstance(severity, str) or severity not in dict(SEVERITIES):
            raise UserError(_("Unknown severity: %s", severity))
        return self[f"sla_hours_{severity}"]


class DistributionExceptionResolution(models.Model):
    _name = "distribution.exception.resolution"
    _description = "Exception Resolution Code"
    _order = "type_id, sequence, id"

    name = fields.Char(required=True, translate=True)
    code = fields.Char(required=True)
    sequence = fields.Integer(default=10)
    active = fields.Boolean(default=True)
    type_id = fields.Many2one(
        "distribution.exception.type", required=True, ondelete="cascade", index=True
    )
    playbook = fields.Selection(
        PLAYBOOKS,
        help="The Odoo operation performed when an exception is resolved with this code.",
    )
    note_required = fields.Boolean(help="Resolving with this code needs a note.")

    _sql_constraints = [
        (
            "code_type_unique",
            "unique(type_id, code)",
            "A resolution code must be unique within its exception type.",
        ),
    ]
