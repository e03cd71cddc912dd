import { DashboardAction } from "@distribution_governance/dashboard/dashboard_action/dashboard_action";
import type { Overview } from "@distribution_governance/dashboard/overview";
import { registry } from "@web/core/registry";
import { makeActionService, makeOrm, mountWithServices, nextRender } from "../helpers";

function overview(late: number): Overview {
    return {
        companies: ["Main Distributor", "North Branch"],
        generated_at: "2026-11-27 08:00:00",
        tiles: [
            {
                key: "orders_to_deliver",
                label: "Orders to deliver",
                model: "sale.order",
                model_name: "Sales Order",
                domain: [["state", "=", "sale"]],
                value: 12345,
            },
            {
                key: "late_deliveries",
                label: "Late deliveries",
                model: "stock.picking",
                model_name: "Transfer",
                domain: [["picking_type_code", "=", "outgoing"]],
                value: late,
            },
        ],
    };
}

QUnit.module("dashboard/DashboardAction", () => {
    QUnit.test("is registered as the client action of the dashboard menu", (assert) => {
        assert.strictEqual(
            registry.category("actions").get("distribution_governance.dashboard"),
            DashboardAction,
        );
    });

    QUnit.test("renders one tile per server tile with one RPC", async (assert) => {
        const orm = makeOrm({ "distribution.dashboard.get_overview": () => overview(4) });
        const { target, destroy } = await mountWithServices(
            DashboardAction,
            { action: { name: "Governance Dashboard" } },
            { orm, action: makeActionService() },
        );
        assert.strictEqual(orm.calls.length, 1, "one RPC per screen load");
        const tiles = target.querySelectorAll(".o_dg_tile");
        assert.strictEqual(tiles.length, 2);
        const late = target.querySelector<HTMLElement>(".o_dg_tile[data-key='late_deliveries']")!;
        assert.strictEqual(late.querySelector(".o_dg_tile_value")!.textContent, "4");
        assert.ok(late.classList.contains("o_dg_tone_attention"));
        const orders = target.querySelector(
            ".o_dg_tile[data-key='orders_to_deliver'] .o_dg_tile_value",
        )!;
        assert.strictEqual(orders.textContent, new Intl.NumberFormat().format(12345));
        assert.strictEqual(
            target.querySelector(".o_dg_dashboard_title")!.textContent,
            "Governance Dashboard",
        );
        assert.strictEqual(
            target.querySelector(".o_dg_companies")!.textContent,
            "Main Distributor, North Branch",
        );
        destroy();
    });

    QUnit.test("clicking a tile drills down with the tile's domain", async (assert) => {
        const action = makeActionService();
        const orm = makeOrm({ "distribution.dashboard.get_overview": () => overview(2) });
        const { target, destroy } = await mountWithServices(
            DashboardAction,
            { action: {} },
            { orm, action },
        );
        target.querySelector<HTMLElement>(".o_dg_tile[data-key='late_deliveries']")!.click();
        await nextRender();
        assert.strictEqual(action.done.length, 1);
        const done = action.done[0];
        assert.ok(done && typeof done === "object" && done.type === "ir.actions.act_window");
        if (done && typeof done === "object" && done.type === "ir.actions.act_window") {
            assert.strictEqual(done.res_model, "stock.picking");
            assert.deepEqual(done.domain, [["picking_type_code", "=", "outgoing"]]);
        }
        destroy();
    });

    QUnit.test("refresh reloads values from the server", async (assert) => {
        let late = 1;
        const orm = makeOrm({ "distribution.dashboard.get_overview": () => overview(late) });
        const { target, destroy } = await mountWithServices(
            DashboardAction,
            { action: {} },
            { orm, action: makeActionService() },
        );
        const value = () =>
            target.querySelector(".o_dg_tile[data-key='late_deliveries'] .o_dg_tile_value")!
                .textContent;
        assert.strictEqual(value(), "1");
        late = 0;
        target.querySelector<HTMLElement>(".o_dg_refresh")!.click();
        await nextRender();
        await nextRender();
        assert.strictEqual(value(), "0");
        assert.ok(
            target
                .querySelector(".o_dg_tile[data-key='late_deliveries']")!
                .classList.contains("o_dg_tone_clear"),
        );
        assert.strictEqual(orm.calls.length, 2);
        destroy();
    });

    QUnit.test("shows an explanation when no tile is readable", async (assert) => {
        const orm = makeOrm({
            "distribution.dashboard.get_overview": () => ({
                companies: ["X"],
                generated_at: "",
                tiles: [],
            }),
        });
        const { target, destroy } = await mountWithServices(
            DashboardAction,
            { action: {} },
            { orm, action: makeActionService() },
        );
        assert.ok(target.querySelector(".o_dg_empty"));
        assert.strictEqual(target.querySelectorAll(".o_dg_tile").length, 0);
        destroy();
    });

    QUnit.test("OWL dev mode rejects props the web client never sends", async (assert) => {
        const orm = makeOrm({ "distribution.dashboard.get_overview": () => overview(0) });
        await assert.rejects(
            mountWithServices(DashboardAction, { action: {}, bogus: 1 } as never, {
                orm,
                action: makeActionService(),
            }),
        );
    });
});
