import { ApprovalsInbox } from "@distribution_governance/approvals/approvals_inbox/approvals_inbox";
import type { FullApprovalRow } from "@distribution_governance/types/approvals";
import { registry } from "@web/core/registry";
import {
    makeActionService,
    makeDialogService,
    makeOrm,
    mountWithServices,
    waitFor,
    type OrmCall,
} from "../helpers";
import { makeNotification, makeRequest } from "./fixtures";

const INBOX = "distribution.approval.request.get_inbox_data";

async function mountInbox(handlers: Record<string, (call: OrmCall) => unknown>) {
    const orm = makeOrm(handlers);
    const action = makeActionService();
    const dialog = makeDialogService();
    const mounted = await mountWithServices(
        ApprovalsInbox,
        { action: { name: "Approvals to Decide" }, actionId: 1 },
        { orm, action, dialog },
    );
    return { ...mounted, orm, action, dialog };
}

const text = (root: Element, selector: string) =>
    root.querySelector(selector)?.textContent?.replace(/\s+/g, " ").trim() ?? null;

QUnit.module("approvals/ApprovalsInbox", () => {
    QUnit.test("is the client action distribution_governance.approvals_inbox", (assert) => {
        assert.strictEqual(
            registry.category("actions").get("distribution_governance.approvals_inbox"),
            ApprovalsInbox,
        );
    });

    QUnit.test("lists the requests in the server's order with one RPC", async (assert) => {
        const rows: FullApprovalRow[] = [
            makeRequest(),
            makeRequest({
                id: 32,
                name: "APR/2026/00032",
                document: "S00030",
                sale_order_id: 30,
                partner: "Corner Deli",
                amount: 250,
                exposure_total: 900,
                credit_limit: 1000,
                approvals_count: 1,
                approvals_required: 2,
                requested_at: "2026-11-27 07:00:00",
            }),
            makeRequest({
                id: 33,
                name: "APR/2026/00033",
                document: "S00031",
                sale_order_id: 31,
                credit_limit: 0,
                justification: "Paid by wire today",
            }),
        ];
        const { target, orm, destroy } = await mountInbox({ [INBOX]: () => ({ requests: rows }) });
        assert.strictEqual(orm.calls.length, 1, "one RPC");
        assert.strictEqual(text(target, ".o_dg_inbox_title"), "Approvals to Decide");
        assert.strictEqual(text(target, ".o_dg_inbox_count"), "3 to decide");
        const shown = [...target.querySelectorAll<HTMLElement>(".o_dg_inbox_row")];
        assert.deepEqual(
            shown.map((r) => r.dataset["document"]),
            ["S00026", "S00030", "S00031"],
            "kept in the server's order (oldest and largest first)",
        );
        const [first, second, third] = shown as [HTMLElement, HTMLElement, HTMLElement];
        assert.strictEqual(text(first, ".o_dg_open_order"), "S00026");
        assert.strictEqual(text(first, ".o_dg_partner"), "QuickStop Convenience");
        assert.strictEqual(text(first, ".o_dg_requester"), "Riley Sales Rep");
        assert.ok(first.textContent.includes("11/27/2026 05:19:07"));
        assert.strictEqual(text(first, ".o_dg_amount"), "$ 1,704.30");
        assert.strictEqual(text(first, ".o_dg_usage"), "$ 1,842.30 / $ 1,500.00");
        assert.ok(first.querySelector(".o_dg_usage_bar .bg-danger"), "over the limit: red");
        assert.ok(text(first, ".o_dg_hold_reason")!.includes("exceeds the limit"));
        assert.strictEqual(text(first, ".o_dg_approvals"), "0 / 1");
        assert.strictEqual(text(second, ".o_dg_approvals"), "1 / 2");
        assert.ok(second.querySelector(".o_dg_usage_bar .bg-info"), "under the limit");
        assert.strictEqual(
            second.querySelector<HTMLElement>(".o_dg_usage_bar .progress-bar")!.style.width,
            "90%",
        );
        assert.ok(text(third, ".o_dg_usage")!.includes("no limit"));
        assert.notOk(first.querySelector(".o_dg_justification"));
        assert.strictEqual(
            text(third, ".o_dg_justification"),
            "Justification: Paid by wire today",
            "the approver reads the requester's justification",
        );
        assert.notOk(target.querySelector(".o_dg_inbox_empty"));
        destroy();
    });

    QUnit.test("says so when there is nothing to decide", async (assert) => {
        const { target, destroy } = await mountInbox({ [INBOX]: () => ({ requests: [] }) });
        assert.ok(target.querySelector(".o_dg_inbox_empty"));
        assert.strictEqual(text(target, ".o_view_nocontent_smiling_face"), "Nothing to decide");
        assert.notOk(target.querySelector(".o_dg_inbox_table"));
        destroy();
    });

    QUnit.test("the document link opens the sale order's form", async (assert) => {
        const { target, action, destroy } = await mountInbox({
            [INBOX]: () => ({ requests: [makeRequest()] }),
        });
        target.querySelector<HTMLElement>(".o_dg_open_order")!.click();
        await waitFor(() => action.done.length === 1, "doAction");
        assert.deepEqual(action.done[0], {
            type: "ir.actions.act_window",
            res_model: "sale.order",
            res_id: 26,
            views: [[false, "form"]],
            target: "current",
        });
        destroy();
    });

    QUnit.test("approves inline through the shared dialog, then reloads", async (assert) => {
        let requests = [makeRequest(), makeRequest({ id: 32, document: "S00030" })];
        const released = makeNotification("S00030 released and confirmed.");
        const { target, orm, dialog, action, destroy } = await mountInbox({
            [INBOX]: () => ({ requests }),
            "distribution.approval.request.action_approve": (call) => {
                const [ids] = call.args as [number[]];
                requests = requests.filter((r) => !ids.includes(r.id));
                return released;
            },
        });
        const second = target.querySelectorAll<HTMLElement>(".o_dg_inbox_row")[1]!;
        second.querySelector<HTMLButtonElement>(".o_dg_approve")!.click();
        const opened = dialog.open[0]!;
        await opened.ready;
        assert.strictEqual(text(opened.target, ".modal-title"), "Approve S00030");
        opened.target.querySelector<HTMLButtonElement>(".o_dg_decision_confirm")!.click();
        await waitFor(() => opened.closed, "the dialog to close");
        await waitFor(
            () => target.querySelectorAll(".o_dg_inbox_row").length === 1,
            "the decided row to leave",
        );
        const approve = orm.calls.filter((c) => c.method === "action_approve");
        assert.deepEqual(approve[0]!.args, [[32], ""], "an approval's reason is optional");
        assert.strictEqual(orm.calls.filter((c) => c.method === "get_inbox_data").length, 2);
        assert.strictEqual(text(target, ".o_dg_inbox_count"), "1 to decide");
        assert.deepEqual(
            action.done,
            [
                {
                    type: "ir.actions.client",
                    tag: "display_notification",
                    params: {
                        title: "Approved",
                        message: "S00030 released and confirmed.",
                        type: "success",
                        sticky: false,
                    },
                },
            ],
            "the server's notification shows; the inbox stays and reloads its list itself",
        );
        destroy();
    });

    QUnit.test("a row I may not decide has no buttons, only its state", async (assert) => {
        const { target, dialog, destroy } = await mountInbox({
            [INBOX]: () => ({ requests: [makeRequest({ can_decide: false })] }),
        });
        assert.notOk(target.querySelector(".o_dg_approve"));
        assert.notOk(target.querySelector(".o_dg_reject"));
        assert.strictEqual(text(target, ".o_dg_request_state"), "Pending", "the server's label");
        assert.strictEqual(dialog.open.length, 0);
        destroy();
    });
});
