import { onMounted, onWillUnmount, reactive, useState } from "@odoo/owl";

/** How often live countdowns move: they show minutes, so a tick every 15 s is plenty. */
export const CLOCK_TICK_MS = 15_000;

export interface Clock {
    /** Date.now() of the last tick; reading it in a template re-renders the component each tick. */
    readonly now: number;
}

// One timer for every countdown on the screen (a list of 80 SLAs is one interval, not 80).
const shared = reactive({ now: Date.now() });
let subscribers = 0;
let timer: ReturnType<typeof setInterval> | undefined;

function tick(): void {
    shared.now = Date.now();
}

/** The shared clock, ticking while at least one mounted component uses it. */
export function useClock(): Clock {
    const clock = useState(shared);
    onMounted(() => {
        if (subscribers++ === 0) {
            tick();
            timer = setInterval(tick, CLOCK_TICK_MS);
        }
    });
    onWillUnmount(() => {
        if (--subscribers === 0) {
            clearInterval(timer);
            timer = undefined;
        }
    });
    return clock;
}

/** For tests: move the shared clock by hand. */
export function setClockNow(now: number): void {
    shared.now = now;
}
