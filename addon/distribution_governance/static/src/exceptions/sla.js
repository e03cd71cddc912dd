/** @odoo-module */
import { _t } from "@web/core/l10n/translation";
import { deserializeDateTime } from "@web/core/l10n/dates";
const MINUTE = 6e4;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
function toMillis(value) {
  if (!value) {
    return null;
  }
  const moment = typeof value === "string" ? deserializeDateTime(value) : value;
  return moment.isValid ? moment.toMillis() : null;
}
function clockSkew(serverNow, clientNowMs) {
  const server = toMillis(serverNow);
  return server === null ? 0 : server - clientNowMs;
}
function pad2(value) {
  return String(value).padStart(2, "0");
}
function formatDuration(ms, coarse = false) {
  const abs = Math.abs(ms);
  const days = Math.floor(abs / DAY);
  const hours = Math.floor(abs % DAY / HOUR);
  const minutes = Math.floor(abs % HOUR / MINUTE);
  if (days) {
    return coarse ? `${days}d` : `${days}d ${pad2(hours)}h`;
  }
  if (hours) {
    return coarse ? `${hours}h` : `${hours}h ${pad2(minutes)}m`;
  }
  return minutes ? `${minutes}m` : "<1m";
}
const SLA_STATUS_CLASS = {
  on_track: "text-success",
  at_risk: "text-warning",
  breached: "text-danger fw-bold"
};
function slaCountdown(input, nowMs, skewMs = 0) {
  const deadline = toMillis(input.deadline);
  if (deadline === null) {
    return null;
  }
  const now = nowMs + skewMs;
  const remainingMs = deadline - now;
  const overdue = remainingMs < 0;
  let status;
  if (overdue) {
    status = "breached";
  } else {
    const warningAt = toMillis(input.warningAt);
    if (warningAt !== null) {
      status = now >= warningAt ? "at_risk" : "on_track";
    } else {
      status = input.serverStatus === "at_risk" ? "at_risk" : "on_track";
    }
  }
  const label = overdue ? _t("overdue %s", formatDuration(remainingMs, true)) : formatDuration(remainingMs);
  return { remainingMs, overdue, status, label, cssClass: SLA_STATUS_CLASS[status] };
}
export {
  SLA_STATUS_CLASS,
  clockSkew,
  formatDuration,
  slaCountdown,
  toMillis
};
