import { expect, test } from "@playwright/test";
import { m2oId } from "../../scripts/lib/odoo-rpc";
import { seedDemo, type SeedSummary } from "../../scripts/seed-demo";
import {
    E2E_DB,
    E2E_URL,
    countLateDeliveries,
    odooDatetime,
    requireServer,
    rpcAs,
} from "./support";

// The seeded distributor is what the later flow specs work on, so these run in order.
test.describe.configure({ mode: "serial" });

const DEMO_LOGINS = ["admin", "rep", "picker", "whmanager", "finance", "salesmanager"];

let first: SeedSummary | undefined;

test("seeding the demo distributor twice duplicates nothing", async () => {
    test.setTimeout(600_000);
    requireServer();
    first = await seedDemo({ url: E2E_URL, db: E2E_DB });
    expect(first.created).toBeGreaterThan(0);
    expect(first.counts.demoRecords).toBeGreaterThan(0);

    const second = await seedDemo({ url: E2E_URL, db: E2E_DB });
    expect(second.created).toBe(0);
    expect(second.counts).toEqual(first.counts);
});

test("the demo users log in with password = login and hold their roles", async () => {
    const admin = await rpcAs("admin");
    for (const login of DEMO_LOGINS) {
        const session = await rpcAs(login);
        expect(session.uid, `${login} authenticates`).toBeGreaterThan(0);
    }
    const roles: [string, string][] = [
        ["rep", "sales_team.group_sale_salesman"],
        ["picker", "stock.group_stock_user"],
        ["whmanager", "stock.group_stock_manager"],
        ["whmanager", "sales_team.group_sale_salesman"],
        ["finance", "account.group_account_manager"],
        ["salesmanager", "sales_team.group_sale_manager"],
    ];
    for (const [login, group] of roles) {
        const holders = await admin.searchCount("res.users", [
            ["login", "=", login],
            ["groups_id", "in", [await admin.ref(group)]],
        ]);
        expect(holders, `${login} is in ${group}`).toBe(1);
    }
    // "Own documents only": the sales rep is not a sales administrator.
    const repIsSalesAdmin = await admin.searchCount("res.users", [
        ["login", "=", "rep"],
        ["groups_id", "in", [await admin.ref("sales_team.group_sale_manager")]],
    ]);
    expect(repIsSalesAdmin).toBe(0);
});

test("two warehouses, with multi-warehouse, units of measure and credit limits on", async () => {
    const admin = await rpcAs("admin");
    const warehouses = await admin.searchRead("stock.warehouse", [], ["code", "name"], {
        order: "code",
    });
    expect(warehouses.map((w) => w.code)).toEqual(["MDC", "NDP"]);

    const [userGroup] = await admin.read(
        "res.groups",
        [await admin.ref("base.group_user")],
        ["implied_ids"],
    );
    const implied = userGroup?.implied_ids as number[];
    expect(implied).toContain(await admin.ref("stock.group_stock_multi_warehouses"));
    expect(implied).toContain(await admin.ref("uom.group_uom"));

    const [company] = await admin.read(
        "res.company",
        [await admin.ref("base.main_company")],
        ["account_use_credit_limit", "dg_credit_hold_active"],
    );
    expect(company?.account_use_credit_limit).toBe(true);
    expect(company?.dg_credit_hold_active).toBe(true);
});

test("a customer with a credit limit owes a posted, overdue invoice", async () => {
    const admin = await rpcAs("admin");
    const today = odooDatetime(new Date()).slice(0, 10);
    const overdue = await admin.searchRead(
        "account.move",
        [
            ["move_type", "=", "out_invoice"],
            ["state", "=", "posted"],
            ["payment_state", "in", ["not_paid", "partial"]],
            ["invoice_date_due", "<", today],
        ],
        ["partner_id", "amount_residual"],
    );
    expect(overdue.length).toBeGreaterThan(0);
    expect(overdue.length).toBe(first?.counts.customerInvoicesOverdue);
    const partnerIds = overdue.map((move) => m2oId(move.partner_id) as number);
    const limited = await admin.searchCount("res.partner", [
        ["id", "in", partnerIds],
        ["credit_limit", ">", 0],
    ]);
    expect(limited).toBeGreaterThan(0);
    expect(overdue.every((move) => (move.amount_residual as number) > 0)).toBe(true);
});

