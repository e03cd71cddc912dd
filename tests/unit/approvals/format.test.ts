import {
    formatServerDate,
    formatServerDateTime,
    moneyFormatter,
} from "@distribution_governance/approvals/format";

QUnit.module("approvals/format", () => {
    QUnit.test("money: Odoo's formatCurrency with the currency's id, not its symbol", (assert) => {
        assert.strictEqual(moneyFormatter(2)(1842.3), "$\u00a01,842.30");
        assert.strictEqual(moneyFormatter(1)(1842.3), "1,842.30\u00a0€", "the symbol's side");
        assert.strictEqual(moneyFormatter(2)(-300), "$\u00a0-300.00", "as Odoo writes it");
        assert.strictEqual(moneyFormatter(99)(5), "5.00", "a currency the session lacks");
        assert.strictEqual(moneyFormatter(false)(5), "5.00");
        assert.strictEqual(moneyFormatter(2)(Number.NaN), "$\u00a00.00", "a server bug shows 0");
    });

    QUnit.test("server dates in the user's format", (assert) => {
        assert.strictEqual(formatServerDateTime("2026-11-27 05:19:07"), "11/27/2026 05:19:07");
        assert.strictEqual(formatServerDate("2026-09-30"), "09/30/2026");
        assert.strictEqual(formatServerDateTime(false), "");
        assert.strictEqual(formatServerDate(""), "");
    });
});
