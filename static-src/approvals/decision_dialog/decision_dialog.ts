import { Component, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";
import {
    decisionDialogTitle,
    reasonError,
    type ReasonKind,
} from "@distribution_governance/approvals/panel_logic";

export interface DecisionDialogProps {
    /** Approve, Reject, or the requester's justification of the request. */
    kind: ReasonKind;
    /** The document the request is about (shown in the title). */
    document: string;
    /** One line of context under the title: partner, amount; who decides, for a justification. */
    summary?: string;
    /** Sends the text; the dialog closes whatever the outcome (errors are Odoo's to show). */
    confirm: (reason: string) => Promise<void>;
    /** Given by the dialog service. */
    close: () => void;
}

interface DecisionDialogState {
    reason: string;
    busy: boolean;
    /** The validation message appears once the user tried to confirm. */
    submitted: boolean;
}

/**
 * Approve (optional reason) or Reject (reason required) one approval request, or justify it
 * (the requester, text required), from the credit panel of the forms.
 */
export class DecisionDialog extends Component<DecisionDialogProps> {
    static template = "distribution_governance.DecisionDialog";
    static components = { Dialog };
    static props = {
        kind: {
            type: String,
            validate: (k: string) => k === "approve" || k === "reject" || k === "justify",
        },
        document: String,
        summary: { type: String, optional: true },
        confirm: Function,
        close: Function,
    };

    state!: DecisionDialogState;

    setup(): void {
        this.state = useState<DecisionDialogState>({ reason: "", busy: false, submitted: false });
    }

    get title(): string {
        return decisionDialogTitle(this.props.kind, this.props.document);
    }

    get placeholder(): string {
        switch (this.props.kind) {
            case "reject":
                return _t("e.g. Overdue invoices must be paid first");
            case "justify":
                return _t("e.g. Payment received by wire today, guarantee from the parent company");
            case "approve":
                return _t("e.g. Payment promised for Friday");
        }
        return "";
    }

    get error(): string | null {
        return reasonError(this.props.kind, this.state.reason);
    }

    async confirm(): Promise<void> {
        this.state.submitted = true;
        if (this.error || this.state.busy) {
            return;
        }
        this.state.busy = true;
        try {
            await this.props.confirm(this.state.reason.trim());
        } finally {
            // A refused call leaves nothing to retry here: the screen behind was reloaded
            // and Odoo's error dialog says why.
            this.props.close();
        }
    }
}
