import { Component, useState } from "@odoo/owl";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useRecordObserver } from "@web/model/relational_model/utils";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { errorMessage } from "@distribution_governance/core/errors";
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
import type { OrmService, RelationalRecord } from "@distribution_governance/types/services";

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

/** Documents that carry exceptions; the panel stays empty on any other model. */
const PANEL_MODELS: ReadonlySet<string> = new Set(["sale.order", "stock.picking"]);

/**
 * View widget `dg_exception_panel`: the open exceptions of the sale order or transfer shown in
 * the form, with their live SLA and one-click actions. Hidden when there is none.
 */
export class ExceptionPanel extends Component<ExceptionPanelProps> {
    static template = "distribution_governance.ExceptionPanel";
    static components = { SlaCountdown };
    static props = { ...standardWidgetProps };

    orm!: OrmService;
    state!: PanelState;
    ticker!: Ticker;
    workflow!: ExceptionWorkflow;
    /** Answers to older requests are dropped (the record may have changed meanwhile). */
    requestSeq = 0;

    setup(): void {
        this.orm = useService("orm");
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

    async load(record: RelationalRecord): Promise<void> {
        const seq = ++this.requestSeq;
        const { resModel, resId } = record;
        if (!resId || !PANEL_MODELS.has(resModel)) {
            this.state.data = null;
            this.state.error = null;
            return;
        }
        try {
            const data = await this.orm.call<PanelData>(EXCEPTION_MODEL, "get_panel_data", [
                resModel,
                resId,
            ]);
            if (seq === this.requestSeq) {
                this.state.data = data;
                this.state.skew = clockSkew(data.server_now, Date.now());
                this.state.error = null;
            }
        } catch (error) {
            // A failing panel must not break the form it sits in: say it, keep the form usable.
            if (seq === this.requestSeq) {
                this.state.data = null;
                this.state.error = errorMessage(error);
            }
        }
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
