/** @odoo-module */
import { Component, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";
import { resolveFormError } from "@distribution_governance/exceptions/guards";
class ResolveDialog extends Component {
  static template = "distribution_governance.ResolveDialog";
  static components = { Dialog };
  static props = {
    // A whole board/panel row: OWL would reject its extra keys in a `shape`.
    exception: Object,
    resolve: Function,
    close: Function
  };
  state;
  setup() {
    const only = this.props.exception.resolutions.length === 1;
    this.state = useState({
      resolutionId: only ? this.props.exception.resolutions[0].id : null,
      note: "",
      busy: false,
      submitted: false
    });
  }
  get title() {
    return _t("Resolve %s", this.props.exception.name);
  }
  get selected() {
    return this.props.exception.resolutions.find((r) => r.id === this.state.resolutionId);
  }
  get formError() {
    return resolveFormError(
      this.props.exception.resolutions,
      this.state.resolutionId,
      this.state.note
    );
  }
  choose(resolution) {
    this.state.resolutionId = resolution.id;
  }
  async confirm() {
    this.state.submitted = true;
    if (this.formError || this.state.busy || this.state.resolutionId === null) {
      return;
    }
    this.state.busy = true;
    try {
      await this.props.resolve(this.state.resolutionId, this.state.note.trim());
    } finally {
      this.state.busy = false;
    }
    this.props.close();
  }
}
export {
  ResolveDialog
};
