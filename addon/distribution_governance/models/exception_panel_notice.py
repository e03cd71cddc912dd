"""The exception panel's rows say whether the user may send the customer a notice about the
exception (issue 16): its Notify Customer button shows only then, and action_notify_customer
refuses anyway otherwise. The triage suggestion itself comes from get_triage_suggestion, one call
for the panel's exceptions."""

from odoo import models


class DistributionExceptionPanelNotice(models.Model):
    _inherit = "distribution.exception"

    def _ui_row(self):
        row = super()._ui_row()
        row["can_notify_customer"] = self.can_notify_customer
        return row
