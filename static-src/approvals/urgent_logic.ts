import { _t } from "@web/core/l10n/translation";
import type { UrgentState, UrgentTransferRow } from "@distribution_governance/types/approvals";

/** The badge of the override's state. */
export function urgentStateBadge(state: UrgentState): string {
    switch (state) {
        case "pending":
            return "text-bg-info";
        case "approved":
            return "text-bg-success";
        case "rejected":
            return "text-bg-warning";
        default:
            return "text-bg-light";
    }
}

/** "5 / 5 reserved", "2 / 5 reserved": a transfer's reservation against its demand. */
export function reservedText(row: Pick<UrgentTransferRow, "reserved" | "demand">): string {
    const fmt = (value: number) => String(Math.round(value * 1000) / 1000);
    return _t("%s / %s reserved", fmt(row.reserved), fmt(row.demand));
}

/** Fully reserved transfers read as such; short ones stand out. */
export function reservedClass(row: Pick<UrgentTransferRow, "reserved" | "demand">): string {
    return row.reserved + 1e-9 >= row.demand ? "text-success" : "text-danger";
}

/** The panel's one line for the state, beside its badge. */
export function urgentSummary(state: UrgentState, transfers: readonly UrgentTransferRow[]): string {
    const urgent = transfers.filter((row) => row.priority === "1").length;
    switch (state) {
        case "pending":
            return _t(
                "Waiting for a warehouse manager: priority and reservations unchanged until then.",
            );
        case "approved":
            return urgent
                ? _t("Expedited: the transfers are urgent and reserved first.")
                : _t("Expedited: the transfers asked for have shipped.");
        case "rejected":
            return _t("Expedite refused: the transfers keep their place.");
        default:
            return transfers.length
                ? _t("Normal priority. Expedite to ship ahead of earlier orders.")
                : _t("No open transfer.");
    }
}
