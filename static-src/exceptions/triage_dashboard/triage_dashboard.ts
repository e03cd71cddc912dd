import { Component, onWillStart, onWillUpdateProps, toRaw, useState } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { KeepLast } from "@web/core/utils/concurrency";
import { EXCEPTION_MODEL } from "@distribution_governance/exceptions/exception_actions";
import {
    TRIAGE_DEFAULT_FILTER,
    TRIAGE_FILTERS,
    type TriageFigure,
} from "@distribution_governance/exceptions/triage_logic";
import type { TriageCounts } from "@distribution_governance/types/exceptions";
import type { DgEnv, OrmService, SearchModel } from "@distribution_governance/types/services";

export interface TriageDashboardProps {
    /** The view's root list: a new one after each load, when the figures are read again. */
    list: object;
    /** The list's keys (j/k, Enter, x) are told; the kanban has its own (moving cards). */
    keyboardHint?: boolean;
}

/**
 * The figures of each list the view loaded, asked once for it: OWL sets the dashboard up again
 * when its renderer renders twice before being shown (the kanban does, its progress bars
 * arriving), for the same list, and destroys the first one.
 */
const figuresOfList = new WeakMap<object, Promise<TriageCounts>>();

interface Figure {
    key: TriageFigure;
    label: string;
    help: string;
    value: number | null;
    active: boolean;
    /** Bootstrap text class when the figure calls for attention. */
    tone: string;
}

/**
 * The figures above the triage kanban and list (in the manner of Odoo's purchase dashboard):
 * open exceptions that are mine, unassigned, breached, at risk; each toggles its filter in
 * the search bar below.
 */
export class TriageDashboard extends Component<TriageDashboardProps> {
    static template = "distribution_governance.TriageDashboard";
    static props = {
        list: Object,
        keyboardHint: { type: Boolean, optional: true },
    };

    orm!: OrmService;
    state!: { counts: TriageCounts | null };
    keepLast = new KeepLast();

    setup(): void {
        // the service itself, not useService's copy bound to this component: that one's answers
        // never come once the component is destroyed, and the figures of a list are shared by
        // its dashboards, the first of which OWL may destroy before they come
        this.orm = (this.env as DgEnv).services["orm"] as OrmService;
        this.state = useState({ counts: null as TriageCounts | null });
        // not awaited: the view shows at once, its figures a moment later
        onWillStart(() => void this.load(toRaw(this.props.list)));
        onWillUpdateProps((next: TriageDashboardProps) => {
            const list = toRaw(next.list);
            if (list !== toRaw(this.props.list)) {
                void this.load(list);
            }
        });
    }

    get searchModel(): SearchModel | undefined {
        return (this.env as { searchModel?: SearchModel }).searchModel;
    }

    /** Reads the figures (once per `list` when one is given). */
    async load(list?: object): Promise<void> {
        let counts = list && figuresOfList.get(list);
        if (!counts) {
            counts = this.orm.call<TriageCounts>(EXCEPTION_MODEL, "get_triage_counts");
            if (list) {
                figuresOfList.set(list, counts);
            }
        }
        try {
            this.state.counts = await this.keepLast.add(counts);
        } catch {
            // the figures are a shortcut: the view below works without them
        }
    }

    isActive(filter: string): boolean {
        return Boolean(this.searchModel?.getSearchItems((i) => i.name === filter)[0]?.isActive);
    }

    get figures(): Figure[] {
        const counts = this.state.counts;
        const figure = (key: TriageFigure, label: string, help: string, alertTone = ""): Figure => {
            const value = counts ? counts[key] : null;
            return {
                key,
                label,
                help,
                value,
                active: this.isActive(TRIAGE_FILTERS[key]),
                tone: value ? alertTone : "",
            };
        };
        return [
            figure("mine", _t("Mine"), _t("Open exceptions you own")),
            figure("unassigned", _t("Unassigned"), _t("Open exceptions nobody owns yet")),
            figure(
                "breached",
                _t("Breached"),
                _t("Open exceptions past their SLA deadline"),
                "text-danger",
            ),
            figure(
                "at_risk",
                _t("At risk"),
                _t("Open exceptions in the last quarter of their SLA"),
                "text-warning",
            ),
        ];
    }

    /** Toggles the figure's filter, among the open exceptions. */
    toggle(figure: Figure): void {
        const searchModel = this.searchModel;
        if (!searchModel) {
            return;
        }
        const wanted: string[] = [TRIAGE_FILTERS[figure.key]];
        if (!figure.active) {
            wanted.push(TRIAGE_DEFAULT_FILTER);
        }
        for (const item of searchModel.getSearchItems((i) => wanted.includes(i.name ?? ""))) {
            // the default filter is switched on, never off, from here
            if (item.name === TRIAGE_DEFAULT_FILTER && item.isActive) {
                continue;
            }
            searchModel.toggleSearchItem(item.id);
        }
    }
}
