import {
    reservedClass,
    reservedText,
    urgentStateBadge,
    urgentSummary,
} from "@distribution_governance/approvals/urgent_logic";
import type { UrgentTransferRow } from "@distribution_governance/types/approvals";

function transfer(priority: "0" | "1", reserved = 5, demand = 5): UrgentTransferRow {
    return {
        id: 1,
        name: "WH/OUT/1",
        priority,
        state: "assigned",
        state_label: "Ready",
        reserved,
        demand,
    };
}

QUnit.module("approvals/urgent_logic", () => {
    QUnit.test("the state's badge", (assert) => {
        assert.strictEqual(urgentStateBadge("pending"), "text-bg-info");
        assert.strictEqual(urgentStateBadge("approved"), "text-bg-success");
        assert.strictEqual(urgentStateBadge("rejected"), "text-bg-warning");
        assert.strictEqual(urgentStateBadge("none"), "text-bg-light");
    });

    QUnit.test("a transfer's reservation against its demand", (assert) => {
        assert.strictEqual(reservedText(transfer("1", 2, 5)), "2 / 5 reserved");
        assert.strictEqual(reservedText(transfer("1", 1.23456, 5)), "1.235 / 5 reserved");
        assert.strictEqual(reservedClass(transfer("1", 2, 5)), "text-danger");
        assert.strictEqual(reservedClass(transfer("1", 5, 5)), "text-success");
    });

    QUnit.test("the one line says where the override stands", (assert) => {
        assert.ok(urgentSummary("none", [transfer("0")]).startsWith("Normal priority"));
        assert.strictEqual(urgentSummary("none", []), "No open transfer.");
        assert.ok(urgentSummary("pending", [transfer("0")]).includes("unchanged"));
        assert.ok(urgentSummary("approved", [transfer("1")]).includes("reserved first"));
        assert.ok(urgentSummary("approved", []).includes("shipped"));
        assert.ok(urgentSummary("rejected", [transfer("0")]).includes("keep their place"));
    });
});
