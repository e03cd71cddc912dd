/** @odoo-module */
function drillDownAction(figure) {
  return {
    type: "ir.actions.act_window",
    name: figure.label,
    res_model: figure.model,
    domain: figure.domain,
    views: [
      [false, "list"],
      [false, "form"]
    ],
    target: "current"
  };
}
export {
  drillDownAction
};
