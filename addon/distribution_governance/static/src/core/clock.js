/** @odoo-module */
import { onMounted, onWillUnmount, reactive, useState } from "@odoo/owl";
const CLOCK_TICK_MS = 15e3;
const shared = reactive({ now: Date.now() });
let subscribers = 0;
let timer;
function tick() {
  shared.now = Date.now();
}
function useClock() {
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
      timer = void 0;
    }
  });
  return clock;
}
function setClockNow(now) {
  shared.now = now;
}
export {
  CLOCK_TICK_MS,
  setClockNow,
  useClock
};
