import {
    approvalsProgress,
    decisionButtons,
    decisionDialogTitle,
    holdStateBadge,
    isClientAction,
    reasonError,
    requestStateBadge,
} from "@distribution_governance/approvals/panel_logic";
import { makeNotification, makeRequest, makeStatusRequest } from "./fixtures";

QUnit.module("approvals/panel_logic", () => {
    QUnit.test("no buttons without a pending request", (assert) => {
        const hidden = { show: false, enabled: false };
        assert.deepEqual(decisionButtons(false), hidden);
        assert.deepEqual(decisionButtons(null), hidden);
        for (const state of ["approved", "rejected", "expired", "voided", "cancelled"] as const) {
            assert.deepEqual(
                decisionButtons(makeRequest({ state, can_decide: true })),
                hidden,
                state,
            );
        }
    });

    QUnit.test("shown and enabled when the server says I may decide", (assert) => {
        assert.deepEqual(decisionButtons(makeRequest()), { show: true, enabled: true });
        assert.deepEqual(
            decisionButtons(makeStatusRequest({ can_decide: true })),
            { show: true, enabled: true },
            "a status row too: the server decides who may decide",
        );
    });

    QUnit.test("absent, not disabled, for who may never decide (the requester)", (assert) => {
        assert.deepEqual(decisionButtons(makeRequest({ can_decide: false })), {
            show: false,
            enabled: false,
        });
    });

    QUnit.test("disabled while a decision runs", (assert) => {
        assert.deepEqual(decisionButtons(makeRequest(), true), { show: true, enabled: false });
    });

    QUnit.test("a rejection and a justification need text, an approval does not", (assert) => {
        assert.strictEqual(reasonError("approve", ""), null);
        assert.strictEqual(reasonError("approve", "  "), null);
        assert.strictEqual(reasonError("reject", ""), "Give a reason to reject the request.");
        assert.strictEqual(reasonError("reject", " \n "), "Give a reason to reject the request.");
        assert.strictEqual(reasonError("reject", "Overdue"), null);
        assert.strictEqual(reasonError("justify", " "), "Say why this order should go ahead.");
        assert.strictEqual(reasonError("justify", "Paid by wire"), null);
    });

    QUnit.test("titles and badges (labels come from the server)", (assert) => {
        assert.strictEqual(decisionDialogTitle("approve", "S00026"), "Approve S00026");
        assert.strictEqual(decisionDialogTitle("reject", "S00026"), "Reject S00026");
        assert.strictEqual(
            decisionDialogTitle("justify", "S00026"),
            "Request credit approval for S00026",
        );
        assert.strictEqual(requestStateBadge("pending"), "text-bg-info");
        assert.strictEqual(requestStateBadge("approved"), "text-bg-success");
        assert.strictEqual(requestStateBadge("rejected"), "text-bg-danger");
        assert.strictEqual(requestStateBadge("cancelled"), "text-bg-secondary");
        assert.strictEqual(requestStateBadge("voided"), "text-bg-secondary");
        assert.strictEqual(holdStateBadge("on_hold"), "text-bg-danger");
        assert.strictEqual(holdStateBadge("released"), "text-bg-success");
        assert.strictEqual(holdStateBadge("rejected"), "text-bg-warning");
    });

    QUnit.test("the server's action is recognised", (assert) => {
        assert.true(isClientAction(makeNotification("S00026 released and confirmed.")));
        assert.true(isClientAction({ type: "ir.actions.client", tag: "soft_reload" }));
        assert.false(isClientAction(true));
        assert.false(isClientAction(null));
        assert.false(isClientAction({ type: "ir.actions.act_window" }));
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
});
