import { expect, test } from "@playwright/test";
import { OdooRpcError, type OdooRpc } from "../../scripts/lib/odoo-rpc";
import { rpcAs } from "./support";

// Credit-hold guarantees over XML-RPC against the live, multi-threaded server: refusals are
// logged even though the refused call rolls back, and two approvers deciding the same request
// at the same moment produce exactly one decision.

const PAIRS = 20;

/** `count` quotations over their customer's credit limit, confirmed by the rep: each held,
 * each with a pending request. One customer per order, so concurrent decisions on different
 * requests do not contend on a shared customer (Odoo's own confirmation updates it). */
async function heldOrders(rep: OdooRpc, admin: OdooRpc, count: number, tag: string) {
    const [user] = await admin.searchRead("res.users", [["id", "=", admin.uid]], ["company_id"]);
    const companyId = (user!.company_id as [number, string])[0];
    await admin.write("res.company", [companyId], {
        account_use_credit_limit: true,
        dg_credit_hold_active: true,
        dg_credit_hold_point: "confirmation",
    });
    const product = await admin.create("product.product", {
        name: `E2E Credit Item ${tag}`,
        type: "consu",
        list_price: 500,
        taxes_id: [[6, 0, []]],
    });
    const orders: number[] = [];
    for (let i = 0; i < count; i++) {
        const partner = await admin.create("res.partner", {
            name: `E2E Credit ${tag} ${i + 1}`,
            is_company: true,
        });
        await admin.write("res.partner", [partner], { credit_limit: 100 });
        const order = await rep.create("sale.order", {
            partner_id: partner,
            order_line: [[0, 0, { product_id: product, product_uom_qty: 1 }]],
        });
        await rep.call("sale.order", "action_confirm", [[order]]);
        orders.push(order);
    }
    const requests = await admin.search("distribution.approval.request", [
        ["sale_order_id", "in", orders],
        ["state", "=", "pending"],
    ]);
    return { orders, requests };
}

test("a refused self-approval is refused over RPC and still logged", async () => {
    const admin = await rpcAs("admin");
    const rep = await rpcAs("rep");
    const { orders, requests } = await heldOrders(rep, admin, 1, "sod");
    expect(requests).toHaveLength(1);
    const [state] = await admin.searchRead(
        "sale.order",
        [["id", "=", orders[0]!]],
        ["state", "dg_credit_hold"],
    );
    expect(state).toMatchObject({ state: "draft", dg_credit_hold: "on_hold" });

    const attempt = rep.call("distribution.approval.request", "action_approve", [requests, "mine"]);
    await expect(attempt).rejects.toThrow(/another approver/);
    const logged = await admin.searchCount("distribution.audit.log", [
        ["request_id", "=", requests[0]!],
        ["event", "=", "self_approval_refused"],
        ["user_id", "=", rep.uid],
    ]);
    expect(logged, "the refusal survives the rollback of the refused call").toBe(1);
    const decisions = await admin.searchCount("distribution.approval.decision", [
        ["request_id", "=", requests[0]!],
    ]);
    expect(decisions).toBe(0);
});

test(`${PAIRS} concurrent double decisions yield exactly one decision each`, async () => {
    test.setTimeout(300_000);
    const admin = await rpcAs("admin");
    const rep = await rpcAs("rep");
    const manager = await rpcAs("whmanager");
    const finance = await rpcAs("finance");
    const { orders, requests } = await heldOrders(rep, admin, PAIRS, "race");
    expect(requests).toHaveLength(PAIRS);

    const outcomes = await Promise.all(
        requests.map((id) =>
            Promise.allSettled([
                manager.call("distribution.approval.request", "action_approve", [[id], "race A"]),
                finance.call("distribution.approval.request", "action_approve", [[id], "race B"]),
            ]),
        ),
    );
    for (const [index, pair] of outcomes.entries()) {
        const won = pair.filter((p) => p.status === "fulfilled");
        const lost = pair.filter((p): p is PromiseRejectedResult => p.status === "rejected");
        expect(won, `request ${requests[index]}: one call wins`).toHaveLength(1);
        expect(lost).toHaveLength(1);
        expect(lost[0]!.reason).toBeInstanceOf(OdooRpcError);
        expect(String((lost[0]!.reason as OdooRpcError).message)).toMatch(/no longer pending/);
    }
    const decisions = await admin.searchRead(
        "distribution.approval.decision",
        [["request_id", "in", requests]],
        ["request_id"],
    );
    expect(decisions).toHaveLength(PAIRS);
    const approveLogs = await admin.searchCount("distribution.audit.log", [
        ["request_id", "in", requests],
        ["event", "=", "approve"],
    ]);
    expect(approveLogs).toBe(PAIRS);
    const confirmed = await admin.searchCount("sale.order", [
        ["id", "in", orders],
        ["state", "=", "sale"],
        ["dg_credit_hold", "=", "released"],
    ]);
    expect(confirmed).toBe(PAIRS);
});
