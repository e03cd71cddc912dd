// Fake of `@web/core/l10n/translation`: identity translation with %s substitution.
export function _t(term: string, ...values: unknown[]): string {
    let index = 0;
    return term.replace(/%s/g, () => String(values[index++]));
}
