import { expect, test } from "@playwright/test";
import type { Domain, OdooRecord } from "../../scripts/lib/odoo-rpc";
import { lateDeliveriesDomain, login, rpcAs, watchConsole } from "./support";

// The landing overview of the seeded distributor, as the warehouse manager: a card per
// warehouse whose every figure equals the list it opens, and a late-deliveries figure equal to
// a count made here over XML-RPC with this spec's own reading of it (readme/USAGE.md).
const FIGURES = ["open", "breached", "held", "approvals", "late"] as const;

type Card = OdooRecord & { name: string };

test("the warehouse manager's overview shows each warehouse's figures and drills down", async ({
    page,
}) => {
    const manager = await rpcAs("whmanager");
    const cards = await manager.searchRead<Card>("stock.warehouse", [], ["name"]);
    expect(cards.length, "the seed has two warehouses").toBeGreaterThanOrEqual(2);

    const consoleErrors = watchConsole(page);
    await login(page, "whmanager");
    await page.locator(".o_navbar_apps_menu button").click();
    await page
        .locator(
            ".o_app[data-menu-xmlid='distribution_governance.menu_distribution_governance_root']",
        )
        .click();
    await expect(page.locator(".o_breadcrumb")).toContainText("Overview");
    await expect(page.locator(".o_dg_overview .o_kanban_record:not(.o_kanban_ghost)")).toHaveCount(
        cards.length,
    );

    let lateCard: { card: Card; count: number } | undefined;
    for (const card of cards) {
        const shown = page.locator(".o_dg_overview .o_kanban_record:not(.o_kanban_ghost)", {
            hasText: card.name,
        });
        for (const figure of FIGURES) {
            // what the figure's drill-down opens, as the manager reads it
            const action = await manager.call<{ res_model: string; domain: Domain }>(
                "stock.warehouse",
                "action_dg_open_figure",
                [[card.id], figure],
            );
            const count = await manager.searchCount(action.res_model, action.domain);
            await expect(
                shown.locator(`.o_dg_figure_${figure} .o_dg_figure_value`),
                `${card.name}: ${figure}`,
            ).toHaveText(String(count));
            if (figure === "late" && count > (lateCard?.count ?? 0)) {
                lateCard = { card, count };
            }
        }
        // late deliveries as USAGE.md defines them, counted independently
        const late = await manager.searchCount("stock.picking", [
            ...lateDeliveriesDomain(),
            ["picking_type_id.warehouse_id", "=", card.id],
        ]);
        await expect(shown.locator(".o_dg_figure_late .o_dg_figure_value")).toHaveText(
            String(late),
        );
    }

    expect(lateCard, "the seed leaves late deliveries").toBeDefined();
    const { card, count } = lateCard!;
    await page
        .locator(".o_dg_overview .o_kanban_record:not(.o_kanban_ghost)", { hasText: card.name })
        .locator(".o_dg_figure_late")
        .click();
    await expect(page.locator(".o_list_view")).toBeVisible();
    await expect(page.locator(".o_list_view .o_data_row")).toHaveCount(Math.min(count, 80));
    await expect(page.locator(".o_breadcrumb")).toContainText(`${card.name}: Late deliveries`);
    await page.locator(".o_breadcrumb .o_back_button").click();
    await expect(page.locator(".o_dg_overview")).toBeVisible();
    expect(consoleErrors).toEqual([]);
});

test("a user without a governance role has no app, and the server opens no figure for them", async ({
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
    const [warehouse] = await plain.search("stock.warehouse", [], { limit: 1 });
    const [read] = await plain.read("stock.warehouse", [warehouse!], ["dg_exceptions_open"]);
    expect(read!.dg_exceptions_open, "nothing counted of what they may not read").toBe(0);
    await expect(
        plain.call("stock.warehouse", "action_dg_open_figure", [[warehouse!], "open"]),
    ).rejects.toThrow(/not allowed|access/i);
});
