import { expect, test, type Page } from "@playwright/test";
import type { Domain } from "../../scripts/lib/odoo-rpc";
import { login, odooDatetime, rpcAs, watchConsole } from "./support";

// The warehouse manager opens Warehouse KPIs, changes the period and the warehouse, and drills
// into on-time shipment: the card's value and count equal what this spec computes over XML-RPC
// from its own reading of the formula (readme/USAGE.md), and the list opened has that many rows.

const DAY_MS = 86_400_000;

/**
 * [start, end) of "last 28 days" as the server's whole local days, for a company whose KPI time
 * zone is UTC (the demo company's partner has no time zone; the test checks it).
 */
function last28Days(): [string, string] {
    const today = new Date(new Date().toISOString().slice(0, 10) + "T00:00:00Z");
    const start = new Date(today.getTime() - 27 * DAY_MS);
    const end = new Date(today.getTime() + DAY_MS);
    return [odooDatetime(start), odooDatetime(end)];
}

function shippedDomain(warehouseId: number): Domain {
    const [start, end] = last28Days();
    return [
        ["picking_type_code", "=", "outgoing"],
        ["state", "=", "done"],
        ["date_done", ">=", start],
        ["date_done", "<", end],
        ["picking_type_id.warehouse_id", "=", warehouseId],
    ];
}

async function settled(page: Page): Promise<void> {
    await expect(page.locator(".o_dg_kpi[aria-busy='false'] .o_dg_kpi_cards")).toBeVisible();
}

test("the warehouse manager changes period and warehouse and drills into a KPI", async ({
    page,
}) => {
    const manager = await rpcAs("whmanager");
    const companies = await manager.searchRead<{ id: number; dg_kpi_tz: string }>(
        "res.company",
        [],
        ["dg_kpi_tz"],
    );
    expect(companies.map((c) => c.dg_kpi_tz)).toEqual(companies.map(() => "UTC"));
    const warehouses = await manager.searchRead<{ id: number; name: string }>(
        "stock.warehouse",
        [],
        ["name"],
    );
    // the warehouse with the most deliveries done in the last 28 days
    const shipped = await Promise.all(
        warehouses.map(async (w) => ({
            ...w,
            count: await manager.searchCount("stock.picking", shippedDomain(w.id)),
        })),
    );
    shipped.sort((a, b) => b.count - a.count);
    const warehouse = shipped[0]!;
    expect(warehouse.count, "the seed ships in the last 28 days").toBeGreaterThan(0);
    expect(shipped.length, "the seed has two warehouses").toBeGreaterThan(1);

    const pickings = await manager.searchRead<{
        id: number;
        date_done: string;
        date_deadline: string | false;
        scheduled_date: string;
    }>("stock.picking", shippedDomain(warehouse.id), [
        "date_done",
        "date_deadline",
        "scheduled_date",
    ]);
    const onTime = pickings.filter((p) => p.date_done <= (p.date_deadline || p.scheduled_date));
    const expectedRate = (onTime.length * 100) / pickings.length;

    const consoleErrors = watchConsole(page);
    await login(page, "whmanager");
    // from the home menu into the app, then its menu
    await page.locator(".o_navbar_apps_menu button").click();
    await page.locator(".o_app", { hasText: "Distribution Governance" }).click();
    await page.locator(".o_main_navbar .o_menu_sections").getByText("Reporting").click();
    await page.locator(".o-dropdown--menu").getByText("Warehouse KPIs").click();
    await settled(page);
    await expect(page.locator(".o_dg_kpi_card[data-key='on_time_shipment']")).toBeVisible();

    await page.locator(".o_dg_kpi_preset").selectOption("last_28_days");
    await settled(page);
    // only the chosen warehouse: untick every other one
    await page.locator(".o_dg_kpi_wh").click();
    for (const other of shipped.slice(1)) {
        await page.locator(`.o_dg_kpi_wh_option[data-id='${other.id}'] input`).click();
        await settled(page);
    }
    await expect(page.locator(".o_dg_kpi_wh")).toHaveText(warehouse.name);
    await page.keyboard.press("Escape");

    const card = page.locator(".o_dg_kpi_card[data-key='on_time_shipment']");
    await expect(card.locator(".o_dg_kpi_count")).toHaveText(new RegExp(`^${warehouse.count}\\s`));
    const shown = Number(await card.locator(".o_dg_kpi_value").getAttribute("data-value"));
    expect(shown).toBeCloseTo(expectedRate, 6);
    const table = page.locator(`.o_dg_kpi_wh_table tr[data-id='${warehouse.id}']`);
    await expect(table).toBeVisible();

    await card.locator(".o_dg_kpi_value").click();
    await expect(page.locator(".o_list_view")).toBeVisible();
    await expect(page.locator(".o_list_view .o_data_row")).toHaveCount(warehouse.count);
    await expect(page.locator(".o_breadcrumb")).toContainText("Warehouse KPIs");
    // the list says what it holds (the KPI, a facet of the search bar), shows what explains
    // it and offers nothing to create
    await expect(page.locator(".o_searchview_facet")).toHaveText(/^\s*On-time shipment\s*$/);
    await expect(page.locator(".o_list_view thead")).toContainText("Deadline");
    await expect(page.locator(".o_list_view thead")).toContainText("Date Done");
    await expect(page.locator(".o_list_button_add")).toHaveCount(0);

    // back through the breadcrumb: the dashboard keeps its filters
    await page.locator(".o_breadcrumb a").first().click();
    await settled(page);
    await expect(page.locator(".o_dg_kpi_preset")).toHaveValue("last_28_days");
    await expect(page.locator(".o_dg_kpi_wh")).toHaveText(warehouse.name);

    // the late ones open on their own, named so
    const late = pickings.length - onTime.length;
    if (late) {
        await expect(card.locator(".o_dg_kpi_flag")).toHaveText(new RegExp(`^\\s*${late} late`));
        await card.locator(".o_dg_kpi_flag").click();
        await expect(page.locator(".o_list_view .o_data_row")).toHaveCount(late);
        await expect(page.locator(".o_searchview_facet")).toContainText("On-time shipment: late");
        await page.locator(".o_breadcrumb a").first().click();
        await settled(page);
    }

    // a card's chart icon brings its trend into view
    await page.locator(".o_dg_kpi_card[data-key='fill_rate'] .o_dg_kpi_select").click();
    await expect(page.locator(".o_dg_kpi_trend")).toBeInViewport();
    await expect(page.locator(".o_dg_kpi_trend .card-header")).toContainText("Fill rate");

    // custom dates through Odoo's date picker
    await page.locator(".o_dg_kpi_preset").selectOption("custom");
    await page.locator(".o_dg_kpi_from .o_datetime_input").click();
    await expect(page.locator(".o_datetime_picker")).toBeVisible();
    await page.keyboard.press("Escape");
    expect(consoleErrors).toEqual([]);
});
