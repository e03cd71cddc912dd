from odoo import _, fields, models

from ..models import input_checks


class DistributionExceptionResolveWizardNotice(models.TransientModel):
    _inherit = "distribution.exception.resolve.wizard"

    notify_customer = fields.Boolean(related="resolution_id.notify_customer")
    promise_date = fields.Datetime(
        "Revised Promise",
        help="The delivery date now promised to the customer, set on the exceptions before "
        "they are resolved.",
    )

    def action_resolve(self):
        input_checks.one_record(self, _("Resolve with one wizard at a time."))
        if self.promise_date:
            # as the user: the exceptions' rules judge who may revise a promise
            self.exception_ids.write({"promise_date": self.promise_date})
        return super().action_resolve()
