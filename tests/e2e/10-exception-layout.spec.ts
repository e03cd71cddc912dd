import { expect, test, type Browser, type Locator, type Page } from "@playwright/test";
import { creditHoldProduct, heldOrder, login, rpcAs, watchConsole } from "./support";

// The exception views and panels at the sizes they are used on. On a phone (390 × 844) the
// exceptions are cards whose actions, like the panel's in a transfer, lie within the screen:
// nothing to scroll sideways for. On a desktop (1440 × 900) a held order's exception panel is one
// line, and the order lines start above the fold under it and the credit panel.
test.describe.configure({ mode: "serial" });

const PHONE = { width: 390, height: 844 };
const DESKTOP = { width: 1440, height: 900 };
const TAG = `layout ${Date.now().toString(36)}`;

async function phonePage(browser: Browser): Promise<Page> {
    const context = await browser.newContext({ viewport: PHONE, isMobile: true, hasTouch: true });
    return context.newPage();
}

/** The element is on the screen horizontally: reachable without scrolling sideways. */
async function expectWithinWidth(locator: Locator, width: number): Promise<void> {
    await expect(locator).toBeVisible();
    const box = (await locator.boundingBox())!;
    expect(box.x, "starts on the screen").toBeGreaterThanOrEqual(0);
    expect(box.x + box.width, "ends on the screen").toBeLessThanOrEqual(width);
}

test("on a phone the exception cards carry their SLA and actions on the screen", async ({
    browser,
}) => {
    const page = await phonePage(browser);
    const consoleErrors = watchConsole(page);
    await login(page, "picker");
    await page.goto("/odoo/action-distribution_governance.action_exception_board");
    const card = page.locator(".o_kanban_record:has(.o_dg_resolve)").first();
    await expect(card).toBeVisible();
    await expectWithinWidth(card, PHONE.width);
    await expectWithinWidth(card.locator(".o_dg_resolve"), PHONE.width);
    await expectWithinWidth(card.locator(".o_dg_sla"), PHONE.width);
    // the four figures share one row above the cards
    const figures = page.locator(".o_dg_triage_figure");
    await expect(figures).toHaveCount(4);
    const tops = await figures.evaluateAll((els) => els.map((e) => e.getBoundingClientRect().top));
    expect(new Set(tops).size, "one row of figures").toBe(1);
    await expectWithinWidth(figures.last(), PHONE.width);
    expect(consoleErrors).toEqual([]);
});

test("on a phone a transfer's exception panel keeps its actions on the screen", async ({
    browser,
}) => {
    const picker = await rpcAs("picker");
    const rows = await picker.searchRead(
        "distribution.exception",
        [
            ["state", "in", ["new", "in_progress"]],
            ["picking_id", "!=", false],
        ],
        ["picking_id", "user_can_resolve"],
    );
    const row = rows.find((r) => r.user_can_resolve);
    expect(row, "the seeded data has a transfer with an exception to resolve").toBeTruthy();
    const pickingId = (row!.picking_id as [number, string])[0];

    const page = await phonePage(browser);
    const consoleErrors = watchConsole(page);
    await login(page, "picker");
    await page.goto(`/odoo/action-stock.action_picking_tree_all/${pickingId}`);
    const line = page.locator(".o_dg_exception_panel .o_dg_panel_line");
    await expectWithinWidth(line, PHONE.width);
    const toggle = line.locator(".o_dg_panel_toggle");
    if (await toggle.count()) {
        await toggle.click(); // several: their detail, each with its actions
    }
    const resolve = page.locator(".o_dg_exception_panel .o_dg_resolve").first();
    await expectWithinWidth(resolve, PHONE.width);
    expect(consoleErrors).toEqual([]);
});

test("on a held order the exception panel is one line and the order lines are in view", async ({
    browser,
}) => {
    const admin = await rpcAs("admin");
    const rep = await rpcAs("rep");
    const product = await creditHoldProduct(admin, `E2E Layout Item ${TAG}`);
    const orderId = await heldOrder(admin, rep, product, `E2E Layout ${TAG}`);

    for (const login_ of ["rep", "whmanager"]) {
        const context = await browser.newContext({ viewport: DESKTOP });
        const page = await context.newPage();
        const consoleErrors = watchConsole(page);
        await login(page, login_);
        await page.goto(`/odoo/sales/${orderId}`);
        const line = page.locator(".o_dg_exception_panel .o_dg_panel_line");
        await expect(line).toContainText("Credit hold");
        const box = (await line.boundingBox())!;
        expect(box.height, `${login_}: one line`).toBeLessThan(50);
        const firstLine = page.locator(".o_field_widget[name='order_line'] .o_data_row").first();
        await expect(firstLine).toBeVisible();
        const top = (await firstLine.boundingBox())!.y;
        expect(top, `${login_}: the first order line starts above the fold`).toBeLessThan(
            DESKTOP.height,
        );
        expect(consoleErrors).toEqual([]);
        await context.close();
    }
});
