// Fake of `@web/core/l10n/dates`: server strings kept as UTC, formatted "MM/DD/YYYY[ HH:MM:SS]"
// (Odoo's en_US formats) so tests read stable text whatever the machine's time zone.
export interface DateTime {
    isValid: boolean;
    iso: string;
    withTime: boolean;
    toMillis(): number;
}

function make(value: string, isValid: boolean, withTime: boolean): DateTime {
    return {
        isValid,
        iso: value,
        withTime,
        // the server's strings are UTC
        toMillis: () => (isValid ? Date.parse(value.replace(" ", "T") + "Z") : NaN),
    };
}

export function deserializeDate(value: string): DateTime {
    return make(value, /^\d{4}-\d{2}-\d{2}$/.test(value), false);
}

export function serializeDate(value: DateTime): string {
    return value.iso.slice(0, 10);
}

export function deserializeDateTime(value: string): DateTime {
    return make(value, /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(value), true);
}

function format(value: DateTime | false, withTime: boolean): string {
    if (!value || !value.isValid) {
        return "";
    }
    const [date, time] = value.iso.split(" ");
    const [y, m, d] = date!.split("-");
    return `${m}/${d}/${y}` + (withTime && time ? ` ${time}` : "");
}

export function formatDate(value: DateTime | false): string {
    return format(value, false);
}

export function formatDateTime(value: DateTime | false): string {
    return format(value, true);
}
