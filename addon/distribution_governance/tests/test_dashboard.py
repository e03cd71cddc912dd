from datetime import timedelta

from odoo import fields
from odoo.tests import new_test_user, tagged

from .common import GovernanceCase, days_ago


@tagged("post_install", "-at_install")
class TestDashboardOverview(GovernanceCase):
    def overview(self, user, companies=None):
        env = self.env(user=user)
        if companies:
            env = env(context=dict(env.context, allowed_company_ids=companies.ids))
        data = env["distribution.dashboard"].get_overview()
        return {tile["key"]: tile for tile in data["tiles"]}, data

    def count_late_outgoing_sql(self, company_ids):
        """Independent count of late open deliveries, straight from the tables."""
        self.env.flush_all()
        self.env.cr.execute(
            """
            SELECT count(*) FROM stock_picking p
              JOIN stock_picking_type t ON t.id = p.picking_type_id
             WHERE t.code = 'outgoing'
               AND p.state IN ('waiting', 'confirmed', 'assigned')
               AND COALESCE(p.date_deadline, p.scheduled_date) < now() at time zone 'utc'
               AND p.company_id = ANY(%s)
            """,
            [list(company_ids)],
        )
        return self.env.cr.fetchone()[0]

    def test_late_deliveries_match_sql_and_drill_down(self):
        late = self.create_outgoing_picking(self.company, days_ago(3))
        self.create_outgoing_picking(self.company, fields.Datetime.now() + timedelta(days=5))
        tiles, _data = self.overview(self.warehouse_manager)
        tile = tiles["late_deliveries"]
        self.assertEqual(tile["value"], self.count_late_outgoing_sql([self.company.id]))
        self.assertGreaterEqual(tile["value"], 1)
        drilled = self.env["stock.picking"].with_user(self.warehouse_manager).search(tile["domain"])
        self.assertIn(late, drilled)
        self.assertEqual(len(drilled), tile["value"])

    def test_counts_follow_allowed_companies(self):
        self.warehouse_manager.write(
            {"company_ids": [(4, self.company_b.id)]}
        )
        self.create_outgoing_picking(self.company_b, days_ago(2))
        self.create_outgoing_picking(self.company_b, days_ago(4))
        only_a, data_a = self.overview(self.warehouse_manager, self.company)
        only_b, data_b = self.overview(self.warehouse_manager, self.company_b)
        both, _ = self.overview(self.warehouse_manager, self.company | self.company_b)
        self.assertEqual(only_b["late_deliveries"]["value"], 2)
        self.assertEqual(only_a["late_deliveries"]["value"], self.count_late_outgoing_sql([self.company.id]))
        self.assertEqual(
            both["late_deliveries"]["value"],
            only_a["late_deliveries"]["value"] + only_b["late_deliveries"]["value"],
        )
        self.assertEqual(data_b["companies"], [self.company_b.name])
        self.assertIn(self.company.name, data_a["companies"])

    def test_user_outside_company_does_not_count_it(self):
        self.create_outgoing_picking(self.company_b, days_ago(2))
        tiles, _ = self.overview(self.warehouse_manager)
        self.assertEqual(
            tiles["late_deliveries"]["value"], self.count_late_outgoing_sql([self.company.id])
        )

    def test_overdue_invoices_counted_only_when_posted_unpaid_and_due(self):
        account_user = new_test_user(
            self.env, login="dg_accountant", groups="account.group_account_invoice"
        )
        before = self.overview(account_user)[0]["overdue_invoices"]["value"]

        def invoice(due_days, post=True):
            move = self.env["account.move"].create(
                {
                    "move_type": "out_invoice",
                    "partner_id": self.customer.id,
                    "invoice_date": fields.Date.today() - timedelta(days=40),
                    "invoice_date_due": fields.Date.today() + timedelta(days=due_days),
                    "invoice_line_ids": [
                        (0, 0, {"product_id": self.product.id, "quantity": 2, "price_unit": 50})
                    ],
                }
            )
            if post:
                move.action_post()
                # posting recomputes the due date from payment terms; pin the scenario's date
                move.line_ids.filtered(
                    lambda line: line.display_type == "payment_term"
                ).date_maturity = fields.Date.today() + timedelta(days=due_days)
            return move

        invoice(-10)
        invoice(-1)
        invoice(+10)
        invoice(-10, post=False)
        after = self.overview(account_user)[0]["overdue_invoices"]["value"]
        self.assertEqual(after - before, 2)

    def test_tiles_limited_to_models_the_user_can_read(self):
        tiles, _ = self.overview(self.warehouse_user)
        self.assertIn("late_deliveries", tiles)
        self.assertNotIn("overdue_invoices", tiles)
        plain = new_test_user(self.env, login="dg_plain_dash", groups="base.group_user")
        self.assertEqual(self.overview(plain)[0], {})
