import { expect, test, type Page } from "@playwright/test";
import { m2oId, x2mIds } from "../../scripts/lib/odoo-rpc";
import { login, rpcAs, watchConsole } from "./support";

// The credit-hold approval flow in the browser, as two users: the sales rep's confirmation is
// held, he leaves the justification for later and adds it from the credit panel, where he sees
// who decides and no Approve / Reject; the warehouse manager finds it under Approvals > To Decide
// with its justification, reads the customer's credit in the request's form and approves it
// there; the order is a sales order, its panel one line; the delivery then goes out and the
// audit log holds the trail in order.
test.describe.configure({ mode: "serial" });

const TAG = `UI ${Date.now().toString(36)}`;

interface Flow {
    orderId: number;
    orderName: string;
    partnerName: string;
}

let flow: Flow | undefined;

/** Opens the Distribution Governance app from the apps menu of the navbar. */
async function openGovernanceApp(page: Page): Promise<void> {
    await page.locator(".o_navbar_apps_menu button").click();
    await page
        .locator(
            ".o_app[data-menu-xmlid='distribution_governance.menu_distribution_governance_root']",
        )
        .click();
    await expect(page.locator(".o_main_navbar .o_menu_brand")).toHaveText(
        "Distribution Governance",
    );
}

function statusbarCurrent(page: Page) {
    return page.locator(".o_form_view .o_statusbar_status .o_arrow_button_current");
}

test("the rep's confirmation is held and the rep cannot approve it", async ({ page }) => {
    const admin = await rpcAs("admin");
    const rep = await rpcAs("rep");
    const [me] = await admin.read("res.users", [admin.uid], ["company_id"]);
    await admin.write("res.company", [m2oId(me!.company_id) as number], {
        account_use_credit_limit: true,
        dg_credit_hold_point: "confirmation",
    });
    const partnerName = `E2E Credit ${TAG}`;
    const partner = await admin.create("res.partner", {
        name: partnerName,
        is_company: true,
        credit_limit: 100,
    });
    const product = await admin.create("product.product", {
        name: `E2E Credit Item ${TAG}`,
        type: "consu",
        list_price: 500,
        taxes_id: [[6, 0, []]],
    });
    const orderId = await rep.create("sale.order", {
        partner_id: partner,
        order_line: [[0, 0, { product_id: product, product_uom_qty: 1 }]],
    });
    const [order] = await rep.read("sale.order", [orderId], ["name", "state", "amount_total"]);
    expect(order).toMatchObject({ state: "draft", amount_total: 500 });
    flow = { orderId, orderName: order!.name as string, partnerName };

    const consoleErrors = watchConsole(page);
    await login(page, "rep");
    await page.goto(`/odoo/sales/${orderId}`);
    const panel = page.locator(".o_dg_credit_panel");
    await expect(panel, "the panel shows before any hold").toBeVisible();
    await expect(panel.locator(".o_dg_hold_badge")).toHaveCount(0);
    // over the limit already: the panel says what confirming will do, Odoo's banner gives way
    await expect(panel.locator(".o_dg_status")).toContainText(
        "Confirming puts the order on credit hold",
    );
    await expect(
        page.locator(".o_form_view div[role=alert]:has([name=partner_credit_warning])"),
    ).toBeHidden();

    await page
        .locator(".o_statusbar_buttons button[name='action_confirm']:visible")
        .first()
        .click();
    // the server asks for a justification; he leaves it for later
    const wizard = page.locator(".modal:has(.o_dg_waiting_for)");
    await expect(wizard.locator(".o_dg_waiting_for")).toContainText("Morgan Warehouse Manager");
    await wizard.locator(".modal-footer button:has-text('Later')").click();
    await expect(wizard).toHaveCount(0);

    await expect(page.locator(".o_form_view .ribbon")).toContainText("On credit hold");
    await expect(statusbarCurrent(page)).toContainText("Quotation");
    await expect(panel.locator(".o_dg_hold_badge")).toHaveText("On credit hold");
    await expect(panel.locator(".o_dg_status")).toContainText("waiting for approval by:");
    await expect(panel.locator(".o_dg_summary")).toContainText("(500%)");

    // the exposure, on demand: 500 for this order against a limit of 100, the part beyond red
    await expect(panel.locator(".o_dg_details")).toHaveCount(0);
    await panel.locator(".o_dg_toggle").click();
    await expect(panel.locator(".o_dg_piece[data-key='this_order']").first()).toBeVisible();
    await expect(panel.locator(".o_dg_piece[data-over='1']")).toHaveCount(1);
    await expect(panel.locator(".o_dg_limit_marker")).toBeAttached();
    await expect(panel.locator(".o_dg_legend_this_order .o_dg_amount")).toContainText("500.00");
    await expect(panel.locator(".o_dg_limit")).toContainText("100.00");
    await expect(panel.locator(".o_dg_over")).toContainText("Over the limit by");

    // his request waits for others: no buttons he could never use
    await expect(panel.locator(".o_dg_request_state")).toHaveText("Pending");
    await expect(panel.locator(".o_dg_status")).toContainText("Morgan Warehouse Manager");
    await expect(panel.locator(".o_dg_status")).not.toContainText("Riley");
    await expect(panel.locator(".o_dg_approve")).toHaveCount(0);
    await expect(panel.locator(".o_dg_reject")).toHaveCount(0);
    await expect(
        page.locator(".o_statusbar_buttons button[name='action_confirm']:visible"),
    ).toHaveCount(0);

    // the justification he left for later, from the panel
    await panel.locator(".o_dg_justify").click();
    const dialog = page.locator(".o_dg_decision_dialog");
    await expect(dialog.locator(".o_dg_decision_summary")).toContainText("Waiting for:");
    await dialog.locator(".o_dg_decision_reason").fill("E2E: the customer paid by wire today");
    await dialog.locator(".o_dg_decision_confirm").click();
    await expect(dialog).toHaveCount(0);
    await expect(page.locator(".o_notification")).toContainText("waits for");
    await expect(panel.locator(".o_dg_justification_text")).toHaveText(
        "E2E: the customer paid by wire today",
    );
    await expect(panel.locator(".o_dg_justify")).toHaveCount(0);

    const [held] = await rep.read("sale.order", [orderId], ["state", "dg_credit_hold"]);
    expect(held).toMatchObject({ state: "draft", dg_credit_hold: "on_hold" });
    expect(consoleErrors).toEqual([]);
});

