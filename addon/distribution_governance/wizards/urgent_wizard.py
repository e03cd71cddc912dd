from odoo import _, api, fields, models
from odoo.exceptions import UserError

from ..models import input_checks


class DistributionUrgentRequestWizard(models.TransientModel):
    """The Expedite button's dialog: why the order should pass ahead of earlier ones."""

    _name = "distribution.urgent.request.wizard"
    _description = "Ask to Expedite an Order"

    order_id = fields.Many2one("sale.order", required=True, readonly=True)
    justification = fields.Text(
        required=True,
        help="Why this order should ship before earlier ones (line down at the customer, "
        "promised date…): the warehouse managers read it with the request.",
    )

    @api.model
    def default_get(self, fields_list):
        values = super().default_get(fields_list)
        order_id = self.env.context.get("dg_order_id")
        if not input_checks.is_id(order_id):
            raise UserError(_("Open this from a sales order."))
        order = self.env["sale.order"].browse(order_id).exists()
        if not order:
            raise UserError(_("This order no longer exists."))
        order.check_access("write")
        values["order_id"] = order.id
        return values

    def action_send(self):
        input_checks.one_record(self, _("Send one request at a time."))
        return self.order_id.dg_urgent_request(self.justification)
