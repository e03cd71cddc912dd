from odoo import models


class DistributionDashboard(models.AbstractModel):
    """Read side of the addon's dashboards: one RPC per screen load (the warehouse KPI
    dashboard, models/kpi_dashboard.py). The governance overview is a kanban of warehouses
    (models/stock_warehouse.py)."""

    _name = "distribution.dashboard"
    _description = "Distribution Governance Dashboard"
