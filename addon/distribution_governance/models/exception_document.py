from odoo import _, api, fields, models

from . import input_checks
from .distribution_exception import OPEN_STATES


class DistributionExceptionDocument(models.AbstractModel):
    """What a document with exceptions (sale order, transfer) shows of them: the count of open
    ones for its smart button, and the list action behind it. The document defines
    `dg_exception_ids` and names the exception's link field in `_dg_exception_field`."""

    _name = "distribution.exception.document"
    _description = "Document with Distribution Exceptions"
    _dg_exception_field = None

    # Only for those who may read exceptions: anyone else reading the document in full (a
    # billing user, a portal customer over RPC) would otherwise hit their access error.
    dg_open_exception_count = fields.Integer(
        "Open Exceptions",
        compute="_compute_dg_open_exception_count",
        groups="distribution_governance.group_exception_user",
    )

    @api.depends("dg_exception_ids.state")
    def _compute_dg_open_exception_count(self):
        field = self._dg_exception_field
        data = self.env["distribution.exception"]._read_group(
            [(field, "in", self.ids), ("state", "in", OPEN_STATES)], [field], ["__count"]
        )
        counts = {document.id: count for document, count in data}
        for document in self:
            document.dg_open_exception_count = counts.get(document.id, 0)

    def action_dg_open_exceptions(self):
        input_checks.one_record(self, _("Open the exceptions of one document at a time."))
        action = self.env["ir.actions.act_window"]._for_xml_id(
            "distribution_governance.action_distribution_exception"
        )
        action["domain"] = [(self._dg_exception_field, "=", self.id)]
        # an exception opened by hand from here is about this document; only a manager may
        # link one (the exception refuses the link from anyone else)
        action["context"] = {"search_default_filter_open": 1}
        if self.env["distribution.exception"]._is_manager():
            action["context"][f"default_{self._dg_exception_field}"] = self.id
        return action
