/** @odoo-module */
import { Component, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";
import {
  decisionDialogTitle,
  reasonError
} from "@distribution_governance/approvals/panel_logic";
class DecisionDialog extends Component {
  static template = "distribution_governance.DecisionDialog";
  static components = { Dialog };
  static props = {
    kind: {
      type: String,
      validate: (k) => k === "approve" || k === "reject" || k === "justify"
    },
    document: String,
    summary: { type: String, optional: true },
    confirm: Function,
    close: Function
  };
  state;
  setup() {
    this.state = useState({ reason: "", busy: false, submitted: false });
  }
  get title() {
    return decisionDialogTitle(this.props.kind, this.props.document);
  }
  get placeholder() {
    switch (this.props.kind) {
      case "reject":
        return _t("e.g. Overdue invoices must be paid first");
      case "justify":
        return _t("e.g. Payment received by wire today, guarantee from the parent company");
      case "approve":
        return _t("e.g. Payment promised for Friday");
    }
    return "";
  }
  get error() {
    return reasonError(this.props.kind, this.state.reason);
  }
  async confirm() {
    this.state.submitted = true;
    if (this.error || this.state.busy) {
      return;
    }
    this.state.busy = true;
    try {
      await this.props.confirm(this.state.reason.trim());
    } finally {
      this.props.close();
    }
  }
}
export {
  DecisionDialog
};
