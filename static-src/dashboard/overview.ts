import type { ActWindowAction, Domain } from "@distribution_governance/types/services";

/** What a dashboard figure counted: the records of `model` matching `domain`. */
export interface DrillDown {
    label: string;
    model: string;
    domain: Domain;
}

/** The list/form action that opens exactly the records a figure (a KPI) counted. */
export function drillDownAction(figure: DrillDown): ActWindowAction {
    return {
        type: "ir.actions.act_window",
        name: figure.label,
        res_model: figure.model,
        domain: figure.domain,
        views: [
            [false, "list"],
            [false, "form"],
        ],
        target: "current",
    };
}
