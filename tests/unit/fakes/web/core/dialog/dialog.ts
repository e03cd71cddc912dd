import { Component, xml } from "@odoo/owl";

// Fake of `@web/core/dialog/dialog`: the same slots and props, none of the dragging/hotkeys.
export class Dialog extends Component {
    static template = xml`
        <div class="o_dialog modal d-block" role="dialog">
            <div class="modal-content" t-att-class="props.contentClass">
                <header class="modal-header"><h4 class="modal-title" t-esc="props.title"/></header>
                <main class="modal-body"><t t-slot="default"/></main>
                <footer class="modal-footer"><t t-slot="footer"/></footer>
            </div>
        </div>`;
    static props = {
        title: { type: String, optional: true },
        size: { type: String, optional: true },
        contentClass: { type: String, optional: true },
        bodyClass: { type: String, optional: true },
        footer: { type: Boolean, optional: true },
        header: { type: Boolean, optional: true },
        technical: { type: Boolean, optional: true },
        withBodyPadding: { type: Boolean, optional: true },
        slots: { type: Object, optional: true },
    };
}
