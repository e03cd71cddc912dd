import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import {
    useApprovalDecisions,
    type ApprovalDecisions,
} from "@distribution_governance/approvals/decisions";
import { limitUsage, type LimitUsage } from "@distribution_governance/approvals/exposure_bar";
import { formatServerDateTime, moneyFormatter } from "@distribution_governance/approvals/format";
import {
    APPROVAL_MODEL,
    approvalsProgress,
    decisionButtons,
    saleOrderFormAction,
    type DecisionButtons,
} from "@distribution_governance/approvals/panel_logic";
import type {
    DecisionKind,
    FullApprovalRow,
    InboxData,
} from "@distribution_governance/types/approvals";
import type { ActionService, OrmService } from "@distribution_governance/types/services";

export interface ApprovalsInboxProps {
    action?: { name?: string };
    actionId?: number;
    className?: string;
}

interface InboxState {
    rows: FullApprovalRow[] | null;
    loading: boolean;
}

/**
 * Client action `distribution_governance.approvals_inbox`: the requests the current user may
 * decide, oldest and largest first (the server's order), each decided in place.
 */
export class ApprovalsInbox extends Component<ApprovalsInboxProps> {
    static template = "distribution_governance.ApprovalsInbox";
    static props = { ...standardActionServiceProps };

    orm!: OrmService;
    actionService!: ActionService;
    state!: InboxState;
    decisions!: ApprovalDecisions;

    setup(): void {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState<InboxState>({ rows: null, loading: true });
        this.decisions = useApprovalDecisions({
            // the list reloads in place: the server's soft reload would mount the inbox again
            keepScreen: true,
            afterChange: () => this.load(),
            afterFailure: () => this.load(),
        });
        onWillStart(() => this.load());
    }

    get title(): string {
        return this.props.action?.name || _t("Approvals");
    }

    get rows(): FullApprovalRow[] {
        return this.state.rows ?? [];
    }

    async load(): Promise<void> {
        this.state.loading = true;
        try {
            const data = await this.orm.call<InboxData>(APPROVAL_MODEL, "get_inbox_data");
            this.state.rows = data.requests;
        } finally {
            this.state.loading = false;
        }
    }

    money(row: FullApprovalRow, value: number): string {
        return moneyFormatter(row.currency_id)(value);
    }

    usage(row: FullApprovalRow): LimitUsage {
        return limitUsage(row.exposure_total, row.credit_limit);
    }

    buttons(row: FullApprovalRow): DecisionButtons {
        return decisionButtons(row, this.decisions.state.busy);
    }

    progress(row: FullApprovalRow): string {
        return approvalsProgress(row).text;
    }

    requestedAt(row: FullApprovalRow): string {
        return formatServerDateTime(row.requested_at);
    }

    decide(kind: DecisionKind, row: FullApprovalRow): void {
        if (!this.buttons(row).enabled) {
            return;
        }
        const summary = [row.partner, this.money(row, row.amount)].filter(Boolean).join(" · ");
        this.decisions.open(kind, row, summary);
    }

    async openOrder(row: FullApprovalRow): Promise<void> {
        if (row.sale_order_id) {
            await this.actionService.doAction(saleOrderFormAction(row.sale_order_id));
        }
    }
}

registry.category("actions").add("distribution_governance.approvals_inbox", ApprovalsInbox);
