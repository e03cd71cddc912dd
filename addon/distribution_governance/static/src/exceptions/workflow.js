/** @odoo-module */
import { useEnv, useState } from "@odoo/owl";
import { useService } from "@web/core/utils/hooks";
import {
  ResolveDialog
} from "@distribution_governance/exceptions/resolve_dialog/resolve_dialog";
import {
  runServerAction
} from "@distribution_governance/core/server_action";
const EXCEPTION_MODEL = "distribution.exception";
const EXCEPTIONS_CHANGED = "DISTRIBUTION_GOVERNANCE:EXCEPTIONS-CHANGED";
function exceptionFormAction(id) {
  return {
    type: "ir.actions.act_window",
    res_model: EXCEPTION_MODEL,
    res_id: id,
    views: [[false, "form"]],
    target: "current"
  };
}
function useExceptionWorkflow(params) {
  const orm = useService("orm");
  const dialog = useService("dialog");
  const action = useService("action");
  const env = useEnv();
  const state = useState({ busy: false });
  function run(call) {
    return runServerAction(state, call, params, () => env.bus.trigger(EXCEPTIONS_CHANGED));
  }
  return {
    state,
    takeOwnership: (row) => run(() => orm.call(EXCEPTION_MODEL, "action_take_ownership", [[row.id]])),
    resolve(row) {
      dialog.add(ResolveDialog, {
        exception: row,
        resolve: (resolutionId, note) => run(
          () => orm.call(EXCEPTION_MODEL, "action_resolve", [[row.id], resolutionId, note])
        )
      });
    },
    assign: (ids, userId) => run(() => orm.call(EXCEPTION_MODEL, "action_assign", [[...ids], userId])),
    open: (row) => action.doAction(exceptionFormAction(row.id))
  };
}
export {
  EXCEPTIONS_CHANGED,
  EXCEPTION_MODEL,
  exceptionFormAction,
  useExceptionWorkflow
};
