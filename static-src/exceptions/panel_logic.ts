import { _t } from "@web/core/l10n/translation";
import type { ExceptionRow } from "@distribution_governance/types/exceptions";
import { toMillis } from "@distribution_governance/exceptions/sla";

/** What the one line of the exception panel says, from the server's rows. */
export interface PanelSummary {
    count: number;
    /** "1 open exception", "3 open exceptions". */
    title: string;
    breached: number;
    /** The open exception due first: its SLA is the line's countdown. */
    urgent: ExceptionRow | null;
    /** The only exception, whose actions fit on the line; null when there are several. */
    single: ExceptionRow | null;
    /** Some exception the user may take, resolve or notify the customer of: the detail is
     * worth unfolding. */
    actionable: boolean;
}

export function panelSummary(rows: readonly ExceptionRow[]): PanelSummary {
    let urgent: ExceptionRow | null = null;
    let urgentAt = Infinity;
    for (const row of rows) {
        const deadline = toMillis(row.sla_deadline) ?? Infinity;
        if (urgent === null || deadline < urgentAt) {
            urgent = row;
            urgentAt = deadline;
        }
    }
    return {
        count: rows.length,
        title:
            rows.length === 1
                ? _t("1 open exception")
                : _t("%s open exceptions", String(rows.length)),
        breached: rows.filter((r) => r.sla_status === "breached").length,
        urgent,
        single: rows.length === 1 ? rows[0]! : null,
        actionable: rows.some((r) => r.can_take || r.can_resolve || r.can_notify_customer),
    };
}
