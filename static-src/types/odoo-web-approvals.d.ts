// Declarations of the `@web/...` APIs the approvals UI uses beside those of odoo-web.d.ts, as
// narrow as the addon needs and true to Odoo 18's source.

declare module "@web/core/currency" {
    export interface OdooCurrency {
        name?: string;
        symbol: string;
        position: "before" | "after";
        /** [integer digits (ignored), decimal digits]. */
        digits?: [number, number];
    }
    /** The currencies of the session, by id. */
    export const currencies: Record<number, OdooCurrency>;
    export function getCurrency(id: number): OdooCurrency | undefined;
}

declare module "@web/core/utils/numbers" {
    /** A number with the user's language separators and `digits[1]` decimals. */
    export function formatFloat(value: number, options?: { digits?: [number, number] }): string;
}

declare module "@web/core/l10n/dates" {
    /** A luxon DateTime (opaque here: only handed back to the formatters). */
    export interface DateTime {
        isValid: boolean;
    }
    /** "YYYY-MM-DD" from the server -> a local date. */
    export function deserializeDate(value: string): DateTime;
    /** UTC "YYYY-MM-DD HH:MM:SS" from the server -> the user's time zone. */
    export function deserializeDateTime(value: string): DateTime;
    /** In the user's language date format. */
    export function formatDate(value: DateTime | false): string;
    export function formatDateTime(value: DateTime | false): string;
}
