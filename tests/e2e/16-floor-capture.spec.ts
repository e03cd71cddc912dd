import { expect, test, type Browser, type BrowserContext, type Page } from "@playwright/test";
import { login, rpcAs, watchConsole } from "./support";

// Floor capture on a handheld (390 × 844) with a scripted keyboard-wedge scanner: a picker
// reports damage during a pick and the manager, watching the floor's exceptions, sees it arrive
// and scraps it; a capture saved while the network is down is sent when it returns, once; bad
// scans are shown and heard, and create nothing.
test.describe.configure({ mode: "serial" });

const PHONE = { width: 390, height: 844 };
const TAG = Date.now().toString(36).toUpperCase();
const PRODUCT_CODE = `FLR-${TAG}`;
const OTHER_CODE = `FLR-OTHER-${TAG}`;
const SCREEN = "/odoo/action-distribution_governance.action_floor_capture";

interface Fixture {
    pickingId: number;
    pickingName: string;
    productId: number;
    locationBarcode: string;
}

let fixture: Fixture;
/** The stock location's own barcode, given back after the spec (later specs find it as it was). */
let originalBarcode: { id: number; barcode: string | false } | undefined;

test.afterAll(async () => {
    if (originalBarcode) {
        const admin = await rpcAs("admin");
        await admin.write("stock.location", [originalBarcode.id], {
            barcode: originalBarcode.barcode,
        });
    }
});

/** A delivery of the picker's of 5 crates from the main warehouse's stock, ready to pick. */
test.beforeAll(async () => {
    const admin = await rpcAs("admin");
    const [picker] = await admin.search("res.users", [["login", "=", "picker"]]);
    const [warehouse] = await admin.searchRead<{ id: number; lot_stock_id: [number, string] }>(
        "stock.warehouse",
        [["code", "=", "MDC"]],
        ["lot_stock_id"],
    );
    expect(warehouse, "the seeded main warehouse").toBeTruthy();
    const stockId = warehouse!.lot_stock_id[0];
    const locationBarcode = `LOC-${TAG}`;
    const [location] = await admin.read<{ id: number; barcode: string | false }>(
        "stock.location",
        [stockId],
        ["barcode"],
    );
    originalBarcode = { id: stockId, barcode: location!.barcode };
    await admin.write("stock.location", [stockId], { barcode: locationBarcode });
    const productId = await admin.create("product.product", {
        name: `Floor crate ${TAG}`,
        is_storable: true,
        barcode: PRODUCT_CODE,
    });
    await admin.create("product.product", { name: `Floor other ${TAG}`, barcode: OTHER_CODE });
    const quantId = await admin.create("stock.quant", {
        product_id: productId,
        location_id: stockId,
        inventory_quantity: 50,
    });
    await admin.call("stock.quant", "action_apply_inventory", [[quantId]]);
    const [customer] = await admin.search("res.partner", [["customer_rank", ">", 0]], { limit: 1 });
    expect(customer && picker, "the seeded customer and picker").toBeTruthy();
    const orderId = await admin.create("sale.order", {
        partner_id: customer!,
        warehouse_id: warehouse!.id,
        order_line: [[0, 0, { product_id: productId, product_uom_qty: 5 }]],
    });
    await admin.call("sale.order", "action_confirm", [[orderId]]);
    const [picking] = await admin.searchRead<{ id: number; name: string }>(
        "stock.picking",
        [["sale_id", "=", orderId]],
        ["name"],
    );
    await admin.write("stock.picking", [picking!.id], { user_id: picker! });
    fixture = { pickingId: picking!.id, pickingName: picking!.name, productId, locationBarcode };
});

async function phone(browser: Browser): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport: PHONE, hasTouch: true });
    // count the beeps of bad scans (the screen plays them through Web Audio)
    await context.addInitScript(() => {
        const w = window as unknown as { __dgBeeps: number };
        w.__dgBeeps = 0;
        const proto = BaseAudioContext.prototype;
        const original = Object.getOwnPropertyDescriptor(proto, "createOscillator")!.value as (
            this: BaseAudioContext,
        ) => OscillatorNode;
        proto.createOscillator = function (this: BaseAudioContext) {
            w.__dgBeeps++;
            return original.call(this);
        };
    });
    return { context, page: await context.newPage() };
}

