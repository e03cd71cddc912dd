/** @odoo-module */
import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import {
  parseServerDatetime,
  slaCountdown
} from "@distribution_governance/exceptions/sla";
class SlaCountdown extends Component {
  static template = "distribution_governance.SlaCountdown";
  static props = {
    deadline: [String, Boolean],
    warningAt: { type: [String, Boolean], optional: true },
    serverStatus: { type: String, optional: true },
    now: Number,
    skew: Number
  };
  get countdown() {
    return slaCountdown(
      {
        deadline: this.props.deadline,
        warningAt: this.props.warningAt,
        serverStatus: this.props.serverStatus
      },
      this.props.now,
      this.props.skew
    );
  }
  get title() {
    const deadline = parseServerDatetime(this.props.deadline);
    return deadline === null ? "" : _t("SLA deadline: %s", new Date(deadline).toLocaleString());
  }
}
export {
  SlaCountdown
};
