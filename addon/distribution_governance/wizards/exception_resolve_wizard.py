from odoo import _, api, fields, models

from ..models import input_checks


class DistributionExceptionResolveWizard(models.TransientModel):
    _name = "distribution.exception.resolve.wizard"
    _description = "Resolve Exceptions"

    exception_ids = fields.Many2many(
        "distribution.exception", "dg_exception_resolve_wizard_rel", required=True
    )
    type_id = fields.Many2one("distribution.exception.type", compute="_compute_type_id")
    resolution_id = fields.Many2one(
        "distribution.exception.resolution",
        string="Resolution",
        required=True,
        domain="[('type_id', '=', type_id)]",
    )
    note_required = fields.Boolean(related="resolution_id.note_required")
    note = fields.Text()

    @api.model
    def default_get(self, fields_list):
        res = super().default_get(fields_list)
        if self.env.context.get("active_model") == "distribution.exception":
            ids = self.env.context.get("active_ids") or []
            ids = input_checks.id_list(self.env, ids, _("The exceptions"))
            res["exception_ids"] = [(6, 0, ids)]
        return res

    @api.depends("exception_ids")
    def _compute_type_id(self):
        for wizard in self:
            wizard.type_id = wizard.exception_ids.type_id[:1]

    def action_resolve(self):
        input_checks.one_record(self, _("Resolve with one wizard at a time."))
        # the exceptions' notification closes the wizard and reloads the screen behind it
        return self.exception_ids.action_resolve(self.resolution_id.id, self.note)