/** A keyboard-wedge scanner: the code typed fast, then Enter, with no field focused. */
async function scan(page: Page, code: string): Promise<void> {
    await page.evaluate(() => (document.activeElement as HTMLElement | null)?.blur());
    await page.keyboard.type(code);
    await page.keyboard.press("Enter");
}

function beeps(page: Page): Promise<number> {
    return page.evaluate(() => (window as unknown as { __dgBeeps: number }).__dgBeeps);
}

async function floorExceptions(): Promise<{ id: number; name: string; state: string }[]> {
    const admin = await rpcAs("admin");
    return admin.searchRead(
        "distribution.exception",
        [
            ["origin", "=", "floor"],
            ["product_id", "=", fixture.productId],
        ],
        ["name", "state"],
    );
}

test("a picker reports damage in 3 scans and 2 taps; the manager sees it arrive and scraps it", async ({
    browser,
}) => {
    // the manager watches what the floor reports
    const managerContext = await browser.newContext({ viewport: { width: 1440, height: 900 } });
    const manager = await managerContext.newPage();
    await login(manager, "whmanager");
    await manager.goto("/odoo/action-distribution_governance.action_floor_exceptions");
    await expect(manager.locator(".o_list_view, .o_view_nocontent").first()).toBeVisible();

    const { context, page } = await phone(browser);
    const consoleErrors = watchConsole(page);
    await login(page, "picker");
    await page.goto(SCREEN);
    await expect(page.locator(".o_dg_floor_prompt")).toBeVisible();
    // the transfer is among mine
    await expect(
        page.locator(".o_dg_floor_picking", { hasText: fixture.pickingName }),
    ).toBeVisible();

    const started = Date.now();
    await scan(page, fixture.pickingName);
    await expect(page.locator(".o_dg_floor_transfer")).toContainText(fixture.pickingName);
    await scan(page, PRODUCT_CODE);
    await expect(page.locator(".o_dg_floor_scan_product")).toContainText(`Floor crate ${TAG}`);
    await scan(page, fixture.locationBarcode);
    await expect(page.locator(".o_dg_floor_scan_location")).toBeVisible();
    const damaged = page.locator(".o_dg_floor_reason[data-code=damaged]");
    await damaged.tap();
    await expect(damaged).toHaveAttribute("aria-pressed", "true");
    await expect(damaged).toHaveClass(/\bbtn-primary\b/);
    await page.screenshot({ path: "docs/screenshots/floor-capture-phone.png" });
    await page.locator(".o_dg_floor_save").tap();
    const message = page.locator(".o_dg_floor_message.alert-success");
    await expect(message).toContainText("recorded");
    const elapsed = Date.now() - started;
    console.log(`floor capture: first scan to saved in ${elapsed} ms`);
    test.info().annotations.push({
        type: "first scan to saved (ms)",
        description: String(elapsed),
    });
    const name = /EXC\/\S+/.exec((await message.textContent()) ?? "")?.[0];
    expect(name, "the saved message names the exception").toBeTruthy();
    // large targets for a thumb, within the screen
    const save = await page.locator(".o_dg_floor_reason").first().boundingBox();
    expect(save!.height).toBeGreaterThanOrEqual(48);

    const rows = await floorExceptions();
    expect(rows.map((r) => r.name)).toEqual([name]);

    // it arrives on the manager's list without a reload
    const row = manager.locator(".o_data_row", { hasText: name! });
    await expect(row).toBeVisible({ timeout: 20000 });
    await row.locator("td.o_data_cell").first().click();
    await manager.locator(".o_form_view button[name=action_open_resolve_wizard]").click();
    const dialog = manager.locator(".modal");
    await dialog.getByText("Scrap the damaged goods").click();
    await dialog.locator("button[name=action_resolve]").click();
    await expect(
        manager.locator(".o_form_view .o_statusbar_status button.o_arrow_button_current"),
    ).toContainText("Resolved");
    const admin = await rpcAs("admin");
    const [resolved] = await admin.searchRead<{
        id: number;
        state: string;
        result_scrap_id: [number, string] | false;
    }>("distribution.exception", [["name", "=", name!]], ["state", "result_scrap_id"]);
    expect(resolved!.state).toBe("resolved");
    expect(resolved!.result_scrap_id, "the scrap was made").toBeTruthy();
    const [scrap] = await admin.read<{ id: number; state: string; scrap_qty: number }>(
        "stock.scrap",
        [(resolved!.result_scrap_id as [number, string])[0]],
        ["state", "scrap_qty"],
    );
    expect(scrap).toMatchObject({ state: "done", scrap_qty: 1 });
    expect(consoleErrors).toEqual([]);
    await context.close();
    await managerContext.close();
});

