from odoo import _, api, fields, models

from ..models import input_checks


class DistributionExceptionAssignWizard(models.TransientModel):
    """Assign the exceptions selected in a list or kanban to one person (exception managers):
    a standard action of the exception views, bound to the model."""

    _name = "distribution.exception.assign.wizard"
    _description = "Assign Exceptions"

    exception_ids = fields.Many2many(
        "distribution.exception", "dg_exception_assign_wizard_rel", required=True
    )
    user_id = fields.Many2one(
        "res.users",
        string="Assign to",
        required=True,
        domain=lambda self: [
            ("share", "=", False),
            ("groups_id", "in", self.env.ref("distribution_governance.group_exception_user").ids),
            ("company_ids", "in", self.env.companies.ids),
        ],
    )

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") == "distribution.exception":
            ids = self.env.context.get("active_ids") or []
            ids = input_checks.id_list(self.env, ids, _("The exceptions"))
            res["exception_ids"] = [(6, 0, ids)]
        return res

    def action_assign(self):
        input_checks.one_record(self, _("Assign with one wizard at a time."))
        return self.exception_ids.action_assign(self.user_id.id)
