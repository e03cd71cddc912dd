import type { ActWindowAction, Domain } from "@distribution_governance/types/services";

/** One tile of `distribution.dashboard.get_overview()`: a count and the domain it counted. */
export interface OverviewTile {
    key: string;
    label: string;
    model: string;
    model_name: string;
    domain: Domain;
    value: number;
}

export interface Overview {
    companies: string[];
    generated_at: string;
    tiles: OverviewTile[];
}

/** Tiles whose non-zero value signals work waiting; the UI colours them as needing attention. */
const ATTENTION_KEYS: ReadonlySet<string> = new Set(["late_deliveries", "overdue_invoices"]);

export type TileTone = "neutral" | "attention" | "clear";

export function tileTone(tile: Pick<OverviewTile, "key" | "value">): TileTone {
    if (!ATTENTION_KEYS.has(tile.key)) {
        return "neutral";
    }
    return tile.value > 0 ? "attention" : "clear";
}

/** The list/form action that opens exactly the records a tile (or a KPI) counted. */
export function drillDownAction(
    tile: Pick<OverviewTile, "label" | "model" | "domain">,
): ActWindowAction {
    return {
        type: "ir.actions.act_window",
        name: tile.label,
        res_model: tile.model,
        domain: tile.domain,
        views: [
            [false, "list"],
            [false, "form"],
        ],
        target: "current",
    };
}

/** Integer with the locale's grouping; non-finite input (a server bug) shows as a dash. */
export function formatCount(value: number, locale?: string): string {
    if (!Number.isFinite(value)) {
        return "–";
    }
    return new Intl.NumberFormat(locale, { maximumFractionDigits: 0 }).format(value);
}
