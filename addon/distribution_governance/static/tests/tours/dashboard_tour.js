/** @odoo-module */
import { registry } from "@web/core/registry";
let shownLateCount = -1;
registry.category("web_tour.tours").add("distribution_governance_dashboard_tour", {
  steps: () => [
    {
      content: "The dashboard shows the late deliveries tile with a value from the database",
      trigger: ".o_dg_dashboard .o_dg_tile[data-key='late_deliveries'] .o_dg_tile_value",
      run(actions) {
        shownLateCount = Number(this.anchor.dataset["value"]);
        if (!(shownLateCount >= 1)) {
          throw new Error(
            `expected at least one late delivery, tile shows ${shownLateCount}`
          );
        }
        return actions.click();
      }
    },
    {
      content: "Drill-down opens the list of exactly the counted deliveries",
      trigger: ".o_list_view .o_data_row",
      run() {
        const rows = document.querySelectorAll(".o_list_view .o_data_row").length;
        if (rows !== shownLateCount) {
          throw new Error(`tile counted ${shownLateCount}, list shows ${rows} rows`);
        }
      }
    },
    {
      content: "The breadcrumb leads back to the dashboard",
      trigger: ".o_breadcrumb li.o_back_button",
      run: "click"
    },
    {
      trigger: ".o_dg_dashboard .o_dg_tile"
    }
  ]
});
