import { _t } from "@web/core/l10n/translation";
import type { PartialMoveRow, PartialState } from "@distribution_governance/types/partial";

/** The badge of the transfer's partial shipment approval. */
export function partialStateBadge(state: PartialState): string {
    switch (state) {
        case "pending":
            return "text-bg-warning";
        case "approved":
            return "text-bg-success";
        case "rejected":
            return "text-bg-danger";
        default:
            return "text-bg-light";
    }
}

/** A move that ships less than its demand stands out. */
export function partialRowClass(row: Pick<PartialMoveRow, "short">): string {
    return row.short > 0 ? "o_dg_partial_short table-warning" : "";
}

/** The panel's one-line summary: does validating now ship the whole demand? */
export function shortSummary(
    rows: readonly Pick<PartialMoveRow, "short">[],
    open: boolean,
): string {
    if (!open) {
        return "";
    }
    const short = rows.filter((row) => row.short > 0).length;
    if (!short) {
        return _t("Validating now ships the whole demand");
    }
    return short === 1
        ? _t("Validating now ships 1 move short of its demand")
        : _t("Validating now ships %s moves short of their demand", String(short));
}
