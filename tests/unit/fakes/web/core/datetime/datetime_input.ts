import { Component, xml } from "@odoo/owl";
import { deserializeDate, serializeDate, type DateTime } from "../l10n/dates";

interface DateTimeInputProps {
    type?: "date" | "datetime";
    value?: DateTime | null | false;
    minDate?: DateTime | null | false;
    maxDate?: DateTime | null | false;
    onChange?: (value: DateTime | null) => void;
    placeholder?: string;
    id?: string;
}

// Fake of `@web/core/datetime/datetime_input`: Odoo's input (class o_datetime_input) without the
// picker; typing "YYYY-MM-DD" and leaving the field is a change, like a date picked.
export class DateTimeInput extends Component<DateTimeInputProps> {
    static template = xml`
        <input type="text" class="o_datetime_input o_input" t-att-id="props.id"
               t-att-placeholder="props.placeholder" t-att-value="text"
               t-att-data-min="props.minDate ? serialize(props.minDate) : ''"
               t-att-data-max="props.maxDate ? serialize(props.maxDate) : ''"
               t-on-change="onChange"/>`;
    static props = {
        type: { type: String, optional: true },
        value: { optional: true },
        minDate: { optional: true },
        maxDate: { optional: true },
        onChange: { type: Function, optional: true },
        placeholder: { type: String, optional: true },
        id: { type: String, optional: true },
    };

    get text(): string {
        return this.props.value ? serializeDate(this.props.value) : "";
    }

    serialize(value: DateTime): string {
        return serializeDate(value);
    }

    onChange(ev: Event): void {
        const value = (ev.target as HTMLInputElement).value;
        this.props.onChange?.(value ? deserializeDate(value) : null);
    }
}
