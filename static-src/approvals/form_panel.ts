import { Component, status, useState } from "@odoo/owl";
import { useService } from "@web/core/utils/hooks";
import { useRecordObserver } from "@web/model/relational_model/utils";
import { standardWidgetProps } from "@web/views/widgets/standard_widget_props";
import { makePanelLoader } from "@distribution_governance/core/panel_loader";
import {
    useApprovalDecisions,
    type ApprovalDecisions,
} from "@distribution_governance/approvals/decisions";
import { APPROVAL_MODEL } from "@distribution_governance/approvals/panel_logic";
import type { SavableRecord } from "@distribution_governance/types/approvals";

export interface FormPanelProps {
    record: SavableRecord;
    readonly?: boolean;
}

export interface FormPanelState<Visible> {
    data: Visible | null;
    error: string | null;
    /** The detail shown; null until the user toggles it. */
    expanded: boolean | null;
}

/**
 * What the approval panels of a form (credit, prices) share: the server's answer for the form's
 * record (`<approval model>.<panelMethod>(model, id)`, the latest load wins), loaded before the
 * first render and again whenever the form loads a record; decisions that save the form's edits
 * first, as Odoo's own buttons do, then reload it. A subclass names its forms and method.
 */
export class ApprovalFormPanel<
    Visible extends { visible: true },
> extends Component<FormPanelProps> {
    static props = { ...standardWidgetProps };
    /** The forms the panel sits in. */
    static panelModels: ReadonlySet<string> = new Set();
    /** The approval model's method that answers the panel. */
    static panelMethod = "get_panel_data";

    state!: FormPanelState<Visible>;
    decisions!: ApprovalDecisions;
    loader!: ReturnType<typeof makePanelLoader<Visible | { visible: false }>>;

    setup(): void {
        const panel = this.constructor as typeof ApprovalFormPanel;
        this.loader = makePanelLoader<Visible | { visible: false }>(
            useService("orm"),
            APPROVAL_MODEL,
            panel.panelModels,
            panel.panelMethod,
        );
        this.state = useState<FormPanelState<Visible>>({ data: null, error: null, expanded: null });
        this.decisions = useApprovalDecisions({
            beforeDecide: () => this.saveForm(),
            // After a decision the server's soft reload mounts the form again (and this panel
            // with it); this reload is for when it did not (no such step, edits kept).
            afterChange: () => this.reloadAll(),
            afterFailure: () => this.reloadAll(),
        });
        // Before the first render, then whenever the form loads another record or reloads this
        // one (save, buttons, pager): `record.data` is replaced on each load, not on each edit.
        useRecordObserver((record) => {
            void record.data;
            return this.load(record);
        });
    }

    load(record: Pick<SavableRecord, "resModel" | "resId">): Promise<void> {
        return this.loader(record, ({ data, error }) => {
            this.state.data = data?.visible ? data : null;
            this.state.error = error;
        });
    }

    /** Unsaved edits are saved first, as Odoo's own buttons do; an invalid form stops here. */
    async saveForm(): Promise<boolean> {
        const record = this.props.record;
        if (await record.isDirty()) {
            return record.save();
        }
        return true;
    }

    /**
     * After a decision (or a refused one), reload the form so its status, ribbon and buttons
     * follow: that reload reloads the panel through the record observer. With edits still
     * pending (not saved), only the panel reloads.
     */
    async reloadAll(): Promise<void> {
        if (status(this) === "destroyed") {
            return;
        }
        const record = this.props.record;
        if (record.resId && !(await record.isDirty())) {
            await record.load();
        } else {
            await this.load(record);
        }
    }

    get data(): Visible {
        return this.state.data!;
    }

    /** On the approval request's own form: the form shows the request, the panel the rest. */
    get onRequestForm(): boolean {
        return this.props.record.resModel === APPROVAL_MODEL;
    }
}
