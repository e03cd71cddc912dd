/** @odoo-module */
import { registry } from "@web/core/registry";
const LINE = ".o_form_view .o_dg_exception_panel .o_dg_panel_line:has(.o_dg_type:contains('Short pick'))";
const WIZARD = ".modal:has(.o_field_widget[name='resolution_id'])";
registry.category("web_tour.tours").add("distribution_governance_exception_panel_tour", {
  steps: () => [
    {
      content: "One line: the open short pick with its live SLA",
      trigger: `${LINE} .o_dg_sla[data-status='on_track']`
    },
    {
      trigger: ".o_form_view button[name='action_dg_open_exceptions']"
    },
    {
      content: "Take ownership in one click",
      trigger: `${LINE} .o_dg_take`,
      run: "click"
    },
    {
      content: "The server says it is mine",
      trigger: ".o_notification:contains('yours now')"
    },
    {
      content: "The exception is mine now, and still open",
      trigger: `${LINE}:not(:has(.o_dg_take)) .o_dg_owner:contains('DG Tour Picker')`
    },
    {
      content: "Resolve it",
      trigger: `${LINE} .o_dg_resolve`,
      run: "click"
    },
    {
      content: "The server's wizard offers the short pick's resolutions",
      trigger: `${WIZARD} .o_field_widget[name='resolution_id'] label:contains('Customer accepted')`,
      run: "click"
    },
    {
      content: "Explain",
      trigger: `${WIZARD} .o_field_widget[name='note'] textarea`,
      run: "edit Customer keeps the 7 units, no backorder."
    },
    {
      trigger: `${WIZARD} button[name='action_resolve']`,
      run: "click"
    },
    {
      content: "The wizard closes, the server says what it did",
      trigger: ".o_notification:contains('resolved')"
    },
    {
      content: "The form reloads: no open exception, no counter",
      trigger: "body:not(:has(.modal)) .o_form_view:not(:has(.o_dg_exception_panel)):not(:has(button[name='action_dg_open_exceptions']))"
    }
  ]
});
