import { Component, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { useService } from "@web/core/utils/hooks";
import { KeepLast } from "@web/core/utils/concurrency";
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
import {
    alternativesText,
    similarCasesAction,
    suggestionLines,
    suggestionsById,
    type SuggestionLine,
} from "@distribution_governance/exceptions/suggestion_logic";
import { SlaCountdown } from "@distribution_governance/exceptions/sla_countdown/sla_countdown";
import type { ExceptionRow, PanelData, Severity } from "@distribution_governance/types/exceptions";
import type {
    ActionService,
    OrmService,
    RelationalRecord,
} from "@distribution_governance/types/services";
import type { TriagePart, TriageSuggestion } from "@distribution_governance/types/triage";

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
    /** The triage suggestions of the open exceptions, by exception id (none when they could
     * not be loaded: the panel works without them). */
    suggestions: Map<number, TriageSuggestion>;
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
    action!: ActionService;
    loader!: ReturnType<typeof makePanelLoader<PanelData>>;
    orm!: OrmService;
    suggestionLoads = new KeepLast<TriageSuggestion[]>();

    setup(): void {
        this.orm = useService("orm");
        this.action = useService("action");
        this.loader = makePanelLoader<PanelData>(this.orm, EXCEPTION_MODEL);
        this.state = useState<PanelState>({
            data: null,
            skew: 0,
            error: null,
            expanded: false,
            suggestions: new Map(),
        });
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

    async load(record: RelationalRecord): Promise<void> {
        let ids: number[] = [];
        await this.loader(record, ({ data, error }) => {
            this.state.data = data;
            if (data) {
                this.state.skew = clockSkew(data.server_now, Date.now());
                ids = data.exceptions.map((row) => row.id);
            }
            this.state.error = error;
        });
        await this.loadSuggestions(ids);
    }

    /** One call for the suggestions of all the panel's exceptions; the latest load wins. */
    async loadSuggestions(ids: number[]): Promise<void> {
        let suggestions: TriageSuggestion[] = [];
        if (ids.length) {
            try {
                suggestions = await this.suggestionLoads.add(
                    this.orm.call<TriageSuggestion[]>(EXCEPTION_MODEL, "get_triage_suggestion", [
                        ids,
                    ]),
                );
            } catch {
                // a suggestion is a help: without it the panel still shows and acts
            }
        } else {
            // an answer still on its way for the previous exceptions is dropped
            void this.suggestionLoads.add(Promise.resolve([]));
        }
        this.state.suggestions = suggestionsById(suggestions);
    }

    suggestion(row: ExceptionRow): TriageSuggestion | undefined {
        return this.state.suggestions.get(row.id);
    }

    suggestionLines(suggestion: TriageSuggestion): SuggestionLine[] {
        return suggestionLines(suggestion);
    }

    alternatives(suggestion: TriageSuggestion): { label: string; text: string }[] {
        const found = [
            {
                label: _t("Other playbooks"),
                text: alternativesText(suggestion.alternatives.resolution, suggestion.resolution),
            },
            {
                label: _t("Other owners"),
                text: alternativesText(suggestion.alternatives.owner, suggestion.owner),
            },
        ];
        return found.filter((alt) => alt.text);
    }

    apply(row: ExceptionRow, part: TriagePart): Promise<void> {
        return this.actions.applyTriage(row.id, part);
    }

    openSimilar(suggestion: TriageSuggestion): Promise<void> {
        return this.action.doAction(similarCasesAction(suggestion));
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
