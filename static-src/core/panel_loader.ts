import { errorMessage } from "@distribution_governance/core/errors";
import type { OrmService, RelationalRecord } from "@distribution_governance/types/services";

/** The forms the addon's panels sit in. */
export const PANEL_MODELS: ReadonlySet<string> = new Set(["sale.order", "stock.picking"]);

/** What a panel shows after a load: the server's data, or the message of its failure. */
export type PanelLoadResult<T> = { data: T; error: null } | { data: null; error: string | null };

/**
 * Loads `<model>.get_panel_data(resModel, resId)` for a panel in a form. The latest load wins
 * (a slower earlier answer is dropped); a new record or another form loads nothing; a failure
 * becomes a message shown in place of the panel, so the form stays usable.
 */
export function makePanelLoader<T>(
    orm: OrmService,
    model: string,
): (
    record: Pick<RelationalRecord, "resModel" | "resId">,
    apply: (result: PanelLoadResult<T>) => void,
) => Promise<void> {
    let latest = 0;
    return async (record, apply) => {
        const seq = ++latest;
        const { resModel, resId } = record;
        if (!resId || !PANEL_MODELS.has(resModel)) {
            apply({ data: null, error: null });
            return;
        }
        try {
            const data = await orm.call<T>(model, "get_panel_data", [resModel, resId]);
            if (seq === latest) {
                apply({ data, error: null });
            }
        } catch (error) {
            if (seq === latest) {
                apply({ data: null, error: errorMessage(error) });
            }
        }
    };
}
