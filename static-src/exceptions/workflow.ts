import { useEnv, useState } from "@odoo/owl";
import { useService } from "@web/core/utils/hooks";
import {
    ResolveDialog,
    type ResolveDialogProps,
} from "@distribution_governance/exceptions/resolve_dialog/resolve_dialog";
import type { ActWindowAction, DgEnv } from "@distribution_governance/types/services";
import type { ExceptionRow } from "@distribution_governance/types/exceptions";
import {
    runServerAction,
    type ServerActionHooks,
} from "@distribution_governance/core/server_action";

export const EXCEPTION_MODEL = "distribution.exception";
/** Triggered on env.bus after any exception changed through the addon's UI. */
export const EXCEPTIONS_CHANGED = "DISTRIBUTION_GOVERNANCE:EXCEPTIONS-CHANGED";

/** The standard form of one exception. */
export function exceptionFormAction(id: number): ActWindowAction {
    return {
        type: "ir.actions.act_window",
        res_model: EXCEPTION_MODEL,
        res_id: id,
        views: [[false, "form"]],
        target: "current",
    };
}

export type WorkflowParams = ServerActionHooks;

export interface ExceptionWorkflow {
    readonly state: { busy: boolean };
    takeOwnership(row: Pick<ExceptionRow, "id">): Promise<void>;
    /** Opens the resolve dialog; the exception is resolved when the user confirms it. */
    resolve(row: ResolveDialogProps["exception"]): void;
    assign(ids: readonly number[], userId: number): Promise<void>;
    open(row: Pick<ExceptionRow, "id">): Promise<void>;
}

/**
 * The exception actions the panel and the board share: one RPC per action, then a reload.
 * Errors are re-thrown so Odoo shows them the usual way, after the screen was reloaded.
 */
export function useExceptionWorkflow(params: WorkflowParams): ExceptionWorkflow {
    const orm = useService("orm");
    const dialog = useService("dialog");
    const action = useService("action");
    const env = useEnv<DgEnv>();
    const state = useState({ busy: false });

    function run(call: () => Promise<unknown>): Promise<void> {
        return runServerAction(state, call, params, () => env.bus.trigger(EXCEPTIONS_CHANGED));
    }

    return {
        state,
        takeOwnership: (row) =>
            run(() => orm.call(EXCEPTION_MODEL, "action_take_ownership", [[row.id]])),
        resolve(row) {
            dialog.add<ResolveDialogProps>(ResolveDialog, {
                exception: row,
                resolve: (resolutionId, note) =>
                    run(() =>
                        orm.call(EXCEPTION_MODEL, "action_resolve", [[row.id], resolutionId, note]),
                    ),
            });
        },
        assign: (ids, userId) =>
            run(() => orm.call(EXCEPTION_MODEL, "action_assign", [[...ids], userId])),
        open: (row) => action.doAction(exceptionFormAction(row.id)),
    };
}
