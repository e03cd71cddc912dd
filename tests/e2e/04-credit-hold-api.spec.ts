import { expect, test } from "@playwright/test";
import { OdooRpcError, type OdooRpc } from "../../scripts/lib/odoo-rpc";
import { creditHoldProduct, heldOrder, rpcAs } from "./support";

// Credit-hold guarantees over XML-RPC against the live, multi-threaded server: refusals are
// logged even though the refused call rolls back, and two approvers deciding the same request
// at the same moment produce exactly one decision.

const PAIRS = 20;

/** `count` quotations over their customer's credit limit, confirmed by the rep: each held,
 * each with a pending request. */
async function heldOrders(rep: OdooRpc, admin: OdooRpc, count: number, tag: string) {
    const product = await creditHoldProduct(admin, `E2E Credit Item ${tag}`);
    const orders: number[] = [];
    for (let i = 0; i < count; i++) {
        orders.push(await heldOrder(admin, rep, product, `E2E Credit ${tag} ${i + 1}`));
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
