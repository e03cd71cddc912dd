/** @odoo-module */
import { Component, status, useState } from "@odoo/owl";
import { useService } from "@web/core/utils/hooks";
import { useRecordObserver } from "@web/model/relational_model/utils";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { makePanelLoader } from "@distribution_governance/core/panel_loader";
import {
  useApprovalDecisions
} from "@distribution_governance/approvals/decisions";
import { APPROVAL_MODEL } from "@distribution_governance/approvals/panel_logic";
class ApprovalFormPanel extends Component {
  static props = { ...standardWidgetProps };
  /** The forms the panel sits in. */
  static panelModels = /* @__PURE__ */ new Set();
  /** The approval model's method that answers the panel. */
  static panelMethod = "get_panel_data";
  state;
  decisions;
  loader;
  setup() {
    const panel = this.constructor;
    this.loader = makePanelLoader(
      useService("orm"),
      APPROVAL_MODEL,
      panel.panelModels,
      panel.panelMethod
    );
    this.state = useState({ data: null, error: null, expanded: null });
    this.decisions = useApprovalDecisions({
      beforeDecide: () => this.saveForm(),
      // After a decision the server's soft reload mounts the form again (and this panel
      // with it); this reload is for when it did not (no such step, edits kept).
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
  /** Unsaved edits are saved first, as Odoo's own buttons do; an invalid form stops here. */
  async saveForm() {
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
  get data() {
    return this.state.data;
  }
  /** On the approval request's own form: the form shows the request, the panel the rest. */
  get onRequestForm() {
    return this.props.record.resModel === APPROVAL_MODEL;
  }
}
export {
  ApprovalFormPanel
};
