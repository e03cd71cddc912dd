import { reactive } from "@odoo/owl";
import { setClockNow } from "@distribution_governance/core/clock";
import {
    SlaCountdownField,
    slaCountdownField,
} from "@distribution_governance/exceptions/sla_countdown_field/sla_countdown_field";
import type { RelationalRecord } from "@distribution_governance/types/services";
import { deserializeDateTime } from "@web/core/l10n/dates";
import { registry } from "@web/core/registry";
import { mountWithServices, waitFor } from "../helpers";
import { HOUR, MINUTE, serverDatetime } from "./fixtures";

const SLA_STATUS = {
    type: "selection",
    selection: [
        ["on_track", "On Track"],
        ["at_risk", "At Risk"],
        ["breached", "Breached"],
    ] as [string, string][],
};

/** An exception as a list, kanban or form record holds it: datetimes are luxon values. */
function exceptionRecord(values: {
    deadline: number | false;
    warningAt?: number | false;
    state?: string;
    status?: string;
}): RelationalRecord {
    const moment = (ms: number | false | undefined) =>
        ms ? deserializeDateTime(serverDatetime(ms)) : false;
    return reactive({
        resModel: "distribution.exception",
        resId: 1,
        isNew: false,
        data: {
            sla_deadline: moment(values.deadline),
            sla_warning_at: moment(values.warningAt),
            state: values.state ?? "new",
            sla_status: values.status ?? "on_track",
        },
        fields: { sla_status: SLA_STATUS },
        model: { root: undefined as unknown as RelationalRecord },
        load: () => Promise.resolve(),
        isDirty: () => Promise.resolve(false),
    });
}

async function mountField(record: RelationalRecord) {
    return mountWithServices(SlaCountdownField, { record, name: "sla_deadline" }, {});
}

const sla = (target: HTMLElement) => target.querySelector<HTMLElement>(".o_dg_sla")!;

QUnit.module("exceptions/SlaCountdownField", () => {
    QUnit.test("is the field widget dg_sla_countdown, loading what it needs", (assert) => {
        assert.strictEqual(registry.category("fields").get("dg_sla_countdown"), slaCountdownField);
        assert.deepEqual(slaCountdownField.supportedTypes, ["datetime"]);
        assert.deepEqual(
            slaCountdownField.fieldDependencies.map((f) => f.name),
            ["sla_warning_at", "sla_status", "state"],
        );
    });

    QUnit.test(
        "an open exception counts down, live, and turns at risk then overdue",
        async (assert) => {
            const now = Date.now();
            const record = exceptionRecord({
                deadline: now + 2 * HOUR + 5 * MINUTE + 30_000,
                warningAt: now + HOUR,
            });
            const { target, destroy } = await mountField(record);
            assert.strictEqual(sla(target).textContent.trim(), "2h 05m");
            assert.strictEqual(sla(target).dataset["status"], "on_track");
            assert.ok(sla(target).classList.contains("text-success"));
            assert.ok(sla(target).title.startsWith("SLA deadline: "));

            setClockNow(now + HOUR + 30 * MINUTE); // the shared clock ticks
            await waitFor(() => sla(target).textContent.trim() === "35m", "the tick");
            assert.strictEqual(sla(target).textContent.trim(), "35m");
            assert.strictEqual(sla(target).dataset["status"], "at_risk");
            assert.ok(sla(target).classList.contains("text-warning"));

            setClockNow(now + 5 * HOUR);
            await waitFor(() => sla(target).textContent.includes("overdue"), "the next tick");
            assert.strictEqual(sla(target).textContent.trim(), "overdue 2h");
            assert.strictEqual(sla(target).dataset["status"], "breached");
            assert.ok(sla(target).classList.contains("text-danger"));
            setClockNow(Date.now());
            destroy();
        },
    );

    QUnit.test(
        "a closed exception shows how its SLA ended, in the field's words",
        async (assert) => {
            const late = exceptionRecord({
                deadline: Date.now() - HOUR,
                state: "resolved",
                status: "breached",
            });
            const first = await mountField(late);
            assert.strictEqual(sla(first.target).textContent.trim(), "Breached");
            assert.ok(sla(first.target).classList.contains("text-danger"));
            first.destroy();

            const onTime = exceptionRecord({ deadline: Date.now() + HOUR, state: "cancelled" });
            const second = await mountField(onTime);
            assert.strictEqual(sla(second.target).textContent.trim(), "On Track");
            assert.ok(sla(second.target).classList.contains("text-muted"));
            second.destroy();
        },
    );

    QUnit.test("no deadline, a dash", async (assert) => {
        const { target, destroy } = await mountField(exceptionRecord({ deadline: false }));
        assert.strictEqual(sla(target).textContent.trim(), "–");
        destroy();
    });
});
