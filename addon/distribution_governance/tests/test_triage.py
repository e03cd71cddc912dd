from odoo.tests import tagged

from .common import FlowCase


@tagged("post_install", "-at_install")
class TestTriageSmoke(FlowCase):
    def test_smoke(self):
        exc = self.env["distribution.exception"]._raise_exception(
            "stockout", "triage:smoke", {"product_id": self.product.id, "quantity_missing": 5}
        )
        self.assertEqual(exc.triage_basis, "type_default")
        self.assertEqual(exc.triage_qty_band, 3)
        data = self.env["distribution.exception"].get_triage_suggestion(exc.ids)
        self.assertEqual(data[0]["basis"], "type_default", data)
