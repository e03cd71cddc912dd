import { useEnv, useState } from "@odoo/owl";
import { useService } from "@web/core/utils/hooks";
import type { ActWindowAction, DgEnv, ServerAction } from "@distribution_governance/types/services";
import type { ServerActionHooks } from "@distribution_governance/core/server_action";
import type { TriagePart } from "@distribution_governance/types/triage";

export const EXCEPTION_MODEL = "distribution.exception";
/** Triggered on env.bus after any exception changed through the addon's own widgets. */
export const EXCEPTIONS_CHANGED = "DISTRIBUTION_GOVERNANCE:EXCEPTIONS-CHANGED";
/** The exceptions to triage (kanban, list, ...): a window action with the search view. */
export const TRIAGE_ACTION = "distribution_governance.action_exception_board";

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

export interface ExceptionActions {
    readonly state: { busy: boolean };
    takeOwnership(id: number): Promise<void>;
    /** Opens the server's resolve wizard (or shows why the exception cannot be resolved). */
    resolve(id: number): Promise<void>;
    open(id: number): Promise<void>;
    /** Applies a part of the triage suggestion (the playbook opens the resolve wizard with it). */
    applyTriage(id: number, part: TriagePart): Promise<void>;
    /** Opens the mail composer with the customer notice (nothing is sent before Send). */
    notifyCustomer(id: number): Promise<void>;
}

/**
 * The exception's own actions, as its form buttons run them: the server applies its rules and
 * answers with what to show — a notification of what it did, or the resolve wizard — which
 * runs through the action service; the screen reloads when that closes. A refusal reloads too
 * (someone else may have acted) and is re-thrown, for Odoo's error dialog.
 */
export function useExceptionActions(hooks: ServerActionHooks): ExceptionActions {
    const orm = useService("orm");
    const action = useService("action");
    const env = useEnv<DgEnv>();
    const state = useState({ busy: false });

    async function changed(): Promise<void> {
        env.bus.trigger(EXCEPTIONS_CHANGED);
        await hooks.afterChange();
    }

    async function run(method: string, id: number, ...args: unknown[]): Promise<void> {
        state.busy = true;
        let result: ServerAction | boolean;
        try {
            result = await orm.call<ServerAction | boolean>(EXCEPTION_MODEL, method, [
                [id],
                ...args,
            ]);
        } catch (error) {
            state.busy = false;
            try {
                await hooks.afterFailure();
            } catch {
                // the original error is the one worth showing
            }
            throw error;
        } finally {
            state.busy = false;
        }
        if (result && typeof result === "object") {
            await action.doAction(result, { onClose: changed });
        } else {
            await changed();
        }
    }

    return {
        state,
        takeOwnership: (id) => run("action_take_ownership", id),
        resolve: (id) => run("action_open_resolve_wizard", id),
        open: (id) => action.doAction(exceptionFormAction(id)),
        applyTriage: (id, part) => run("action_apply_triage", id, part),
        notifyCustomer: (id) => run("action_notify_customer", id),
    };
}
