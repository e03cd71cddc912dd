from odoo import _, api, fields, models


class DistributionDashboard(models.AbstractModel):
    """Read side of the governance dashboard: one RPC returns every tile of a screen load.

    Counts run with the caller's access rights, so record rules and the user's allowed
    companies decide what is counted; each tile carries the exact domain it counted, so a
    drill-down opens the same records.
    """

    _name = "distribution.dashboard"
    _description = "Distribution Governance Dashboard"

    @api.model
    def _overview_tiles(self):
        now = fields.Datetime.now()
        today = fields.Date.context_today(self)
        open_picking_states = ["waiting", "confirmed", "assigned"]
        return [
            {
                "key": "orders_to_deliver",
                "label": _("Orders to deliver"),
                "model": "sale.order",
                "domain": [
                    ("state", "=", "sale"),
                    ("delivery_status", "in", ["pending", "started", "partial"]),
                ],
            },
            {
                "key": "late_deliveries",
                "label": _("Late deliveries"),
                "model": "stock.picking",
                # late = past the commitment date, or the scheduled date when none is set
                "domain": [
                    ("picking_type_code", "=", "outgoing"),
                    ("state", "in", open_picking_states),
                    "|",
                    ("date_deadline", "<", fields.Datetime.to_string(now)),
                    "&",
                    ("date_deadline", "=", False),
                    ("scheduled_date", "<", fields.Datetime.to_string(now)),
                ],
            },
            {
                "key": "receipts_to_process",
                "label": _("Receipts to process"),
                "model": "stock.picking",
                "domain": [
                    ("picking_type_code", "=", "incoming"),
                    ("state", "in", open_picking_states),
                ],
            },
            {
                "key": "overdue_invoices",
                "label": _("Overdue customer invoices"),
                "model": "account.move",
                "domain": [
                    ("move_type", "=", "out_invoice"),
                    ("state", "=", "posted"),
                    ("payment_state", "in", ["not_paid", "partial"]),
                    ("invoice_date_due", "<", fields.Date.to_string(today)),
                ],
            },
        ]

    @api.model
    def get_overview(self):
        """Tiles the current user may see, each with its value and drill-down domain."""
        tiles = []
        for tile in self._overview_tiles():
            model = self.env[tile["model"]]
            if not model.has_access("read"):
                continue
            tile["value"] = model.search_count(tile["domain"])
            tile["model_name"] = self.env["ir.model"]._get(tile["model"]).name
            tiles.append(tile)
        return {
            "companies": self.env.companies.mapped("name"),
            "generated_at": fields.Datetime.to_string(fields.Datetime.now()),
            "tiles": tiles,
        }
