/** @odoo-module */
import { useEnv, useState } from "@odoo/owl";
import { useService } from "@web/core/utils/hooks";
import {
  DecisionDialog
} from "@distribution_governance/approvals/decision_dialog/decision_dialog";
import { APPROVAL_MODEL, APPROVALS_CHANGED } from "@distribution_governance/approvals/panel_logic";
import {
  runServerAction
} from "@distribution_governance/core/server_action";
function useApprovalDecisions(params) {
  const orm = useService("orm");
  const dialog = useService("dialog");
  const env = useEnv();
  const state = useState({ busy: false });
  async function decide(kind, id, reason) {
    if (state.busy) {
      return;
    }
    const method = kind === "approve" ? "action_approve" : "action_reject";
    await runServerAction(
      state,
      () => orm.call(APPROVAL_MODEL, method, [[id], reason]),
      params,
      () => env.bus.trigger(APPROVALS_CHANGED, { id, kind }),
      params.beforeDecide
    );
  }
  return {
    state,
    decide,
    open(kind, row, summary) {
      const props = {
        kind,
        document: row.document,
        confirm: (reason) => decide(kind, row.id, reason)
      };
      if (summary) {
        props.summary = summary;
      }
      dialog.add(DecisionDialog, props);
    }
  };
}
export {
  useApprovalDecisions
};
