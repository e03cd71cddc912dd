import { _t } from "@web/core/l10n/translation";
import { deserializeDateTime, type DateTime } from "@web/core/l10n/dates";
import type { SlaStatus } from "@distribution_governance/types/exceptions";

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

/** A moment as the addon meets it: a luxon DateTime (a field's value), a server string. */
export type Moment = DateTime | string | false | null | undefined;

/** Milliseconds since the epoch of a moment, or null (empty or invalid). */
export function toMillis(value: Moment): number | null {
    if (!value) {
        return null;
    }
    const moment = typeof value === "string" ? deserializeDateTime(value) : value;
    return moment.isValid ? moment.toMillis() : null;
}

/**
 * How far the server's clock is ahead of this browser's (ms), from the `server_now` of an
 * answer received at `clientNowMs`. Countdowns add it to the client clock, so a laptop that is
 * ten minutes off still shows the SLA the server will enforce.
 */
export function clockSkew(serverNow: string | false | undefined, clientNowMs: number): number {
    const server = toMillis(serverNow);
    return server === null ? 0 : server - clientNowMs;
}

function pad2(value: number): string {
    return String(value).padStart(2, "0");
}

/**
 * A compact duration: "1d 04h", "2h 05m", "42m", "<1m" (two units down to minutes), or with
 * `coarse` only the largest unit ("3h", "2d") — enough for how long something is overdue.
 */
export function formatDuration(ms: number, coarse = false): string {
    const abs = Math.abs(ms);
    const days = Math.floor(abs / DAY);
    const hours = Math.floor((abs % DAY) / HOUR);
    const minutes = Math.floor((abs % HOUR) / MINUTE);
    if (days) {
        return coarse ? `${days}d` : `${days}d ${pad2(hours)}h`;
    }
    if (hours) {
        return coarse ? `${hours}h` : `${hours}h ${pad2(minutes)}m`;
    }
    return minutes ? `${minutes}m` : "<1m";
}

export interface SlaCountdown {
    /** Deadline minus the (skew-corrected) now; negative once overdue. */
    remainingMs: number;
    overdue: boolean;
    status: SlaStatus;
    label: string;
    /** Bootstrap text class of the status (Odoo's theme colours). */
    cssClass: string;
}

export interface SlaInput {
    deadline: Moment;
    /** Start of the "at risk" window; without it the server's status is trusted for it. */
    warningAt?: Moment;
    /** sla_status as the server computed it when it answered. */
    serverStatus?: SlaStatus | false;
}

export const SLA_STATUS_CLASS: Record<SlaStatus, string> = {
    on_track: "text-success",
    at_risk: "text-warning",
    breached: "text-danger fw-bold",
};

/** The live SLA of an open exception at `nowMs` (client clock) corrected by `skewMs`. */
export function slaCountdown(input: SlaInput, nowMs: number, skewMs = 0): SlaCountdown | null {
    const deadline = toMillis(input.deadline);
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
        const warningAt = toMillis(input.warningAt);
        if (warningAt !== null) {
            status = now >= warningAt ? "at_risk" : "on_track";
        } else {
            status = input.serverStatus === "at_risk" ? "at_risk" : "on_track";
        }
    }
    const label = overdue
        ? _t("overdue %s", formatDuration(remainingMs, true))
        : formatDuration(remainingMs);
    return { remainingMs, overdue, status, label, cssClass: SLA_STATUS_CLASS[status] };
}
