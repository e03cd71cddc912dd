from odoo import Command
from odoo.tests import tagged

from .common import CreditCase


@tagged("post_install", "-at_install")
class TestUsersWithoutEmail(CreditCase):
    """Odoo lets users without an email address confirm orders and validate deliveries; the
    addon's chatter entries (holds, decisions, exceptions) must not stop them, as message_post
    would by refusing an author without email."""

    def setUp(self):
        super().setUp()
        (self.rep | self.approver | self.exception_user).partner_id.email = False
        # as on a server that sends mail: notifications of these users go out from its address
        self.company.alias_domain_id = self.env["mail.alias.domain"].create(
            {"name": "example.com", "default_from": "notifications"}
        )

    def test_hold_and_approval_without_email(self):
        order = self.order(11)
        order.with_user(self.rep).action_confirm()
        self.assertEqual((order.state, order.dg_credit_hold), ("draft", "on_hold"))
        self.request_of(order).with_user(self.approver).action_approve("known customer")
        self.assertEqual((order.state, order.dg_credit_hold), ("sale", "released"))
        self.assertTrue(order.message_ids.filtered(lambda m: "On credit hold" in (m.body or "")))

    def test_detection_and_exception_actions_without_email(self):
        self.set_stock(self.product, 2)
        order = self.env["sale.order"].with_user(self.rep).create(
            {
                "partner_id": self.customer.id,
                "warehouse_id": self.warehouse.id,
                "order_line": [Command.create({"product_id": self.product.id, "product_uom_qty": 5})],
            }
        )
        order.action_confirm()
        self.assertEqual(order.state, "sale")
        self.assertTrue(self.exceptions(type_code="stockout", sale_order_id=order.id))
        manual = (
            self.env["distribution.exception"]
            .with_user(self.approver)
            .create(
                {
                    "type_id": self.env.ref(
                        "distribution_governance.exception_type_late_shipment"
                    ).id,
                    "description": "carrier did not show up",
                }
            )
        )
        manual.action_cancel("duplicate")
        manual.action_reopen()
        self.assertEqual(manual.state, "in_progress")
        logged = manual.message_ids.filtered(lambda m: m.author_id == self.approver.partner_id)
        self.assertTrue(logged.filtered(lambda m: "Cancelled. duplicate" in (m.body or "")))
