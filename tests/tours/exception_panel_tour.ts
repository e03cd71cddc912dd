import { registry } from "@web/core/registry";
import type { TourStep } from "@distribution_governance/types/tour";

// As a warehouse user, on the form of a delivery validated short: take the short-pick exception
// and resolve it from the panel; the panel and the form's exception counter then go away.
// Names come from tests/test_exception_ui.py.
const PANEL_ROW = ".o_form_view .o_dg_exception_panel .o_dg_panel_row:contains('Short pick')";

registry.category("web_tour.tours").add("distribution_governance_exception_panel_tour", {
    steps: (): TourStep[] => [
        {
            content: "The form shows the open short pick with its live SLA and counts it",
            trigger: `${PANEL_ROW} .o_dg_sla[data-status='on_track']`,
        },
        {
            trigger: ".o_form_view button[name='action_dg_open_exceptions']",
        },
        {
            content: "Take ownership in one click",
            trigger: `${PANEL_ROW} .o_dg_take`,
            run: "click",
        },
        {
            content: "The exception is mine now, and still open",
            trigger: `${PANEL_ROW}:not(:has(.o_dg_take)) .o_dg_owner:contains('DG Tour Picker')`,
        },
        {
            content: "Resolve it",
            trigger: `${PANEL_ROW} .o_dg_resolve`,
            run: "click",
        },
        {
            content: "Pick the resolution code",
            trigger: ".o_dg_resolve_dialog label.o_dg_resolution:contains('Customer accepted')",
            run: "click",
        },
        {
            content: "Explain",
            trigger: ".o_dg_resolve_dialog textarea.o_dg_resolve_note",
            run: "edit Customer keeps the 7 units, no backorder.",
        },
        {
            trigger: ".o_dg_resolve_dialog .o_dg_resolve_confirm",
            run: "click",
        },
        {
            content: "The dialog closes and the form reloads: no open exception, no counter",
            trigger:
                "body:not(:has(.o_dg_resolve_dialog)) .o_form_view:not(:has(.o_dg_exception_panel)):not(:has(button[name='action_dg_open_exceptions']))",
        },
    ],
});
