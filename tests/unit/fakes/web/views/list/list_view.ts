import { ListRenderer } from "./list_renderer";

// Fake of Odoo's listView descriptor: the parts the addon keeps or swaps.
export const listView = {
    type: "list",
    Controller: class ListController {},
    Renderer: ListRenderer,
};
