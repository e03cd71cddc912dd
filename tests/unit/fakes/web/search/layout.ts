import { Component, xml } from "@odoo/owl";

// Fake of `@web/search/layout`: the same props; the control panel slots the addon fills
// rendered in a plain bar (no breadcrumbs, no search model), the default slot in `.o_content`.
export class Layout extends Component {
    static template = xml`
        <div t-if="props.display.controlPanel" class="o_control_panel">
            <t t-slot="control-panel-create-button"/>
            <t t-slot="layout-buttons"/>
            <div class="o_control_panel_actions"><t t-slot="layout-actions"/></div>
            <t t-slot="control-panel-navigation-additional"/>
        </div>
        <div class="o_content" t-att-class="props.className"><t t-slot="default"/></div>`;
    static props = {
        className: { type: String, optional: true },
        display: { type: Object, optional: true },
        slots: { type: Object, optional: true },
    };
    static defaultProps = { display: {} };
}
