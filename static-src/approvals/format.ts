import { currencies } from "@web/core/currency";
import {
    deserializeDate,
    deserializeDateTime,
    formatDate,
    formatDateTime,
} from "@web/core/l10n/dates";
import { formatFloat } from "@web/core/utils/numbers";
import { formatMoney, moneyFormatFor } from "@distribution_governance/approvals/exposure_bar";

/** Formats amounts of one currency the way Odoo's monetary fields show them to this user. */
export function moneyFormatter(
    currencyId: number | false | undefined,
    symbol: string,
): (value: number) => string {
    const money = moneyFormatFor(currencies, currencyId, symbol);
    const formatNumber = (value: number, digits: number) =>
        formatFloat(value, { digits: [69, digits] });
    return (value) => formatMoney(value, money, formatNumber);
}

/** A server datetime (UTC "YYYY-MM-DD HH:MM:SS") in the user's time zone and date format. */
export function formatServerDateTime(value: string | false | null | undefined): string {
    return value ? formatDateTime(deserializeDateTime(value)) : "";
}

/** A server date ("YYYY-MM-DD") in the user's date format. */
export function formatServerDate(value: string | false | null | undefined): string {
    return value ? formatDate(deserializeDate(value)) : "";
}
