import { Component, xml } from "@odoo/owl";

interface DropdownItemProps {
    class?: string | Record<string, boolean>;
    onSelected?: () => void;
    attrs?: Record<string, string>;
}

// Fake of `@web/core/dropdown/dropdown_item`: a menu item that runs onSelected and closes.
export class DropdownItem extends Component<DropdownItemProps, { closeFakeDropdown?: () => void }> {
    static template = xml`
        <span class="o-dropdown-item dropdown-item" role="menuitem" t-att-class="props.class"
              t-att="props.attrs or {}" t-on-click.stop="() => this.select()"><t t-slot="default"/></span>`;
    static props = {
        class: { type: [String, Object], optional: true },
        onSelected: { type: Function, optional: true },
        attrs: { type: Object, optional: true },
        slots: { type: Object, optional: true },
    };

    select(): void {
        this.props.onSelected?.();
        this.env.closeFakeDropdown?.();
    }
}
