import { Component, status, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useRecordObserver } from "@web/model/relational_model/utils";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { makePanelLoader } from "@distribution_governance/core/panel_loader";
import {
    useApprovalDecisions,
    type ApprovalDecisions,
} from "@distribution_governance/approvals/decisions";
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
    PricePanelData,
    SavableRecord,
    VisiblePricePanelData,
} from "@distribution_governance/types/approvals";

export interface PricePanelProps {
    record: SavableRecord;
    readonly?: boolean;
}

interface PricePanelState {
    data: VisiblePricePanelData | null;
    error: string | null;
    /** The lines shown; null until the user toggles them. */
    expanded: boolean | null;
}

/** The forms the price panel sits in. */
export const PRICE_PANEL_MODELS: ReadonlySet<string> = new Set(["sale.order", APPROVAL_MODEL]);

/**
 * View widget `dg_price_panel`: the order's lines against the pricing policy, in the sale order
 * and in a price approval request. One line (the price hold, how many lines are below the
 * policy); the lines with their pricelist price, deviation and, for sales managers and price
 * approvers, their margin, open on demand, and at once when a line is below the policy. Approve
 * / Reject for who may decide the order's pending request (the server's can_decide).
 */
export class PricePanel extends Component<PricePanelProps> {
    static template = "distribution_governance.PricePanel";
    static props = { ...standardWidgetProps };

    state!: PricePanelState;
    decisions!: ApprovalDecisions;
    loader!: ReturnType<typeof makePanelLoader<PricePanelData>>;

    setup(): void {
        this.loader = makePanelLoader<PricePanelData>(
            useService("orm"),
            APPROVAL_MODEL,
            PRICE_PANEL_MODELS,
            "get_price_panel_data",
        );
        this.state = useState<PricePanelState>({ data: null, error: null, expanded: null });
        this.decisions = useApprovalDecisions({
            beforeDecide: () => this.saveForm(),
            afterChange: () => this.reloadAll(),
            afterFailure: () => this.reloadAll(),
        });
        useRecordObserver((record) => {
            void record.data;
            return this.load(record);
        });
    }

    load(record: Pick<SavableRecord, "resModel" | "resId">): Promise<void> {
        return this.loader(record, ({ data, error }) => {
            this.state.data = data?.visible ? data : null;
            this.state.error = error;
        });
    }

    async saveForm(): Promise<boolean> {
        const record = this.props.record;
        if (await record.isDirty()) {
            return record.save();
        }
        return true;
    }

    async reloadAll(): Promise<void> {
        if (status(this) === "destroyed") {
            return;
        }
        const record = this.props.record;
        if (record.resId && !(await record.isDirty())) {
            await record.load();
        } else {
            await this.load(record);
        }
    }

    // ------------------------------------------------------------------ view helpers

    get data(): VisiblePricePanelData {
        return this.state.data!;
    }

    get onRequestForm(): boolean {
        return this.props.record.resModel === APPROVAL_MODEL;
    }

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
