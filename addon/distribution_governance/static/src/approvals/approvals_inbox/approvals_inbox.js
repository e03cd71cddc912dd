/** @odoo-module */
import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import {
  useApprovalDecisions
} from "@distribution_governance/approvals/decisions";
import { limitUsage } from "@distribution_governance/approvals/exposure_bar";
import { formatServerDateTime, moneyFormatter } from "@distribution_governance/approvals/format";
import {
  APPROVAL_MODEL,
  approvalsProgress,
  decisionButtons,
  saleOrderFormAction
} from "@distribution_governance/approvals/panel_logic";
class ApprovalsInbox extends Component {
  static template = "distribution_governance.ApprovalsInbox";
  static props = { ...standardActionServiceProps };
  orm;
  actionService;
  state;
  decisions;
  setup() {
    this.orm = useService("orm");
    this.actionService = useService("action");
    this.state = useState({ rows: null, loading: true });
    this.decisions = useApprovalDecisions({
      // the list reloads in place: the server's soft reload would mount the inbox again
      keepScreen: true,
      afterChange: () => this.load(),
      afterFailure: () => this.load()
    });
    onWillStart(() => this.load());
  }
  get title() {
    return this.props.action?.name || _t("Approvals");
  }
  get rows() {
    return this.state.rows ?? [];
  }
  async load() {
    this.state.loading = true;
    try {
      const data = await this.orm.call(APPROVAL_MODEL, "get_inbox_data");
      this.state.rows = data.requests;
    } finally {
      this.state.loading = false;
    }
  }
  money(row, value) {
    return moneyFormatter(row.currency_id)(value);
  }
  usage(row) {
    return limitUsage(row.exposure_total, row.credit_limit);
  }
  buttons(row) {
    return decisionButtons(row, this.decisions.state.busy);
  }
  progress(row) {
    return approvalsProgress(row).text;
  }
  requestedAt(row) {
    return formatServerDateTime(row.requested_at);
  }
  decide(kind, row) {
    if (!this.buttons(row).enabled) {
      return;
    }
    const summary = [row.partner, this.money(row, row.amount)].filter(Boolean).join(" \xB7 ");
    this.decisions.open(kind, row, summary);
  }
  async openOrder(row) {
    if (row.sale_order_id) {
      await this.actionService.doAction(saleOrderFormAction(row.sale_order_id));
    }
  }
}
registry.category("actions").add("distribution_governance.approvals_inbox", ApprovalsInbox);
export {
  ApprovalsInbox
};
