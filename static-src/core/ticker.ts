import { onMounted, onWillUnmount, useState } from "@odoo/owl";

export interface Ticker {
    /** Date.now() of the last tick; reading it in a template re-renders the component each tick. */
    now: number;
}

/** A clock that ticks every `intervalMs` while the component is mounted (live countdowns). */
export function useTicker(intervalMs: number): Ticker {
    const ticker = useState<Ticker>({ now: Date.now() });
    let timer: ReturnType<typeof setInterval> | undefined;
    onMounted(() => {
        ticker.now = Date.now();
        timer = setInterval(() => {
            ticker.now = Date.now();
        }, intervalMs);
    });
    onWillUnmount(() => clearInterval(timer));
    return ticker;
}
