/** @odoo-module */
import { registry } from "@web/core/registry";
import { ApprovalFormPanel } from "@distribution_governance/approvals/form_panel";
import {
  APPROVAL_MODEL,
  approvalsProgress,
  decisionButtons,
  requestStateBadge
} from "@distribution_governance/approvals/panel_logic";
import {
  partialRowClass,
  partialStateBadge,
  shortSummary
} from "@distribution_governance/approvals/partial_logic";
const PARTIAL_PANEL_MODELS = /* @__PURE__ */ new Set(["stock.picking", APPROVAL_MODEL]);
class PartialPanel extends ApprovalFormPanel {
  static template = "distribution_governance.PartialPanel";
  static panelModels = PARTIAL_PANEL_MODELS;
  static panelMethod = "get_partial_panel_data";
  get request() {
    return !this.onRequestForm && this.state.data?.request || null;
  }
  get attention() {
    const data = this.state.data;
    return Boolean(data && data.open && (data.short_count > 0 || data.state === "pending"));
  }
  get expanded() {
    return this.state.expanded ?? (this.attention || this.onRequestForm);
  }
  toggle() {
    this.state.expanded = !this.expanded;
  }
  get summary() {
    return shortSummary(this.data.rows, this.data.open);
  }
  get stateBadgeClass() {
    return partialStateBadge(this.data.state);
  }
  get buttons() {
    return decisionButtons(this.request, this.decisions.state.busy);
  }
  get canJustify() {
    const request = this.request;
    return Boolean(request?.full && request.can_justify) && !this.decisions.state.busy;
  }
  rowClass(row) {
    return partialRowClass(row);
  }
  requestBadge(row) {
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
  justify() {
    const request = this.request;
    if (!request || !this.canJustify) {
      return;
    }
    this.decisions.open("justify", { id: request.id, document: request.name }, this.summary);
  }
}
registry.category("view_widgets").add("dg_partial_panel", { component: PartialPanel });
export {
  PARTIAL_PANEL_MODELS,
  PartialPanel
};
