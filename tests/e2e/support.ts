import path from "node:path";
import { expect, test, type Page } from "@playwright/test";
import { ROOT, startOdoo, waitForHttp, type OdooServer } from "../../scripts/lib/odoo-process.mjs";
import { OdooRpc, type Domain } from "../../scripts/lib/odoo-rpc";

export const E2E_URL = process.env.DG_E2E_URL ?? "";
export const E2E_DB = process.env.DG_E2E_DB ?? "";

export function requireServer(): void {
    if (!E2E_URL || !E2E_DB) {
        throw new Error("DG_E2E_URL and DG_E2E_DB must name a running Odoo (npm test sets them)");
    }
}

export function rpcAs(login: string, password = login): Promise<OdooRpc> {
    requireServer();
    return OdooRpc.connect({ url: E2E_URL, db: E2E_DB, login, password });
}

/**
 * A second Odoo on the e2e database in multi-process mode (`args`, e.g. "--workers 2"), started
 * before the spec's tests and stopped after them; the returned function logs a user in on it.
 */
export function workerServer(
    port: string,
    logName: string,
    args: string,
    env: Record<string, string> = {},
): (login: string) => Promise<OdooRpc> {
    let server: OdooServer | undefined;
    test.beforeAll(async () => {
        requireServer();
        server = startOdoo({
            db: E2E_DB,
            port,
            logFile: path.join(ROOT, ".tmp", "e2e", logName),
            args,
            env,
        });
        expect(await waitForHttp(`${server.url}/web/health`, 90), "multi-worker Odoo starts").toBe(
            true,
        );
    });
    test.afterAll(async () => {
        await server?.stop();
    });
    return (login) => OdooRpc.connect({ url: server!.url, db: E2E_DB, login, password: login });
}

/** Collects browser console errors and uncaught exceptions of a page. */
export function watchConsole(page: Page): string[] {
    const errors: string[] = [];
    page.on("console", (message) => {
        if (message.type() === "error") {
            errors.push(message.text());
        }
    });
    page.on("pageerror", (error) => errors.push(`${error.name}: ${error.message}`));
    return errors;
}

export async function login(page: Page, user: string, password = user): Promise<void> {
    await page.goto(`/web/login?db=${encodeURIComponent(E2E_DB)}`);
    await page.locator("input[name=login]").fill(user);
    await page.locator("input[name=password]").fill(password);
    await page.locator("form.oe_login_form button[type=submit]").click();
    await expect(page.locator(".o_main_navbar")).toBeVisible();
}

/** UTC "YYYY-MM-DD HH:MM:SS", the datetime format of Odoo's ORM. */
export function odooDatetime(date: Date): string {
    return date.toISOString().replace("T", " ").slice(0, 19);
}

export const OPEN_PICKING_STATES = ["waiting", "confirmed", "assigned"];

/** Open deliveries past their commitment date, or their scheduled date when none is set. */
export function lateDeliveriesDomain(): Domain {
    const now = odooDatetime(new Date());
    return [
        ["picking_type_code", "=", "outgoing"],
        ["state", "in", OPEN_PICKING_STATES],
        "|",
        ["date_deadline", "<", now],
        "&",
        ["date_deadline", "=", false],
        ["scheduled_date", "<", now],
    ];
}

/** Late open deliveries counted over XML-RPC, independently of the dashboard's code. */
export function countLateDeliveries(rpc: OdooRpc): Promise<number> {
    return rpc.searchCount("stock.picking", lateDeliveriesDomain());
}

/** Turns credit holds on (at confirmation) in `admin`'s company; a product of 500 without
 * taxes to sell over a limit. Returns the product's id. */
export async function creditHoldProduct(admin: OdooRpc, name: string): Promise<number> {
    const [user] = await admin.read("res.users", [admin.uid], ["company_id"]);
    const companyId = (user!.company_id as [number, string])[0];
    await admin.write("res.company", [companyId], {
        account_use_credit_limit: true,
        dg_credit_hold_active: true,
        dg_credit_hold_point: "confirmation",
    });
    return admin.create("product.product", {
        name,
        type: "consu",
        list_price: 500,
        taxes_id: [[6, 0, []]],
    });
}

/** A quotation of `product` for a new customer `name` with a limit of 100, confirmed by the
 * rep: held, with one pending approval request. One customer per order, so concurrent
 * decisions on different requests do not contend on a shared customer. */
export async function heldOrder(
    admin: OdooRpc,
    rep: OdooRpc,
    product: number,
    name: string,
): Promise<number> {
    const partner = await admin.create("res.partner", { name, is_company: true });
    await admin.write("res.partner", [partner], { credit_limit: 100 });
    const order = await rep.create("sale.order", {
        partner_id: partner,
        order_line: [[0, 0, { product_id: product, product_uom_qty: 1 }]],
    });
    await rep.call("sale.order", "action_confirm", [[order]]);
    return order;
}
