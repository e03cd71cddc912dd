// Fake of `@web/core/utils/numbers`: English separators, `digits[1]` decimals (2 by default).
export function formatFloat(value: number, options: { digits?: [number, number] } = {}): string {
    const decimals = options.digits?.[1] ?? 2;
    return value.toLocaleString("en-US", {
        minimumFractionDigits: decimals,
        maximumFractionDigits: decimals,
    });
}
