from odoo.tests import HttpCase, tagged

from .common import days_ago, make_outgoing_picking


@tagged("post_install", "-at_install")
class TestDashboardUi(HttpCase):
    """The dashboard client action in the real web client."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        partner = cls.env["res.partner"].create({"name": "Tour Customer"})
        product = cls.env["product.product"].create({"name": "Tour Crate", "is_storable": True})
        for days in (2, 5):
            make_outgoing_picking(cls.env, cls.env.company, partner, product, days_ago(days))

    def test_dashboard_tour_drills_down_to_late_deliveries(self):
        # The tour compares the tile's value with the rows of the list it opens.
        self.start_tour(
            "/odoo/action-distribution_governance.action_governance_dashboard",
            "distribution_governance_dashboard_tour",
            login="admin",
        )

    def test_dashboard_renders_in_browser(self):
        late = self.env["stock.picking"].search_count(
            [
                ("picking_type_code", "=", "outgoing"),
                ("state", "in", ["waiting", "confirmed", "assigned"]),
                "|",
                ("date_deadline", "<", days_ago(0)),
                "&",
                ("date_deadline", "=", False),
                ("scheduled_date", "<", days_ago(0)),
            ]
        )
        self.browser_js(
            "/odoo/action-distribution_governance.action_governance_dashboard",
            f"""
            const el = document.querySelector(".o_dg_tile[data-key='late_deliveries'] .o_dg_tile_value");
            if (Number(el.dataset.value) === {late}) {{ console.log('test successful'); }}
            else {{ console.error('tile shows ' + el.dataset.value + ', database has {late}'); }}
            """,
            ready="!!document.querySelector('.o_dg_tile .o_dg_tile_value')",
            login="admin",
        )
