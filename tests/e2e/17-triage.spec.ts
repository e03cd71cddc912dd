import { expect, test } from "@playwright/test";
import { m2oId } from "../../scripts/lib/odoo-rpc";
import { login, rpcAs, watchConsole } from "./support";

// Triage assist and the customer notice, as the warehouse manager meets them (issue 16): an order
// of his customer runs out of stock. On the order, the exception panel suggests from the similar
// stockouts he resolved before (the seeded history): himself as owner, the later delivery. He
// applies the owner; the customer was promised a new date, so he notifies the customer from the
// panel: the composer opens with the notice, he sends it and it lands in the order's chatter.
test.describe.configure({ mode: "serial" });

const TAG = `Triage ${Date.now().toString(36)}`;

let scenario: { orderId: number; exceptionId: number } | undefined;

test("a new stockout is suggested from the similar cases; the manager applies the owner", async ({
    page,
}) => {
    const admin = await rpcAs("admin");
    const manager = await rpcAs("whmanager");
    const partner = await admin.create("res.partner", {
        name: `E2E ${TAG}`,
        is_company: true,
        email: "triage-e2e@example.com",
        lang: "en_US",
    });
    const product = await admin.create("product.product", {
        name: `E2E Triage Item ${TAG}`,
        is_storable: true,
        list_price: 4,
    });
    const [warehouse] = await admin.searchRead("stock.warehouse", [["code", "=", "MDC"]], ["id"]);
    const orderId = await admin.create("sale.order", {
        partner_id: partner,
        user_id: manager.uid,
        warehouse_id: warehouse!.id,
        order_line: [[0, 0, { product_id: product, product_uom_qty: 12 }]],
    });
    // nothing in stock: confirming it opens a stockout
    await admin.call("sale.order", "action_confirm", [[orderId]]);
    const [exception] = await admin.searchRead(
        "distribution.exception",
        [
            ["sale_order_id", "=", orderId],
            ["type_code", "=", "stockout"],
        ],
        ["state", "owner_id", "name"],
    );
    expect(exception, "the stockout detected").toBeDefined();
    expect(exception!.owner_id).toBe(false);
    const exceptionId = exception!.id;
    scenario = { orderId, exceptionId };

    // what the server suggests to him, read independently of the panel
    const [suggestion] = await manager.call<
        {
            basis: string;
            explanation: string;
            owner: { id: number; name: string } | false;
            resolution: { id: number; name: string } | false;
        }[]
    >("distribution.exception", "get_triage_suggestion", [[exceptionId]]);
    expect(suggestion!.basis, "the seeded history holds similar cases").toBe("similar");
    expect(suggestion!.owner && suggestion!.owner.id).toBe(manager.uid);
    const laterDelivery = await admin.ref("distribution_governance.resolution_stockout_partial_ok");
    expect(suggestion!.resolution && suggestion!.resolution.id).toBe(laterDelivery);

    const consoleErrors = watchConsole(page);
    await login(page, "whmanager");
    await page.goto(`/odoo/sales/${orderId}`);
    const panel = page.locator(".o_dg_exception_panel");
    await expect(panel.locator(".o_dg_ref")).toHaveText(exception!.name as string);
    const block = panel.locator(".o_dg_suggestion");
    await expect(block).toHaveAttribute("data-basis", "similar");
    await expect(block.locator(".o_dg_suggestion_explanation")).toHaveText(suggestion!.explanation);
    await expect(block.locator(".o_dg_suggestion_defaults")).toHaveCount(0);
    await expect(block.locator("[data-part='owner'] .o_dg_suggestion_value")).toHaveText(
        "Morgan Warehouse Manager",
    );
    await expect(block.locator("[data-part='resolution'] .o_dg_suggestion_value")).toHaveText(
        (suggestion!.resolution as { name: string }).name,
    );
    await block.locator(".o_dg_apply[data-part='owner']").click();
    await expect(panel.locator(".o_dg_owner")).toContainText("Morgan Warehouse Manager");
    await expect(block.locator("[data-part='owner'] .o_dg_applied")).toBeVisible();
    await expect(block.locator(".o_dg_apply[data-part='owner']")).toHaveCount(0);

    const [applied] = await admin.read(
        "distribution.exception",
        [exceptionId],
        ["owner_id", "state", "triage_applied_owner", "triage_applied"],
    );
    expect(m2oId(applied!.owner_id as [number, string])).toBe(manager.uid);
    expect(applied).toMatchObject({
        state: "in_progress",
        triage_applied_owner: true,
        triage_applied: true,
    });
    expect(consoleErrors).toEqual([]);
});

test("he notifies the customer from the panel: the notice lands in the order's chatter", async ({
    page,
}) => {
    expect(scenario, "the stockout of the previous test").toBeDefined();
    const { orderId, exceptionId } = scenario!;
    const admin = await rpcAs("admin");
    const manager = await rpcAs("whmanager");
    // agreed with the customer by phone: the rest in three days
    const promise = new Date(Date.now() + 3 * 24 * 3600 * 1000);
    await manager.write("distribution.exception", [exceptionId], {
        promise_date: promise.toISOString().slice(0, 19).replace("T", " "),
    });
    const before = await admin.searchCount("mail.message", [
        ["model", "=", "sale.order"],
        ["res_id", "=", orderId],
        ["message_type", "in", ["comment", "email"]],
    ]);

    const consoleErrors = watchConsole(page);
    await login(page, "whmanager");
    await page.goto(`/odoo/sales/${orderId}`);
    const panel = page.locator(".o_dg_exception_panel");
    await panel.locator(".o_dg_notify_customer").click();
    const composer = page.locator(".modal:has(.o_mail_composer_form)");
    await expect(composer).toBeVisible();
    await expect(composer.locator(".o_field_widget[name='partner_ids']")).toContainText(
        `E2E ${TAG}`,
    );
    await composer.locator(".modal-footer .o_mail_send:visible").click();
    await expect(composer).toHaveCount(0);

    const sent = await admin.searchRead(
        "mail.message",
        [
            ["model", "=", "sale.order"],
            ["res_id", "=", orderId],
            ["message_type", "in", ["comment", "email"]],
        ],
        ["subject", "author_id", "preview"],
        { order: "id desc" },
    );
    expect(sent.length).toBe(before + 1);
    const notice = sent[0]!;
    expect((notice.author_id as [number, string])[1]).toContain("Morgan Warehouse Manager");
    const [order] = await admin.read("sale.order", [orderId], ["name"]);
    // the new promise's notice, about this order
    expect(notice.subject as string).toContain(order!.name as string);
    const words = (notice.preview as string).trim().slice(0, 40);
    expect(words.length).toBeGreaterThan(0);
    await expect(page.locator(".o-mail-Chatter .o-mail-Message").first()).toContainText(words);
    expect(consoleErrors).toEqual([]);
});
