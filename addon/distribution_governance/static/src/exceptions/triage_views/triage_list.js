/** @odoo-module */
import { useExternalListener } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { ListRenderer } from "@web/views/list/list_renderer";
import { listView } from "@web/views/list/list_view";
import { TriageDashboard } from "@distribution_governance/exceptions/triage_dashboard/triage_dashboard";
import { listHotkey, triageCommand } from "@distribution_governance/exceptions/triage_logic";
const ELSEWHERE = ".modal, .dropdown-menu, .o_searchview, .o_cp_searchview, [contenteditable]";
class ExceptionTriageListRenderer extends ListRenderer {
  static template = "distribution_governance.ExceptionTriageListRenderer";
  static components = { ...ListRenderer.components, TriageDashboard };
  setup() {
    super.setup();
    useExternalListener(
      window,
      "keydown",
      (ev) => this.onTriageKeydown(ev)
    );
  }
  onCellKeydownReadOnlyMode(hotkey, cell, group, record) {
    return super.onCellKeydownReadOnlyMode(listHotkey(hotkey), cell, group, record);
  }
  onTriageKeydown(ev) {
    const table = this.tableRef.el;
    const target = ev.target instanceof HTMLElement ? ev.target : null;
    if (!table || target && table.contains(target)) {
      return;
    }
    const command = triageCommand({
      key: ev.key,
      altKey: ev.altKey,
      ctrlKey: ev.ctrlKey,
      metaKey: ev.metaKey,
      shiftKey: ev.shiftKey,
      targetTag: target?.tagName,
      elsewhere: Boolean(target?.closest(ELSEWHERE) || target?.isContentEditable)
    });
    if (command !== "next" && command !== "previous") {
      return;
    }
    const rows = table.querySelectorAll("tbody tr.o_data_row");
    const row = command === "next" ? rows[0] : rows[rows.length - 1];
    const cell = row?.querySelector("td.o_data_cell");
    if (cell) {
      ev.preventDefault();
      this.focus(cell);
    }
  }
}
const exceptionTriageListView = { ...listView, Renderer: ExceptionTriageListRenderer };
registry.category("views").add("dg_exception_triage_list", exceptionTriageListView);
export {
  ExceptionTriageListRenderer,
  exceptionTriageListView
};
