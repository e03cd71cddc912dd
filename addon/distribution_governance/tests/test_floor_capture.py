import base64
import json
import uuid

from odoo import Command
from odoo.exceptions import AccessError, UserError
from odoo.tests import new_test_user, tagged

from .common import FlowCase, call_rpc

# a 1×1 PNG
PHOTO = (
    "iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mP8z8BQDwAEhQGAhKmMIQAAAABJRU5ErkJggg=="
)


@tagged("post_install", "-at_install")
class TestFloorCapture(FlowCase):
    """Captures from the floor: one exception per capture and per cause, for warehouse users of
    the transfer's company only; a bad scan creates nothing."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        cls.product.barcode = "DG-FLOOR-WRAP"
        cls.other_product = cls.env["product.product"].create(
            {"name": "DG Floor Other", "is_storable": True, "barcode": "DG-FLOOR-OTHER"}
        )
        cls.stock_location.barcode = "DG-FLOOR-LOC"
        cls.picker = new_test_user(cls.env, login="dg_floor_picker", groups="stock.group_stock_user")
        cls.colleague = new_test_user(
            cls.env, login="dg_floor_colleague", groups="stock.group_stock_user"
        )
        cls.set_stock(cls.product, 10)
        cls.order = cls.sell(cls.product, 10)
        cls.picking = cls.order.picking_ids
        cls.picking.action_assign()

    def payload(self, reason="damaged", barcodes=("DG-FLOOR-WRAP", "DG-FLOOR-LOC"), qty=2,
                picking=None, **extra):
        return dict(
            {
                "client_id": str(uuid.uuid4()),
                "picking": picking or self.picking.name,
                "barcodes": list(barcodes),
                "reason": reason,
                "quantity": qty,
            },
            **extra,
        )

    def capture(self, payload, user=None):
        env = self.env(user=user or self.picker)
        return call_rpc(env, "distribution.floor.capture", "floor_capture", payload)

    def count(self):
        return (
            self.env["distribution.exception"].search_count([]),
            self.env["distribution.floor.capture"].search_count([]),
            self.env["ir.attachment"].search_count([("res_model", "=", "distribution.exception")]),
        )

    def test_capture_opens_an_exception_about_what_was_scanned_with_its_type_sla(self):
        result = self.capture(self.payload(note="Forklift hit the pallet"))
        exc = self.env["distribution.exception"].browse(result["exception_id"])
        self.assertEqual(exc.type_code, "damaged_goods")
        self.assertEqual(exc.origin, "floor")
        self.assertEqual(exc.picking_id, self.picking)
        self.assertEqual(exc.sale_order_id, self.order)
        self.assertEqual(exc.move_id, self.picking.move_ids)
        self.assertEqual(exc.product_id, self.product)
        self.assertEqual(exc.location_id, self.stock_location)
        self.assertEqual(exc.quantity_missing, 2)
        self.assertEqual(exc.company_id, self.picking.company_id)
        self.assertEqual(exc.floor_reason_id.code, "damaged")
        self.assertIn("Forklift hit the pallet", exc.description)
        # damaged goods default to medium: 24 hours
        window = exc.sla_deadline - exc.detected_at
        self.assertEqual(window.total_seconds(), exc.type_id.sla_hours_medium * 3600)
        self.assertEqual((result["name"], result["duplicate"]), (exc.name, False))

    def bus_messages(self):
        """The bus messages to the warehouse users' group about floor captures (bus.bus
        writes them when the transaction flushes)."""
        self.env.cr.flush()
        channel = json.dumps(
            [self.env.cr.dbname, "res.groups", self.env.ref("stock.group_stock_user").id],
            separators=(",", ":"),
        )
        return self.env["bus.bus"].sudo().search_count(
            [("channel", "=", channel), ("message", "like", "distribution_governance/floor_capture")]
        )

    def test_the_same_capture_sent_twice_opens_one_exception(self):
        payload = self.payload()
        before = self.count()
        bus_before = self.bus_messages()
        first = self.capture(payload)
        self.assertEqual(self.bus_messages(), bus_before + 1, "warehouse screens are told")
        second = self.capture(dict(payload))
        self.assertEqual(self.bus_messages(), bus_before + 1, "once")
        self.assertEqual(second["exception_id"], first["exception_id"])
        self.assertTrue(second["duplicate"])
        self.assertEqual(self.count()[:2], (before[0] + 1, before[1] + 1))
        # another user cannot replay (or learn about) someone's capture by its id
        with self.assertRaises(UserError):
            self.capture(dict(payload), user=self.colleague)

    def test_a_short_pick_captured_then_validated_is_one_exception(self):
        result = self.capture(self.payload(reason="short", barcodes=["DG-FLOOR-WRAP"], qty=3))
        self.ship(self.picking, 7)
        shorts = self.exceptions(type_code="short_pick", picking_id=self.picking.id)
        self.assertEqual(shorts.ids, [result["exception_id"]])
        self.assertEqual(shorts.origin, "floor")
        # the detection's facts: demand 10, 7 shipped
        self.assertEqual(
            (shorts.quantity_expected, shorts.quantity_actual, shorts.quantity_missing), (10, 7, 3)
        )

    def test_a_short_pick_detected_then_captured_is_one_exception(self):
        self.ship(self.picking, 6)
        detected = self.exceptions(type_code="short_pick", picking_id=self.picking.id)
        self.assertEqual(len(detected), 1)
        result = self.capture(self.payload(reason="short", barcodes=["DG-FLOOR-WRAP"], qty=4))
        self.assertEqual(result["exception_id"], detected.id)
        self.assertTrue(result["joined"])
        self.assertEqual(self.exceptions(type_code="short_pick", picking_id=self.picking.id), detected)

    def test_bad_scans_create_nothing(self):
        company_b = self.company_b
        other_wh = self.env["stock.warehouse"].search([("company_id", "=", company_b.id)], limit=1)
        foreign = self.env["stock.picking"].create(
            {
                "picking_type_id": other_wh.out_type_id.id,
                "location_id": other_wh.lot_stock_id.id,
                "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                "company_id": company_b.id,
                "move_ids": [
                    Command.create(
                        {
                            "name": "x",
                            "product_id": self.product.id,
                            "product_uom_qty": 1,
                            "product_uom": self.product.uom_id.id,
                            "location_id": other_wh.lot_stock_id.id,
                            "location_dest_id": self.env.ref("stock.stock_location_customers").id,
                            "company_id": company_b.id,
                        }
                    )
                ],
            }
        )
        before = self.count()
        bad = [
            (self.payload(barcodes=["NO-SUCH-CODE"]), "Unknown barcode"),
            (self.payload(barcodes=["DG-FLOOR-OTHER"]), "is not in"),
            (self.payload(picking=foreign.name), "not found among"),
            (self.payload(picking=foreign.id), "not found among"),
            (self.payload(picking="WH/OUT/NOPE"), "not found among"),
            (self.payload(barcodes=["DG-FLOOR-LOC"]), "Scan the product"),
            (self.payload(reason="nope"), "Choose a reason"),
            (self.payload(qty=-1), "quantity"),
            (self.payload(photo={"data": "not base64!"}), "photo"),
            (
                self.payload(
                    photo={
                        "mimetype": "image/png",
                        "data": base64.b64encode(b"<html><script>x</script>").decode(),
                    }
                ),
                "content is not image/png",
            ),
            (self.payload(photo={"mimetype": "image/svg+xml", "data": PHOTO}), "JPEG, PNG"),
        ]
        for payload, message in bad:
            with self.subTest(message=message), self.assertRaisesRegex(UserError, message):
                self.capture(payload)
        self.assertEqual(self.count(), before)
        # the scan check the screen calls answers the same
        with self.assertRaisesRegex(UserError, "Unknown barcode"):
            call_rpc(
                self.env(user=self.picker), "distribution.floor.capture", "floor_scan",
                self.picking.id, "NO-SUCH-CODE",
            )
        scan = call_rpc(
            self.env(user=self.picker), "distribution.floor.capture", "floor_scan",
            self.picking.id, "DG-FLOOR-LOC",
        )
        self.assertEqual((scan["kind"], scan["id"]), ("location", self.stock_location.id))

    def test_only_warehouse_users_capture(self):
        rep = new_test_user(self.env, login="dg_floor_rep", groups="sales_team.group_sale_salesman")
        portal = new_test_user(self.env, login="dg_floor_portal", groups="base.group_portal")
        before = self.count()
        for user in (rep, portal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                self.capture(self.payload(), user=user)
            with self.assertRaises(AccessError):
                call_rpc(self.env(user=user), "distribution.floor.capture", "floor_data")
        self.assertEqual(self.count(), before)
        # nobody writes capture rows by hand
        with self.assertRaises(AccessError):
            self.env["distribution.floor.capture"].with_user(self.picker).create(
                {"client_id": "x" * 10, "user_id": self.picker.id}
            )
        # nor the floor facts of an exception (a non-manager)
        result = self.capture(self.payload())
        exc = self.env["distribution.exception"].with_user(self.picker).browse(
            result["exception_id"]
        )
        with self.assertRaises(AccessError):
            exc.write({"location_id": False})
        with self.assertRaises(AccessError):
            exc.write({"floor_reason_id": False})

    def test_the_photo_is_read_by_those_who_read_the_exception(self):
        result = self.capture(
            self.payload(photo={"name": "pallet.png", "mimetype": "image/png", "data": PHOTO})
        )
        exc = self.env["distribution.exception"].browse(result["exception_id"])
        attachment = self.env["ir.attachment"].search(
            [("res_model", "=", exc._name), ("res_id", "=", exc.id)]
        )
        self.assertEqual(len(attachment), 1)
        self.assertEqual(attachment.raw, base64.b64decode(PHOTO))
        # a colleague of the same company reads the exception, hence the photo
        self.assertEqual(attachment.with_user(self.colleague).raw, base64.b64decode(PHOTO))
        # a warehouse user of another company reads neither
        outsider = new_test_user(
            self.env,
            login="dg_floor_outsider",
            groups="stock.group_stock_user",
            company_id=self.company_b.id,
            company_ids=[Command.set(self.company_b.ids)],
        )
        portal = new_test_user(self.env, login="dg_floor_portal2", groups="base.group_portal")
        for user in (outsider, portal):
            with self.subTest(user=user.login), self.assertRaises(AccessError):
                attachment.with_user(user).read(["raw"])

    def test_damage_resolved_with_scrap_scraps_what_was_reported(self):
        result = self.capture(self.payload(qty=2))
        exc = self.env["distribution.exception"].browse(result["exception_id"])
        scrap_code = self.resolution("damaged_goods", "scrap")
        self.assertEqual(exc.floor_reason_id.resolution_id, scrap_code)
        damaged_before = self.env["distribution.exception"].search_count(
            [("type_code", "=", "damaged_goods")]
        )
        # the resolve wizard offers the reason's default resolution first
        wizard = self.env["distribution.exception.resolve.wizard"].with_user(
            self.warehouse_manager
        ).with_context(active_model=exc._name, active_ids=exc.ids).create({})
        self.assertEqual(wizard.resolution_id, scrap_code)
        wizard.action_resolve()
        self.assertEqual(exc.state, "resolved")
        self.assertEqual(exc.result_scrap_id.state, "done")
        self.assertEqual(exc.result_scrap_id.scrap_qty, 2)
        self.assertEqual(exc.result_scrap_id.location_id, self.stock_location)
        # the scrap is the resolution, not a new damage
        self.assertEqual(
            self.env["distribution.exception"].search_count([("type_code", "=", "damaged_goods")]),
            damaged_before,
        )