test("offline mid-capture: kept on the device, sent when the network returns, exactly once", async ({
    browser,
}) => {
    const before = (await floorExceptions()).length;
    const { context, page } = await phone(browser);
    await login(page, "picker");
    await page.goto(SCREEN);
    await page.locator(".o_dg_floor_picking", { hasText: fixture.pickingName }).tap();
    await expect(page.locator(".o_dg_floor_transfer")).toContainText(fixture.pickingName);
    await scan(page, PRODUCT_CODE);
    await expect(page.locator(".o_dg_floor_scan_product")).toBeVisible();

    await context.setOffline(true);
    await expect(page.locator(".o_dg_floor_network")).toContainText("Offline");
    // a scan while offline is checked by the server when the capture is sent
    await scan(page, fixture.locationBarcode);
    await expect(page.locator(".o_dg_floor_scan_unchecked")).toBeVisible();
    await page.locator(".o_dg_floor_reason[data-code=wrong_item]").tap();
    await page.locator(".o_dg_floor_save").tap();
    await expect(page.locator(".o_dg_floor_message.alert-warning")).toContainText(
        "kept on this device",
    );
    await expect(page.locator(".o_dg_floor_pending")).toContainText("1");
    expect((await floorExceptions()).length, "nothing reached the server").toBe(before);

    await context.setOffline(false);
    await expect(page.locator(".o_dg_floor_message.alert-success")).toContainText(
        "Sent from this device",
        { timeout: 20000 },
    );
    await expect(page.locator(".o_dg_floor_pending")).toHaveCount(0);
    const after = await floorExceptions();
    expect(after.length, "exactly one exception").toBe(before + 1);
    // the page reloaded: nothing left to send again
    await page.reload();
    await expect(page.locator(".o_dg_floor_prompt")).toBeVisible();
    await expect(page.locator(".o_dg_floor_pending")).toHaveCount(0);
    expect((await floorExceptions()).length).toBe(before + 1);
    await context.close();
});

test("bad scans: a message and a beep, nothing created", async ({ browser }) => {
    const before = (await floorExceptions()).length;
    const { context, page } = await phone(browser);
    await login(page, "picker");
    await page.goto(SCREEN);
    const error = page.locator(".o_dg_floor_message.alert-danger");

    await scan(page, `WH/NOPE/${TAG}`);
    await expect(error).toContainText("not found among your companies' transfers");
    expect(await beeps(page)).toBe(1);

    await scan(page, fixture.pickingName);
    await expect(page.locator(".o_dg_floor_transfer")).toBeVisible();
    await scan(page, `NOPE-${TAG}`);
    await expect(error).toContainText(`Unknown barcode: NOPE-${TAG}`);
    await scan(page, OTHER_CODE);
    await expect(error).toContainText(`is not in ${fixture.pickingName}`);
    expect(await beeps(page)).toBe(3);
    await expect(page.locator(".o_dg_floor_scans")).toHaveCount(0);
    // no product scanned: a damage cannot be saved
    await page.locator(".o_dg_floor_reason[data-code=damaged]").tap();
    await expect(page.locator(".o_dg_floor_save")).toBeDisabled();
    expect((await floorExceptions()).length).toBe(before);
    await context.close();
});
