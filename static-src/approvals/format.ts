import { formatCurrency } from "@web/core/currency";
import {
    deserializeDate,
    deserializeDateTime,
    formatDate,
    formatDateTime,
} from "@web/core/l10n/dates";

/** Formats amounts of one currency (by id) the way Odoo's monetary fields show them. */
export function moneyFormatter(currencyId: number | false | undefined): (value: number) => string {
    return (value) => formatCurrency(Number.isFinite(value) ? value : 0, currencyId);
}

/** A server datetime (UTC "YYYY-MM-DD HH:MM:SS") in the user's time zone and date format. */
export function formatServerDateTime(value: string | false | null | undefined): string {
    return value ? formatDateTime(deserializeDateTime(value)) : "";
}

/** A server date ("YYYY-MM-DD") in the user's date format. */
export function formatServerDate(value: string | false | null | undefined): string {
    return value ? formatDate(deserializeDate(value)) : "";
}
