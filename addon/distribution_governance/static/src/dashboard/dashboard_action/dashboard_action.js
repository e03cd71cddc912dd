/** @odoo-module */
import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import {
  drillDownAction,
  formatCount,
  tileTone
} from "@distribution_governance/dashboard/overview";
class DashboardAction extends Component {
  static template = "distribution_governance.DashboardAction";
  static props = { ...standardActionServiceProps };
  // Hooks must run in setup(): OWL has no current component while class fields initialise.
  orm;
  actionService;
  state;
  setup() {
    this.orm = useService("orm");
    this.actionService = useService("action");
    this.state = useState({ overview: null, loading: true });
    onWillStart(() => this.load());
  }
  get title() {
    return this.props.action?.name || _t("Governance Dashboard");
  }
  async load() {
    this.state.loading = true;
    this.state.overview = await this.orm.call(
      "distribution.dashboard",
      "get_overview"
    );
    this.state.loading = false;
  }
  tone(tile) {
    return tileTone(tile);
  }
  format(value) {
    return formatCount(value);
  }
  async openTile(tile) {
    await this.actionService.doAction(drillDownAction(tile));
  }
}
registry.category("actions").add("distribution_governance.dashboard", DashboardAction);
export {
  DashboardAction
};
