/** @odoo-module */
import { errorMessage } from "@distribution_governance/core/errors";
const PANEL_MODELS = /* @__PURE__ */ new Set(["sale.order", "stock.picking"]);
function makePanelLoader(orm, model) {
  let latest = 0;
  return async (record, apply) => {
    const seq = ++latest;
    const { resModel, resId } = record;
    if (!resId || !PANEL_MODELS.has(resModel)) {
      apply({ data: null, error: null });
      return;
    }
    try {
      const data = await orm.call(model, "get_panel_data", [resModel, resId]);
      if (seq === latest) {
        apply({ data, error: null });
      }
    } catch (error) {
      if (seq === latest) {
        apply({ data: null, error: errorMessage(error) });
      }
    }
  };
}
export {
  PANEL_MODELS,
  makePanelLoader
};
