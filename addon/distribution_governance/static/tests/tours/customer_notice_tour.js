/** @odoo-module */
import { registry } from "@web/core/registry";
const WIZARD = ".modal:has(.o_field_widget[name='resolution_id'])";
const COMPOSER = ".modal:has(.o_field_widget[name='body'])";
registry.category("web_tour.tours").add("distribution_governance_customer_notice_tour", {
  steps: () => [
    {
      content: "The form offers the notice already (a revised promise is set)",
      trigger: ".o_form_view button[name='action_notify_customer']"
    },
    {
      content: "Resolve it",
      trigger: ".o_form_view button[name='action_open_resolve_wizard']",
      run: "click"
    },
    {
      content: "A substitute is agreed: a code that notifies the customer",
      trigger: `${WIZARD} .o_field_widget[name='resolution_id'] label:contains('Substitute product agreed')`,
      run: "click"
    },
    {
      content: "The wizard now asks for the revised promise too",
      trigger: `${WIZARD} .o_field_widget[name='promise_date']`
    },
    {
      trigger: `${WIZARD} .o_field_widget[name='note'] textarea`,
      run: "edit Offered the 30 \xB5m film"
    },
    {
      trigger: `${WIZARD} button[name='action_resolve']`,
      run: "click"
    },
    {
      content: "The composer opens on the order, the notice written in French",
      trigger: `${COMPOSER} .o_field_widget[name='body']:contains('Nous pouvons vous proposer un produit \xE9quivalent')`
    },
    {
      content: "Addressed to the customer",
      trigger: `${COMPOSER} .o_field_widget[name='partner_ids']:contains('Client Tour')`
    },
    {
      trigger: `${COMPOSER} button.o_mail_send`,
      run: "click"
    },
    {
      content: "Sent: the composer closes, the form reloads resolved",
      trigger: "body:not(:has(.modal)) .o_form_view:not(:has(button[name='action_open_resolve_wizard']))"
    }
  ]
});
