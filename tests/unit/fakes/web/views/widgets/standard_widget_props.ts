// Same schema as Odoo 18's standardWidgetProps.
export const standardWidgetProps = {
    readonly: { type: Boolean, optional: true },
    record: { type: Object },
};
