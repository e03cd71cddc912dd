from odoo import _, models
from odoo.exceptions import UserError


class MailActivity(models.Model):
    _inherit = "mail.activity"

    def _dg_check_not_pending_request(self):
        """An approver's to-do on a pending request closes with the decision: marking it done
        or deleting it alone would drop the request from their list without deciding it."""
        if self.env.su:
            return
        pending = self.filtered(lambda a: a.res_model == "distribution.approval.request")
        requests = self.env["distribution.approval.request"].sudo().browse(
            pending.mapped("res_id")
        ).exists().filtered(lambda r: r.state == "pending")
        if requests:
            raise UserError(
                _(
                    "This to-do closes with the decision: open %s and approve or reject it.",
                    ", ".join(requests.mapped("name")),
                )
            )

    def _action_done(self, feedback=False, attachment_ids=None):
        self._dg_check_not_pending_request()
        return super()._action_done(feedback=feedback, attachment_ids=attachment_ids)

    def unlink(self):
        self._dg_check_not_pending_request()
        return super().unlink()
