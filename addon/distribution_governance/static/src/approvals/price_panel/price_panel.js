/** @odoo-module */
import { Component, status, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useRecordObserver } from "@web/model/relational_model/utils";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { makePanelLoader } from "@distribution_governance/core/panel_loader";
import {
  useApprovalDecisions
} from "@distribution_governance/approvals/decisions";
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
class PricePanel extends Component {
  static template = "distribution_governance.PricePanel";
  static props = { ...standardWidgetProps };
  state;
  decisions;
  loader;
  setup() {
    this.loader = makePanelLoader(
      useService("orm"),
      APPROVAL_MODEL,
      PRICE_PANEL_MODELS,
      "get_price_panel_data"
    );
    this.state = useState({ data: null, error: null, expanded: null });
    this.decisions = useApprovalDecisions({
      beforeDecide: () => this.saveForm(),
      afterChange: () => this.reloadAll(),
      afterFailure: () => this.reloadAll()
    });
    useRecordObserver((record) => {
      void record.data;
      return this.load(record);
    });
  }
  load(record) {
    return this.loader(record, ({ data, error }) => {
      this.state.data = data?.visible ? data : null;
      this.state.error = error;
    });
  }
  async saveForm() {
    const record = this.props.record;
    if (await record.isDirty()) {
      return record.save();
    }
    return true;
  }
  async reloadAll() {
    if (status(this) === "destroyed") {
      return;
    }
    const record = this.props.record;
    if (record.resId && !await record.isDirty()) {
      await record.load();
    } else {
      await this.load(record);
    }
  }
  // ------------------------------------------------------------------ view helpers
  get data() {
    return this.state.data;
  }
  get onRequestForm() {
    return this.props.record.resModel === APPROVAL_MODEL;
  }
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
