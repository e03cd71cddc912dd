import { Component, useChildSubEnv, useState, xml } from "@odoo/owl";

interface DropdownProps {
    position?: string;
    menuClass?: string;
    beforeOpen?: () => void | Promise<void>;
    disabled?: boolean;
}

// Fake of `@web/core/dropdown/dropdown`: a click on the toggler runs beforeOpen, then shows the
// content slot in place (Odoo renders it in a popover); items close it through the env.
export class Dropdown extends Component<DropdownProps> {
    static template = xml`
        <div class="o-dropdown-fake">
            <div class="o-dropdown--toggler" t-on-click="() => this.toggle()"><t t-slot="default"/></div>
            <div t-if="state.open" class="o-dropdown--menu dropdown-menu d-block" t-att-class="props.menuClass">
                <t t-slot="content"/>
            </div>
        </div>`;
    static props = {
        position: { type: String, optional: true },
        menuClass: { type: String, optional: true },
        beforeOpen: { type: Function, optional: true },
        disabled: { type: Boolean, optional: true },
        slots: { type: Object, optional: true },
    };

    state!: { open: boolean };

    setup(): void {
        this.state = useState({ open: false });
        useChildSubEnv({ closeFakeDropdown: () => (this.state.open = false) });
    }

    async toggle(): Promise<void> {
        if (!this.state.open) {
            await this.props.beforeOpen?.();
        }
        this.state.open = !this.state.open;
    }
}