test("some sales deliveries are late: scheduled in the past and not done", async () => {
    const admin = await rpcAs("admin");
    const lateSalesDeliveries = await admin.searchCount("stock.picking", [
        ["picking_type_code", "=", "outgoing"],
        ["state", "not in", ["done", "cancel"]],
        ["scheduled_date", "<", odooDatetime(new Date())],
        ["sale_id", "!=", false],
    ]);
    expect(lateSalesDeliveries).toBeGreaterThan(0);
    expect(await countLateDeliveries(admin)).toBeGreaterThanOrEqual(lateSalesDeliveries);

    const delivered = await admin.searchCount("stock.picking", [
        ["picking_type_code", "=", "outgoing"],
        ["state", "=", "done"],
        ["date_done", "<", odooDatetime(new Date(Date.now() - 30 * 86_400_000))],
    ]);
    expect(delivered, "history reaches back over a month").toBeGreaterThan(0);
});

test("the demo has open, breached and resolved exceptions and a credit hold to decide", async () => {
    const admin = await rpcAs("admin");
    const open = await admin.searchCount("distribution.exception", [
        ["state", "in", ["new", "in_progress"]],
    ]);
    const breached = await admin.searchCount("distribution.exception", [
        ["state", "in", ["new", "in_progress"]],
        ["sla_status", "=", "breached"],
    ]);
    const picker = await rpcAs("picker");
    const resolvedByPicker = await admin.searchCount("distribution.exception", [
        ["state", "=", "resolved"],
        ["resolved_by_id", "=", picker.uid],
    ]);
    const types = await admin.searchRead(
        "distribution.exception",
        [["state", "in", ["new", "in_progress"]]],
        ["type_code"],
    );
    expect(open).toBeGreaterThan(breached);
    expect(breached).toBeGreaterThan(0);
    expect(resolvedByPicker).toBe(2);
    expect(new Set(types.map((t) => t.type_code)).size).toBeGreaterThanOrEqual(3);
    const held = await admin.searchRead(
        "sale.order",
        [["dg_credit_hold", "=", "on_hold"]],
        ["state", "dg_approval_request_ids"],
    );
    expect(held.length).toBeGreaterThanOrEqual(1);
    const pending = await admin.searchCount("distribution.approval.request", [
        ["state", "=", "pending"],
        ["requester_id", "=", (await rpcAs("rep")).uid],
    ]);
    expect(pending).toBeGreaterThanOrEqual(1);
    // a quotation priced below the policy waits for a sales manager
    const underPriced = await admin.searchRead(
        "sale.order",
        [["dg_price_hold", "=", "on_hold"]],
        ["state"],
    );
    expect(underPriced.map((order) => order.state)).toContain("draft");
    const pricePending = await admin.searchRead(
        "distribution.approval.request",
        [
            ["state", "=", "pending"],
            ["kind", "=", "price_override"],
        ],
        ["waiting_for"],
    );
    expect(pricePending.map((request) => request.waiting_for)).toContain("Sam Sales Manager");
    // the picker's large count waits for a stock manager
    const countPending = await admin.searchRead(
        "distribution.approval.request",
        [
            ["state", "=", "pending"],
            ["kind", "=", "inventory_adjustment"],
        ],
        ["waiting_for", "reason"],
    );
    expect(countPending.length).toBeGreaterThanOrEqual(1);
    expect(countPending[0]!.waiting_for).toContain("Morgan Warehouse Manager");
    expect(countPending[0]!.reason).toBeTruthy();
});
