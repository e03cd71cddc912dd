/** @odoo-module */
import { useService } from "@web/core/utils/hooks";
import { registry } from "@web/core/registry";
import { ApprovalFormPanel } from "@distribution_governance/approvals/form_panel";
import {
  APPROVAL_MODEL,
  decisionButtons,
  requestStateBadge
} from "@distribution_governance/approvals/panel_logic";
import {
  reservedClass,
  reservedText,
  urgentStateBadge,
  urgentSummary
} from "@distribution_governance/approvals/urgent_logic";
const URGENT_PANEL_MODELS = /* @__PURE__ */ new Set([
  "sale.order",
  "stock.picking",
  APPROVAL_MODEL
]);
class UrgentPanel extends ApprovalFormPanel {
  static template = "distribution_governance.UrgentPanel";
  static panelModels = URGENT_PANEL_MODELS;
  static panelMethod = "get_urgent_panel_data";
  actionService;
  orm;
  setup() {
    super.setup();
    this.actionService = useService("action");
    this.orm = useService("orm");
  }
  get request() {
    return !this.onRequestForm && this.state.data?.request || null;
  }
  get buttons() {
    return decisionButtons(this.request, this.decisions.state.busy);
  }
  get badge() {
    return urgentStateBadge(this.data.urgent_state);
  }
  get summary() {
    return urgentSummary(this.data.urgent_state, this.data.transfers);
  }
  stateBadge(state) {
    return requestStateBadge(state);
  }
  reserved(row) {
    return reservedText(row);
  }
  reservedClass(row) {
    return reservedClass(row);
  }
  decide(kind) {
    const request = this.request;
    if (!request || !this.buttons.enabled) {
      return;
    }
    this.decisions.open(kind, { id: request.id, document: request.name }, this.summary);
  }
  /** Expedite: the server's justification dialog; the form reloads when it closes. */
  async expedite() {
    if (!await this.saveForm()) {
      return;
    }
    const action = await this.orm.call("sale.order", "action_dg_urgent_request", [
      [this.data.order_id]
    ]);
    await this.actionService.doAction(action, { onClose: () => this.reloadAll() });
  }
}
registry.category("view_widgets").add("dg_urgent_panel", { component: UrgentPanel });
export {
  URGENT_PANEL_MODELS,
  UrgentPanel
};
