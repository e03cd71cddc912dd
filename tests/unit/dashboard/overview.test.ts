import { drillDownAction, type DrillDown } from "@distribution_governance/dashboard/overview";

const late: DrillDown = {
    label: "Late deliveries",
    model: "stock.picking",
    domain: [
        ["picking_type_code", "=", "outgoing"],
        ["state", "in", ["waiting", "confirmed", "assigned"]],
    ],
};

QUnit.module("dashboard/overview", () => {
    QUnit.test("drillDownAction opens exactly the counted records", (assert) => {
        const action = drillDownAction(late);
        assert.strictEqual(action.type, "ir.actions.act_window");
        assert.strictEqual(action.res_model, "stock.picking");
        assert.deepEqual(action.domain, late.domain);
        assert.deepEqual(action.views, [
            [false, "list"],
            [false, "form"],
        ]);
        assert.strictEqual(action.name, "Late deliveries");
    });
});
