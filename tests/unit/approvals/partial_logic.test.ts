import {
    partialRowClass,
    partialStateBadge,
    shortSummary,
} from "@distribution_governance/approvals/partial_logic";

QUnit.module("approvals/partial_logic", () => {
    QUnit.test("the summary says whether validating now ships the whole demand", (assert) => {
        assert.strictEqual(shortSummary([], true), "Validating now ships the whole demand");
        assert.strictEqual(
            shortSummary([{ short: 0 }, { short: 4 }], true),
            "Validating now ships 1 move short of its demand",
        );
        assert.strictEqual(
            shortSummary([{ short: 1 }, { short: 4 }], true),
            "Validating now ships 2 moves short of their demand",
        );
        // a transfer done or cancelled ships nothing more
        assert.strictEqual(shortSummary([{ short: 4 }], false), "");
    });

    QUnit.test("short moves stand out, the state has its badge", (assert) => {
        assert.strictEqual(partialRowClass({ short: 0 }), "");
        assert.ok(partialRowClass({ short: 0.5 }).includes("o_dg_partial_short"));
        assert.strictEqual(partialStateBadge("pending"), "text-bg-warning");
        assert.strictEqual(partialStateBadge("approved"), "text-bg-success");
        assert.strictEqual(partialStateBadge("rejected"), "text-bg-danger");
        assert.strictEqual(partialStateBadge("none"), "text-bg-light");
    });
});
