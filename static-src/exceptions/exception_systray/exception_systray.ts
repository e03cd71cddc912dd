import { Component, onWillStart, useEnv, useState } from "@odoo/owl";
import { Dropdown } from "@web/core/dropdown/dropdown";
import { DropdownItem } from "@web/core/dropdown/dropdown_item";
import { registry } from "@web/core/registry";
import { user } from "@web/core/user";
import { useBus, useService } from "@web/core/utils/hooks";
import {
    shapeSystrayCounters,
    systrayBadge,
    type SystrayBadge,
    type SystrayCounter,
} from "@distribution_governance/exceptions/systray_counters";
import {
    EXCEPTION_MODEL,
    EXCEPTIONS_CHANGED,
    TRIAGE_ACTION,
} from "@distribution_governance/exceptions/exception_actions";
import { APPROVALS_CHANGED } from "@distribution_governance/approvals/panel_logic";
import type { SystrayData } from "@distribution_governance/types/exceptions";
import type { ActionService, DgEnv, OrmService } from "@distribution_governance/types/services";

interface SystrayState {
    visible: boolean;
    counters: SystrayCounter[];
}

/**
 * The addon's one systray item: what waits for me (my open exceptions, decisions I may take) in
 * the badge, red only when something of mine is past its SLA (or, for exception managers, any
 * exception is); each counter leads to the exceptions filtered on it. Other capabilities add
 * counters to it (systray_counters.ts) instead of adding icons to the navbar.
 */
export class ExceptionSystray extends Component<Record<string, never>, DgEnv> {
    static template = "distribution_governance.ExceptionSystray";
    static components = { Dropdown, DropdownItem };
    static props = {};

    orm!: OrmService;
    action!: ActionService;
    state!: SystrayState;

    setup(): void {
        this.orm = useService("orm");
        this.action = useService("action");
        this.state = useState<SystrayState>({ visible: false, counters: [] });
        onWillStart(async () => {
            this.state.visible = await user.hasGroup(
                "distribution_governance.group_exception_user",
            );
            // not awaited: the navbar (and the web client with it) shows without waiting for
            // the counts, which fill the badge when they come
            void this.load();
        });
        const bus = useEnv<DgEnv>().bus;
        useBus(bus, EXCEPTIONS_CHANGED, () => void this.load());
        // releasing a hold also closes its credit-hold exception: both counts move
        useBus(bus, APPROVALS_CHANGED, () => void this.load());
    }

    get badge(): SystrayBadge {
        return systrayBadge(this.state.counters);
    }

    async load(): Promise<void> {
        if (!this.state.visible) {
            return;
        }
        try {
            const data = await this.orm.call<SystrayData>(EXCEPTION_MODEL, "get_systray_data");
            this.state.counters = shapeSystrayCounters(data);
        } catch {
            // A navbar icon must not raise error dialogs; it shows the last counts it had.
        }
    }

    open(counter: SystrayCounter): Promise<void> {
        return this.action.doAction(counter.target.action, {
            additionalContext: counter.target.context,
            clearBreadcrumbs: true,
        });
    }

    openTriage(): Promise<void> {
        return this.action.doAction(TRIAGE_ACTION, { clearBreadcrumbs: true });
    }
}

registry
    .category("systray")
    .add(
        "distribution_governance.exception_systray",
        { Component: ExceptionSystray },
        { sequence: 25 },
    );