test("the warehouse manager approves it from To Decide, in the request's form", async ({
    browser,
}) => {
    expect(flow, "the held order of the previous test").toBeDefined();
    const { orderId, orderName, partnerName } = flow!;
    const context = await browser.newContext();
    const page = await context.newPage();
    const consoleErrors = watchConsole(page);
    await login(page, "whmanager");

    await openGovernanceApp(page);
    await page.locator(".o_main_navbar .o_menu_sections").getByText("Approvals").click();
    await page
        .locator(".o-dropdown--menu [data-menu-xmlid='distribution_governance.menu_approvals']")
        .click();
    await expect(page.locator(".o_searchview_facet")).toContainText("To Decide");
    const row = page.locator(".o_list_view .o_data_row", { hasText: orderName });
    await expect(row).toBeVisible();
    await expect(row).toContainText(partnerName);
    await expect(row).toContainText("Riley");
    await expect(row).toContainText("paid by wire today");
    await expect(row.locator("button[name='action_open_decision']")).toHaveCount(2);

    await row.locator("td[name='document_ref']").click();
    const form = page.locator(".o_form_view");
    await expect(form.locator(".o_field_widget[name='document_ref']")).toContainText(orderName);
    await expect(form.locator(".o_field_widget[name='reason']")).toContainText(
        "E2E: the customer paid by wire today",
    );
    // the customer's credit now, in full, beside the figures frozen at request time
    const panel = form.locator(".o_dg_credit_panel");
    await expect(panel.locator(".o_dg_hold_badge")).toHaveText("On credit hold");
    await expect(panel.locator(".o_dg_piece[data-over='1']")).toHaveCount(1);
    await expect(panel.locator(".o_dg_legend_this_order .o_dg_amount")).toContainText("500.00");
    await expect(panel.locator(".o_dg_request"), "the form is the request").toHaveCount(0);

    await form
        .locator(".o_statusbar_buttons button[name='action_open_decision']:has-text('Approve')")
        .click();
    const wizard = page.locator(".modal:has(.o_field_widget[name='reason'] textarea)");
    await expect(wizard).toBeVisible();
    await wizard
        .locator(".o_field_widget[name='reason'] textarea")
        .fill("E2E: payment promised for Friday");
    await wizard.locator(".modal-footer button[name='action_confirm']:visible").click();
    await expect(wizard).toHaveCount(0);
    await expect(page.locator(".o_notification")).toContainText(
        `${orderName} released and confirmed.`,
    );
    await expect(form.locator(".o_statusbar_status .o_arrow_button_current")).toContainText(
        "Approved",
    );
    await expect(form.locator("button[name='action_open_decision']")).toHaveCount(0);
    await expect(panel.locator(".o_dg_hold_badge")).toHaveText("Released");

    // the order: a sales order, its credit one line with the decision on demand
    await form.locator(".o_field_widget[name='sale_order_id'] a").click();
    await expect(page.locator(".o_form_view .o_breadcrumb")).toContainText(orderName);
    await expect(statusbarCurrent(page)).toContainText("Sales Order");
    await expect(page.locator(".o_form_view .ribbon")).toHaveCount(0);
    const orderPanel = page.locator(".o_dg_credit_panel");
    await expect(orderPanel.locator(".o_dg_hold_badge")).toHaveText("Released");
    await expect(orderPanel.locator(".o_dg_attention_body")).toHaveCount(0);
    await orderPanel.locator(".o_dg_toggle").click();
    await expect(orderPanel.locator(".o_dg_request_state")).toHaveText("Approved");
    await expect(orderPanel.locator(".o_dg_decision")).toContainText("payment promised for Friday");
    await expect(orderPanel.locator(".o_dg_approve")).toHaveCount(0);

    const admin = await rpcAs("admin");
    const [order] = await admin.read("sale.order", [orderId], ["state", "dg_credit_hold"]);
    expect(order).toMatchObject({ state: "sale", dg_credit_hold: "released" });
    expect(consoleErrors).toEqual([]);
    await context.close();
});

