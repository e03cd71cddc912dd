// Fake of `@web/core/currency`: the session currencies tests format amounts with, and Odoo's
// formatCurrency over them (the fake formatFloat's separators).
import { formatFloat } from "./utils/numbers";

export interface FakeCurrency {
    name?: string;
    symbol: string;
    position: "before" | "after";
    digits?: [number, number];
}

export const currencies: Record<number, FakeCurrency> = {
    1: { name: "EUR", symbol: "€", position: "after", digits: [69, 2] },
    2: { name: "USD", symbol: "$", position: "before", digits: [69, 2] },
};

export function formatCurrency(
    amount: number,
    currencyId: number | false | undefined,
    options: { digits?: [number, number]; noSymbol?: boolean } = {},
): string {
    const currency = currencyId ? currencies[currencyId] : undefined;
    const digits = options.digits ?? currency?.digits;
    const number = formatFloat(amount, digits ? { digits } : {});
    if (!currency || options.noSymbol) {
        return number;
    }
    return currency.position === "after"
        ? `${number}\u00a0${currency.symbol}`
        : `${currency.symbol}\u00a0${number}`;
}
