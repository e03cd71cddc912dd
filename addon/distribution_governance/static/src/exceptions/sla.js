/** @odoo-module */
import { _t } from "@web/core/l10n/translation";
const SECOND = 1e3;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;
const SERVER_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/;
function parseServerDatetime(value) {
  const match = value ? SERVER_DATETIME.exec(value) : null;
  if (!match) {
    return null;
  }
  const [year, month, day, hour, minute, second] = match.slice(1).map(Number);
  const ms = Date.UTC(year, month - 1, day, hour, minute, second);
  return Number.isNaN(ms) ? null : ms;
}
function clockSkew(serverNow, clientNowMs) {
  const server = parseServerDatetime(serverNow);
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
  const seconds = Math.floor(abs % MINUTE / SECOND);
  if (days) {
    return coarse ? `${days}d` : `${days}d ${pad2(hours)}h`;
  }
  if (hours) {
    return coarse ? `${hours}h` : `${hours}h ${pad2(minutes)}m`;
  }
  if (minutes) {
    return `${minutes}m`;
  }
  return `${seconds}s`;
}
const STATUS_CLASS = {
  on_track: "text-success",
  at_risk: "text-warning",
  breached: "text-danger fw-bold"
};
function slaCountdown(input, nowMs, skewMs = 0) {
  const deadline = parseServerDatetime(input.deadline);
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
    const warningAt = parseServerDatetime(input.warningAt);
    if (warningAt !== null) {
      status = now >= warningAt ? "at_risk" : "on_track";
    } else {
      status = input.serverStatus === "at_risk" ? "at_risk" : "on_track";
    }
  }
  const label = overdue ? _t("overdue %s", formatDuration(remainingMs, true)) : formatDuration(remainingMs);
  return { remainingMs, overdue, status, label, cssClass: STATUS_CLASS[status] };
}
export {
  clockSkew,
  formatDuration,
  parseServerDatetime,
  slaCountdown
};
