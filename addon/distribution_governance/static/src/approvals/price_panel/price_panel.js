/** @odoo-module */
import { registry } from "@web/core/registry";
import { ApprovalFormPanel } from "@distribution_governance/approvals/form_panel";
import { moneyFormatter } from "@distribution_governance/approvals/format";
import {
  APPROVAL_MODEL,
  approvalsProgress,
  decisionButtons,
  holdStateBadge,
  requestStateBadge
} from "@distribution_governance/approvals/panel_logic";
import {
  belowSummary,
  deviationText,
  flagText,
  priceRowClass
} from "@distribution_governance/approvals/price_logic";
const PRICE_PANEL_MODELS = /* @__PURE__ */ new Set(["sale.order", APPROVAL_MODEL]);
class PricePanel extends ApprovalFormPanel {
  static template = "distribution_governance.PricePanel";
  static panelModels = PRICE_PANEL_MODELS;
  static panelMethod = "get_price_panel_data";
  // ------------------------------------------------------------------ view helpers
  /** The request under the line, on the order (the request's form shows itself). */
  get request() {
    return !this.onRequestForm && this.state.data?.request || null;
  }
  get attention() {
    const data = this.state.data;
    return Boolean(data && (data.hold_state === "on_hold" || data.below_count > 0));
  }
  get expanded() {
    return this.state.expanded ?? (this.attention || this.onRequestForm);
  }
  toggle() {
    this.state.expanded = !this.expanded;
  }
  get summary() {
    return belowSummary(this.data.lines);
  }
  get holdBadge() {
    return holdStateBadge(this.data.hold_state);
  }
  get buttons() {
    return decisionButtons(this.request, this.decisions.state.busy);
  }
  money(value) {
    return moneyFormatter(this.data.currency_id)(value);
  }
  deviation(line) {
    return deviationText(line.deviation);
  }
  flag(line) {
    return flagText(line.flag);
  }
  rowClass(line) {
    return priceRowClass(line.flag);
  }
  margin(line) {
    return line.margin === void 0 ? "" : `${line.margin.toFixed(1)}%`;
  }
  stateBadge(row) {
    return requestStateBadge(row.state);
  }
  progress(row) {
    return approvalsProgress(row).text;
  }
  decide(kind) {
    const request = this.request;
    if (!request || !this.buttons.enabled) {
      return;
    }
    this.decisions.open(kind, { id: request.id, document: request.name }, this.summary);
  }
}
registry.category("view_widgets").add("dg_price_panel", { component: PricePanel });
export {
  PRICE_PANEL_MODELS,
  PricePanel
};
