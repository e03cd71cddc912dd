import { Component, useState } from "@odoo/owl";
import { Dialog } from "@web/core/dialog/dialog";
import { _t } from "@web/core/l10n/translation";
import { resolveFormError } from "@distribution_governance/exceptions/guards";
import type { ExceptionRow, ResolutionCode } from "@distribution_governance/types/exceptions";

export interface ResolveDialogProps {
    exception: Pick<ExceptionRow, "id" | "name" | "type" | "description" | "resolutions">;
    /** Resolves on the server; a rejection keeps the dialog open (the error is shown by Odoo). */
    resolve: (resolutionId: number, note: string) => Promise<void>;
    /** Given by the dialog service. */
    close: () => void;
}

interface ResolveDialogState {
    resolutionId: number | null;
    note: string;
    busy: boolean;
    /** Validation messages appear once the user tried to confirm. */
    submitted: boolean;
}

/** Pick a resolution code of the exception's type and write a note (required by some codes). */
export class ResolveDialog extends Component<ResolveDialogProps> {
    static template = "distribution_governance.ResolveDialog";
    static components = { Dialog };
    static props = {
        // A whole board/panel row: OWL would reject its extra keys in a `shape`.
        exception: Object,
        resolve: Function,
        close: Function,
    };

    state!: ResolveDialogState;

    setup(): void {
        const only = this.props.exception.resolutions.length === 1;
        this.state = useState<ResolveDialogState>({
            resolutionId: only ? this.props.exception.resolutions[0]!.id : null,
            note: "",
            busy: false,
            submitted: false,
        });
    }

    get title(): string {
        return _t("Resolve %s", this.props.exception.name);
    }

    get selected(): ResolutionCode | undefined {
        return this.props.exception.resolutions.find((r) => r.id === this.state.resolutionId);
    }

    get formError(): string | null {
        return resolveFormError(
            this.props.exception.resolutions,
            this.state.resolutionId,
            this.state.note,
        );
    }

    choose(resolution: ResolutionCode): void {
        this.state.resolutionId = resolution.id;
    }

    async confirm(): Promise<void> {
        this.state.submitted = true;
        if (this.formError || this.state.busy || this.state.resolutionId === null) {
            return;
        }
        this.state.busy = true;
        try {
            await this.props.resolve(this.state.resolutionId, this.state.note.trim());
        } finally {
            this.state.busy = false;
        }
        this.props.close();
    }
}
