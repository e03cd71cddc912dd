/** @odoo-module */
import { useEnv, useState } from "@odoo/owl";
import { useService } from "@web/core/utils/hooks";
const EXCEPTION_MODEL = "distribution.exception";
const EXCEPTIONS_CHANGED = "DISTRIBUTION_GOVERNANCE:EXCEPTIONS-CHANGED";
const TRIAGE_ACTION = "distribution_governance.action_exception_board";
function exceptionFormAction(id) {
  return {
    type: "ir.actions.act_window",
    res_model: EXCEPTION_MODEL,
    res_id: id,
    views: [[false, "form"]],
    target: "current"
  };
}
function useExceptionActions(hooks) {
  const orm = useService("orm");
  const action = useService("action");
  const env = useEnv();
  const state = useState({ busy: false });
  async function changed() {
    env.bus.trigger(EXCEPTIONS_CHANGED);
    await hooks.afterChange();
  }
  async function run(method, id, ...args) {
    state.busy = true;
    let result;
    try {
      result = await orm.call(EXCEPTION_MODEL, method, [
        [id],
        ...args
      ]);
    } catch (error) {
      state.busy = false;
      try {
        await hooks.afterFailure();
      } catch {
      }
      throw error;
    } finally {
      state.busy = false;
    }
    if (result && typeof result === "object") {
      await action.doAction(result, { onClose: changed });
    } else {
      await changed();
    }
  }
  return {
    state,
    takeOwnership: (id) => run("action_take_ownership", id),
    resolve: (id) => run("action_open_resolve_wizard", id),
    open: (id) => action.doAction(exceptionFormAction(id)),
    applyTriage: (id, part) => run("action_apply_triage", id, part),
    notifyCustomer: (id) => run("action_notify_customer", id)
  };
}
export {
  EXCEPTIONS_CHANGED,
  EXCEPTION_MODEL,
  TRIAGE_ACTION,
  exceptionFormAction,
  useExceptionActions
};
