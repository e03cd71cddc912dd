/** @odoo-module */
import { registry } from "@web/core/registry";
let shownLate = -1;
function figure(anchor) {
  const text = anchor.querySelector(".o_dg_figure_value")?.textContent ?? "";
  return Number(text.replace(/[^\d]/g, ""));
}
registry.category("web_tour.tours").add("distribution_governance_overview_tour", {
  steps: () => [
    {
      content: "The overview shows a warehouse card with late deliveries: open them",
      trigger: ".o_dg_overview .o_kanban_record .o_dg_figure_late",
      run() {
        const cards = [
          ...document.querySelectorAll(".o_dg_overview .o_dg_figure_late")
        ];
        const late = cards.find((card) => figure(card) >= 1);
        if (!late) {
          throw new Error(`expected late deliveries on a card of ${cards.length}`);
        }
        shownLate = figure(late);
        late.click();
      }
    },
    {
      content: "The figure opens the list of exactly the counted deliveries",
      trigger: ".o_list_view .o_data_row",
      run() {
        const rows = document.querySelectorAll(".o_list_view .o_data_row").length;
        if (rows !== shownLate) {
          throw new Error(`the card counted ${shownLate}, the list shows ${rows} rows`);
        }
      }
    },
    {
      content: "The breadcrumb leads back to the overview",
      trigger: ".o_breadcrumb li.o_back_button",
      run: "click"
    },
    {
      trigger: ".o_dg_overview .o_dg_figure_open"
    }
  ]
});
