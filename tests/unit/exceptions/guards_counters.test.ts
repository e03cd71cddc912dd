import {
    canAssign,
    canResolve,
    canTakeOwnership,
    resolveFormError,
} from "@distribution_governance/exceptions/guards";
import {
    BOARD_ACTION,
    shapeSystrayCounters,
    systrayBadge,
} from "@distribution_governance/exceptions/systray_counters";
import { SHORT_PICK_RESOLUTIONS, makeRow, rights } from "./fixtures";

QUnit.module("exceptions/guards", () => {
    QUnit.test("take ownership mirrors action_take_ownership", (assert) => {
        const user = rights({ user_id: 7 });
        const manager = rights({ user_id: 8, can_manage: true });
        const unowned = makeRow();
        const mine = makeRow({ owner: [7, "Me"], state: "in_progress" });
        const others = makeRow({ owner: [9, "Someone"], state: "in_progress" });
        assert.true(canTakeOwnership(unowned, user));
        assert.false(canTakeOwnership(mine, user), "already mine");
        assert.false(canTakeOwnership(others, user), "only a manager takes over");
        assert.true(canTakeOwnership(others, manager));
        assert.false(canTakeOwnership(makeRow({ state: "resolved" }), manager), "closed");
        assert.false(canTakeOwnership(unowned, rights({ can_work: false })), "not a user");
    });

    QUnit.test("resolve and assign need the right role and an open exception", (assert) => {
        assert.true(canResolve(makeRow(), rights()));
        assert.false(canResolve(makeRow({ state: "cancelled" }), rights()));
        assert.false(canResolve(makeRow({ resolutions: [] }), rights()), "no code to pick");
        assert.false(canResolve(makeRow(), rights({ can_work: false })));
        assert.false(canAssign(rights()));
        assert.true(canAssign(rights({ can_manage: true })));
    });

    QUnit.test("the resolve form needs a code, and a note when the code says so", (assert) => {
        assert.strictEqual(
            resolveFormError(SHORT_PICK_RESOLUTIONS, null, ""),
            "Choose a resolution code.",
        );
        assert.strictEqual(
            resolveFormError(SHORT_PICK_RESOLUTIONS, 99, "x"),
            "Choose a resolution code.",
        );
        assert.strictEqual(resolveFormError(SHORT_PICK_RESOLUTIONS, 11, ""), null);
        assert.strictEqual(
            resolveFormError(SHORT_PICK_RESOLUTIONS, 12, "   "),
            "“Cancel the remaining quantity” needs a note.",
        );
        assert.strictEqual(resolveFormError(SHORT_PICK_RESOLUTIONS, 12, "customer agreed"), null);
    });
});

QUnit.module("exceptions/systray_counters", () => {
    QUnit.test("server counts become counters in spec order", (assert) => {
        const counters = shapeSystrayCounters({ open: 9, breached: 2, my_open: 3 });
        assert.deepEqual(
            counters.map((c) => [c.key, c.label, c.value, c.alert]),
            [
                ["my_open", "My open exceptions", 3, false],
                ["breached", "SLA breached", 2, true],
                ["open", "All open exceptions", 9, false],
            ],
        );
        assert.deepEqual(counters[0]!.target, {
            action: BOARD_ACTION,
            context: { dg_board_filters: { mine: true } },
        });
        assert.deepEqual(systrayBadge(counters), { value: 3, alert: true, text: "3" });
    });

    QUnit.test("missing or broken keys are left out; zero breached raises no alert", (assert) => {
        const counters = shapeSystrayCounters({ my_open: 0, breached: 0, open: Number.NaN });
        assert.deepEqual(
            counters.map((c) => c.key),
            ["my_open", "breached"],
        );
        assert.deepEqual(systrayBadge(counters), { value: 0, alert: false, text: "" });
        assert.deepEqual(shapeSystrayCounters(null), []);
        assert.deepEqual(
            systrayBadge(shapeSystrayCounters({ my_open: 0, breached: 2 })),
            { value: 0, alert: true, text: "!" },
            "breached elsewhere: a red mark, not a red zero",
        );
    });

    QUnit.test("pending approvals add to the same item and its badge", (assert) => {
        const counters = shapeSystrayCounters({
            can_work: true,
            my_open: 2,
            breached: 0,
            open: 5,
            pending_approvals: 4,
        });
        assert.deepEqual(
            counters.map((c) => c.key),
            ["my_open", "breached", "open", "pending_approvals"],
        );
        const approvals = counters.at(-1)!;
        assert.strictEqual(
            approvals.target.action,
            "distribution_governance.action_approvals_inbox",
        );
        // my open exceptions + approvals waiting for me; the flag is not a counter
        assert.deepEqual(systrayBadge(counters), { value: 6, alert: false, text: "6" });
        // a user who is no approver gets no approvals line
        assert.notOk(
            shapeSystrayCounters({ my_open: 1, breached: 0, open: 1 }).some(
                (c) => c.key === "pending_approvals",
            ),
        );
    });
});
