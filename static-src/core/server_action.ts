/** What a screen does around one server action of the addon's panels and lists. */
export interface ServerActionHooks {
    /** After the action went through: reload what the screen shows. */
    afterChange: () => Promise<void>;
    /** After a refused action: the data may be stale (someone else acted), reload it too. */
    afterFailure: () => Promise<void>;
}

/**
 * Runs one server action with `state.busy` set while it runs. `before` (e.g. saving the form's
 * pending edits) may cancel it by answering false. On success `onSuccess` (e.g. a bus event)
 * then `afterChange`; on failure `afterFailure`, then the original error is re-thrown so
 * Odoo's error dialog shows the server's message.
 */
export async function runServerAction(
    state: { busy: boolean },
    call: () => Promise<unknown>,
    hooks: ServerActionHooks,
    onSuccess: () => void,
    before?: () => Promise<boolean>,
): Promise<void> {
    state.busy = true;
    try {
        if (before && !(await before())) {
            state.busy = false;
            return;
        }
        await call();
    } catch (error) {
        state.busy = false;
        try {
            await hooks.afterFailure();
        } catch {
            // the original error is the one worth showing
        }
        throw error;
    }
    state.busy = false;
    onSuccess();
    await hooks.afterChange();
}
