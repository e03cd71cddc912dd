from odoo import api, models


class DistributionExceptionResolveWizard(models.TransientModel):
    _inherit = "distribution.exception.resolve.wizard"

    @api.model
    def default_get(self, fields_list):
        # exceptions reported on the floor with one reason: its default resolution first
        res = super().default_get(fields_list)
        if "resolution_id" in fields_list and not res.get("resolution_id"):
            ids = [cmd[2] for cmd in res.get("exception_ids", []) if cmd[0] == 6]
            exceptions = self.env["distribution.exception"].browse(ids[0] if ids else [])
            reasons = exceptions.floor_reason_id
            if exceptions and len(reasons) == 1 and all(exceptions.mapped("floor_reason_id")):
                res["resolution_id"] = reasons.resolution_id.id or False
        return res
