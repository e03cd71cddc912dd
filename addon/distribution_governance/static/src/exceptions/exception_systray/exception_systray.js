/** @odoo-module */
import { Component, onWillStart, useEnv, useState } from "@odoo/owl";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useBus, useService } from "@web/core/utils/hooks";
import {
  shapeSystrayCounters,
  systrayBadge
} from "@distribution_governance/exceptions/systray_counters";
import {
  EXCEPTION_MODEL,
  EXCEPTIONS_CHANGED,
  TRIAGE_ACTION
} from "@distribution_governance/exceptions/exception_actions";
import { APPROVALS_CHANGED } from "@distribution_governance/approvals/panel_logic";
class ExceptionSystray extends Component {
  static template = "distribution_governance.ExceptionSystray";
  static components = { Dropdown, DropdownItem };
  static props = {};
  orm;
  action;
  state;
  setup() {
    this.orm = useService("orm");
    this.action = useService("action");
    this.state = useState({ visible: false, counters: [] });
    onWillStart(async () => {
      this.state.visible = await user.hasGroup(
        "distribution_governance.group_exception_user"
      );
      void this.load();
    });
    const bus = useEnv().bus;
    useBus(bus, EXCEPTIONS_CHANGED, () => void this.load());
    useBus(bus, APPROVALS_CHANGED, () => void this.load());
  }
  get badge() {
    return systrayBadge(this.state.counters);
  }
  async load() {
    if (!this.state.visible) {
      return;
    }
    try {
      const data = await this.orm.call(EXCEPTION_MODEL, "get_systray_data");
      this.state.counters = shapeSystrayCounters(data);
    } catch {
    }
  }
  open(counter) {
    return this.action.doAction(counter.target.action, {
      additionalContext: counter.target.context,
      clearBreadcrumbs: true
    });
  }
  openTriage() {
    return this.action.doAction(TRIAGE_ACTION, { clearBreadcrumbs: true });
  }
}
registry.category("systray").add(
  "distribution_governance.exception_systray",
  { Component: ExceptionSystray },
  { sequence: 25 }
);
export {
  ExceptionSystray
};
