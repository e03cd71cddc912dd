import { useEnv, useState } from "@odoo/owl";
import { useService } from "@web/core/utils/hooks";
import {
    DecisionDialog,
    type DecisionDialogProps,
} from "@distribution_governance/approvals/decision_dialog/decision_dialog";
import { APPROVAL_MODEL, APPROVALS_CHANGED } from "@distribution_governance/approvals/panel_logic";
import type { ApprovalRow, DecisionKind } from "@distribution_governance/types/approvals";
import type { DgEnv } from "@distribution_governance/types/services";
import {
    runServerAction,
    type ServerActionHooks,
} from "@distribution_governance/core/server_action";

export interface DecisionParams extends ServerActionHooks {
    /**
     * Before the decision is sent (e.g. save the form's pending edits, as Odoo's buttons do);
     * false cancels it.
     */
    beforeDecide?: () => Promise<boolean>;
}

export interface ApprovalDecisions {
    readonly state: { busy: boolean };
    /** Opens the reason dialog; the request is decided when the user confirms it. */
    open(kind: DecisionKind, row: Pick<ApprovalRow, "id" | "document">, summary?: string): void;
    /** Sends one decision (what the dialog calls). */
    decide(kind: DecisionKind, id: number, reason: string): Promise<void>;
}

/**
 * Approve / Reject as the credit panel and the inbox share them: one RPC per decision, then a
 * reload. A refused decision (AccessError, UserError) reloads too, then is re-thrown so Odoo's
 * error dialog shows the server's message.
 */
export function useApprovalDecisions(params: DecisionParams): ApprovalDecisions {
    const orm = useService("orm");
    const dialog = useService("dialog");
    const env = useEnv<DgEnv>();
    const state = useState({ busy: false });

    async function decide(kind: DecisionKind, id: number, reason: string): Promise<void> {
        if (state.busy) {
            return;
        }
        const method = kind === "approve" ? "action_approve" : "action_reject";
        await runServerAction(
            state,
            () => orm.call(APPROVAL_MODEL, method, [[id], reason]),
            params,
            () => env.bus.trigger(APPROVALS_CHANGED, { id, kind }),
            params.beforeDecide,
        );
    }

    return {
        state,
        decide,
        open(kind, row, summary) {
            const props: Omit<DecisionDialogProps, "close"> = {
                kind,
                document: row.document,
                confirm: (reason) => decide(kind, row.id, reason),
            };
            if (summary) {
                props.summary = summary;
            }
            dialog.add<DecisionDialogProps>(DecisionDialog, props);
        },
    };
}
