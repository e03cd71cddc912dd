/** @odoo-module */
import { Component, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useRecordObserver } from "@web/model/relational_model/utils";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { makePanelLoader } from "@distribution_governance/core/panel_loader";
import { useTicker } from "@distribution_governance/core/ticker";
import { canResolve, canTakeOwnership } from "@distribution_governance/exceptions/guards";
import {
  severityBadgeClass,
  severityLabel,
  stateLabel
} from "@distribution_governance/exceptions/labels";
import { clockSkew } from "@distribution_governance/exceptions/sla";
import { SlaCountdown } from "@distribution_governance/exceptions/sla_countdown/sla_countdown";
import {
  EXCEPTION_MODEL,
  useExceptionWorkflow
} from "@distribution_governance/exceptions/workflow";
class ExceptionPanel extends Component {
  static template = "distribution_governance.ExceptionPanel";
  static components = { SlaCountdown };
  static props = { ...standardWidgetProps };
  state;
  ticker;
  workflow;
  loader;
  setup() {
    this.loader = makePanelLoader(useService("orm"), EXCEPTION_MODEL);
    this.state = useState({ data: null, skew: 0, error: null });
    this.ticker = useTicker(1e3);
    this.workflow = useExceptionWorkflow({
      afterChange: () => this.reloadForm(),
      afterFailure: () => this.load(this.props.record)
    });
    useRecordObserver((record) => {
      void record.data;
      return this.load(record);
    });
  }
  get rows() {
    return this.state.data?.exceptions ?? [];
  }
  get breachedCount() {
    return this.rows.filter((r) => r.sla_status === "breached").length;
  }
  load(record) {
    return this.loader(record, ({ data, error }) => {
      this.state.data = data;
      if (data) {
        this.state.skew = clockSkew(data.server_now, Date.now());
      }
      this.state.error = error;
    });
  }
  /**
   * After an action, reload the form so its counters follow (that reload reloads the panel
   * through the record observer). Unsaved edits are never thrown away: then only the panel
   * reloads.
   */
  async reloadForm() {
    const record = this.props.record;
    if (record.resId && !await record.isDirty()) {
      await record.load();
    } else {
      await this.load(record);
    }
  }
  canTake(row) {
    return Boolean(this.state.data && canTakeOwnership(row, this.state.data));
  }
  canResolve(row) {
    return Boolean(this.state.data && canResolve(row, this.state.data));
  }
  severityLabel(row) {
    return severityLabel(row.severity);
  }
  severityClass(row) {
    return severityBadgeClass(row.severity);
  }
  stateLabel(row) {
    return stateLabel(row.state);
  }
}
registry.category("view_widgets").add("dg_exception_panel", { component: ExceptionPanel });
export {
  ExceptionPanel
};
