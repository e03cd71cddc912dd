import { useEnv, useState } from "@odoo/owl";
import { useService } from "@web/core/utils/hooks";
import {
    DecisionDialog,
    type DecisionDialogProps,
} from "@distribution_governance/approvals/decision_dialog/decision_dialog";
import {
    APPROVAL_MODEL,
    APPROVALS_CHANGED,
    isClientAction,
    type ReasonKind,
} from "@distribution_governance/approvals/panel_logic";
import type { DecisionNotificationAction } from "@distribution_governance/types/approvals";
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
    /**
     * Opens the reason dialog (a decision's reason, or the requester's justification); the
     * request is decided (justified) when the user confirms it.
     */
    open(kind: ReasonKind, row: { id: number; document: string }, summary?: string): void;
    /** Sends one decision or justification (what the dialog calls). */
    decide(kind: ReasonKind, id: number, reason: string): Promise<void>;
}

const METHODS: Record<ReasonKind, string> = {
    approve: "action_approve",
    reject: "action_reject",
    justify: "action_justify",
};

/**
 * Approve / Reject (and the requester's justification) from the credit panel: one RPC, then
 * the action the server returns (its notification of what happened, then a soft reload) through
 * the action service, then a reload. A refused call (AccessError,
 * UserError) reloads too, then is re-thrown so Odoo's error dialog shows the server's message.
 */
export function useApprovalDecisions(params: DecisionParams): ApprovalDecisions {
    const orm = useService("orm");
    const dialog = useService("dialog");
    const action = useService("action");
    const env = useEnv<DgEnv>();
    const state = useState({ busy: false });

    async function send(kind: ReasonKind, id: number, reason: string): Promise<void> {
        const result = await orm.call<DecisionNotificationAction | boolean>(
            APPROVAL_MODEL,
            METHODS[kind],
            [[id], reason],
        );
        if (isClientAction(result)) {
            await action.doAction(result);
        }
    }

    async function decide(kind: ReasonKind, id: number, reason: string): Promise<void> {
        if (state.busy) {
            return;
        }
        await runServerAction(
            state,
            () => send(kind, id, reason),
            params,
            () => {
                // a justification changes nobody's count of requests to decide
                if (kind !== "justify") {
                    env.bus.trigger(APPROVALS_CHANGED, { id, kind });
                }
            },
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
