import { Component, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useRecordObserver } from "@web/model/relational_model/utils";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { makePanelLoader } from "@distribution_governance/core/panel_loader";
import { useTicker, type Ticker } from "@distribution_governance/core/ticker";
import { canResolve, canTakeOwnership } from "@distribution_governance/exceptions/guards";
import {
    severityBadgeClass,
    severityLabel,
    stateLabel,
} from "@distribution_governance/exceptions/labels";
import { clockSkew } from "@distribution_governance/exceptions/sla";
import { SlaCountdown } from "@distribution_governance/exceptions/sla_countdown/sla_countdown";
import {
    EXCEPTION_MODEL,
    useExceptionWorkflow,
    type ExceptionWorkflow,
} from "@distribution_governance/exceptions/workflow";
import type { ExceptionRow, PanelData } from "@distribution_governance/types/exceptions";
import type { RelationalRecord } from "@distribution_governance/types/services";

export interface ExceptionPanelProps {
    record: RelationalRecord;
    readonly?: boolean;
}

interface PanelState {
    data: PanelData | null;
    /** Server clock minus client clock when the data arrived (ms). */
    skew: number;
    error: string | null;
}

/**
 * View widget `dg_exception_panel`: the open exceptions of the sale order or transfer shown in
 * the form, with their live SLA and one-click actions. Hidden when there is none.
 */
export class ExceptionPanel extends Component<ExceptionPanelProps> {
    static template = "distribution_governance.ExceptionPanel";
    static components = { SlaCountdown };
    static props = { ...standardWidgetProps };

    state!: PanelState;
    ticker!: Ticker;
    workflow!: ExceptionWorkflow;
    loader!: ReturnType<typeof makePanelLoader<PanelData>>;

    setup(): void {
        this.loader = makePanelLoader<PanelData>(useService("orm"), EXCEPTION_MODEL);
        this.state = useState<PanelState>({ data: null, skew: 0, error: null });
        this.ticker = useTicker(1000);
        this.workflow = useExceptionWorkflow({
            afterChange: () => this.reloadForm(),
            afterFailure: () => this.load(this.props.record),
        });
        // Runs first before the panel renders, then whenever the form loads another record or
        // reloads this one (save, button, pager): reading `record.data` subscribes to reloads,
        // not to every field edit (those change keys of `data`, not `data` itself).
        useRecordObserver((record) => {
            void record.data;
            return this.load(record);
        });
    }

    get rows(): ExceptionRow[] {
        return this.state.data?.exceptions ?? [];
    }

    get breachedCount(): number {
        return this.rows.filter((r) => r.sla_status === "breached").length;
    }

    load(record: RelationalRecord): Promise<void> {
        return this.loader(record, ({ data, error }) => {
            this.state.data = data;
            if (data) {
                this.state.skew = clockSkew(data.server_now, Date.now());
            }
            this.state.error = error;
        });
    }

    /**
     * After an action, reload the form so its counters follow (that reload reloads the panel
     * through the record observer). Unsaved edits are never thrown away: then only the panel
     * reloads.
     */
    async reloadForm(): Promise<void> {
        const record = this.props.record;
        if (record.resId && !(await record.isDirty())) {
            await record.load();
        } else {
            await this.load(record);
        }
    }

    canTake(row: ExceptionRow): boolean {
        return Boolean(this.state.data && canTakeOwnership(row, this.state.data));
    }

    canResolve(row: ExceptionRow): boolean {
        return Boolean(this.state.data && canResolve(row, this.state.data));
    }

    severityLabel(row: ExceptionRow): string {
        return severityLabel(row.severity);
    }

    severityClass(row: ExceptionRow): string {
        return severityBadgeClass(row.severity);
    }

    stateLabel(row: ExceptionRow): string {
        return stateLabel(row.state);
    }
}

registry.category("view_widgets").add("dg_exception_panel", { component: ExceptionPanel });
