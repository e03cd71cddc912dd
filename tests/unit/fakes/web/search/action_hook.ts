// Fake of `@web/search/action_hook`: records the last local-state getter so tests can read what
// a client action would hand back to the action service.
export const setupActionCalls: { getLocalState?: () => Record<string, unknown> }[] = [];

export function useSetupAction(params: {
    getLocalState?: () => Record<string, unknown>;
    beforeLeave?: () => void | Promise<unknown>;
}): void {
    setupActionCalls.push(params);
}
