import { expect, test } from "@playwright/test";
import type { Domain } from "../../scripts/lib/odoo-rpc";
import { lateDeliveriesDomain, OPEN_PICKING_STATES, login, rpcAs, watchConsole } from "./support";

// The dashboard of the seeded distributor, as the warehouse manager: every tile equals a count
// made here over XML-RPC with this spec's own reading of the tile's definition (readme/USAGE.md).
const TODAY = new Date().toISOString().slice(0, 10);
const EXPECTED: Record<string, [string, Domain]> = {
    orders_to_deliver: [
        "sale.order",
        [
            ["state", "=", "sale"],
            ["delivery_status", "in", ["pending", "started", "partial"]],
        ],
    ],
    late_deliveries: ["stock.picking", lateDeliveriesDomain()],
    receipts_to_process: [
        "stock.picking",
        [
            ["picking_type_code", "=", "incoming"],
            ["state", "in", OPEN_PICKING_STATES],
        ],
    ],
    overdue_invoices: [
        "account.move",
        [
            ["move_type", "=", "out_invoice"],
            ["state", "=", "posted"],
            ["payment_state", "in", ["not_paid", "partial"]],
            ["invoice_date_due", "<", TODAY],
        ],
    ],
};

test("the warehouse manager's dashboard shows the seeded figures and drills down", async ({
    page,
}) => {
    const manager = await rpcAs("whmanager");
    const consoleErrors = watchConsole(page);
    await login(page, "whmanager");
    await page.goto("/odoo/action-distribution_governance.action_governance_dashboard");
    await expect(page.locator(".o_dg_tile").first()).toBeVisible();

    const shownKeys = await page
        .locator(".o_dg_tile")
        .evaluateAll((tiles) => tiles.map((t) => (t as HTMLElement).dataset["key"] ?? ""));
    expect(shownKeys.length).toBeGreaterThanOrEqual(3);
    for (const key of shownKeys) {
        const expected = EXPECTED[key];
        expect(expected, `a definition for tile ${key}`).toBeDefined();
        const [model, domain] = expected!;
        const count = await manager.searchCount(model, domain);
        await expect(
            page.locator(`.o_dg_tile[data-key='${key}'] .o_dg_tile_value`),
            `tile ${key}`,
        ).toHaveAttribute("data-value", String(count));
    }

    const late = await manager.searchCount(...EXPECTED["late_deliveries"]!);
    expect(late, "the seed leaves late deliveries").toBeGreaterThan(0);
    await page.locator(".o_dg_tile[data-key='late_deliveries']").click();
    await expect(page.locator(".o_list_view")).toBeVisible();
    await expect(page.locator(".o_list_view .o_data_row")).toHaveCount(Math.min(late, 80));
    await expect(page.locator(".o_breadcrumb")).toContainText("Late deliveries");
    expect(consoleErrors).toEqual([]);
});

test("a user without a governance role has no dashboard menu, and the server gives them no figures", async ({
    page,
}) => {
    const admin = await rpcAs("admin");
    const login_ = "e2e_plain_user";
    const existing = await admin.search("res.users", [["login", "=", login_]]);
    if (!existing.length) {
        await admin.create("res.users", {
            name: "E2E Plain User",
            login: login_,
            password: login_,
            groups_id: [[6, 0, [await admin.ref("base.group_user")]]],
        });
    }
    await login(page, login_);
    await page.locator(".o_navbar_apps_menu button").click();
    await expect(page.locator(".o_app").first()).toBeVisible();
    await expect(
        page.locator(
            ".o_app[data-menu-xmlid='distribution_governance.menu_distribution_governance_root']",
        ),
    ).toHaveCount(0);
    const plain = await rpcAs(login_);
    const overview = await plain.call<{ tiles: unknown[] }>(
        "distribution.dashboard",
        "get_overview",
        [],
    );
    expect(overview.tiles).toEqual([]);
});
