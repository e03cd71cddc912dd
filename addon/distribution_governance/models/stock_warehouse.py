from odoo import _, api, fields, models
from odoo.exceptions import UserError
from odoo.osv import expression

from . import input_checks
from .distribution_exception import OPEN_STATES

OPEN_PICKING_STATES = ("waiting", "confirmed", "assigned")


class StockWarehouse(models.Model):
    """The governance overview: a kanban card per warehouse, in the manner of Odoo's Inventory
    Overview (stock.picking.type's counts and get_action_* buttons). Each figure is counted with
    the reader's rights (record rules, allowed companies) from the same domain its drill-down
    opens, so a figure equals the length of the list it leads to."""

    _inherit = "stock.warehouse"

    dg_exceptions_critical = fields.Integer("Critical", compute="_compute_dg_overview")
    dg_exceptions_high = fields.Integer("High", compute="_compute_dg_overview")
    dg_exceptions_medium = fields.Integer("Medium", compute="_compute_dg_overview")
    dg_exceptions_low = fields.Integer("Low", compute="_compute_dg_overview")
    dg_exceptions_open = fields.Integer("Open Exceptions", compute="_compute_dg_overview")
    dg_exceptions_breached = fields.Integer("Past Their SLA", compute="_compute_dg_overview")
    dg_held_orders = fields.Integer("Orders on Credit Hold", compute="_compute_dg_overview")
    dg_pending_approvals = fields.Integer("Approvals Waiting", compute="_compute_dg_overview")
    dg_late_shipments = fields.Integer("Late Deliveries", compute="_compute_dg_overview")
    # a figure over documents the reader may not open is not shown (rather than a 0)
    dg_reads_orders = fields.Boolean(compute="_compute_dg_overview")
    dg_reads_transfers = fields.Boolean(compute="_compute_dg_overview")

    # ------------------------------------------------------------------ figures

    @api.model
    def _dg_figures(self):
        """figure -> (label, model, field naming the warehouse, domain without the warehouse).
        The one definition of what a card counts and what its drill-down opens."""
        now = fields.Datetime.now()
        open_exceptions = [("state", "in", OPEN_STATES)]
        figures = {
            severity: (
                label,
                "distribution.exception",
                "warehouse_id",
                open_exceptions + [("severity", "=", severity)],
            )
            for severity, label in (
                ("critical", _("Critical exceptions")),
                ("high", _("High-severity exceptions")),
                ("medium", _("Medium-severity exceptions")),
                ("low", _("Low-severity exceptions")),
            )
        }
        figures.update(
            {
                "open": (_("Open exceptions"), "distribution.exception", "warehouse_id", open_exceptions),
                "breached": (
                    _("Exceptions past their SLA"),
                    "distribution.exception",
                    "warehouse_id",
                    open_exceptions + [("sla_status", "=", "breached")],
                ),
                "held": (
                    _("Orders on credit hold"),
                    "sale.order",
                    "warehouse_id",
                    [("dg_credit_hold", "=", "on_hold")],
                ),
                "approvals": (
                    _("Approvals waiting"),
                    "distribution.approval.request",
                    "warehouse_id",
                    [("state", "=", "pending")],
                ),
                # late = past the commitment date, or the scheduled date when none is set (as the
                # late-shipment exception and the on-time KPI read it)
                "late": (
                    _("Late deliveries"),
                    "stock.picking",
                    "picking_type_id.warehouse_id",
                    [
                        ("picking_type_code", "=", "outgoing"),
                        ("state", "in", OPEN_PICKING_STATES),
                        "|",
                        ("date_deadline", "<", now),
                        "&",
                        ("date_deadline", "=", False),
                        ("scheduled_date", "<", now),
                    ],
                ),
            }
        )
        return figures

    def _dg_count(self, model, warehouse_field, domain):
        """{warehouse id: count} of `domain` as the current user reads it."""
        Model = self.env[model]
        if not self.ids or not Model.has_access("read"):
            return {}
        if warehouse_field == "warehouse_id":
            groups = Model._read_group(
                expression.AND([domain, [("warehouse_id", "in", self.ids)]]),
                ["warehouse_id"],
                ["__count"],
            )
            return {warehouse.id: count for warehouse, count in groups}
        # transfers know their warehouse through their operation type
        groups = Model._read_group(
            expression.AND([domain, [("picking_type_id.warehouse_id", "in", self.ids)]]),
            ["picking_type_id"],
            ["__count"],
        )
        counts = {}
        for picking_type, count in groups:
            warehouse = picking_type.sudo().warehouse_id.id
            counts[warehouse] = counts.get(warehouse, 0) + count
        return counts

    @api.depends_context("uid", "allowed_company_ids")
    def _compute_dg_overview(self):
        fields_by_figure = {
            "critical": "dg_exceptions_critical",
            "high": "dg_exceptions_high",
            "medium": "dg_exceptions_medium",
            "low": "dg_exceptions_low",
            "open": "dg_exceptions_open",
            "breached": "dg_exceptions_breached",
            "held": "dg_held_orders",
            "approvals": "dg_pending_approvals",
            "late": "dg_late_shipments",
        }
        counts = {
            figure: self._dg_count(model, warehouse_field, domain)
            for figure, (_label, model, warehouse_field, domain) in self._dg_figures().items()
        }
        reads_orders = self.env["sale.order"].has_access("read")
        reads_transfers = self.env["stock.picking"].has_access("read")
        for warehouse in self:
            warehouse.dg_reads_orders = reads_orders
            warehouse.dg_reads_transfers = reads_transfers
            for figure, field in fields_by_figure.items():
                warehouse[field] = counts[figure].get(warehouse.id, 0)

    # ------------------------------------------------------------------ drill-down

    def action_dg_open_figure(self, figure):
        """The records a card's figure counted: the same domain, as the same user."""
        warehouse = input_checks.one_record(self, _("Open the figures of one warehouse at a time."))
        figures = self._dg_figures()
        if not isinstance(figure, str) or figure not in figures:
            raise UserError(_("Unknown figure of the overview."))
        warehouse.check_access("read")
        label, model, warehouse_field, domain = figures[figure]
        self.env[model].check_access("read")
        domain = expression.AND([domain, [(warehouse_field, "=", warehouse.id)]])
        if model == "distribution.exception":
            # the exceptions' own screens (list, kanban, form…) on exactly these records
            action = self.env["ir.actions.act_window"]._for_xml_id(
                "distribution_governance.action_distribution_exception"
            )
        else:
            action = {
                "type": "ir.actions.act_window",
                "res_model": model,
                "views": [(False, "list"), (False, "kanban"), (False, "form")],
            }
        action.update(
            {
                "name": _("%(warehouse)s: %(figure)s", warehouse=warehouse.name, figure=label),
                "domain": domain,
                "context": {"create": False},
                "target": "current",
            }
        )
        action.pop("id", None)
        action.pop("xml_id", None)
        action.pop("path", None)
        return action
