/** @odoo-module */
import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { SlaCountdown } from "@distribution_governance/exceptions/sla_countdown/sla_countdown";
const OPEN_STATES = /* @__PURE__ */ new Set(["new", "in_progress"]);
class SlaCountdownField extends Component {
  static template = "distribution_governance.SlaCountdownField";
  static components = { SlaCountdown };
  static props = { ...standardFieldProps };
  get data() {
    return this.props.record.data;
  }
  get deadline() {
    return this.data[this.props.name];
  }
  get warningAt() {
    return this.data["sla_warning_at"];
  }
  get status() {
    return this.data["sla_status"] || false;
  }
  get open() {
    return OPEN_STATES.has(this.data["state"]);
  }
  get statusLabel() {
    const field = this.props.record.fields?.["sla_status"];
    const choice = field?.selection?.find(([value]) => value === this.status);
    return choice?.[1] ?? "";
  }
}
const slaCountdownField = {
  component: SlaCountdownField,
  displayName: _t("SLA countdown"),
  supportedTypes: ["datetime"],
  // what the countdown needs beside the deadline, loaded by any view that uses the widget
  fieldDependencies: [
    { name: "sla_warning_at", type: "datetime" },
    { name: "sla_status", type: "selection" },
    { name: "state", type: "selection" }
  ]
};
registry.category("fields").add("dg_sla_countdown", slaCountdownField);
export {
  SlaCountdownField,
  slaCountdownField
};
