import { Component } from "@odoo/owl";
import { _t } from "@web/core/l10n/translation";
import { registry } from "@web/core/registry";
import { standardFieldProps } from "@web/views/fields/standard_field_props";
import { SlaCountdown } from "@distribution_governance/exceptions/sla_countdown/sla_countdown";
import type { Moment } from "@distribution_governance/exceptions/sla";
import type { SlaStatus } from "@distribution_governance/types/exceptions";
import type { RelationalRecord } from "@distribution_governance/types/services";

export interface SlaCountdownFieldProps {
    record: RelationalRecord;
    name: string;
    id?: string;
    readonly?: boolean;
}

const OPEN_STATES = new Set(["new", "in_progress"]);

/**
 * Field widget `dg_sla_countdown` on an exception's SLA deadline, in list, kanban and form: the
 * time left (live) while the exception is open, then how its SLA ended ("Breached", "On
 * Track"), labelled by the server's selection.
 */
export class SlaCountdownField extends Component<SlaCountdownFieldProps> {
    static template = "distribution_governance.SlaCountdownField";
    static components = { SlaCountdown };
    static props = { ...standardFieldProps };

    get data(): Record<string, unknown> {
        return this.props.record.data;
    }

    get deadline(): Moment {
        return this.data[this.props.name] as Moment;
    }

    get warningAt(): Moment {
        return this.data["sla_warning_at"] as Moment;
    }

    get status(): SlaStatus | false {
        return (this.data["sla_status"] as SlaStatus | undefined) || false;
    }

    get open(): boolean {
        return OPEN_STATES.has(this.data["state"] as string);
    }

    get statusLabel(): string {
        const field = this.props.record.fields?.["sla_status"];
        const choice = field?.selection?.find(([value]) => value === this.status);
        return choice?.[1] ?? "";
    }
}

export const slaCountdownField = {
    component: SlaCountdownField,
    displayName: _t("SLA countdown"),
    supportedTypes: ["datetime"],
    // what the countdown needs beside the deadline, loaded by any view that uses the widget
    fieldDependencies: [
        { name: "sla_warning_at", type: "datetime" },
        { name: "sla_status", type: "selection" },
        { name: "state", type: "selection" },
    ],
};

registry.category("fields").add("dg_sla_countdown", slaCountdownField);
