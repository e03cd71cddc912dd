/** @odoo-module */
import { onMounted, onWillUnmount, useState } from "@odoo/owl";
function useTicker(intervalMs) {
  const ticker = useState({ now: Date.now() });
  let timer;
  onMounted(() => {
    ticker.now = Date.now();
    timer = setInterval(() => {
      ticker.now = Date.now();
    }, intervalMs);
  });
  onWillUnmount(() => clearInterval(timer));
  return ticker;
}
export {
  useTicker
};
