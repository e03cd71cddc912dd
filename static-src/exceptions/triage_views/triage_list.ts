import { useExternalListener } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { ListRenderer } from "@web/views/list/list_renderer";
import { listView } from "@web/views/list/list_view";
import { TriageDashboard } from "@distribution_governance/exceptions/triage_dashboard/triage_dashboard";
import { listHotkey, triageCommand } from "@distribution_governance/exceptions/triage_logic";

/** Where keys belong to something else than the list: dialogs, menus, the search bar. */
const ELSEWHERE = ".modal, .dropdown-menu, .o_searchview, .o_cp_searchview, [contenteditable]";

/**
 * `js_class="dg_exception_triage_list"`: the exception list of the daily triage meeting, under
 * the triage figures. On a focused row j/k move like the arrows, x selects the row, Enter opens
 * it (Odoo's own keyboard navigation does the work); with the focus outside the list, j/k
 * start on its first or last row.
 */
export class ExceptionTriageListRenderer extends ListRenderer {
    static template = "distribution_governance.ExceptionTriageListRenderer";
    static components = { ...ListRenderer.components, TriageDashboard };

    setup(): void {
        super.setup();
        useExternalListener(window, "keydown", (ev: Event) =>
            this.onTriageKeydown(ev as KeyboardEvent),
        );
    }

    onCellKeydownReadOnlyMode(
        hotkey: string,
        cell: HTMLElement,
        group: unknown,
        record: unknown,
    ): boolean {
        return super.onCellKeydownReadOnlyMode(listHotkey(hotkey), cell, group, record);
    }

    onTriageKeydown(ev: KeyboardEvent): void {
        const table = this.tableRef.el;
        const target = ev.target instanceof HTMLElement ? ev.target : null;
        if (!table || (target && table.contains(target))) {
            return; // a focused cell: Odoo's handler (above) has it
        }
        const command = triageCommand({
            key: ev.key,
            altKey: ev.altKey,
            ctrlKey: ev.ctrlKey,
            metaKey: ev.metaKey,
            shiftKey: ev.shiftKey,
            targetTag: target?.tagName,
            elsewhere: Boolean(target?.closest(ELSEWHERE) || target?.isContentEditable),
        });
        if (command !== "next" && command !== "previous") {
            return;
        }
        const rows = table.querySelectorAll<HTMLElement>("tbody tr.o_data_row");
        const row = command === "next" ? rows[0] : rows[rows.length - 1];
        const cell = row?.querySelector<HTMLElement>("td.o_data_cell");
        if (cell) {
            ev.preventDefault();
            this.focus(cell);
        }
    }
}

export const exceptionTriageListView = { ...listView, Renderer: ExceptionTriageListRenderer };

registry.category("views").add("dg_exception_triage_list", exceptionTriageListView);
