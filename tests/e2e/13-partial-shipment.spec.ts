import { expect, test } from "@playwright/test";
import { m2oId, x2mIds } from "../../scripts/lib/odoo-rpc";
import { login, rpcAs, watchConsole } from "./support";

// Partial shipments in the browser, as the users who meet them: an order to be delivered all at
// once has 6 of its 10 units in stock. The picker picks the 6 and validates: refused, he is told
// why and justifies the request. The stock manager approves it from the transfer's panel. The
// picker validates again: 6 ship, the 4 left go to a backorder.
test.describe.configure({ mode: "serial" });

const TAG = `Partial ${Date.now().toString(36)}`;

let delivery: { pickingId: number; pickingName: string; orderId: number } | undefined;

const pickingUrl = (id: number) => `/odoo/action-stock.action_picking_tree_all/${id}`;

test("the picker validates a delivery short: refused, he requests an approval", async ({
    page,
}) => {
    const admin = await rpcAs("admin");
    const picker = await rpcAs("picker");
    const partner = await admin.create("res.partner", { name: `E2E ${TAG}`, is_company: true });
    const product = await admin.create("product.product", {
        name: `E2E Partial Item ${TAG}`,
        is_storable: true,
        list_price: 3,
        standard_price: 1,
    });
    const [warehouse] = await admin.searchRead("stock.warehouse", [], ["lot_stock_id"], {
        order: "id",
        limit: 1,
    });
    const quant = await admin.create(
        "stock.quant",
        {
            product_id: product,
            location_id: m2oId(warehouse!.lot_stock_id),
            inventory_quantity: 6,
        },
        { inventory_mode: true },
    );
    await admin.call("stock.quant", "action_apply_inventory", [[quant]], {
        context: { inventory_mode: true },
    });
    const orderId = await admin.create("sale.order", {
        partner_id: partner,
        warehouse_id: warehouse!.id,
        picking_policy: "one",
        order_line: [[0, 0, { product_id: product, product_uom_qty: 10 }]],
    });
    await admin.call("sale.order", "action_confirm", [[orderId]]);
    const [order] = await admin.read("sale.order", [orderId], ["picking_ids"]);
    const pickingId = x2mIds(order!.picking_ids)[0]!;
    // the picker picks what there is
    await picker.call("stock.picking", "action_assign", [[pickingId]]);
    const [picking] = await picker.read("stock.picking", [pickingId], ["name", "move_ids"]);
    await picker.write("stock.move", x2mIds(picking!.move_ids), { quantity: 6, picked: true });
    delivery = { pickingId, pickingName: picking!.name as string, orderId };

    const consoleErrors = watchConsole(page);
    await login(page, "picker");
    await page.goto(pickingUrl(pickingId));
    const panel = page.locator(".o_dg_partial_panel");
    await expect(panel.locator(".o_dg_requirement")).toContainText("delivered all at once");
    await expect(panel.locator(".o_dg_summary")).toHaveText(
        "Validating now ships 1 move short of its demand",
    );
    await expect(panel.locator(".o_dg_partial_row .o_dg_short")).toHaveText("4");
    await page
        .locator(".o_statusbar_buttons button[name='button_validate']:visible")
        .first()
        .click();
    // told why, and who decides; he justifies
    const wizard = page.locator(".modal:has(.o_dg_waiting_for)");
    await expect(wizard.locator(".modal-title")).toContainText(
        `Request partial shipment approval for ${delivery.pickingName}`,
    );
    await expect(wizard.locator(".o_dg_waiting_for")).toContainText("Morgan");
    await wizard
        .locator(".o_field_widget[name='justification'] textarea")
        .fill("E2E: the truck leaves now, the rest next week");
    await wizard.locator(".modal-footer button[name='action_send']").click();
    await expect(wizard).toHaveCount(0);

    await expect(page.locator(".o_form_view .ribbon")).toContainText("Partial shipment to approve");
    await expect(panel.locator(".o_dg_request_state")).toHaveText("Pending");
    await expect(panel.locator(".o_dg_approve")).toHaveCount(0);
    const [state] = await picker.read("stock.picking", [pickingId], ["state", "dg_partial_state"]);
    expect(state).toMatchObject({ dg_partial_state: "pending" });
    expect(state!.state).not.toBe("done");
    expect(consoleErrors).toEqual([]);
});

test("the stock manager approves from the transfer", async ({ page }) => {
    expect(delivery, "the delivery of the previous test").toBeDefined();
    const { pickingId, pickingName } = delivery!;
    const consoleErrors = watchConsole(page);
    await login(page, "whmanager");
    await page.goto(pickingUrl(pickingId));
    const panel = page.locator(".o_dg_partial_panel");
    await expect(panel.locator(".o_dg_justification")).toContainText("the truck leaves now");
    await panel.locator(".o_dg_approve").click();
    const dialog = page.locator(".o_dg_decision_dialog");
    await dialog.locator(".o_dg_decision_reason").fill("E2E: customer agreed");
    await dialog.locator(".o_dg_decision_confirm").click();
    await expect(dialog).toHaveCount(0);
    await expect(page.locator(".o_notification")).toContainText(
        `${pickingName}: partial shipment approved; it can be validated as approved.`,
    );
    await expect(panel.locator(".o_dg_partial_badge")).toHaveText("Partial shipment approved");
    await expect(panel.locator(".o_dg_approved_now")).toBeVisible();
    expect(consoleErrors).toEqual([]);
});

test("the picker validates what was approved: a backorder takes the rest", async ({ page }) => {
    expect(delivery, "the delivery of the previous tests").toBeDefined();
    const { pickingId, orderId } = delivery!;
    const consoleErrors = watchConsole(page);
    await login(page, "picker");
    await page.goto(pickingUrl(pickingId));
    await page
        .locator(".o_statusbar_buttons button[name='button_validate']:visible")
        .first()
        .click();
    const backorder = page.locator(".modal:has(button[name='process'])");
    await backorder.locator("button[name='process']").click();
    await expect(backorder).toHaveCount(0);
    await expect(
        page.locator(".o_form_view .o_statusbar_status .o_arrow_button_current"),
    ).toContainText("Done");

    const admin = await rpcAs("admin");
    const [picking] = await admin.read("stock.picking", [pickingId], ["state", "backorder_ids"]);
    expect(picking!.state).toBe("done");
    const [rest] = await admin.read("stock.picking", x2mIds(picking!.backorder_ids), ["move_ids"]);
    const moves = await admin.read("stock.move", x2mIds(rest!.move_ids), ["product_uom_qty"]);
    expect(moves.map((m) => m.product_uom_qty)).toEqual([4]);
    const [line] = await admin.searchRead(
        "sale.order.line",
        [["order_id", "=", orderId]],
        ["qty_delivered"],
    );
    expect(line!.qty_delivered).toBe(6);
    const events = await admin.searchRead(
        "distribution.audit.log",
        [["request_id.picking_id", "=", pickingId]],
        ["event"],
        { order: "id" },
    );
    expect(events.map((e) => e.event)).toEqual([
        "request",
        "justify",
        "approve",
        "release",
        "partial_done",
    ]);
    expect(consoleErrors).toEqual([]);
});
