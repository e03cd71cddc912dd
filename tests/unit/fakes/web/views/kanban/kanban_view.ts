import { KanbanRenderer } from "./kanban_renderer";

// Fake of Odoo's kanbanView descriptor: the parts the addon keeps or swaps.
export const kanbanView = {
    type: "kanban",
    Controller: class KanbanController {},
    Renderer: KanbanRenderer,
};
