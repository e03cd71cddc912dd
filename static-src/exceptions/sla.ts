import { _t } from "@web/core/l10n/translation";
import type { SlaStatus } from "@distribution_governance/types/exceptions";

const SECOND = 1000;
const MINUTE = 60 * SECOND;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

const SERVER_DATETIME = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2}):(\d{2})/;

/** Milliseconds since the epoch of an Odoo datetime string (always UTC), or null. */
export function parseServerDatetime(value: string | false | null | undefined): number | null {
    const match = value ? SERVER_DATETIME.exec(value) : null;
    if (!match) {
        return null;
    }
    const [year, month, day, hour, minute, second] = match.slice(1).map(Number) as [
        number,
        number,
        number,
        number,
        number,
        number,
    ];
    const ms = Date.UTC(year, month - 1, day, hour, minute, second);
    return Number.isNaN(ms) ? null : ms;
}

/**
 * How far the server's clock is ahead of this browser's (ms), from the `server_now` of an
 * answer received at `clientNowMs`. Countdowns add it to the client clock, so a laptop that is
 * ten minutes off still shows the SLA the server will enforce.
 */
export function clockSkew(serverNow: string | false | undefined, clientNowMs: number): number {
    const server = parseServerDatetime(serverNow);
    return server === null ? 0 : server - clientNowMs;
}

function pad2(value: number): string {
    return String(value).padStart(2, "0");
}

/**
 * A compact duration: "1d 04h", "2h 05m", "42m", "35s" (two units down to minutes), or with
 * `coarse` only the largest unit ("3h", "2d") — enough for how long something is overdue.
 */
export function formatDuration(ms: number, coarse = false): string {
    const abs = Math.abs(ms);
    const days = Math.floor(abs / DAY);
    const hours = Math.floor((abs % DAY) / HOUR);
    const minutes = Math.floor((abs % HOUR) / MINUTE);
    const seconds = Math.floor((abs % MINUTE) / SECOND);
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

export interface SlaCountdown {
    /** Deadline minus the (skew-corrected) now; negative once overdue. */
    remainingMs: number;
    overdue: boolean;
    status: SlaStatus;
    label: string;
    /** Bootstrap text class of the status. */
    cssClass: string;
}

export interface SlaInput {
    deadline: string | false;
    /** Start of the "at risk" window; without it the server's status is trusted for it. */
    warningAt?: string | false;
    /** sla_status as the server computed it when it answered. */
    serverStatus?: SlaStatus;
}

const STATUS_CLASS: Record<SlaStatus, string> = {
    on_track: "text-success",
    at_risk: "text-warning",
    breached: "text-danger fw-bold",
};

/** The live SLA of an open exception at `nowMs` (client clock) corrected by `skewMs`. */
export function slaCountdown(input: SlaInput, nowMs: number, skewMs = 0): SlaCountdown | null {
    const deadline = parseServerDatetime(input.deadline);
    if (deadline === null) {
        return null;
    }
    const now = nowMs + skewMs;
    const remainingMs = deadline - now;
    const overdue = remainingMs < 0;
    let status: SlaStatus;
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
    const label = overdue
        ? _t("overdue %s", formatDuration(remainingMs, true))
        : formatDuration(remainingMs);
    return { remainingMs, overdue, status, label, cssClass: STATUS_CLASS[status] };
}
