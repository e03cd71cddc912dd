/** @odoo-module */
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { ApprovalFormPanel } from "@distribution_governance/approvals/form_panel";
import {
  computeExposureBar
} from "@distribution_governance/approvals/exposure_bar";
import {
  formatServerDate,
  formatServerDateTime,
  moneyFormatter
} from "@distribution_governance/approvals/format";
import {
  APPROVAL_MODEL,
  approvalsProgress,
  decisionButtons,
  holdStateBadge,
  requestStateBadge
} from "@distribution_governance/approvals/panel_logic";
const CREDIT_PANEL_MODELS = /* @__PURE__ */ new Set([
  "sale.order",
  "stock.picking",
  APPROVAL_MODEL
]);
class CreditPanel extends ApprovalFormPanel {
  static template = "distribution_governance.CreditPanel";
  static panelModels = CREDIT_PANEL_MODELS;
  // ------------------------------------------------------------------ view helpers
  /** The panel with figures (credit and sales audiences), null for the status audience. */
  get figures() {
    const data = this.state.data;
    return data && data.audience !== "status" ? data : null;
  }
  get exposure() {
    return this.figures.exposure;
  }
  get request() {
    return !this.onRequestForm && this.state.data?.request || null;
  }
  /** The request with its figures, justification and decisions (not for the status audience). */
  get fullRequest() {
    const request = this.request;
    return request && request.full ? request : null;
  }
  /** The server's sentence and the request under the line: something to act on. */
  get showAttention() {
    return Boolean(this.state.data?.attention) && !this.onRequestForm;
  }
  /** The detail is there to open: figures to show. */
  get hasDetail() {
    return this.figures !== null;
  }
  get expanded() {
    return this.hasDetail && (this.state.expanded ?? this.onRequestForm);
  }
  toggle() {
    this.state.expanded = !this.expanded;
  }
  get bar() {
    return computeExposureBar(this.exposure);
  }
  /** "$ 1,958.22 of $ 1,500.00 (131%)": the exposure against the limit, in the line. */
  get summary() {
    const exposure = this.exposure;
    const bar = this.bar;
    if (!bar.hasLimit) {
      return _t("Exposure %s, no credit limit", this.money(exposure.total));
    }
    return _t(
      "Exposure %s of %s (%s)",
      this.money(exposure.total),
      this.money(exposure.limit),
      `${bar.usedPercent}%`
    );
  }
  get buttons() {
    return decisionButtons(this.request, this.decisions.state.busy);
  }
  get canJustify() {
    return Boolean(this.fullRequest?.can_justify) && !this.decisions.state.busy;
  }
  get holdBadge() {
    return holdStateBadge(this.data.hold_state);
  }
  /** The hold reason (or why confirming would hold the order), in the detail. */
  get showHoldReason() {
    const figures = this.figures;
    return Boolean(figures?.hold_reason && figures.hold_state !== "released");
  }
  /** More overdue invoices than the server listed (it sends the five oldest). */
  get moreOverdue() {
    const figures = this.figures;
    return figures ? Math.max(figures.exposure.overdue_count - figures.overdue_invoices.length, 0) : 0;
  }
  money(value) {
    return moneyFormatter(this.exposure.currency_id)(value);
  }
  requestMoney(row, value) {
    return moneyFormatter(row.currency_id)(value);
  }
  pieceClass(piece) {
    return piece.over ? "o_dg_piece_over progress-bar-striped" : `o_dg_segment_${piece.key}`;
  }
  pieceTitle(piece) {
    const label = this.segmentLabel(piece.key);
    return piece.over ? _t("%s over the limit: %s", label, this.money(piece.amount)) : `${label}: ${this.money(piece.amount)}`;
  }
  segmentLabel(key) {
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
  get barLabel() {
    const exposure = this.exposure;
    return this.bar.hasLimit ? _t(
      "Credit exposure %s of a %s limit",
      this.money(exposure.total),
      this.money(exposure.limit)
    ) : _t("Credit exposure %s, no credit limit", this.money(exposure.total));
  }
  stateBadge(row) {
    return requestStateBadge(row.state);
  }
  progress(row) {
    return approvalsProgress(row).text;
  }
  dateTime(value) {
    return formatServerDateTime(value);
  }
  date(value) {
    return formatServerDate(value);
  }
  decide(kind) {
    const request = this.request;
    if (!request || !this.buttons.enabled) {
      return;
    }
    const full = this.fullRequest;
    const figures = this.figures;
    const summary = full && figures ? `${figures.partner} \xB7 ${this.requestMoney(full, full.amount)}` : void 0;
    this.decisions.open(
      kind,
      { id: request.id, document: full ? full.document : request.name },
      summary
    );
  }
  /** The requester's justification, in the same dialog as the decisions. */
  justify() {
    const request = this.fullRequest;
    if (!request || !this.canJustify) {
      return;
    }
    const summary = request.waiting_for ? _t("Waiting for: %s", request.waiting_for) : void 0;
    this.decisions.open("justify", request, summary);
  }
}
registry.category("view_widgets").add("dg_credit_panel", { component: CreditPanel });
export {
  CREDIT_PANEL_MODELS,
  CreditPanel
};