test("the delivery goes out and the audit log holds request, justify, approve, release", async ({
    page,
}) => {
    expect(flow).toBeDefined();
    const { orderId, orderName } = flow!;
    const admin = await rpcAs("admin");
    const [order] = await admin.read("sale.order", [orderId], ["picking_ids"]);
    const pickings = x2mIds(order!.picking_ids);
    expect(pickings).toHaveLength(1);
    // stock_sms would open its SMS wizard on validation in the UI; over RPC it is skipped.
    const context = { skip_sms: true, skip_backorder: true };
    await admin.call("stock.picking", "action_assign", [pickings], { context });
    await admin.call("stock.picking", "button_validate", [pickings], { context });
    const [picking] = await admin.read("stock.picking", pickings, ["state"]);
    expect(picking!.state).toBe("done");

    const rep = await rpcAs("rep");
    const manager = await rpcAs("whmanager");
    const entries = await admin.searchRead(
        "distribution.audit.log",
        [["sale_order_id", "=", orderId]],
        ["event", "user_id", "reason"],
        { order: "id asc" },
    );
    expect(entries.map((e) => [e.event, m2oId(e.user_id)])).toEqual([
        ["request", rep.uid],
        ["justify", rep.uid],
        ["approve", manager.uid],
        ["release", manager.uid],
    ]);
    expect(entries[1]!.reason).toBe("E2E: the customer paid by wire today");
    expect(entries[2]!.reason).toBe("E2E: payment promised for Friday");

    const consoleErrors = watchConsole(page);
    await login(page, "whmanager");
    await openGovernanceApp(page);
    await page.locator(".o_main_navbar .o_menu_sections").getByText("Reporting").click();
    await page
        .locator(".o-dropdown--menu [data-menu-xmlid='distribution_governance.menu_audit_log']")
        .click();
    await expect(page.locator(".o_list_view")).toBeVisible();
    const search = page.locator(".o_searchview_input");
    await search.fill(orderName);
    await search.press("Enter");
    const rows = page.locator(".o_list_view .o_data_row");
    await expect(rows).toHaveCount(4);
    // newest first: release, approve, justify, request
    await expect(rows.nth(0)).toContainText("Hold released");
    await expect(rows.nth(1)).toContainText("Approved");
    await expect(rows.nth(2)).toContainText("Request justified");
    await expect(rows.nth(3)).toContainText("Approval requested");
    for (let i = 0; i < 4; i++) {
        await expect(rows.nth(i)).toContainText(orderName);
    }
    expect(consoleErrors).toEqual([]);
});
