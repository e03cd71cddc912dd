// Fake of `@web/core/currency`: the session currencies tests format amounts with.
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

export function getCurrency(id: number): FakeCurrency | undefined {
    return currencies[id];
}
