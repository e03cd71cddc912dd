import {
    drillDownAction,
    formatCount,
    tileTone,
    type OverviewTile,
} from "@distribution_governance/dashboard/overview";

const lateTile: OverviewTile = {
    key: "late_deliveries",
    label: "Late deliveries",
    model: "stock.picking",
    model_name: "Transfer",
    domain: [
        ["picking_type_code", "=", "outgoing"],
        ["state", "in", ["waiting", "confirmed", "assigned"]],
    ],
    value: 3,
};

QUnit.module("dashboard/overview", () => {
    QUnit.test("tileTone: attention tiles turn red only when work waits", (assert) => {
        assert.strictEqual(tileTone({ key: "late_deliveries", value: 3 }), "attention");
        assert.strictEqual(tileTone({ key: "late_deliveries", value: 0 }), "clear");
        assert.strictEqual(tileTone({ key: "overdue_invoices", value: 1 }), "attention");
        assert.strictEqual(tileTone({ key: "orders_to_deliver", value: 50 }), "neutral");
        assert.strictEqual(tileTone({ key: "receipts_to_process", value: 0 }), "neutral");
    });

    QUnit.test("drillDownAction opens exactly the counted records", (assert) => {
        const action = drillDownAction(lateTile);
        assert.strictEqual(action.type, "ir.actions.act_window");
        assert.strictEqual(action.res_model, "stock.picking");
        assert.deepEqual(action.domain, lateTile.domain);
        assert.notStrictEqual(action.domain, undefined);
        assert.deepEqual(action.views, [
            [false, "list"],
            [false, "form"],
        ]);
        assert.strictEqual(action.name, "Late deliveries");
    });

    QUnit.test("formatCount groups thousands per locale and hides non-numbers", (assert) => {
        assert.strictEqual(formatCount(1234567, "en-US"), "1,234,567");
        assert.strictEqual(formatCount(1234567, "de-DE"), "1.234.567");
        assert.strictEqual(formatCount(0, "en-US"), "0");
        assert.strictEqual(formatCount(Number.NaN, "en-US"), "–");
        assert.strictEqual(formatCount(Number.POSITIVE_INFINITY, "en-US"), "–");
    });
});
