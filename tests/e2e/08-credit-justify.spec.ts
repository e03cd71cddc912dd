import { expect, test } from "@playwright/test";
import type { Domain, OdooRpc } from "../../scripts/lib/odoo-rpc";
import { creditHoldProduct, login, rpcAs, watchConsole } from "./support";

// The credit hold as its users meet it in the browser. The sales rep confirms an order over his
// customer's limit: the server's dialog says who decides (the approvers, not him), he justifies
// the request and sends it; his order then says whom it waits for, with no Confirm and no
// Approve / Reject for him. The finance approver follows his to-do from Odoo's activity menu to
// the request's form, reads the justification and approves it there; the order is confirmed and
// the to-dos are closed.
test.describe.configure({ mode: "serial" });

const TAG = `justify ${Date.now().toString(36)}`;
const JUSTIFICATION = "E2E: payment received by wire this morning, remittance attached";

interface Flow {
    orderId: number;
    orderName: string;
    requestId: number;
}

let flow: Flow | undefined;

test("the rep justifies his held order in the dialog that names who decides", async ({ page }) => {
    const admin = await rpcAs("admin");
    const rep = await rpcAs("rep");
    const product = await creditHoldProduct(admin, `E2E Credit Item ${TAG}`);
    const partner = await admin.create("res.partner", {
        name: `E2E Credit ${TAG}`,
        is_company: true,
        credit_limit: 100,
    });
    const orderId = await rep.create("sale.order", {
        partner_id: partner,
        order_line: [[0, 0, { product_id: product, product_uom_qty: 1 }]],
    });
    const [order] = await rep.read("sale.order", [orderId], ["name"]);
    const orderName = order!.name as string;

    const consoleErrors = watchConsole(page);
    await login(page, "rep");
    await page.goto(`/odoo/sales/${orderId}`);
    await expect(page.locator(".o_form_view .o_breadcrumb")).toContainText(orderName);
    await page
        .locator(".o_statusbar_buttons button[name='action_confirm']:visible")
        .first()
        .click();

    // the server's dialog: why the hold, who decides (not him), his justification
    const wizard = page.locator(".modal:has(.o_dg_waiting_for)");
    await expect(wizard).toBeVisible();
    await expect(wizard.locator(".modal-title")).toContainText(orderName);
    const waitingFor = wizard.locator(".o_dg_waiting_for");
    await expect(waitingFor).toContainText("Frances Finance");
    await expect(waitingFor).toContainText("Morgan Warehouse Manager");
    await expect(waitingFor).not.toContainText("Riley");
    await wizard.locator(".o_field_widget[name='justification'] textarea").fill(JUSTIFICATION);
    await wizard.locator(".modal-footer button[name='action_send']").click();
    await expect(wizard).toHaveCount(0);
    await expect(page.locator(".o_notification")).toContainText("waits for");

    // his order waits for the approvers: no Confirm, no Approve / Reject for him
    const panel = page.locator(".o_dg_credit_panel");
    await expect(panel.locator(".o_dg_status")).toContainText(
        "On credit hold, waiting for approval by:",
    );
    await expect(panel.locator(".o_dg_status")).toContainText("Frances Finance");
    await expect(panel.locator(".o_dg_justification_text")).toHaveText(JUSTIFICATION);
    await expect(panel.locator(".o_dg_approve")).toHaveCount(0);
    await expect(panel.locator(".o_dg_reject")).toHaveCount(0);
    await expect(panel.locator(".o_dg_justify")).toHaveCount(0);
    await expect(page.locator(".o_form_view .ribbon")).toContainText("On credit hold");
    await expect(
        page.locator(".o_statusbar_buttons button[name='action_confirm']:visible"),
    ).toHaveCount(0);

    const requests = await admin.searchRead(
        "distribution.approval.request",
        [["sale_order_id", "=", orderId]],
        ["state", "reason"],
    );
    expect(requests).toHaveLength(1);
    expect(requests[0]).toMatchObject({ state: "pending", reason: JUSTIFICATION });
    flow = { orderId, orderName, requestId: requests[0]!.id };
    expect(consoleErrors).toEqual([]);
});

test("the approver follows his to-do to the request, reads the justification and approves", async ({
    browser,
}) => {
    expect(flow, "the justified request of the previous test").toBeDefined();
    const { orderId, orderName, requestId } = flow!;
    const admin = await rpcAs("admin");
    const finance = await rpcAs("finance");
    const manager = await rpcAs("whmanager");
    // Odoo shows a user the activities of others only on records he may write (requests are
    // read-only to everyone): each approver counts his own to-dos.
    const todos = (rpc: OdooRpc) => {
        const domain: Domain = [
            ["res_model", "=", "distribution.approval.request"],
            ["res_id", "=", requestId],
            ["user_id", "=", rpc.uid],
        ];
        return rpc.searchCount("mail.activity", domain);
    };
    expect(await todos(finance), "finance has a to-do").toBe(1);
    expect(await todos(manager), "so has the warehouse manager").toBe(1);

    const context = await browser.newContext();
    const page = await context.newPage();
    const consoleErrors = watchConsole(page);
    await login(page, "finance");

    // Odoo's activity menu in the systray: the group of approval requests, then the request
    await page.locator(".o_menu_systray button:has(i[aria-label='Activities'])").click();
    await page
        .locator(".o-mail-ActivityGroup[data-model_name='distribution.approval.request']")
        .click();
    await page.locator(`.o_list_view .o_data_row:has-text("${orderName}")`).click();

    const form = page.locator(".o_form_view");
    await expect(form.locator(".o_field_widget[name='document_ref']")).toContainText(orderName);
    await expect(form.locator(".o_field_widget[name='reason']")).toContainText(JUSTIFICATION);
    await expect(form.locator(".o_field_widget[name='waiting_for']")).toContainText(
        "Frances Finance",
    );
    await form
        .locator(".o_statusbar_buttons button[name='action_open_decision']:has-text('Approve')")
        .click();

    const wizard = page.locator(".modal:has(.o_field_widget[name='reason'] textarea)");
    await expect(wizard).toBeVisible();
    await expect(wizard.locator(".o_field_widget[name='justification']")).toContainText(
        JUSTIFICATION,
    );
    await wizard
        .locator(".o_field_widget[name='reason'] textarea")
        .fill("E2E: remittance checked with the bank");
    await wizard.locator(".modal-footer button[name='action_confirm']:visible").click();
    await expect(wizard).toHaveCount(0);
    await expect(page.locator(".o_notification")).toContainText(
        `${orderName} released and confirmed.`,
    );
    await expect(
        form.locator(".o_statusbar_status .o_arrow_button_current"),
        "the request form reloads decided",
    ).toContainText("Approved");
    await expect(form.locator("button[name='action_open_decision']")).toHaveCount(0);

    const [order] = await admin.read("sale.order", [orderId], ["state", "dg_credit_hold"]);
    expect(order).toMatchObject({ state: "sale", dg_credit_hold: "released" });
    const [request] = await admin.read("distribution.approval.request", [requestId], ["state"]);
    expect(request!.state).toBe("approved");
    expect(await todos(finance), "his to-do is closed").toBe(0);
    expect(await todos(manager), "and the other approvers' too").toBe(0);
    expect(consoleErrors).toEqual([]);
    await context.close();
});
