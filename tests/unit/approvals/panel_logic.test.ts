import {
    approvalsProgress,
    decisionButtons,
    decisionDialogTitle,
    decisionLabel,
    holdStateBadge,
    holdStateLabel,
    reasonError,
    requestStateBadge,
    requestStateLabel,
    saleOrderFormAction,
} from "@distribution_governance/approvals/panel_logic";
import { makeRequest } from "./fixtures";

QUnit.module("approvals/panel_logic", () => {
    QUnit.test("no buttons without a pending request", (assert) => {
        const hidden = { show: false, enabled: false, reason: "" };
        assert.deepEqual(decisionButtons(false), hidden);
        assert.deepEqual(decisionButtons(null), hidden);
        for (const state of ["approved", "rejected", "expired", "cancelled"] as const) {
            assert.deepEqual(decisionButtons(makeRequest({ state })), hidden, state);
        }
    });

    QUnit.test("enabled when the server says I may decide", (assert) => {
        assert.deepEqual(decisionButtons(makeRequest()), {
            show: true,
            enabled: true,
            reason: "",
        });
    });

    QUnit.test("disabled with the server's reason otherwise (the requester)", (assert) => {
        const request = makeRequest({
            can_decide: false,
            cannot_decide_reason: "You requested this approval: another approver must decide it.",
        });
        assert.deepEqual(decisionButtons(request), {
            show: true,
            enabled: false,
            reason: "You requested this approval: another approver must decide it.",
        });
        assert.strictEqual(
            decisionButtons(makeRequest({ can_decide: false })).reason,
            "You may not decide this request.",
            "a generic reason when the server gives none",
        );
    });

    QUnit.test("disabled without a reason while a decision runs", (assert) => {
        assert.deepEqual(decisionButtons(makeRequest(), true), {
            show: true,
            enabled: false,
            reason: "",
        });
    });

    QUnit.test("a rejection needs a reason, an approval does not", (assert) => {
        assert.strictEqual(reasonError("approve", ""), null);
        assert.strictEqual(reasonError("approve", "  "), null);
        assert.strictEqual(reasonError("reject", ""), "Give a reason to reject the request.");
        assert.strictEqual(reasonError("reject", " \n "), "Give a reason to reject the request.");
        assert.strictEqual(reasonError("reject", "Overdue"), null);
    });

    QUnit.test("labels and badges", (assert) => {
        assert.strictEqual(decisionDialogTitle("approve", "S00026"), "Approve S00026");
        assert.strictEqual(decisionDialogTitle("reject", "S00026"), "Reject S00026");
        assert.strictEqual(requestStateLabel("pending"), "Pending");
        assert.strictEqual(requestStateLabel("expired"), "Expired");
        assert.strictEqual(requestStateBadge("pending"), "text-bg-info");
        assert.strictEqual(requestStateBadge("approved"), "text-bg-success");
        assert.strictEqual(requestStateBadge("rejected"), "text-bg-danger");
        assert.strictEqual(requestStateBadge("cancelled"), "text-bg-secondary");
        assert.strictEqual(holdStateLabel("on_hold"), "On credit hold");
        assert.strictEqual(holdStateLabel("rejected"), "Hold rejected");
        assert.strictEqual(holdStateBadge("on_hold"), "text-bg-danger");
        assert.strictEqual(holdStateBadge("released"), "text-bg-success");
        assert.strictEqual(decisionLabel("approve"), "Approved");
        assert.strictEqual(decisionLabel("reject"), "Rejected");
    });

    QUnit.test("approvals progress against the tier", (assert) => {
        assert.deepEqual(approvalsProgress({ approvals_count: 0, approvals_required: 1 }), {
            text: "0 / 1",
            complete: false,
            needsMore: false,
        });
        assert.deepEqual(approvalsProgress({ approvals_count: 0, approvals_required: 2 }), {
            text: "0 / 2",
            complete: false,
            needsMore: true,
        });
        assert.deepEqual(approvalsProgress({ approvals_count: 2, approvals_required: 2 }), {
            text: "2 / 2",
            complete: true,
            needsMore: false,
        });
        assert.strictEqual(
            approvalsProgress({ approvals_count: 0, approvals_required: 0 }).text,
            "0 / 1",
            "a tier needs at least one approver",
        );
    });

    QUnit.test("the order link opens the sale order's form", (assert) => {
        assert.deepEqual(saleOrderFormAction(26), {
            type: "ir.actions.act_window",
            res_model: "sale.order",
            res_id: 26,
            views: [[false, "form"]],
            target: "current",
        });
    });
});
