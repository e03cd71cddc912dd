/** @odoo-module */
import { registry } from "@web/core/registry";
const CARD = ".o_kanban_record:contains('DG Board Customer')";
const column = (title) => `.o_kanban_group:has(.o_column_title:contains('${title}'))`;
const rows = () => [...document.querySelectorAll(".o_list_renderer tr.o_data_row")];
function focusedRow() {
  const row = document.activeElement?.closest("tr.o_data_row");
  return row ? rows().indexOf(row) : -1;
}
function expectFocusedRow(index) {
  return () => {
    if (focusedRow() !== index) {
      throw new Error(`expected row ${index} to have the focus, found ${focusedRow()}`);
    }
  };
}
registry.category("web_tour.tours").add("distribution_governance_exception_views_tour", {
  steps: () => [
    {
      content: "The exceptions to triage open as a kanban by state, under the figures",
      trigger: `.o_dg_exception_kanban ${column("New")} ${CARD}`
    },
    {
      trigger: ".o_dg_triage_figure[data-key='unassigned'] .o_dg_figure_value:not(:contains('\u2013'))"
    },
    // ---- the list and its triage keys
    {
      content: "Switch to the list",
      trigger: ".o_switch_view.o_list",
      run: "click"
    },
    {
      content: "A cell of the first row gets the focus",
      trigger: ".o_list_renderer tr.o_data_row:first td.o_data_cell",
      run() {
        this.anchor.focus();
      }
    },
    {
      content: "j moves down",
      trigger: ".o_list_renderer tr.o_data_row td.o_data_cell:focus",
      run: "press j"
    },
    {
      trigger: ".o_list_renderer tr.o_data_row:nth-child(2) td:focus",
      run: expectFocusedRow(1)
    },
    {
      content: "x selects the row",
      trigger: ".o_list_renderer tr.o_data_row td:focus",
      run: "press x"
    },
    {
      trigger: ".o_list_renderer tr.o_data_row:nth-child(2) .o_list_record_selector input:checked"
    },
    {
      content: "Unselect it again",
      trigger: ".o_list_renderer tr.o_data_row td:focus",
      run: "press x"
    },
    {
      trigger: ".o_list_renderer:not(:has(.o_list_record_selector input:checked))"
    },
    {
      content: "k moves up",
      trigger: ".o_list_renderer tr.o_data_row td:focus",
      run: "press k"
    },
    {
      trigger: ".o_list_renderer tr.o_data_row:first td:focus",
      run: expectFocusedRow(0)
    },
    {
      content: "Enter opens the row",
      trigger: ".o_list_renderer tr.o_data_row td:focus",
      run: "press Enter"
    },
    {
      trigger: ".o_form_view .o_field_widget[name='name']:contains('EXC/')"
    },
    {
      content: "Back to the exceptions",
      trigger: ".o_breadcrumb .breadcrumb-item a",
      run: "click"
    },
    {
      trigger: ".o_list_renderer tr.o_data_row"
    },
    {
      content: "Back to the kanban",
      trigger: ".o_switch_view.o_kanban",
      run: "click"
    },
    {
      trigger: `.o_dg_exception_kanban ${CARD}`
    },
    // ---- search by customer, group by owner
    {
      content: "Search the customer",
      trigger: "input.o_searchview_input",
      run: "edit DG Board Customer"
    },
    {
      trigger: ".o_searchview_autocomplete .o_menu_item:contains('Search Customer')",
      run: "click"
    },
    {
      content: "Only that customer's exception is left",
      trigger: `.o_dg_exception_kanban:not(:has(.o_kanban_record:contains('DG Panel Customer'))) ${CARD}`
    },
    {
      content: "Group by owner",
      trigger: ".o_control_panel .o_searchview_dropdown_toggler",
      run: "click"
    },
    {
      trigger: ".o_group_by_menu .o_menu_item:contains('Owner')",
      run: "click"
    },
    {
      content: "Nobody owns it yet (Odoo folds the column of no owner)",
      trigger: ".o_kanban_group .o_column_title:contains('None'):contains('1')"
    },
    {
      content: "Back to the columns by state",
      trigger: ".o_searchview_facet:contains('Owner') .o_facet_remove",
      run: "click"
    },
    // ---- moving cards
    {
      content: "Move the card to In Progress: take it",
      trigger: `${column("New")} ${CARD}`,
      run: `drag_and_drop(${column("In Progress")})`
    },
    {
      content: "The server took it for me and says so",
      trigger: ".o_notification:contains('yours now')"
    },
    {
      trigger: `${column("In Progress")} ${CARD}`
    },
    {
      content: "Move it to Cancelled: only exception managers cancel",
      trigger: `${column("In Progress")} ${CARD}`,
      run: `drag_and_drop(${column("Cancelled")})`
    },
    {
      content: "Odoo shows the server's refusal",
      trigger: ".modal:contains('Only an exception manager can cancel exceptions') .modal-footer .btn-primary",
      run: "click"
    },
    {
      content: "The card stays where it was",
      trigger: `body:not(:has(.modal)) ${column("In Progress")} ${CARD}`
    },
    {
      trigger: `.o_dg_exception_kanban:not(:has(${column("Cancelled")} ${CARD}))`
    }
  ]
});
