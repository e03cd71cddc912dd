import {
    belowSummary,
    deviationText,
    flagText,
    priceRowClass,
} from "@distribution_governance/approvals/price_logic";

QUnit.module("approvals/price_logic", () => {
    QUnit.test("deviation from the pricelist price", (assert) => {
        assert.strictEqual(deviationText(20), "20.0% below");
        assert.strictEqual(deviationText(12.345), "12.3% below");
        assert.strictEqual(deviationText(-5), "5.0% above");
        assert.strictEqual(deviationText(0.01), "at pricelist");
        assert.strictEqual(deviationText(0), "at pricelist");
    });

    QUnit.test("lines below the policy stand out and say why", (assert) => {
        assert.strictEqual(priceRowClass("ok"), "");
        assert.ok(priceRowClass("discount").includes("o_dg_price_below"));
        assert.ok(priceRowClass("margin").includes("o_dg_price_below"));
        assert.strictEqual(flagText("ok"), "");
        assert.strictEqual(flagText("discount"), "Below the allowed discount");
        assert.strictEqual(flagText("margin"), "Below the margin floor");
    });

    QUnit.test("the one-line summary counts the lines below the policy", (assert) => {
        assert.strictEqual(belowSummary([]), "All lines within the pricing policy");
        assert.strictEqual(belowSummary([{ flag: "ok" }]), "All lines within the pricing policy");
        assert.strictEqual(
            belowSummary([{ flag: "discount" }, { flag: "ok" }]),
            "1 line below the pricing policy",
        );
        assert.strictEqual(
            belowSummary([{ flag: "discount" }, { flag: "margin" }]),
            "2 lines below the pricing policy",
        );
    });
});
