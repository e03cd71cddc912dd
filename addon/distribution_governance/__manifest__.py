{
    "name": "Distribution Governance",
    "version": "18.0.1.2.0",
    "category": "Inventory/Inventory",
    "summary": "Exception workflows, credit-hold approvals and warehouse productivity "
    "dashboards for wholesale distributors",
    "description": """
Distribution Governance keeps warehouse execution, order orchestration and governance together
inside the standard Odoo screens: owned exception records with SLA and escalation, credit-hold
approval panels with segregation of duties and an append-only audit log, and warehouse
productivity dashboards with targets, baselines and a hypercare mode for go-live.
""",
    "author": "Distribution Governance",
    # the module's own description page, served by every Odoo that has the addon (the Apps
    # list's "Learn More")
    "website": "/distribution_governance/static/description/index.html",
    "license": "LGPL-3",
    "depends": ["sale_management", "sale_stock", "purchase_stock", "account"],
    "data": [
        "security/distribution_governance_security.xml",
        "security/ir.model.access.csv",
        "security/floor_capture_security.xml",
        "data/exception_sequence.xml",
        "data/exception_type_data.xml",
        "data/ir_cron.xml",
        "data/kpi_snapshot_hour_data.xml",
        "data/approval_data.xml",
        "data/urgent_data.xml",
        "data/kpi_target_data.xml",
        "data/inventory_approval_data.xml",
        "views/kpi_dashboard_views.xml",
        "views/kpi_drilldown_views.xml",
        "views/distribution_exception_views.xml",
        "views/sale_order_views.xml",
        "views/stock_picking_views.xml",
        "views/distribution_approval_views.xml",
        "views/credit_panel_views.xml",
        "views/urgent_views.xml",
        "views/overview_views.xml",
        "views/menus.xml",
        "security/approval_delegation_security.xml",
        "data/approval_escalation_data.xml",
        "views/approval_delegation_views.xml",
        "views/inventory_approval_views.xml",
        "data/floor_capture_data.xml",
        "views/floor_capture_views.xml",
        "data/partial_shipment_data.xml",
        "views/stock_picking_partial_views.xml",
        "security/triage_security.xml",
        "data/triage_cron.xml",
        "views/exception_triage_views.xml",
        "data/customer_notice_templates.xml",
        "views/customer_notice_views.xml",
    ],
    "assets": {
        "web.assets_backend": [
            "distribution_governance/static/src/**/*.js",
            "distribution_governance/static/src/**/*.xml",
            "distribution_governance/static/src/**/*.css",
        ],
        "web.assets_tests": [
            "distribution_governance/static/tests/tours/**/*.js",
        ],
    },
    "images": ["static/description/icon.png"],
    "uninstall_hook": "uninstall_hook",
    "application": True,
    "installable": True,
}
