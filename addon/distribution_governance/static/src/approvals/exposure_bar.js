/** @odoo-module */
const SEGMENT_KEYS = ["receivables", "uninvoiced", "this_order"];
const AMOUNT_EPSILON = 5e-3;
function amount(value) {
  return typeof value === "number" && Number.isFinite(value) ? value : 0;
}
function percent(value, scale) {
  return Math.round(value / scale * 1e5) / 1e3;
}
function computeExposureBar(exposure) {
  const values = SEGMENT_KEYS.map((key) => ({ key, value: amount(exposure[key]) }));
  const credit = values.reduce((sum, s) => sum + (s.value < 0 ? -s.value : 0), 0);
  const firstNegative = values.findIndex((s) => s.value < 0);
  const order = firstNegative < 0 ? [] : [...values.slice(firstNegative + 1), ...values.slice(0, firstNegative).reverse()];
  const drawn = new Map(
    values.map((s) => [s.key, Math.max(s.value, 0)])
  );
  let toOffset = credit;
  for (const s of order) {
    const value = drawn.get(s.key) ?? 0;
    const used = Math.min(value, toOffset);
    drawn.set(s.key, value - used);
    toOffset -= used;
  }
  const net = SEGMENT_KEYS.reduce((sum, key) => sum + (drawn.get(key) ?? 0), 0);
  const limit = amount(exposure.limit);
  const hasLimit = Boolean(exposure.credit_control) && limit > 0;
  const total = amount(exposure.total);
  const over = hasLimit && total - limit > AMOUNT_EPSILON;
  const result = {
    pieces: [],
    hasLimit,
    limitAt: null,
    over,
    overAmount: over ? total - limit : 0,
    available: hasLimit && !over ? Math.max(limit - total, 0) : 0,
    usedPercent: hasLimit ? Math.max(Math.round(total / limit * 100), 0) : null,
    credit,
    empty: net <= AMOUNT_EPSILON
  };
  const scale = hasLimit ? Math.max(limit, net) : net;
  if (scale <= AMOUNT_EPSILON) {
    return result;
  }
  result.limitAt = hasLimit ? percent(limit, scale) : null;
  const cut = hasLimit ? limit : Infinity;
  let start = 0;
  for (const key of SEGMENT_KEYS) {
    const value = drawn.get(key) ?? 0;
    if (value <= 0) {
      continue;
    }
    const end = start + value;
    const under = Math.min(end, cut) - start;
    if (under > 0) {
      result.pieces.push({
        key,
        amount: under,
        left: percent(start, scale),
        width: percent(under, scale),
        over: false
      });
    }
    const beyond = end - Math.max(start, cut);
    if (beyond > AMOUNT_EPSILON) {
      const from = Math.max(start, cut);
      result.pieces.push({
        key,
        amount: beyond,
        left: percent(from, scale),
        width: percent(beyond, scale),
        over: true
      });
    }
    start = end;
  }
  return result;
}
export {
  AMOUNT_EPSILON,
  SEGMENT_KEYS,
  computeExposureBar
};
