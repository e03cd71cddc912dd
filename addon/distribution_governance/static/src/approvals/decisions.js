/** @odoo-module */
import { useEnv, useState } from "@odoo/owl";
import { useService } from "@web/core/utils/hooks";
import {
  DecisionDialog
} from "@distribution_governance/approvals/decision_dialog/decision_dialog";
import {
  APPROVAL_MODEL,
  APPROVALS_CHANGED,
  isClientAction
} from "@distribution_governance/approvals/panel_logic";
import {
  runServerAction
} from "@distribution_governance/core/server_action";
const METHODS = {
  approve: "action_approve",
  reject: "action_reject",
  justify: "action_justify"
};
function useApprovalDecisions(params) {
  const orm = useService("orm");
  const dialog = useService("dialog");
  const action = useService("action");
  const env = useEnv();
  const state = useState({ busy: false });
  async function send(kind, id, reason) {
    const result = await orm.call(
      APPROVAL_MODEL,
      METHODS[kind],
      [[id], reason]
    );
    if (isClientAction(result)) {
      await action.doAction(result);
    }
  }
  async function decide(kind, id, reason) {
    if (state.busy) {
      return;
    }
    await runServerAction(
      state,
      () => send(kind, id, reason),
      params,
      () => {
        if (kind !== "justify") {
          env.bus.trigger(APPROVALS_CHANGED, { id, kind });
        }
      },
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
