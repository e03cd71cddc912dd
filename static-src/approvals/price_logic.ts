import { _t } from "@web/core/l10n/translation";
import type { PriceFlag, PriceLineRow } from "@distribution_governance/types/approvals";

/** The row's class: lines below the policy stand out. */
export function priceRowClass(flag: PriceFlag): string {
    return flag === "ok" ? "" : "o_dg_price_below table-danger";
}

/** "12.5% below", "3.0% above", "at pricelist": the line against its pricelist price. */
export function deviationText(deviation: number): string {
    const rounded = Math.round(Math.abs(deviation) * 10) / 10;
    if (rounded === 0) {
        return _t("at pricelist");
    }
    const percent = `${rounded.toFixed(1)}%`;
    return deviation > 0 ? _t("%s below", percent) : _t("%s above", percent);
}

/** Why a line needs approval ("" when it does not). */
export function flagText(flag: PriceFlag): string {
    switch (flag) {
        case "discount":
            return _t("Below the allowed discount");
        case "margin":
            return _t("Below the margin floor");
        default:
            return "";
    }
}

/** The panel's one-line summary: how many lines need an approval. */
export function belowSummary(lines: readonly Pick<PriceLineRow, "flag">[]): string {
    const below = lines.filter((line) => line.flag !== "ok").length;
    if (!below) {
        return _t("All lines within the pricing policy");
    }
    return below === 1
        ? _t("1 line below the pricing policy")
        : _t("%s lines below the pricing policy", String(below));
}
