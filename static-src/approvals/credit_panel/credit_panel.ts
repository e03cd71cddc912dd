import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { ApprovalFormPanel } from "@distribution_governance/approvals/form_panel";
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
    DecisionKind,
    Exposure,
    FiguresPanelData,
    FullApprovalRow,
    VisiblePanelData,
} from "@distribution_governance/types/approvals";

/** The forms the credit panel sits in. */
export const CREDIT_PANEL_MODELS: ReadonlySet<string> = new Set([
    "sale.order",
    "stock.picking",
    APPROVAL_MODEL,
]);

/**
 * View widget `dg_credit_panel`: the credit of the order a sale order, its delivery or an
 * approval request is about. One line when there is nothing to act on (where the hold stands,
 * the exposure against the limit); when there is (a hold, a quotation that confirming would
 * hold, a request to decide or justify) the server's sentence and the request with Approve /
 * Reject for who may decide it and "Add justification" for its requester. The detail (the
 * exposure bar, overdue invoices, the request's decisions, the customer's recent decisions)
 * opens on demand, and at once on the request's own form, where the request itself is the form.
 * Renders nothing when the server says the panel does not apply.
 */
export class CreditPanel extends ApprovalFormPanel<VisiblePanelData> {
    static template = "distribution_governance.CreditPanel";
    static panelModels = CREDIT_PANEL_MODELS;

    // ------------------------------------------------------------------ view helpers

    /** The panel with figures (credit and sales audiences), null for the status audience. */
    get figures(): FiguresPanelData | null {
        const data = this.state.data;
        return data && data.audience !== "status" ? data : null;
    }

    get exposure(): Exposure {
        return this.figures!.exposure;
    }

    get request(): ApprovalRow | null {
        return (!this.onRequestForm && this.state.data?.request) || null;
    }

    /** The request with its figures, justification and decisions (not for the status audience). */
    get fullRequest(): FullApprovalRow | null {
        const request = this.request;
        return request && request.full ? request : null;
    }

    /** The server's sentence and the request under the line: something to act on. */
    get showAttention(): boolean {
        return Boolean(this.state.data?.attention) && !this.onRequestForm;
    }

    /** The detail is there to open: figures to show. */
    get hasDetail(): boolean {
        return this.figures !== null;
    }

    get expanded(): boolean {
        return this.hasDetail && (this.state.expanded ?? this.onRequestForm);
    }

    toggle(): void {
        this.state.expanded = !this.expanded;
    }

    get bar(): ExposureBar {
        return computeExposureBar(this.exposure);
    }

    /** "$ 1,958.22 of $ 1,500.00 (131%)": the exposure against the limit, in the line. */
    get summary(): string {
        const exposure = this.exposure;
        const bar = this.bar;
        if (!bar.hasLimit) {
            return _t("Exposure %s, no credit limit", this.money(exposure.total));
        }
        return _t(
            "Exposure %s of %s (%s)",
            this.money(exposure.total),
            this.money(exposure.limit),
            `${bar.usedPercent}%`,
        );
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

    /** The hold reason (or why confirming would hold the order), in the detail. */
    get showHoldReason(): boolean {
        const figures = this.figures;
        return Boolean(figures?.hold_reason && figures.hold_state !== "released");
    }

    /** More overdue invoices than the server listed (it sends the five oldest). */
    get moreOverdue(): number {
        const figures = this.figures;
        return figures
            ? Math.max(figures.exposure.overdue_count - figures.overdue_invoices.length, 0)
            : 0;
    }

    money(value: number): string {
        return moneyFormatter(this.exposure.currency_id)(value);
    }

    requestMoney(row: FullApprovalRow, value: number): string {
        return moneyFormatter(row.currency_id)(value);
    }

    pieceClass(piece: BarPiece): string {
        return piece.over ? "o_dg_piece_over progress-bar-striped" : `o_dg_segment_${piece.key}`;
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
            full && figures
                ? `${figures.partner} · ${this.requestMoney(full, full.amount)}`
                : undefined;
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
