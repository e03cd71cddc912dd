import { registry } from "@web/core/registry";
import { ApprovalFormPanel } from "@distribution_governance/approvals/form_panel";
import {
    APPROVAL_MODEL,
    approvalsProgress,
    decisionButtons,
    requestStateBadge,
    type DecisionButtons,
} from "@distribution_governance/approvals/panel_logic";
import {
    partialRowClass,
    partialStateBadge,
    shortSummary,
} from "@distribution_governance/approvals/partial_logic";
import type { ApprovalRow, DecisionKind } from "@distribution_governance/types/approvals";
import type {
    PartialMoveRow,
    VisiblePartialPanelData,
} from "@distribution_governance/types/partial";

/** The forms the partial shipment panel sits in. */
export const PARTIAL_PANEL_MODELS: ReadonlySet<string> = new Set(["stock.picking", APPROVAL_MODEL]);

/**
 * View widget `dg_partial_panel`: on a delivery that must ship complete, why, what validating it
 * now ships of each move, and its partial shipment request with Approve / Reject for who may
 * decide it (the server's can_decide) and the requester's justification. The request itself is
 * filed by the server when the transfer is validated short.
 */
export class PartialPanel extends ApprovalFormPanel<VisiblePartialPanelData> {
    static template = "distribution_governance.PartialPanel";
    static panelModels = PARTIAL_PANEL_MODELS;
    static panelMethod = "get_partial_panel_data";

    get request(): ApprovalRow | null {
        return (!this.onRequestForm && this.state.data?.request) || null;
    }

    get attention(): boolean {
        const data = this.state.data;
        return Boolean(data && data.open && (data.short_count > 0 || data.state === "pending"));
    }

    get expanded(): boolean {
        return this.state.expanded ?? (this.attention || this.onRequestForm);
    }

    toggle(): void {
        this.state.expanded = !this.expanded;
    }

    get summary(): string {
        return shortSummary(this.data.rows, this.data.open);
    }

    get stateBadgeClass(): string {
        return partialStateBadge(this.data.state);
    }

    get buttons(): DecisionButtons {
        return decisionButtons(this.request, this.decisions.state.busy);
    }

    get canJustify(): boolean {
        const request = this.request;
        return Boolean(request?.full && request.can_justify) && !this.decisions.state.busy;
    }

    rowClass(row: PartialMoveRow): string {
        return partialRowClass(row);
    }

    requestBadge(row: ApprovalRow): string {
        return requestStateBadge(row.state);
    }

    progress(row: ApprovalRow): string {
        return approvalsProgress(row).text;
    }

    decide(kind: DecisionKind): void {
        const request = this.request;
        if (!request || !this.buttons.enabled) {
            return;
        }
        this.decisions.open(kind, { id: request.id, document: request.name }, this.summary);
    }

    justify(): void {
        const request = this.request;
        if (!request || !this.canJustify) {
            return;
        }
        this.decisions.open("justify", { id: request.id, document: request.name }, this.summary);
    }
}

registry.category("view_widgets").add("dg_partial_panel", { component: PartialPanel });
