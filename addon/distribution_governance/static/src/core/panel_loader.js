/** @odoo-module */
import { KeepLast } from "@web/core/utils/concurrency";
import { errorMessage } from "@distribution_governance/core/errors";
const PANEL_MODELS = /* @__PURE__ */ new Set(["sale.order", "stock.picking"]);
function makePanelLoader(orm, model, models = PANEL_MODELS, method = "get_panel_data") {
  const keepLast = new KeepLast();
  return async (record, apply) => {
    const { resModel, resId } = record;
    const load = !resId || !models.has(resModel) ? Promise.resolve({ data: null, error: null }) : orm.call(model, method, [resModel, resId]).then(
      (data) => ({ data, error: null }),
      (error) => ({ data: null, error: errorMessage(error) })
    );
    apply(await keepLast.add(load));
  };
}
export {
  PANEL_MODELS,
  makePanelLoader
};
