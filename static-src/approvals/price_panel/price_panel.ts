import { registry } from "@web/core/registry";
import { ApprovalFormPanel } from "@distribution_governance/approvals/form_panel";
import { moneyFormatter } from "@distribution_governance/approvals/format";
import {
    APPROVAL_MODEL,
    approvalsProgress,
    decisionButtons,
    holdStateBadge,
    requestStateBadge,
    type DecisionButtons,
} from "@distribution_governance/approvals/panel_logic";
import {
    belowSummary,
    deviationText,
    flagText,
    priceRowClass,
} from "@distribution_governance/approvals/price_logic";
import type {
    ApprovalRow,
    DecisionKind,
    PriceLineRow,
    VisiblePricePanelData,
} from "@distribution_governance/types/approvals";

/** The forms the price panel sits in. */
export const PRICE_PANEL_MODELS: ReadonlySet<string> = new Set(["sale.order", APPROVAL_MODEL]);

/**
 * View widget `dg_price_panel`: the order's lines against the pricing policy, in the sale order
 * and in a price approval request. One line (the price hold, how many lines are below the
 * policy); the lines with their pricelist price, deviation and, for sales managers and price
 * approvers, their margin, open on demand, and at once when a line is below the policy. Approve
 * / Reject for who may decide the order's pending request (the server's can_decide).
 */
export class PricePanel extends ApprovalFormPanel<VisiblePricePanelData> {
    static template = "distribution_governance.PricePanel";
    static panelModels = PRICE_PANEL_MODELS;
    static panelMethod = "get_price_panel_data";

    // ------------------------------------------------------------------ view helpers

    /** The request under the line, on the order (the request's form shows itself). */
    get request(): ApprovalRow | null {
        return (!this.onRequestForm && this.state.data?.request) || null;
    }

    get attention(): boolean {
        const data = this.state.data;
        return Boolean(data && (data.hold_state === "on_hold" || data.below_count > 0));
    }

    get expanded(): boolean {
        return this.state.expanded ?? (this.attention || this.onRequestForm);
    }

    toggle(): void {
        this.state.expanded = !this.expanded;
    }

    get summary(): string {
        return belowSummary(this.data.lines);
    }

    get holdBadge(): string {
        return holdStateBadge(this.data.hold_state);
    }

    get buttons(): DecisionButtons {
        return decisionButtons(this.request, this.decisions.state.busy);
    }

    money(value: number): string {
        return moneyFormatter(this.data.currency_id)(value);
    }

    deviation(line: PriceLineRow): string {
        return deviationText(line.deviation);
    }

    flag(line: PriceLineRow): string {
        return flagText(line.flag);
    }

    rowClass(line: PriceLineRow): string {
        return priceRowClass(line.flag);
    }

    margin(line: PriceLineRow): string {
        return line.margin === undefined ? "" : `${line.margin.toFixed(1)}%`;
    }

    stateBadge(row: ApprovalRow): string {
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
}

registry.category("view_widgets").add("dg_price_panel", { component: PricePanel });
