import { expect, test } from "@playwright/test";
import { creditHoldProduct, heldOrder, login, rpcAs, watchConsole } from "./support";

// Delegation in the browser, as the users who meet it: the warehouse manager, a credit approver,
// names the sales manager (who approves prices, not credit) his delegate for the coming days,
// from Approvals > Delegations. The sales manager finds the held order in his To Decide and
// approves it there; the request's chatter and the audit log say "on behalf of".
test.describe.configure({ mode: "serial" });

const TAG = `Delegation ${Date.now().toString(36)}`;

let held: { orderId: number; orderName: string } | undefined;

test("the warehouse manager names the sales manager his delegate", async ({ page }) => {
    const admin = await rpcAs("admin");
    const rep = await rpcAs("rep");
    const manager = await rpcAs("whmanager");
    // earlier runs on this database: one delegate at a time, so theirs end
    const earlier = await admin.search("distribution.approval.delegation", [
        ["approver_id", "=", manager.uid],
    ]);
    if (earlier.length) {
        await admin.write("distribution.approval.delegation", earlier, { active: false });
    }
    const product = await creditHoldProduct(admin, `E2E ${TAG} pallets`);
    const orderId = await heldOrder(admin, rep, product, `E2E ${TAG} customer`);
    const [order] = await admin.read("sale.order", [orderId], ["name", "dg_credit_hold"]);
    expect(order!.dg_credit_hold).toBe("on_hold");
    held = { orderId, orderName: order!.name as string };
    // before the delegation the sales manager may not decide it
    const sam = await rpcAs("salesmanager");
    expect(
        await sam.searchCount("distribution.approval.request", [
            ["sale_order_id", "=", orderId],
            ["can_decide", "=", true],
        ]),
    ).toBe(0);

    const consoleErrors = watchConsole(page);
    await login(page, "whmanager");
    await page.goto("/odoo/action-distribution_governance.action_distribution_approval_delegation");
    await page.locator(".o_control_panel_main_buttons .o_list_button_add:visible").click();
    const form = page.locator(".o_form_view");
    await expect(form.locator(".o_field_widget[name='approver_id'] input")).toHaveValue(
        "Morgan Warehouse Manager",
    );
    const delegate = form.locator(".o_field_widget[name='delegate_id'] input");
    await delegate.fill("Sam Sales");
    await page.locator(".o-autocomplete--dropdown-item", { hasText: "Sam Sales Manager" }).click();
    const dateTo = form.locator(".o_field_widget[name='date_to'] input");
    const inThreeDays = new Date(Date.now() + 3 * 86400_000);
    await dateTo.fill(
        inThreeDays.toLocaleDateString("en-US", {
            month: "2-digit",
            day: "2-digit",
            year: "numeric",
        }),
    );
    await dateTo.press("Enter");
    await form.locator(".o_field_widget[name='note'] textarea").fill("E2E: away for the fair");
    await page.locator(".o_form_button_save").click();
    await expect(page.locator(".o_form_button_save")).toBeHidden();
    await expect(form.locator(".o_statusbar_status .o_arrow_button_current")).toContainText(
        "Current",
    );
    expect(consoleErrors).toEqual([]);
});

test("the delegate approves from To Decide; the log says on whose behalf", async ({ browser }) => {
    expect(held, "the held order of the previous test").toBeDefined();
    const { orderId, orderName } = held!;
    const context = await browser.newContext();
    const page = await context.newPage();
    const consoleErrors = watchConsole(page);
    await login(page, "salesmanager");
    await page.goto("/odoo/action-distribution_governance.action_approvals_inbox");
    await expect(page.locator(".o_searchview_facet")).toContainText("To Decide");
    const row = page.locator(".o_list_view .o_data_row", { hasText: orderName });
    await expect(row).toBeVisible();
    await row.locator("button[name='action_open_decision']:has-text('Approve')").click();
    const wizard = page.locator(".modal:has(.o_field_widget[name='reason'] textarea)");
    await expect(wizard).toBeVisible();
    await wizard
        .locator(".o_field_widget[name='reason'] textarea")
        .fill("E2E: covering for Morgan");
    await wizard.locator(".modal-footer button[name='action_confirm']:visible").click();
    await expect(wizard).toHaveCount(0);
    await expect(page.locator(".o_notification")).toContainText(`${orderName} released`);

    // the request's form: the decision and the chatter name both
    const admin = await rpcAs("admin");
    const [requestId] = await admin.search("distribution.approval.request", [
        ["sale_order_id", "=", orderId],
    ]);
    await page.goto(
        `/odoo/action-distribution_governance.action_distribution_approval_request/${requestId}`,
    );
    const form = page.locator(".o_form_view");
    await expect(form.locator(".o_statusbar_status .o_arrow_button_current")).toContainText(
        "Approved",
    );
    await expect(form.locator(".o_field_widget[name='decision_ids']")).toContainText(
        "Morgan Warehouse Manager",
    );
    await expect(page.locator(".o-mail-Chatter")).toContainText(
        "Approved by Sam Sales Manager on behalf of Morgan Warehouse Manager",
    );

    const manager = await rpcAs("whmanager");
    const sam = await rpcAs("salesmanager");
    const [order] = await admin.read("sale.order", [orderId], ["state", "dg_credit_hold"]);
    expect(order).toMatchObject({ state: "sale", dg_credit_hold: "released" });
    const [entry] = await admin.searchRead(
        "distribution.audit.log",
        [
            ["sale_order_id", "=", orderId],
            ["event", "=", "approve"],
        ],
        ["user_id", "on_behalf_of_id"],
    );
    expect((entry!.user_id as [number, string])[0]).toBe(sam.uid);
    expect((entry!.on_behalf_of_id as [number, string])[0]).toBe(manager.uid);
    expect(consoleErrors).toEqual([]);
    await context.close();
    // the specs after this one meet the approvers as they were
    const mine = await manager.search("distribution.approval.delegation", [
        ["approver_id", "=", manager.uid],
    ]);
    await manager.write("distribution.approval.delegation", mine, { active: false });
});
