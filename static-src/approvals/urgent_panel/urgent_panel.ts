import { useService } from "@web/core/utils/hooks";
import { registry } from "@web/core/registry";
import { ApprovalFormPanel } from "@distribution_governance/approvals/form_panel";
import {
    APPROVAL_MODEL,
    decisionButtons,
    requestStateBadge,
    type DecisionButtons,
} from "@distribution_governance/approvals/panel_logic";
import {
    reservedClass,
    reservedText,
    urgentStateBadge,
    urgentSummary,
} from "@distribution_governance/approvals/urgent_logic";
import type {
    DecisionKind,
    RequestState,
    UrgentTransferRow,
    VisibleUrgentPanelData,
} from "@distribution_governance/types/approvals";
import type {
    ActionService,
    OrmService,
    ServerAction,
} from "@distribution_governance/types/services";

/** The forms the urgent panel sits in. */
export const URGENT_PANEL_MODELS: ReadonlySet<string> = new Set([
    "sale.order",
    "stock.picking",
    APPROVAL_MODEL,
]);

/**
 * View widget `dg_urgent_panel`: the order's urgent override in the sale order, its transfers and
 * the urgent request. One line (where the override stands), the order's open transfers with
 * their priority and reservation, the request with Approve / Reject for who may decide it (the
 * server's can_decide), Expedite for who may ask (the server's can_request).
 */
export class UrgentPanel extends ApprovalFormPanel<VisibleUrgentPanelData> {
    static template = "distribution_governance.UrgentPanel";
    static panelModels = URGENT_PANEL_MODELS;
    static panelMethod = "get_urgent_panel_data";

    actionService!: ActionService;
    orm!: OrmService;

    setup(): void {
        super.setup();
        this.actionService = useService("action");
        this.orm = useService("orm");
    }

    get request(): VisibleUrgentPanelData["request"] | null {
        return (!this.onRequestForm && this.state.data?.request) || null;
    }

    get buttons(): DecisionButtons {
        return decisionButtons(this.request, this.decisions.state.busy);
    }

    get badge(): string {
        return urgentStateBadge(this.data.urgent_state);
    }

    get summary(): string {
        return urgentSummary(this.data.urgent_state, this.data.transfers);
    }

    stateBadge(state: RequestState): string {
        return requestStateBadge(state);
    }

    reserved(row: UrgentTransferRow): string {
        return reservedText(row);
    }

    reservedClass(row: UrgentTransferRow): string {
        return reservedClass(row);
    }

    decide(kind: DecisionKind): void {
        const request = this.request;
        if (!request || !this.buttons.enabled) {
            return;
        }
        this.decisions.open(kind, { id: request.id, document: request.name }, this.summary);
    }

    /** Expedite: the server's justification dialog; the form reloads when it closes. */
    async expedite(): Promise<void> {
        if (!(await this.saveForm())) {
            return;
        }
        const action = await this.orm.call<ServerAction>("sale.order", "action_dg_urgent_request", [
            [this.data.order_id],
        ]);
        await this.actionService.doAction(action, { onClose: () => this.reloadAll() });
    }
}

registry.category("view_widgets").add("dg_urgent_panel", { component: UrgentPanel });
