import { Component, useRef, xml } from "@odoo/owl";

/** What the fake list renderer was asked to do by its keyboard handler. */
export const listRendererCalls: { hotkey: string; record: unknown }[] = [];

// Fake of Odoo's ListRenderer: a table of `props.list.records` (one cell per row), and the
// two methods the addon's renderer builds on, recording what they are asked.
export class ListRenderer extends Component<{ list: { records: { id: string }[] } }> {
    static template = xml`
        <table t-ref="table"><tbody>
            <tr t-foreach="props.list.records" t-as="record" t-key="record.id" class="o_data_row"
                t-att-data-id="record.id">
                <td class="o_data_cell" tabindex="-1" t-esc="record.id"/>
            </tr>
        </tbody></table>`;
    static components: Record<string, unknown> = {};
    static props = ["*"];

    tableRef!: { el: HTMLElement | null };

    setup(): void {
        this.tableRef = useRef("table");
    }

    onCellKeydownReadOnlyMode(
        hotkey: string,
        _cell: HTMLElement,
        _group: unknown,
        record: unknown,
    ): boolean {
        listRendererCalls.push({ hotkey, record });
        return true;
    }

    focus(el: HTMLElement): void {
        el.focus();
    }
}
