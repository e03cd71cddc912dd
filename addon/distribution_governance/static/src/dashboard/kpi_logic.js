/** @odoo-module */
function unitLabels(_t) {
  return {
    "%": "%",
    h: _t("h"),
    count: "",
    "units/day": _t("units/day"),
    "lines/day": _t("lines/day"),
    "transfers/day": _t("transfers/day"),
    amount: "",
    pp: _t("pp")
  };
}
function periodOptions(_t) {
  return [
    { value: "today", label: _t("Today") },
    { value: "yesterday", label: _t("Yesterday") },
    { value: "last_7_days", label: _t("Last 7 days") },
    { value: "last_28_days", label: _t("Last 28 days") },
    { value: "this_month", label: _t("This month") },
    { value: "last_month", label: _t("Last month") },
    { value: "custom", label: _t("Custom") }
  ];
}
const DECIMALS = {
  "%": 1,
  h: 1,
  count: 0,
  "units/day": 1,
  "lines/day": 1,
  "transfers/day": 1,
  amount: 0
};
function round(value, decimals) {
  const factor = 10 ** decimals;
  return Math.round(value * factor) / factor + 0;
}
function formatNumber(value, decimals, locale, signed = false) {
  return new Intl.NumberFormat(locale, {
    minimumFractionDigits: decimals,
    maximumFractionDigits: decimals,
    signDisplay: signed ? "exceptZero" : "auto"
  }).format(value);
}
function withSuffix(text, suffix) {
  if (!suffix) {
    return text;
  }
  return suffix === "%" ? text + suffix : `${text}\xA0${suffix}`;
}
function formatKpiValue(value, unit, labels, locale) {
  if (value === null || !Number.isFinite(value)) {
    return "\u2013";
  }
  return withSuffix(formatNumber(value, DECIMALS[unit], locale), labels[unit]);
}
function kpiDelta(value, reference, unit, direction, labels, locale) {
  if (value === null || reference === null) {
    return null;
  }
  const decimals = DECIMALS[unit];
  const diff = round(value - reference, decimals);
  const percent = unit === "%" || reference === 0 ? null : round((value - reference) / Math.abs(reference) * 100, 1);
  const tone = diff === 0 ? "neutral" : diff > 0 === (direction === "higher") ? "good" : "bad";
  let text = withSuffix(
    formatNumber(diff, decimals, locale, true),
    unit === "%" ? labels.pp : labels[unit]
  );
  if (percent !== null && diff !== 0) {
    text += ` (${formatNumber(percent, 0, locale, true)}%)`;
  }
  return { diff, percent, tone, arrow: diff > 0 ? "up" : diff < 0 ? "down" : "flat", text };
}
const RAG_COLOURS = { green: "success", amber: "warning", red: "danger" };
function ragClass(rag, kind = "badge") {
  if (!rag) {
    return "";
  }
  const prefix = { badge: "text-bg-", border: "border-", text: "text-" }[kind];
  return prefix + RAG_COLOURS[rag];
}
function sparkline(series, width, height, pad = 2) {
  const values = series.map((p) => p.value);
  const known = values.filter((v) => v !== null);
  const min = Math.min(...known);
  const max = Math.max(...known);
  const n = values.length;
  const x = (i) => round(n === 1 ? width / 2 : pad + i * (width - 2 * pad) / (n - 1), 1);
  const y = (v) => round(max === min ? height / 2 : pad + (max - v) * (height - 2 * pad) / (max - min), 1);
  const points = values.flatMap((v, i) => v === null ? [] : [{ x: x(i), y: y(v) }]);
  const gaps = points.length < values.length;
  return {
    lines: points.length > 1 ? [points.map((p) => `${p.x},${p.y}`).join(" ")] : [],
    dots: points.length === 1 || gaps ? points : []
  };
}
function trendChartData(card, targetLabel, formatDate = (iso) => iso) {
  const datasets = [
    {
      label: card.label,
      data: card.series.map((p) => p.value),
      borderColor: "#017e84",
      backgroundColor: "rgba(1, 126, 132, 0.15)",
      spanGaps: true
    }
  ];
  const target = card.target;
  if (target) {
    datasets.push({
      label: targetLabel,
      data: card.series.map(() => target.green),
      borderColor: "#198754",
      backgroundColor: "#198754",
      borderDash: [6, 4],
      pointRadius: 0,
      spanGaps: true
    });
  }
  return { labels: card.series.map((p) => formatDate(p.date)), datasets };
}
function narrowDomain(domain, narrower) {
  return [...domain, ...narrower];
}
function kpiFacet(drill) {
  let text = drill.label;
  if (drill.flag) {
    text += `: ${drill.flag}`;
  }
  return drill.scope ? `${text} \xB7 ${drill.scope}` : text;
}
function kpiDrillDown(drill) {
  const facet = kpiFacet(drill);
  const action = {
    type: "ir.actions.act_window",
    name: facet,
    res_model: drill.model,
    views: [
      [drill.listViewId, "list"],
      [false, "form"]
    ],
    target: "current",
    // Odoo's views hide *New* when the action's context says create: false
    context: { create: false }
  };
  return {
    action,
    options: { props: { dynamicFilters: [{ description: facet, domain: drill.domain }] } }
  };
}
function hypercarePhase(h) {
  const percent = Math.min(100, Math.max(0, round(h.day / h.window_days * 100, 0)));
  if (h.day <= 0) {
    return { phase: "before", days: 1 - h.day, percent: 0 };
  }
  if (h.day > h.window_days) {
    return { phase: "after", days: h.day - h.window_days, percent: 100 };
  }
  return { phase: "during", days: h.day, percent };
}
export {
  formatKpiValue,
  hypercarePhase,
  kpiDelta,
  kpiDrillDown,
  kpiFacet,
  narrowDomain,
  periodOptions,
  ragClass,
  sparkline,
  trendChartData,
  unitLabels
};
