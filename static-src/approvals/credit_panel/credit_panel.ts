import { Component, status, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useRecordObserver } from "@web/model/relational_model/utils";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { makePanelLoader } from "@distribution_governance/core/panel_loader";
import {
    useApprovalDecisions,
    type ApprovalDecisions,
} from "@distribution_governance/approvals/decisions";
import {
    computeExposureBar,
    type BarPiece,
    type ExposureBar,
    type SegmentKey,
} from "@distribution_governance/approvals/exposure_bar";
import {
    formatServerDate,
    formatServerDateTime,
    moneyFormatter,
} from "@distribution_governance/approvals/format";
import {
    APPROVAL_MODEL,
    approvalsProgress,
    decisionButtons,
    holdStateBadge,
    requestStateBadge,
    type DecisionButtons,
} from "@distribution_governance/approvals/panel_logic";
import type {
    ApprovalRow,
    CreditPanelData,
    DecisionKind,
    Exposure,
    FiguresPanelData,
    FullApprovalRow,
    SavableRecord,
    VisiblePanelData,
} from "@distribution_governance/types/approvals";

export interface CreditPanelProps {
    record: SavableRecord;
    readonly?: boolean;
}

interface CreditPanelState {
    data: VisiblePanelData | null;
    error: string | null;
}

const SEGMENT_CLASSES: Record<SegmentKey, string> = {
    receivables: "bg-info",
    uninvoiced: "bg-primary",
    this_order: "bg-warning",
};

/**
 * View widget `dg_credit_panel`: where the credit hold stands (the server's sentence), and for
 * who may read the order's figures the customer's credit exposure against the limit and the
 * approval request, with Approve / Reject for who may decide it and "Add justification" for its
 * requester. Placed in the sale order and transfer forms; renders nothing when the server says
 * the panel does not apply.
 */
export class CreditPanel extends Component<CreditPanelProps> {
    static template = "distribution_governance.CreditPanel";
    static props = { ...standardWidgetProps };

    state!: CreditPanelState;
    decisions!: ApprovalDecisions;
    loader!: ReturnType<typeof makePanelLoader<CreditPanelData>>;

    setup(): void {
        this.loader = makePanelLoader<CreditPanelData>(useService("orm"), APPROVAL_MODEL);
        this.state = useState<CreditPanelState>({ data: null, error: null });
        this.decisions = useApprovalDecisions({
            beforeDecide: () => this.saveForm(),
            // After a decision the server's soft reload mounts the form again (and this panel
            // with it); this reload is for when it did not (no such step, edits kept).
            afterChange: () => this.reloadAll(),
            afterFailure: () => this.reloadAll(),
        });
        // Before the first render, then whenever the form loads another record or reloads this
        // one (save, buttons, pager): `record.data` is replaced on each load, not on each edit.
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

    /** Unsaved edits are saved first, as Odoo's own buttons do; an invalid form stops here. */
    async saveForm(): Promise<boolean> {
        const record = this.props.record;
        if (await record.isDirty()) {
            return record.save();
        }
        return true;
    }

    /**
     * After a decision (or a refused one), reload the form so its status, ribbon and buttons
     * follow: that reload reloads the panel through the record observer. With edits still
     * pending (not saved), only the panel reloads.
     */
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

    get data(): VisiblePanelData {
        return this.state.data!;
    }

    /** The panel with figures (credit and sales audiences), null for the status audience. */
    get figures(): FiguresPanelData | null {
        const data = this.state.data;
        return data && data.audience !== "status" ? data : null;
    }

    get exposure(): Exposure {
        return this.figures!.exposure;
    }

    get request(): ApprovalRow | null {
        return this.state.data?.request || null;
    }

    /** The request with its figures, justification and decisions (not for the status audience). */
    get fullRequest(): FullApprovalRow | null {
        const request = this.request;
        return request && request.full ? request : null;
    }

    get bar(): ExposureBar {
        return computeExposureBar(this.exposure);
    }

    get buttons(): DecisionButtons {
        return decisionButtons(this.request, this.decisions.state.busy);
    }

    get canJustify(): boolean {
        return Boolean(this.fullRequest?.can_justify) && !this.decisions.state.busy;
    }

    get holdBadge(): string {
        return holdStateBadge(this.data.hold_state);
    }

    /** The hold reason is shown while the hold stands (held or upheld). */
    get showHoldReason(): boolean {
        const figures = this.figures;
        return Boolean(
            figures?.hold_reason &&
            (figures.hold_state === "on_hold" || figures.hold_state === "rejected"),
        );
    }

    /** More overdue invoices than the server listed (it sends the five oldest). */
    get moreOverdue(): number {
        const figures = this.figures;
        return figures
            ? Math.max(figures.exposure.overdue_count - figures.overdue_invoices.length, 0)
            : 0;
    }

    money(value: number): string {
        const { currency_id, currency_symbol } = this.exposure;
        return moneyFormatter(currency_id, currency_symbol)(value);
    }

    pieceClass(piece: BarPiece): string {
        return piece.over
            ? "o_dg_piece_over bg-danger progress-bar-striped"
            : SEGMENT_CLASSES[piece.key];
    }

    pieceTitle(piece: BarPiece): string {
        const label = this.segmentLabel(piece.key);
        return piece.over
            ? _t("%s over the limit: %s", label, this.money(piece.amount))
            : `${label}: ${this.money(piece.amount)}`;
    }

    segmentLabel(key: SegmentKey): string {
        switch (key) {
            case "receivables":
                return _t("Open receivables");
            case "uninvoiced":
                return _t("Uninvoiced orders");
            case "this_order":
                return _t("This order");
        }
        return key;
    }

    get barLabel(): string {
        const exposure = this.exposure;
        return this.bar.hasLimit
            ? _t(
                  "Credit exposure %s of a %s limit",
                  this.money(exposure.total),
                  this.money(exposure.limit),
              )
            : _t("Credit exposure %s, no credit limit", this.money(exposure.total));
    }

    stateBadge(row: ApprovalRow): string {
        return requestStateBadge(row.state);
    }

    progress(row: ApprovalRow): string {
        return approvalsProgress(row).text;
    }

    dateTime(value: string): string {
        return formatServerDateTime(value);
    }

    date(value: string): string {
        return formatServerDate(value);
    }

    decide(kind: DecisionKind): void {
        const request = this.request;
        if (!request || !this.buttons.enabled) {
            return;
        }
        // A reader of the status only may still be an approver: the request's name then
        // stands for the document they may not read.
        const full = this.fullRequest;
        const figures = this.figures;
        const summary =
            full && figures ? `${figures.partner} · ${this.money(full.amount)}` : undefined;
        this.decisions.open(
            kind,
            { id: request.id, document: full ? full.document : request.name },
            summary,
        );
    }

    /** The requester's justification, in the same dialog as the decisions. */
    justify(): void {
        const request = this.fullRequest;
        if (!request || !this.canJustify) {
            return;
        }
        const summary = request.waiting_for
            ? _t("Waiting for: %s", request.waiting_for)
            : undefined;
        this.decisions.open("justify", request, summary);
    }
}

registry.category("view_widgets").add("dg_credit_panel", { component: CreditPanel });
