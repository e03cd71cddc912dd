from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models import input_checks


def request_from_context(env):
    """The approval request a wizard was opened for (its button passes `dg_request_id`); the
    request's own methods check who may act on it."""
    request_id = env.context.get("dg_request_id")
    if not input_checks.is_id(request_id):
        raise UserError(_("Open this from an approval request."))
    request = env["distribution.approval.request"].browse(request_id).exists()
    if not request:
        raise UserError(_("This approval request no longer exists."))
    return request


class DistributionCreditJustifyWizard(models.TransientModel):
    """Shown to who confirmed an order that went on credit hold: why the hold, who decides,
    and the justification for the approvers."""

    _name = "distribution.credit.justify.wizard"
    _description = "Justify a Credit Approval Request"

    request_id = fields.Many2one("distribution.approval.request", required=True, readonly=True)
    document_ref = fields.Char(related="request_id.document_ref")
    kind = fields.Selection(related="request_id.kind")
    hold_reason = fields.Text(related="request_id.hold_reason")
    waiting_for = fields.Char(related="request_id.waiting_for", string="Waiting For")
    justification = fields.Text(
        required=True,
        help="Why this should go ahead despite the policy (payment promised, guarantee, "
        "strategic customer…): the approvers read it with the request.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        values["request_id"] = request_from_context(self.env).id
        return values

    def action_send(self):
        input_checks.one_record(self, _("Send one justification at a time."))
        return self.request_id.action_justify(self.justification)


class DistributionApprovalDecisionWizard(models.TransientModel):
    """Approve or reject a request from its form (where the approver's to-do leads)."""

    _name = "distribution.approval.decision.wizard"
    _description = "Decide an Approval Request"

    request_id = fields.Many2one("distribution.approval.request", required=True, readonly=True)
    decision = fields.Selection(
        [("approve", "Approve"), ("reject", "Reject")], required=True, readonly=True
    )
    document_ref = fields.Char(related="request_id.document_ref")
    hold_reason = fields.Text(related="request_id.hold_reason")
    justification = fields.Text(related="request_id.reason")
    reason = fields.Text(help="Kept in the audit log. Required to reject.")

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        request = request_from_context(self.env)
        decision = self.env.context.get("dg_decision")
        if decision not in ("approve", "reject"):
            raise UserError(_("Choose Approve or Reject."))
        values.update(request_id=request.id, decision=decision)
        return values

    def action_confirm(self):
        input_checks.one_record(self, _("Decide one request at a time."))
        if self.decision == "approve":
            return self.request_id.action_approve(self.reason)
        return self.request_id.action_reject(self.reason)
