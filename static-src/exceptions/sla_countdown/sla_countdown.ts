import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { useClock, type Clock } from "@distribution_governance/core/clock";
import {
    slaCountdown,
    type Moment,
    type SlaCountdown as Countdown,
} from "@distribution_governance/exceptions/sla";
import type { SlaStatus } from "@distribution_governance/types/exceptions";

export interface SlaCountdownProps {
    deadline: Moment;
    warningAt?: Moment;
    /** sla_status as the server computed it. */
    status?: SlaStatus | false;
    /** Open exceptions count down; closed ones show how their SLA ended (statusLabel). */
    open: boolean;
    statusLabel?: string;
    /** Server clock minus client clock (ms), when an answer brought the server's time. */
    skew?: number;
}

/** "2h 05m" / "overdue 3h", coloured by SLA status, live on the shared clock. */
export class SlaCountdown extends Component<SlaCountdownProps> {
    static template = "distribution_governance.SlaCountdown";
    static props = {
        deadline: { optional: true },
        warningAt: { optional: true },
        status: { type: [String, Boolean], optional: true },
        open: Boolean,
        statusLabel: { type: String, optional: true },
        skew: { type: Number, optional: true },
    };

    clock!: Clock;

    setup(): void {
        this.clock = useClock();
    }

    get countdown(): Countdown | null {
        return slaCountdown(
            {
                deadline: this.props.deadline,
                warningAt: this.props.warningAt,
                serverStatus: this.props.status,
            },
            this.clock.now,
            this.props.skew ?? 0,
        );
    }

    get closedClass(): string {
        return this.props.status === "breached" ? "text-danger" : "text-muted";
    }

    get title(): string {
        const deadline = this.props.deadline;
        if (!deadline) {
            return "";
        }
        const moment = typeof deadline === "string" ? deserializeDateTime(deadline) : deadline;
        return _t("SLA deadline: %s", formatDateTime(moment));
    }
}
