import { expect, test } from "@playwright/test";
import { m2oId } from "../../scripts/lib/odoo-rpc";
import { countLateDeliveries, login, odooDatetime, rpcAs, watchConsole } from "./support";

test("admin installs Distribution Governance from the Apps list and opens its overview", async ({
    page,
}) => {
    const admin = await rpcAs("admin");
    const moduleState = async () =>
        (
            await admin.searchRead(
                "ir.module.module",
                [["name", "=", "distribution_governance"]],
                ["state"],
            )
        )[0]?.state;
    expect(await moduleState()).toBe("uninstalled");

    // A late delivery in the database, so the overview has a real, non-zero figure to show.
    const outType = (
        await admin.searchRead(
            "stock.picking.type",
            [["code", "=", "outgoing"]],
            ["default_location_src_id"],
            { limit: 1 },
        )
    )[0]!;
    const source = m2oId(outType.default_location_src_id) as number;
    const customers = await admin.ref("stock.stock_location_customers");
    const partner = await admin.create("res.partner", { name: "E2E Hardware Wholesale" });
    const product = await admin.create("product.product", {
        name: "E2E Cable Reel",
        is_storable: true,
    });
    const picking = await admin.create("stock.picking", {
        partner_id: partner,
        picking_type_id: outType.id,
        location_id: source,
        location_dest_id: customers,
        scheduled_date: odooDatetime(new Date(Date.now() - 3 * 86_400_000)),
        date_deadline: odooDatetime(new Date(Date.now() - 3 * 86_400_000)),
        move_ids: [
            [
                0,
                0,
                {
                    name: "E2E Cable Reel",
                    product_id: product,
                    product_uom_qty: 4,
                    location_id: source,
                    location_dest_id: customers,
                },
            ],
        ],
    });
    await admin.call("stock.picking", "action_confirm", [[picking]]);
    const late = await countLateDeliveries(admin);
    expect(late).toBe(1);

    const consoleErrors = watchConsole(page);
    await login(page, "admin");
    await page.goto("/odoo/apps");
    const search = page.locator(".o_searchview_input");
    await search.fill("Distribution Governance");
    await search.press("Enter");
    const card = page.locator(".o_kanban_record", { hasText: "Distribution Governance" });
    await expect(card).toHaveCount(1);
    await card.locator("button[name=button_immediate_install]").click();
    await expect.poll(moduleState, { timeout: 180_000, intervals: [2000] }).toBe("installed");

    // The web client reloads itself after the install; a navigation racing that reload is
    // aborted, so open the apps menu again until the new app is in it.
    const app = page.locator(
        ".o_app[data-menu-xmlid='distribution_governance.menu_distribution_governance_root']",
    );
    await expect(async () => {
        await page.goto("/odoo");
        await page.locator(".o_navbar_apps_menu button").click();
        await expect(app).toBeVisible({ timeout: 5_000 });
    }).toPass({ timeout: 90_000 });
    await app.click();
    // the app opens on the overview: the warehouse's card counts the late delivery
    await expect(page.locator(".o_breadcrumb")).toContainText("Overview");
    const overviewCard = page.locator(".o_dg_overview .o_kanban_record:not(.o_kanban_ghost)", {
        has: page.locator(".o_dg_figure_late .o_dg_figure_value", { hasText: String(late) }),
    });
    await expect(overviewCard).toHaveCount(1);
    expect(consoleErrors).toEqual([]);
});
