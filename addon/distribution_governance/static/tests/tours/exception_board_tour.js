/** @odoo-module */
import { registry } from "@web/core/registry";
const BOARD_ROW = ".o_dg_board .o_dg_board_row:contains('DG Board Customer')";
const OTHER_ROW = ".o_dg_board_row:contains('DG Panel Customer')";
const LOADED = ".o_dg_board:not(.o_dg_loading)";
const nextFrame = () => new Promise((resolve) => requestAnimationFrame(resolve));
function expectRows(count) {
  return () => {
    const rows = document.querySelectorAll(".o_dg_board .o_dg_board_row").length;
    if (rows !== count) {
      throw new Error(`expected ${count} row(s) on the board, found ${rows}`);
    }
  };
}
registry.category("web_tour.tours").add("distribution_governance_exception_board_tour", {
  steps: () => [
    {
      content: "The board groups the open exceptions by type",
      trigger: ".o_dg_board .o_dg_group_header:contains('Short pick')"
    },
    {
      content: "Take the short pick of DG Board Customer",
      trigger: `${BOARD_ROW} .o_dg_take`,
      run: "click"
    },
    {
      trigger: `${BOARD_ROW}:not(:has(.o_dg_take)) .o_dg_owner:contains('DG Tour Picker')`
    },
    {
      content: "Show only my exceptions",
      trigger: ".o_dg_board .o_dg_filter_mine",
      run: "click"
    },
    {
      trigger: `${LOADED} .o_dg_filter_mine.active`,
      run: expectRows(1)
    },
    {
      content: "j focuses the first row",
      trigger: `${BOARD_ROW}`,
      run: "press j"
    },
    {
      content: "Resolve the focused row",
      trigger: `${BOARD_ROW}.o_dg_focused .o_dg_resolve`,
      run: "click"
    },
    {
      trigger: ".o_dg_resolve_dialog label.o_dg_resolution:contains('Cancel the remaining quantity')",
      run: "click"
    },
    {
      trigger: ".o_dg_resolve_dialog textarea.o_dg_resolve_note",
      run: "edit Customer cancelled the rest."
    },
    {
      trigger: ".o_dg_resolve_dialog .o_dg_resolve_confirm",
      run: "click"
    },
    {
      content: "Nothing of mine is left open",
      trigger: `body:not(:has(.o_dg_resolve_dialog)) ${LOADED} .o_dg_board_empty`
    },
    {
      content: "Back to every open exception",
      trigger: ".o_dg_board .o_dg_clear_filters",
      run: "click"
    },
    {
      content: "j walks down the rows to DG Panel Customer's exception",
      trigger: `${LOADED}:not(:has(.o_dg_filter_mine.active)) ${OTHER_ROW}`,
      async run(actions) {
        const focusedOnIt = () => document.querySelector(".o_dg_board .o_dg_board_row.o_dg_focused")?.textContent?.includes("DG Panel Customer");
        const rows = document.querySelectorAll(".o_dg_board .o_dg_board_row").length;
        for (let i = 0; i < rows && !focusedOnIt(); i++) {
          await actions.press("j");
          await nextFrame();
        }
      }
    },
    {
      content: "Enter opens the standard form of the focused exception",
      trigger: `.o_dg_board ${OTHER_ROW}.o_dg_focused`,
      run: "press Enter"
    },
    {
      content: "It is the form of that exception",
      trigger: ".o_form_view .o_field_widget[name='partner_id'] input",
      run() {
        const partner = this.anchor.value;
        if (partner !== "DG Panel Customer") {
          throw new Error(`opened the exception of ${partner}`);
        }
      }
    },
    {
      content: "The breadcrumb leads back to the board",
      trigger: ".o_breadcrumb li.o_back_button",
      run: "click"
    },
    {
      trigger: ".o_dg_board .o_dg_board_row"
    },
    {
      content: "The systray item leads to the board filtered on my exceptions",
      trigger: ".o_menu_systray .o_dg_systray_toggle",
      run: "click"
    },
    {
      trigger: ".o_dg_systray_counter[data-key='my_open']:contains('0')",
      run: "click"
    },
    {
      trigger: `${LOADED} .o_dg_filter_mine.active`
    },
    {
      trigger: `${LOADED} .o_dg_board_empty`
    }
  ]
});
