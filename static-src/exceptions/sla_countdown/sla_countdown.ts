import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import {
    parseServerDatetime,
    slaCountdown,
    type SlaCountdown as Countdown,
} from "@distribution_governance/exceptions/sla";
import type { SlaStatus } from "@distribution_governance/types/exceptions";

export interface SlaCountdownProps {
    deadline: string | false;
    warningAt?: string | false;
    serverStatus?: SlaStatus;
    /** Client clock of the parent's ticker (ms). */
    now: number;
    /** Server clock minus client clock (ms), from the last answer's server_now. */
    skew: number;
}

/** "2h 05m" / "overdue 3h", coloured by SLA status; the parent's ticker makes it live. */
export class SlaCountdown extends Component<SlaCountdownProps> {
    static template = "distribution_governance.SlaCountdown";
    static props = {
        deadline: [String, Boolean],
        warningAt: { type: [String, Boolean], optional: true },
        serverStatus: { type: String, optional: true },
        now: Number,
        skew: Number,
    };

    get countdown(): Countdown | null {
        return slaCountdown(
            {
                deadline: this.props.deadline,
                warningAt: this.props.warningAt,
                serverStatus: this.props.serverStatus,
            },
            this.props.now,
            this.props.skew,
        );
    }

    get title(): string {
        const deadline = parseServerDatetime(this.props.deadline);
        return deadline === null ? "" : _t("SLA deadline: %s", new Date(deadline).toLocaleString());
    }
}
