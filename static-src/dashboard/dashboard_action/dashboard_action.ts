import { Component, onWillStart, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { standardActionServiceProps } from "@web/webclient/actions/action_service";
import {
    drillDownAction,
    formatCount,
    tileTone,
    type Overview,
    type OverviewTile,
} from "@distribution_governance/dashboard/overview";
import type { ActionService, OrmService } from "@distribution_governance/types/services";

export interface DashboardActionProps {
    action?: { name?: string };
    actionId?: number;
    className?: string;
}

interface DashboardState {
    overview: Overview | null;
    loading: boolean;
}

/** Client action `distribution_governance.dashboard`: the governance overview tiles. */
export class DashboardAction extends Component<DashboardActionProps> {
    static template = "distribution_governance.DashboardAction";
    static props = { ...standardActionServiceProps };

    // Hooks must run in setup(): OWL has no current component while class fields initialise.
    orm!: OrmService;
    actionService!: ActionService;
    state!: DashboardState;

    setup(): void {
        this.orm = useService("orm");
        this.actionService = useService("action");
        this.state = useState<DashboardState>({ overview: null, loading: true });
        onWillStart(() => this.load());
    }

    get title(): string {
        return this.props.action?.name || _t("Governance Dashboard");
    }

    async load(): Promise<void> {
        this.state.loading = true;
        this.state.overview = await this.orm.call<Overview>(
            "distribution.dashboard",
            "get_overview",
        );
        this.state.loading = false;
    }

    tone(tile: OverviewTile): string {
        return tileTone(tile);
    }

    format(value: number): string {
        return formatCount(value);
    }

    async openTile(tile: OverviewTile): Promise<void> {
        await this.actionService.doAction(drillDownAction(tile));
    }
}

registry.category("actions").add("distribution_governance.dashboard", DashboardAction);
