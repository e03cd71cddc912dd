import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { useRecordObserver } from "@web/model/relational_model/utils";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { makePanelLoader } from "@distribution_governance/core/panel_loader";
import {
    EXCEPTION_MODEL,
    useExceptionActions,
    type ExceptionActions,
} from "@distribution_governance/exceptions/exception_actions";
import { panelSummary, type PanelSummary } from "@distribution_governance/exceptions/panel_logic";
import { clockSkew } from "@distribution_governance/exceptions/sla";
import { SlaCountdown } from "@distribution_governance/exceptions/sla_countdown/sla_countdown";
import type { ExceptionRow, PanelData, Severity } from "@distribution_governance/types/exceptions";
import type { RelationalRecord } from "@distribution_governance/types/services";

/** Badge colours of the severities, as the exception list and kanban show them. */
const SEVERITY_BADGE: Record<Severity, string> = {
    critical: "text-bg-danger",
    high: "text-bg-warning",
    medium: "text-bg-info",
    low: "text-bg-secondary",
};

export interface ExceptionPanelProps {
    record: RelationalRecord;
    readonly?: boolean;
}

interface PanelState {
    data: PanelData | null;
    /** Server clock minus client clock when the data arrived (ms). */
    skew: number;
    error: string | null;
    expanded: boolean;
}

/**
 * View widget `dg_exception_panel`: the open exceptions of the sale order or transfer shown in
 * the form. One line (nothing at all without open exceptions): what is open, the most urgent
 * SLA, and the action the user may take when there is one exception; the detail of several
 * unfolds on demand, so the document's lines stay in view.
 */
export class ExceptionPanel extends Component<ExceptionPanelProps> {
    static template = "distribution_governance.ExceptionPanel";
    static components = { SlaCountdown };
    static props = { ...standardWidgetProps };

    state!: PanelState;
    actions!: ExceptionActions;
    loader!: ReturnType<typeof makePanelLoader<PanelData>>;

    setup(): void {
        this.loader = makePanelLoader<PanelData>(useService("orm"), EXCEPTION_MODEL);
        this.state = useState<PanelState>({ data: null, skew: 0, error: null, expanded: false });
        this.actions = useExceptionActions({
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

    get summary(): PanelSummary {
        return panelSummary(this.rows);
    }

    get toggleLabel(): string {
        return this.state.expanded ? _t("Hide") : _t("Details");
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

    toggle(): void {
        this.state.expanded = !this.state.expanded;
    }

    severityClass(row: ExceptionRow): string {
        return SEVERITY_BADGE[row.severity];
    }

    /** Why the user may not act on the exception, when they may do neither. */
    whyNot(row: ExceptionRow): string {
        if (row.can_take || row.can_resolve) {
            return "";
        }
        return row.why_not_resolve || row.why_not_take || "";
    }
}

registry.category("view_widgets").add("dg_exception_panel", { component: ExceptionPanel });
