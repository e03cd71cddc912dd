import { expect, test } from "@playwright/test";
import { m2oId } from "../../scripts/lib/odoo-rpc";
import { login, rpcAs, watchConsole } from "./support";

// Urgent order override in the browser, as the users who meet it: 10 units in stock, an earlier
// order holds 8 of them, the rep's order of 5 gets 2. The rep asks to expedite his order from
// its form; the warehouse manager opens the delivery, approves in its panel: the delivery is
// urgent and holds its 5, the earlier one keeps what is left (5).
test.describe.configure({ mode: "serial" });

const TAG = `Urgent ${Date.now().toString(36)}`;

let setup: { orderId: number; orderName: string; pickingId: number; earlierPicking: number };

async function delivery(orderId: number): Promise<number> {
    const admin = await rpcAs("admin");
    const [picking] = await admin.search("stock.picking", [
        ["sale_id", "=", orderId],
        ["picking_type_code", "=", "outgoing"],
    ]);
    return picking!;
}

test("the rep asks to expedite his order from its form", async ({ page }) => {
    const admin = await rpcAs("admin");
    const rep = await rpcAs("rep");
    const [me] = await admin.read("res.users", [admin.uid], ["company_id"]);
    const companyId = m2oId(me!.company_id) as number;
    await admin.write("res.company", [companyId], { dg_urgent_control_active: true });
    const [warehouse] = await admin.searchRead(
        "stock.warehouse",
        [["company_id", "=", companyId]],
        ["lot_stock_id"],
        { order: "id", limit: 1 },
    );
    const partner = await admin.create("res.partner", { name: `E2E ${TAG}`, is_company: true });
    const product = await admin.create("product.product", {
        name: `E2E Urgent Item ${TAG}`,
        is_storable: true,
        list_price: 10,
        standard_price: 4,
    });
    await admin.call(
        "stock.quant",
        "create",
        [
            {
                product_id: product,
                location_id: m2oId(warehouse!.lot_stock_id),
                inventory_quantity_auto_apply: 10,
            },
        ],
        { context: { inventory_mode: true } },
    );
    const line = (qty: number) => [[0, 0, { product_id: product, product_uom_qty: qty }]];
    const earlierId = await admin.create("sale.order", {
        partner_id: partner,
        warehouse_id: warehouse!.id,
        order_line: line(8),
    });
    await admin.call("sale.order", "action_confirm", [[earlierId]]);
    const orderId = await rep.create("sale.order", {
        partner_id: partner,
        warehouse_id: warehouse!.id,
        order_line: line(5),
    });
    await rep.call("sale.order", "action_confirm", [[orderId]]);
    const [order] = await rep.read("sale.order", [orderId], ["name"]);
    setup = {
        orderId,
        orderName: order!.name as string,
        pickingId: await delivery(orderId),
        earlierPicking: await delivery(earlierId),
    };

    const consoleErrors = watchConsole(page);
    await login(page, "rep");
    await page.goto(`/odoo/sales/${orderId}`);
    const panel = page.locator(".o_dg_urgent_panel");
    await expect(panel.locator(".o_dg_summary")).toContainText("Normal priority");
    await panel.locator(".o_dg_expedite").click();
    const wizard = page.locator(".modal:has(.o_field_widget[name='justification'])");
    await wizard
        .locator(".o_field_widget[name='justification'] textarea")
        .fill("E2E: the customer's line is down");
    await wizard.locator(".modal-footer button[name='action_send']").click();
    await expect(wizard).toHaveCount(0);
    await expect(page.locator(".o_notification")).toContainText("Morgan Warehouse Manager");
    await expect(panel.locator(".o_dg_urgent_badge")).toHaveText("Urgent: waiting for approval");
    await expect(panel.locator(".o_dg_request_state")).toHaveText("Pending");
    await expect(panel.locator(".o_dg_approve")).toHaveCount(0);
    await expect(panel.locator(".o_dg_expedite")).toHaveCount(0);
    // nothing moved yet: still 2 of 5 reserved, normal priority
    await expect(panel.locator(".o_dg_urgent_transfer .o_dg_reserved")).toHaveText(
        "2 / 5 reserved",
    );
    const [picking] = await admin.read("stock.picking", [setup.pickingId], ["priority"]);
    expect(picking).toMatchObject({ priority: "0" });
    expect(consoleErrors).toEqual([]);
});

test("the warehouse manager approves from the delivery: urgent, reserved first", async ({
    page,
}) => {
    expect(setup, "the order of the previous test").toBeDefined();
    const { orderId, orderName, pickingId, earlierPicking } = setup;
    const consoleErrors = watchConsole(page);
    await login(page, "whmanager");
    await page.goto(`/odoo/action-stock.action_picking_tree_all/${pickingId}`);
    const panel = page.locator(".o_dg_urgent_panel");
    await expect(panel.locator(".o_dg_justification")).toHaveText(
        "E2E: the customer's line is down",
    );
    await panel.locator(".o_dg_approve").click();
    const dialog = page.locator(".o_dg_decision_dialog");
    await dialog.locator(".o_dg_decision_reason").fill("E2E: truck leaves at 4");
    await dialog.locator(".o_dg_decision_confirm").click();
    await expect(dialog).toHaveCount(0);
    await expect(page.locator(".o_notification")).toContainText(`${orderName} expedited.`);
    await expect(panel.locator(".o_dg_urgent_badge")).toHaveText("Urgent: approved");
    await expect(
        panel.locator(".o_dg_urgent_transfer[data-priority='1'] .o_dg_reserved"),
    ).toHaveText("5 / 5 reserved");
    // Odoo's own star on the form says so too
    await expect(
        page.locator(".o_form_view .o_field_widget[name='priority'] .fa-star").first(),
    ).toBeVisible();

    const admin = await rpcAs("admin");
    const moves = await admin.searchRead(
        "stock.move",
        [["picking_id", "in", [pickingId, earlierPicking]]],
        ["picking_id", "quantity", "priority"],
    );
    const byPicking = new Map(moves.map((m) => [m2oId(m.picking_id), m]));
    expect(byPicking.get(pickingId)).toMatchObject({ quantity: 5, priority: "1" });
    expect(byPicking.get(earlierPicking)).toMatchObject({ quantity: 5, priority: "0" });
    const events = await admin.searchRead(
        "distribution.audit.log",
        [["sale_order_id", "=", orderId]],
        ["event"],
        { order: "id" },
    );
    expect(events.map((e) => e.event)).toEqual(["request", "approve", "urgent_apply"]);
    expect(consoleErrors).toEqual([]);
});
