from collections import defaultdict
from datetime import timedelta

from odoo import Command, fields
from odoo.exceptions import AccessError
from odoo.tests import Form, new_test_user, tagged

from ..kpi.days import local_date
from ..kpi.engine import SUBJECT, KpiEngine
from ..models.kpi_facts import _backfill_pickings, _backfill_purchase_lines
from .common import FlowCase, days_ago, subject_domain


def hours(end, start):
    return (end - start).total_seconds() / 3600


@tagged("post_install", "-at_install")
class TestKpiProductivity(FlowCase):
    """Operators, dock-to-stock, pick-to-ship and suppliers on real Odoo flows: a one-step
    warehouse and one receiving in two steps and delivering in two (pick, ship), transfers
    validated by two operators, two vendors' purchase orders. Each KPI is computed here in
    plain Python from the records and compared with the engine's, card and drill-down."""

    @classmethod
    def setUpClass(cls):
        super().setUpClass()
        today = fields.Date.context_today(cls.env["res.users"])
        cls.date_from = fields.Date.to_string(today - timedelta(days=6))
        cls.date_to = fields.Date.to_string(today + timedelta(days=1))
        cls.multi = cls.env["stock.warehouse"].create(
            {
                "name": "DG Two Steps",
                "code": "DG2",
                "company_id": cls.company.id,
                "reception_steps": "two_steps",
                "delivery_steps": "pick_ship",
            }
        )
        cls.product_2 = cls.env["product.product"].create(
            {"name": "DG Stretch Film", "is_storable": True}
        )
        cls.set_stock(cls.product, 50)
        cls.set_stock(cls.product_2, 50)
        cls.set_stock(cls.product, 50, cls.multi.lot_stock_id)
        cls.picker_a = new_test_user(cls.env, login="dg_op_a", groups="stock.group_stock_user")
        cls.picker_b = new_test_user(cls.env, login="dg_op_b", groups="stock.group_stock_user")
        cls.validator = {}

        # one-step delivery of two lines from the main warehouse, by A
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "warehouse_id": cls.warehouse.id,
                "order_line": [
                    Command.create({"product_id": product.id, "product_uom_qty": 2})
                    for product in (cls.product, cls.product_2)
                ],
            }
        )
        order.action_confirm()
        cls.one_step = order.picking_ids
        cls.validate(cls.one_step, cls.picker_a)

        # two-step delivery: A picks, B ships three hours later
        order = cls.env["sale.order"].create(
            {
                "partner_id": cls.customer.id,
                "warehouse_id": cls.multi.id,
                "order_line": [Command.create({"product_id": cls.product.id, "product_uom_qty": 5})],
            }
        )
        order.action_confirm()
        cls.pick = order.picking_ids
        assert cls.pick.picking_type_id == cls.multi.pick_type_id
        cls.validate(cls.pick, cls.picker_a)
        # Odoo 18 pushes the ship step once the pick is done
        cls.shipment = cls.pick.move_ids.move_dest_ids.picking_id
        assert cls.shipment.picking_type_id == cls.multi.out_type_id
        cls.pick.date_done = days_ago(3 / 24)
        cls.validate(cls.shipment, cls.picker_b)

        # vendor 1, two-step receipt: 8 of 10 received by B (no backorder), put away by A
        # five hours later; vendor 2, one step, 5 of 5 received late by B
        cls.vendor_2 = cls.env["res.partner"].create({"name": "DG Vendor Two"})
        cls.po_1 = cls.purchase(cls.vendor, cls.multi, 10, fields.Datetime.now() + timedelta(days=1))
        cls.receipt_1 = cls.po_1.picking_ids
        cls.validate(cls.receipt_1, cls.picker_b, qty=8)
        cls.receipt_1.date_done = days_ago(5 / 24)
        cls.put_away = cls.receipt_1.move_ids.filtered(lambda m: m.state == "done").move_dest_ids.picking_id
        cls.validate(cls.put_away, cls.picker_a)
        cls.po_2 = cls.purchase(cls.vendor_2, cls.warehouse, 5, days_ago(2))
        cls.receipt_2 = cls.po_2.picking_ids
        cls.validate(cls.receipt_2, cls.picker_b)

        cls.kpi_user = new_test_user(
            cls.env,
            login="dg_kpi_ops",
            groups="stock.group_stock_manager,purchase.group_purchase_user,"
            "sales_team.group_sale_salesman_all_leads,distribution_governance.group_exception_user",
            company_id=cls.company.id,
            company_ids=[cls.company.id],
        )
        cls.env.flush_all()

    @classmethod
    def validate(cls, picking, user, qty=None):
        """`user` validates `picking` with `qty` of each move done (default: all), without
        backorder."""
        if picking.state != "assigned":
            picking.action_assign()
        for move in picking.move_ids:
            move.write({"quantity": move.product_uom_qty if qty is None else qty, "picked": True})
        result = picking.with_user(user).button_validate()
        if isinstance(result, dict) and result.get("res_model") == "stock.backorder.confirmation":
            Form.from_action(picking.with_user(user).env, result).save().process_cancel_backorder()
        cls.validator[picking] = user
        assert picking.state == "done", picking.state

    @classmethod
    def purchase(cls, vendor, warehouse, qty, planned):
        order = cls.env["purchase.order"].create(
            {
                "partner_id": vendor.id,
                "picking_type_id": warehouse.in_type_id.id,
                "order_line": [
                    Command.create(
                        {
                            "product_id": cls.product.id,
                            "product_qty": qty,
                            "price_unit": 8.0,
                            "date_planned": planned,
                        }
                    )
                ],
            }
        )
        order.button_confirm()
        return order

    def kpis(self, warehouse_ids=None):
        return self.env(user=self.kpi_user)["distribution.kpi"]._compute_kpis(
            self.date_from, self.date_to, warehouse_ids
        )

    def dashboard(self, **filters):
        filters = {"period": "custom", "date_from": self.date_from, "date_to": self.date_to, **filters}
        return self.env(user=self.kpi_user)["distribution.dashboard"].get_kpi_dashboard(filters)

    def assertDrillDown(self, kpi, records):
        env = self.env(user=self.kpi_user)
        self.assertEqual(kpi.count, len(records))
        self.assertEqual(env[kpi.model].search(kpi.domain), records.with_env(env))

    def place(self, picking):
        """What places a transfer's work: its company, warehouse and local day."""
        tz = picking.company_id.dg_kpi_tz
        return picking.company_id, picking.picking_type_id.warehouse_id, local_date(picking.date_done, tz)

    # ------------------------------------------------------------------ facts

    def test_facts_recorded_at_validation(self):
        for picking, user in self.validator.items():
            self.assertEqual(picking.dg_validated_by, user, picking.name)
        # picks: the one-step delivery and the pick step, not the ship step nor receipts
        picks = self.env["stock.picking"].search([("dg_pick", "=", True)])
        self.assertEqual(picks, self.one_step | self.pick)
        self.assertFalse(self.one_step.dg_picked_date)
        self.assertEqual(self.shipment.dg_picked_date, self.pick.date_done)
        self.assertEqual(self.receipt_1.dg_stocked_date, self.put_away.date_done)
        self.assertEqual(self.receipt_2.dg_stocked_date, self.receipt_2.date_done)
        self.assertEqual(self.po_1.order_line.qty_received, 8)
        # the line's last receipt, on the receipt's date (moved back here after validation)
        self.assertEqual(self.po_1.order_line.dg_received_date, self.receipt_1.date_done)
        # nothing the user sends writes them: a picker crediting himself with a colleague's
        # transfer, by write or through a default, or a purchase user backdating a receipt
        fields_ = self.env["stock.picking"]._fields
        for name in ("dg_validated_by", "dg_pick", "dg_picked_date", "dg_stocked_date"):
            self.assertTrue(fields_[name].readonly, name)
        as_b = self.shipment.with_user(self.picker_b)
        for vals in (
            {"dg_validated_by": self.picker_b.id},
            {"dg_pick": True},
            {"dg_picked_date": fields.Datetime.now()},
            {"dg_stocked_date": fields.Datetime.now()},
        ):
            with self.assertRaises(AccessError), self.cr.savepoint():
                self.one_step.with_user(self.picker_b).write(vals)
        picking_b = self.env["stock.picking"].with_user(self.picker_b)
        with self.assertRaises(AccessError), self.cr.savepoint():
            picking_b.with_context(default_dg_validated_by=self.picker_b.id).create(
                {
                    "picking_type_id": self.one_step.picking_type_id.id,
                    "location_id": self.one_step.location_id.id,
                    "location_dest_id": self.one_step.location_dest_id.id,
                }
            )
        with self.assertRaises(AccessError), self.cr.savepoint():
            as_b.with_context(default_dg_pick=True).write({"origin": "by hand"})
        self.assertEqual(self.one_step.dg_validated_by, self.picker_a)
        buyer = new_test_user(self.env, login="dg_buyer_facts", groups="purchase.group_purchase_user")
        with self.assertRaises(AccessError), self.cr.savepoint():
            self.po_1.order_line.with_user(buyer).write({"dg_received_date": days_ago(9)})
        self.assertEqual(self.po_1.order_line.dg_received_date, self.receipt_1.date_done)

    def test_backfill_agrees_with_validation(self):
        """Installed on a database with history, the addon derives the same facts in SQL
        (but the validator: the transfer's last writer, the closest record Odoo keeps)."""
        Picking = self.env["stock.picking"]
        done = Picking.search([("state", "=", "done")])
        recorded = {p: (p.dg_pick, p.dg_picked_date, p.dg_stocked_date) for p in done}
        lines = self.env["purchase.order.line"].search([])
        received = {line: line.dg_received_date for line in lines}
        self.env.flush_all()
        self.env.cr.execute(
            """UPDATE stock_picking SET dg_validated_by = NULL, dg_pick = NULL,
                      dg_picked_date = NULL, dg_stocked_date = NULL;
               UPDATE purchase_order_line SET dg_received_date = NULL"""
        )
        _backfill_pickings(self.env.cr)
        _backfill_purchase_lines(self.env.cr)
        self.env.invalidate_all()
        for picking, facts in recorded.items():
            self.assertEqual(
                (bool(picking.dg_pick), picking.dg_picked_date, picking.dg_stocked_date),
                (bool(facts[0]), facts[1], facts[2]),
                picking.name,
            )
            self.assertEqual(picking.dg_validated_by, picking.write_uid, picking.name)
        self.assertEqual({line: line.dg_received_date for line in lines}, received)
        self.assertTrue(all(received.values()))

    # ------------------------------------------------------------------ KPIs

    def test_operator_kpis(self):
        kpis = self.kpis()
        done = self.env["stock.picking"].search([("state", "=", "done")])
        self.assertEqual(len(done), 6)
        days = {(self.validator[p], *self.place(p)) for p in done}
        kpi = kpis["transfers_validated"]
        self.assertEqual((kpi.count, kpi.denominator), (len(done), len(days)))
        self.assertAlmostEqual(kpi.value, len(done) / len(days))
        self.assertEqual(kpi.unit, "transfers/day")
        self.assertDrillDown(kpi, done)

        picks = self.one_step | self.pick
        lines = picks.move_line_ids
        self.assertEqual(len(lines), 3)
        days = {(self.validator[p], *self.place(p)) for p in picks}
        kpi = kpis["lines_picked"]
        self.assertEqual((kpi.count, kpi.denominator), (3, len(days)))
        self.assertAlmostEqual(kpi.value, 3 / len(days))
        self.assertDrillDown(kpi, lines)

        # the per-operator table: each operator's own figures, each cell its records
        result = self.dashboard()
        self.assertEqual(result["operator_kpis"], ["lines_picked", "transfers_validated"])
        rows = {row["id"]: row for row in result["by_operator"]}
        self.assertEqual(set(rows), {self.picker_a.id, self.picker_b.id})
        env = self.env(user=self.kpi_user)
        for user in (self.picker_a, self.picker_b):
            mine = done.filtered(lambda p, u=user: self.validator[p] == u)
            my_days = {self.place(p) for p in mine}
            cell = rows[user.id]["kpis"]["transfers_validated"]
            self.assertEqual(cell["count"], len(mine))
            self.assertAlmostEqual(cell["value"], len(mine) / len(my_days))
            domain = subject_domain(result, "transfers_validated", user.id)
            self.assertEqual(env["stock.picking"].search(domain), mine.with_env(env))
            my_picks = picks.filtered(lambda p, u=user: self.validator[p] == u)
            cell = rows[user.id]["kpis"]["lines_picked"]
            self.assertEqual(cell["count"], len(my_picks.move_line_ids))
            self.assertEqual(
                env["stock.move.line"].search_count(subject_domain(result, "lines_picked", user.id)),
                len(my_picks.move_line_ids),
            )
        self.assertEqual(rows[self.picker_a.id]["name"], self.picker_a.name)
        self.assertIsNone(rows[self.picker_b.id]["kpis"]["lines_picked"]["value"])

    def test_dock_to_stock_and_pick_to_ship(self):
        kpis = self.kpis()
        kpi = kpis["pick_to_ship"]
        # one-step deliveries have no pick step: only the two-step one is measured
        self.assertAlmostEqual(kpi.value, hours(self.shipment.date_done, self.pick.date_done), 4)
        self.assertAlmostEqual(kpi.value, 3, 1)
        self.assertDrillDown(kpi, self.shipment)

        kpi = kpis["dock_to_stock"]
        expected = [hours(self.put_away.date_done, self.receipt_1.date_done), 0.0]
        self.assertAlmostEqual(kpi.value, sum(expected) / 2, 4)
        self.assertDrillDown(kpi, self.receipt_1 | self.receipt_2)
        # goods still in the input location: not stocked yet, so not counted
        po = self.purchase(self.vendor, self.multi, 3, fields.Datetime.now())
        self.validate(po.picking_ids, self.picker_b)
        self.validator.pop(po.picking_ids)
        self.assertFalse(po.picking_ids.dg_stocked_date)
        self.assertEqual(self.kpis()["dock_to_stock"].count, 2)
        # per warehouse: the two-step one holds the put-away receipt
        alone = self.kpis(warehouse_ids=[self.multi.id])
        self.assertDrillDown(alone["dock_to_stock"], self.receipt_1)
        self.assertDrillDown(alone["pick_to_ship"], self.shipment)

    def test_supplier_kpis_and_scorecard(self):
        kpis = self.kpis()
        receipts = self.receipt_1 | self.receipt_2
        on_time = receipts.filtered(lambda p: p.date_done <= (p.date_deadline or p.scheduled_date))
        self.assertEqual(on_time, self.receipt_1)
        kpi = kpis["supplier_on_time"]
        self.assertAlmostEqual(kpi.value, len(on_time) * 100.0 / len(receipts))
        self.assertDrillDown(kpi, receipts)

        lines = (self.po_1 | self.po_2).order_line
        received = sum(min(line.qty_received, line.product_qty) for line in lines)
        ordered = sum(line.product_qty for line in lines)
        self.assertEqual((received, ordered), (13, 15))
        kpi = kpis["supplier_fill_rate"]
        self.assertAlmostEqual(kpi.value, received * 100.0 / ordered)
        self.assertDrillDown(kpi, lines)

        result = self.dashboard()
        self.assertEqual(result["vendor_kpis"], ["supplier_on_time", "supplier_fill_rate"])
        rows = {row["id"]: row["kpis"] for row in result["by_vendor"]}
        self.assertEqual(set(rows), {self.vendor.id, self.vendor_2.id})
        self.assertEqual(rows[self.vendor.id]["supplier_on_time"]["value"], 100.0)
        self.assertEqual(rows[self.vendor.id]["supplier_fill_rate"]["value"], 80.0)
        self.assertEqual(rows[self.vendor_2.id]["supplier_on_time"]["value"], 0.0)
        self.assertEqual(rows[self.vendor_2.id]["supplier_fill_rate"]["value"], 100.0)
        env = self.env(user=self.kpi_user)
        for vendor, receipt, po in (
            (self.vendor, self.receipt_1, self.po_1),
            (self.vendor_2, self.receipt_2, self.po_2),
        ):
            self.assertEqual(
                env["stock.picking"].search(subject_domain(result, "supplier_on_time", vendor.id)),
                receipt,
            )
            self.assertEqual(
                env["purchase.order.line"].search(
                    subject_domain(result, "supplier_fill_rate", vendor.id)
                ),
                po.order_line,
            )

    def test_cards_tables_and_snapshots(self):
        """Every new card equals the live computation and its list, from the snapshots too;
        the per-warehouse table splits them."""
        keys = [
            "lines_picked", "transfers_validated", "pick_to_ship", "dock_to_stock",
            "supplier_on_time", "supplier_fill_rate",
        ]
        # move yesterday's work to a closed day, snapshot it, and compare
        for picking in (self.one_step, self.receipt_2):
            picking.date_done = days_ago(2)
        self.env["distribution.kpi.snapshot"]._cron_snapshot(backfill_days=10)
        live = self.kpis()
        result = self.dashboard()
        cards = {card["key"]: card for card in result["kpis"]}
        env = self.env(user=self.kpi_user)
        for key in keys:
            self.assertAlmostEqual(cards[key]["value"], live[key].value, msg=key)
            self.assertEqual(cards[key]["count"], live[key].count, key)
            self.assertEqual(env[cards[key]["model"]].search_count(cards[key]["domain"]), live[key].count)
            self.assertIn(key, result["warehouse_kpis"])
        for row in result["by_warehouse"]:
            alone = self.kpis(warehouse_ids=[row["warehouse_id"]])
            for key in keys:
                self.assertEqual(row["kpis"][key]["count"], alone[key].count, key)
                self.assertAlmostEqual(row["kpis"][key]["value"], alone[key].value, msg=key)
        # the per-operator table reads the closed days from the per-operator snapshot rows
        env = self.env(user=self.kpi_user)
        day = local_date(self.one_step.date_done, self.company.dg_kpi_tz)
        engine = KpiEngine(env)
        live = engine.live(
            engine.scope(fields.Date.to_date(self.date_from), fields.Date.to_date(self.date_to),
                         [self.company.id]),
            ["lines_picked", "transfers_validated"],
            (SUBJECT,),
        )
        rows = {row["id"]: row["kpis"] for row in result["by_operator"]}
        for key, grouped in live.items():
            for (operator_id,), figures in grouped.groups.items():
                self.assertEqual(rows[operator_id][key]["count"], figures.count, key)
        stored = self.env["distribution.kpi.snapshot"].search(
            [("date", "=", day), ("operator_id", "=", self.picker_a.id),
             ("kpi_key", "=", "lines_picked")]
        )
        self.assertEqual(stored.record_count, 2)
        self.env.cr.execute(
            "UPDATE distribution_kpi_snapshot SET record_count = 9, numerator = 9 WHERE id = %s",
            [stored.id],
        )
        rows = {row["id"]: row["kpis"] for row in self.dashboard()["by_operator"]}
        self.assertEqual(
            rows[self.picker_a.id]["lines_picked"]["count"],
            live["lines_picked"].group(self.picker_a.id).count + 7,
        )
        # a closed day's operator changed afterwards: its snapshots are forgotten, operators'
        # too, and the table is computed live again
        Snapshot = self.env["distribution.kpi.snapshot"]
        snapshots = [
            ("date", "=", day),
            ("company_id", "=", self.company.id),
            ("kpi_key", "in", ["lines_picked", "transfers_validated"]),
        ]
        self.assertTrue(Snapshot.search_count(snapshots))
        self.one_step.dg_validated_by = self.picker_b
        self.assertFalse(Snapshot.search_count(snapshots))
        result = self.dashboard()
        cards = {card["key"]: card for card in result["kpis"]}
        self.assertAlmostEqual(cards["lines_picked"]["value"], self.kpis()["lines_picked"].value)
        rows = {row["id"]: row["kpis"] for row in result["by_operator"]}
        self.assertEqual(rows[self.picker_b.id]["lines_picked"]["count"], 2)
        self.assertEqual(rows[self.picker_a.id]["lines_picked"]["count"], 1)

    def test_operator_days_per_warehouse(self):
        """An operator-day is one operator in one warehouse on one local day: the same
        operator's work in two warehouses the same day is two."""
        days = defaultdict(set)
        for picking in self.one_step | self.pick:
            days[self.validator[picking]].add(self.place(picking)[1])
        self.assertEqual(len(days[self.picker_a]), 2)
        kpi = self.kpis()["lines_picked"]
        self.assertEqual(kpi.denominator, 2)
        alone = self.kpis(warehouse_ids=[self.warehouse.id])["lines_picked"]
        self.assertEqual((alone.count, alone.denominator), (2, 1))
