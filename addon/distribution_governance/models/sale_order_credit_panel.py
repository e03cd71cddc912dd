from odoo import api, fields, models

from .credit_hold import HOLD_READERS


class SaleOrderCreditPanel(models.Model):
    _inherit = "sale.order"

    dg_credit_banner_in_panel = fields.Boolean(
        compute="_compute_dg_credit_banner_in_panel",
        help="The credit panel says what Odoo's credit-limit banner says for this reader: the "
        "form shows one message, the panel's.",
    )

    @api.depends_context("uid")
    @api.depends("company_id", "dg_credit_hold")
    def _compute_dg_credit_banner_in_panel(self):
        # Odoo's banner shows only with credit limits on. With credit holds on as well (or a
        # hold on the order), the panel shows the figures and what confirming will do to whoever
        # reads them (sales and credit roles with a governance role: the panel shows nothing to
        # anyone without one); the others keep Odoo's banner.
        user = self.env.user
        reads_figures = user.has_group("distribution_governance.group_exception_user") and any(
            user.has_group(group) for group in HOLD_READERS.split(",")
        )
        for order in self:
            order.dg_credit_banner_in_panel = reads_figures and (
                order.company_id.dg_credit_hold_active or order.dg_credit_hold != "none"
            )
