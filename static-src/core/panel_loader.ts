import { KeepLast } from "@web/core/utils/concurrency";
import { errorMessage } from "@distribution_governance/core/errors";
import type { OrmService, RelationalRecord } from "@distribution_governance/types/services";

/** The forms the addon's exception panel sits in. */
export const PANEL_MODELS: ReadonlySet<string> = new Set(["sale.order", "stock.picking"]);

/** What a panel shows after a load: the server's data, or the message of its failure. */
export type PanelLoadResult<T> = { data: T; error: null } | { data: null; error: string | null };

/**
 * Loads `<model>.<method>(resModel, resId)` (by default `get_panel_data`) for a panel in one of
 * the `models` forms. The
 * latest load wins (Odoo's KeepLast: an earlier answer arriving later is dropped, and that
 * load never settles, as Odoo's own models do); a new record or another form loads nothing; a
 * failure becomes a message shown in place of the panel, so the form stays usable.
 */
export function makePanelLoader<T>(
    orm: OrmService,
    model: string,
    models: ReadonlySet<string> = PANEL_MODELS,
    method = "get_panel_data",
): (
    record: Pick<RelationalRecord, "resModel" | "resId">,
    apply: (result: PanelLoadResult<T>) => void,
) => Promise<void> {
    const keepLast = new KeepLast();
    return async (record, apply) => {
        const { resModel, resId } = record;
        const load: Promise<PanelLoadResult<T>> =
            !resId || !models.has(resModel)
                ? Promise.resolve({ data: null, error: null })
                : orm.call<T>(model, method, [resModel, resId]).then(
                      (data) => ({ data, error: null }),
                      (error: unknown) => ({ data: null, error: errorMessage(error) }),
                  );
        apply(await keepLast.add(load));
    };
}
