/** @odoo-module */
async function runServerAction(state, call, hooks, onSuccess, before) {
  state.busy = true;
  try {
    if (before && !await before()) {
      state.busy = false;
      return;
    }
    await call();
  } catch (error) {
    state.busy = false;
    try {
      await hooks.afterFailure();
    } catch {
    }
    throw error;
  }
  state.busy = false;
  onSuccess();
  await hooks.afterChange();
}
export {
  runServerAction
};
