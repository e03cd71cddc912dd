import { Component, xml } from "@odoo/owl";

export interface SortableDropParams {
    element: HTMLElement;
    parent?: HTMLElement;
    previous?: HTMLElement;
}

/** What the fake kanban renderer was asked to do. */
export const kanbanRendererCalls: unknown[][] = [];

// Fake of Odoo's KanbanRenderer: the getters and methods the addon's renderer overrides or
// calls, recording what they are asked; Odoo's own move writes the group-by field.
export class KanbanRenderer extends Component<{ list: object }> {
    static template = xml`<div class="o_kanban_renderer"/>`;
    static components: Record<string, unknown> = {};
    static props = ["*"];

    get canResequenceRecords(): boolean {
        return true;
    }

    /** Odoo's rule: the group-by field must be writable (the state is not). */
    get canMoveRecords(): boolean {
        return false;
    }

    sortRecordDrop(
        dataRecordId: string,
        dataGroupId: string,
        params: SortableDropParams,
    ): Promise<void> {
        kanbanRendererCalls.push(["sortRecordDrop", dataRecordId, dataGroupId, params.parent]);
        return Promise.resolve();
    }

    toggleProcessing(dataRecordId: string, value: boolean): void {
        kanbanRendererCalls.push(["toggleProcessing", dataRecordId, value]);
    }
}
