/** @odoo-module */
import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { deserializeDateTime, formatDateTime } from "@web/core/l10n/dates";
import { useClock } from "@distribution_governance/core/clock";
import {
  slaCountdown
} from "@distribution_governance/exceptions/sla";
class SlaCountdown extends Component {
  static template = "distribution_governance.SlaCountdown";
  static props = {
    deadline: { optional: true },
    warningAt: { optional: true },
    status: { type: [String, Boolean], optional: true },
    open: Boolean,
    statusLabel: { type: String, optional: true },
    skew: { type: Number, optional: true }
  };
  clock;
  setup() {
    this.clock = useClock();
  }
  get countdown() {
    return slaCountdown(
      {
        deadline: this.props.deadline,
        warningAt: this.props.warningAt,
        serverStatus: this.props.status
      },
      this.clock.now,
      this.props.skew ?? 0
    );
  }
  get closedClass() {
    return this.props.status === "breached" ? "text-danger" : "text-muted";
  }
  get title() {
    const deadline = this.props.deadline;
    if (!deadline) {
      return "";
    }
    const moment = typeof deadline === "string" ? deserializeDateTime(deadline) : deadline;
    return _t("SLA deadline: %s", formatDateTime(moment));
  }
}
export {
  SlaCountdown
};
