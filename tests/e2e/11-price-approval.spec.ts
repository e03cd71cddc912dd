import { expect, test } from "@playwright/test";
import { m2oId } from "../../scripts/lib/odoo-rpc";
import { login, rpcAs, watchConsole } from "./support";

// Pricing governance in the browser, as the users who meet it: the rep confirms a quotation a
// fifth below the pricelist; it stays a quotation, held, and his price panel shows the line's
// deviation but neither its margin nor Approve / Reject. The administrator (a sales manager)
// opens the order, reads the margin in the panel and approves there: the order is confirmed.
test.describe.configure({ mode: "serial" });

const TAG = `Price ${Date.now().toString(36)}`;

let held: { orderId: number; orderName: string } | undefined;

test("the rep's quotation below the pricelist is held, without margins for him", async ({
    page,
}) => {
    const admin = await rpcAs("admin");
    const rep = await rpcAs("rep");
    const [me] = await admin.read("res.users", [admin.uid], ["company_id"]);
    await admin.write("res.company", [m2oId(me!.company_id) as number], {
        dg_price_control_active: true,
        dg_price_max_discount: 10,
        dg_price_margin_floor: 15,
    });
    const partner = await admin.create("res.partner", { name: `E2E ${TAG}`, is_company: true });
    const product = await admin.create("product.product", {
        name: `E2E Price Item ${TAG}`,
        type: "consu",
        list_price: 100,
        standard_price: 60,
        taxes_id: [[6, 0, []]],
    });
    const orderId = await rep.create("sale.order", {
        partner_id: partner,
        order_line: [[0, 0, { product_id: product, product_uom_qty: 2, price_unit: 80 }]],
    });
    const [order] = await rep.read("sale.order", [orderId], ["name"]);
    held = { orderId, orderName: order!.name as string };

    const consoleErrors = watchConsole(page);
    await login(page, "rep");
    await page.goto(`/odoo/sales/${orderId}`);
    const panel = page.locator(".o_dg_price_panel");
    await expect(panel.locator(".o_dg_summary")).toHaveText("1 line below the pricing policy");
    await page
        .locator(".o_statusbar_buttons button[name='action_confirm']:visible")
        .first()
        .click();
    // the justification, in the dialog that names who decides
    const wizard = page.locator(".modal:has(.o_dg_waiting_for)");
    await expect(wizard.locator(".o_dg_waiting_for")).toContainText("Administrator");
    await wizard.locator(".o_field_widget[name='justification'] textarea").fill("E2E: tender");
    await wizard.locator(".modal-footer button[name='action_send']").click();
    await expect(wizard).toHaveCount(0);

    await expect(page.locator(".o_form_view .ribbon")).toContainText("Price below policy");
    await expect(panel.locator(".o_dg_hold_badge")).toHaveText("Price below policy");
    const row = panel.locator(".o_dg_price_row[data-flag='discount']");
    await expect(row.locator(".o_dg_deviation")).toHaveText("20.0% below");
    await expect(panel.locator(".o_dg_margin")).toHaveCount(0);
    await expect(panel.locator(".o_dg_request_state")).toHaveText("Pending");
    await expect(panel.locator(".o_dg_approve")).toHaveCount(0);
    await expect(
        page.locator(".o_statusbar_buttons button[name='action_confirm']:visible"),
    ).toHaveCount(0);
    const [state] = await rep.read("sale.order", [orderId], ["state", "dg_price_hold"]);
    expect(state).toMatchObject({ state: "draft", dg_price_hold: "on_hold" });
    expect(consoleErrors).toEqual([]);
});

test("a sales manager reads the margin and approves from the order", async ({ page }) => {
    expect(held, "the held order of the previous test").toBeDefined();
    const { orderId, orderName } = held!;
    const consoleErrors = watchConsole(page);
    await login(page, "admin");
    await page.goto(`/odoo/sales/${orderId}`);
    const panel = page.locator(".o_dg_price_panel");
    await expect(panel.locator(".o_dg_price_row .o_dg_margin")).toHaveText("25.0%");
    await panel.locator(".o_dg_approve").click();
    const dialog = page.locator(".o_dg_decision_dialog");
    await dialog.locator(".o_dg_decision_reason").fill("E2E: strategic account");
    await dialog.locator(".o_dg_decision_confirm").click();
    await expect(dialog).toHaveCount(0);
    await expect(page.locator(".o_notification")).toContainText(
        `${orderName}: prices approved and the order confirmed.`,
    );
    await expect(
        page.locator(".o_form_view .o_statusbar_status .o_arrow_button_current"),
    ).toContainText("Sales Order");
    await expect(panel.locator(".o_dg_hold_badge")).toHaveText("Price approved");

    const admin = await rpcAs("admin");
    const [order] = await admin.read("sale.order", [orderId], ["state", "dg_price_hold"]);
    expect(order).toMatchObject({ state: "sale", dg_price_hold: "released" });
    const events = await admin.searchRead(
        "distribution.audit.log",
        [["sale_order_id", "=", orderId]],
        ["event"],
        { order: "id" },
    );
    expect(events.map((e) => e.event)).toEqual(["request", "justify", "approve", "release"]);
    expect(consoleErrors).toEqual([]);
});
