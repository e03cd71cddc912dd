import { expect, test } from "@playwright/test";
import { m2oId } from "../../scripts/lib/odoo-rpc";
import { login, rpcAs, watchConsole } from "./support";

// Large inventory adjustments in the browser, as the users who meet them: the picker (a stock
// user) counts far more than the system holds and applies it in Physical Inventory; the count
// waits, marked "Pending approval" there, and he justifies it. The warehouse manager opens the
// request, reads the count and approves: the stock becomes the count.
test.describe.configure({ mode: "serial" });

const TAG = `Count ${Date.now().toString(36)}`;

let pending: { productId: number; quantId: number; requestId: number } | undefined;

test("the picker's large count waits for a stock manager in Physical Inventory", async ({
    page,
}) => {
    const admin = await rpcAs("admin");
    const picker = await rpcAs("picker");
    const [me] = await admin.read("res.users", [admin.uid], ["company_id"]);
    const companyId = m2oId(me!.company_id) as number;
    const [warehouse] = await admin.searchRead(
        "stock.warehouse",
        [["company_id", "=", companyId]],
        ["lot_stock_id"],
        { limit: 1, order: "id" },
    );
    const location = m2oId(warehouse!.lot_stock_id) as number;
    const productId = await admin.create("product.product", {
        name: `E2E ${TAG}`,
        is_storable: true,
        standard_price: 20,
    });
    // 10 on hand (200 of value: within any threshold below), then the control from 500
    await admin.create(
        "stock.quant",
        { product_id: productId, location_id: location, inventory_quantity_auto_apply: 10 },
        { inventory_mode: true },
    );
    await admin.write("res.company", [companyId], {
        dg_inventory_control_active: true,
        dg_inventory_value_threshold: 500,
        dg_inventory_qty_threshold: 0,
    });
    const [quant] = await picker.search("stock.quant", [
        ["product_id", "=", productId],
        ["location_id", "=", location],
    ]);
    // counted 60: +50 x 20 = 1,000
    await picker.write(
        "stock.quant",
        [quant!],
        { inventory_quantity: 60 },
        { inventory_mode: true },
    );

    const consoleErrors = watchConsole(page);
    await login(page, "picker");
    await page.goto("/odoo/physical-inventory");
    // Odoo opens on "My Counts" (counts assigned to him): this one he found himself
    await page
        .locator(".o_searchview_facet", { hasText: "My Counts" })
        .locator(".o_facet_remove")
        .click();
    const search = page.locator(".o_searchview_input");
    await search.fill(`E2E ${TAG}`);
    await search.press("Enter");
    const row = page.locator(".o_list_view .o_data_row", { hasText: `E2E ${TAG}` });
    await expect(row).toHaveCount(1);
    await row.locator("button[name='action_apply_inventory']").click();

    // the justification, in the dialog that names who decides
    const wizard = page.locator(".modal:has(.o_dg_waiting_for)");
    await expect(wizard.locator(".o_dg_waiting_for")).toContainText("Administrator");
    await wizard
        .locator(".o_field_widget[name='justification'] textarea")
        .fill("E2E: a full pallet found behind the dock");
    await wizard.locator(".modal-footer button[name='action_send']").click();
    await expect(wizard).toHaveCount(0);

    await expect(row.locator(".o_field_widget[name='dg_inventory_approval']")).toHaveText(
        "Pending approval",
    );
    await expect(row.locator("td[name='quantity']")).toContainText("10");
    // the filter lists it
    await page.locator(".o_searchview_dropdown_toggler").click();
    await page.locator(".o_filter_menu .o_menu_item", { hasText: "Pending Approval" }).click();
    await expect(page.locator(".o_list_view .o_data_row", { hasText: `E2E ${TAG}` })).toHaveCount(
        1,
    );

    const [state] = await picker.read(
        "stock.quant",
        [quant!],
        ["quantity", "dg_inventory_request_id"],
    );
    expect(state!.quantity).toBe(10);
    const requestId = m2oId(state!.dg_inventory_request_id) as number;
    expect(requestId).toBeTruthy();
    pending = { productId, quantId: quant!, requestId };
    expect(consoleErrors).toEqual([]);
});

test("the warehouse manager approves it from the request: the count is applied", async ({
    page,
}) => {
    expect(pending, "the pending count of the previous test").toBeDefined();
    const { productId, quantId, requestId } = pending!;
    const consoleErrors = watchConsole(page);
    await login(page, "whmanager");
    await page.goto(`/odoo/action-distribution_governance.action_approvals_inbox/${requestId}`);
    const form = page.locator(".o_form_view");
    const lines = form.locator(".o_dg_inventory_lines");
    await expect(lines.locator(".o_dg_inventory_line")).toHaveCount(1);
    await expect(lines).toContainText(`E2E ${TAG}`);
    await expect(lines.locator(".o_dg_counted")).toContainText("60");
    await expect(lines.locator(".o_dg_change")).toHaveText("+50");
    await expect(form.locator(".o_field_widget[name='reason']")).toContainText(
        "E2E: a full pallet found behind the dock",
    );

    await form
        .locator(".o_statusbar_buttons button[name='action_open_decision']:has-text('Approve')")
        .click();
    const wizard = page.locator(".modal:has(.o_field_widget[name='reason'] textarea)");
    await wizard.locator(".o_field_widget[name='reason'] textarea").fill("E2E: checked on site");
    await wizard.locator(".modal-footer button[name='action_confirm']:visible").click();
    await expect(wizard).toHaveCount(0);
    await expect(page.locator(".o_notification")).toContainText("counts applied by");
    await expect(form.locator(".o_statusbar_status .o_arrow_button_current")).toContainText(
        "Approved",
    );

    const admin = await rpcAs("admin");
    const [quant] = await admin.read(
        "stock.quant",
        [quantId],
        ["quantity", "dg_inventory_approval", "inventory_quantity_set"],
    );
    expect(quant).toMatchObject({
        quantity: 60,
        dg_inventory_approval: false,
        inventory_quantity_set: false,
    });
    const [product] = await admin.read("product.product", [productId], ["qty_available"]);
    expect(product!.qty_available).toBe(60);
    const events = await admin.searchRead(
        "distribution.audit.log",
        [["request_id", "=", requestId]],
        ["event"],
        { order: "id" },
    );
    expect(events.map((e) => e.event)).toEqual([
        "request",
        "justify",
        "approve",
        "inventory_apply",
    ]);
    expect(consoleErrors).toEqual([]);
});
