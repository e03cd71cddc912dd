import { reactive } from "@odoo/owl";
import { ExceptionPanel } from "@distribution_governance/exceptions/exception_panel/exception_panel";
import {
    EXCEPTIONS_CHANGED,
    exceptionFormAction,
} from "@distribution_governance/exceptions/workflow";
import type { ExceptionRow, PanelData } from "@distribution_governance/types/exceptions";
import type { RelationalRecord } from "@distribution_governance/types/services";
import { registry } from "@web/core/registry";
import {
    makeActionService,
    makeDialogService,
    makeOrm,
    mountWithServices,
    nextRender,
    serverError,
    waitFor,
    type OrmCall,
} from "../helpers";
import { makeRow, rights } from "./fixtures";

type FakeRecord = RelationalRecord & { loads: number; dirty: boolean };

/** A form's root record as the relational model gives it to widgets (reactive). */
function makeRecord(resId: number | false, resModel = "stock.picking"): FakeRecord {
    const record = reactive({
        resModel,
        resId,
        isNew: !resId,
        data: { name: "WH/OUT/00009" },
        model: { root: undefined as unknown as RelationalRecord },
        loads: 0,
        dirty: false,
        load(): Promise<void> {
            this.loads++;
            this.data = { ...this.data }; // what Record._setData does on every load
            return Promise.resolve();
        },
        isDirty(): Promise<boolean> {
            return Promise.resolve(this.dirty);
        },
    });
    record.model.root = record;
    return record;
}

function panelData(rows: ExceptionRow[], extra: Partial<PanelData> = {}): PanelData {
    return { ...rights(), exceptions: rows, ...extra };
}

async function mountPanel(
    record: FakeRecord,
    handlers: Record<string, (call: OrmCall) => unknown>,
) {
    const orm = makeOrm(handlers);
    const action = makeActionService();
    const dialog = makeDialogService();
    const mounted = await mountWithServices(
        ExceptionPanel,
        { record, readonly: false },
        { orm, action, dialog },
    );
    return { ...mounted, orm, action, dialog };
}

const panelCalls = (calls: OrmCall[]) => calls.filter((c) => c.method === "get_panel_data");

QUnit.module("exceptions/ExceptionPanel", () => {
    QUnit.test("is the view widget dg_exception_panel", (assert) => {
        const widget = registry.category("view_widgets").get("dg_exception_panel") as {
            component: unknown;
        };
        assert.strictEqual(widget.component, ExceptionPanel);
    });

    QUnit.test("shows the document's open exceptions with one RPC", async (assert) => {
        const { target, orm, destroy } = await mountPanel(makeRecord(9), {
            "distribution.exception.get_panel_data": () =>
                panelData([makeRow(), makeRow({ id: 2, name: "EXC/0002", owner: [7, "Me"] })]),
        });
        assert.strictEqual(orm.calls.length, 1, "one RPC");
        assert.deepEqual(orm.calls[0]!.args, ["stock.picking", 9]);
        const rows = target.querySelectorAll(".o_dg_panel_row");
        assert.strictEqual(rows.length, 2);
        assert.strictEqual(target.querySelector(".o_dg_panel_count")!.textContent, "2");
        const first = rows[0]!;
        assert.strictEqual(first.querySelector(".o_dg_ref")!.textContent, "EXC/0001");
        assert.strictEqual(first.querySelector(".o_dg_type")!.textContent, "Short pick");
        assert.strictEqual(first.querySelector(".o_dg_severity")!.textContent, "High");
        assert.ok(first.querySelector(".o_dg_severity")!.classList.contains("text-bg-warning"));
        assert.ok(first.querySelector(".o_dg_owner")!.textContent.includes("Unassigned"));
        assert.strictEqual(first.querySelector(".o_dg_sla")!.textContent.trim(), "2h 05m");
        assert.strictEqual(
            first.querySelector<HTMLElement>(".o_dg_sla")!.dataset["status"],
            "on_track",
        );
        assert.ok(first.querySelector(".o_dg_take"), "unowned: can take it");
        assert.ok(first.querySelector(".o_dg_resolve"));
        assert.ok(first.querySelector(".o_dg_open"));
        assert.notOk(rows[1]!.querySelector(".o_dg_take"), "already mine");
        assert.ok(rows[1]!.querySelector(".o_dg_owner")!.textContent.includes("Me"));
        destroy();
    });

    QUnit.test("corrects the SLA countdown with the server clock", async (assert) => {
        // The server is 3 hours ahead of this browser: a deadline 2 h ahead here is 1 h overdue.
        const serverNow = new Date(Date.now() + 3 * 3_600_000)
            .toISOString()
            .slice(0, 19)
            .replace("T", " ");
        const { target, destroy } = await mountPanel(makeRecord(9), {
            "distribution.exception.get_panel_data": () =>
                panelData([makeRow()], { server_now: serverNow }),
        });
        const sla = target.querySelector<HTMLElement>(".o_dg_sla")!;
        assert.strictEqual(sla.dataset["status"], "breached");
        assert.ok(sla.textContent.includes("overdue"));
        destroy();
    });

    QUnit.test(
        "is hidden without open exceptions, and asks nothing for a new record",
        async (assert) => {
            const empty = await mountPanel(makeRecord(9), {
                "distribution.exception.get_panel_data": () => panelData([]),
            });
            assert.notOk(empty.target.querySelector(".o_dg_exception_panel"));
            assert.strictEqual(empty.target.textContent.trim(), "");
            empty.destroy();

            const fresh = await mountPanel(makeRecord(false), {});
            assert.strictEqual(fresh.orm.calls.length, 0, "no RPC for a record without id");
            assert.notOk(fresh.target.querySelector(".o_dg_exception_panel"));
            fresh.destroy();
        },
    );

    QUnit.test("shows only the buttons the user may use", async (assert) => {
        const { target, destroy } = await mountPanel(makeRecord(9), {
            "distribution.exception.get_panel_data": () =>
                panelData([makeRow({ owner: [3, "Someone else"] })], { can_work: false }),
        });
        assert.notOk(target.querySelector(".o_dg_take"));
        assert.notOk(target.querySelector(".o_dg_resolve"));
        assert.ok(target.querySelector(".o_dg_open"), "anyone may open the exception");
        destroy();
    });

    QUnit.test("a failing load says so without breaking the form", async (assert) => {
        const { target, destroy } = await mountPanel(makeRecord(9), {
            "distribution.exception.get_panel_data": () => {
                throw serverError("You are not allowed to read this transfer.");
            },
        });
        assert.ok(
            target.querySelector(".o_dg_panel_error")!.textContent.includes("not allowed to read"),
        );
        destroy();
    });

    QUnit.test("take ownership: one call, then the form and the panel reload", async (assert) => {
        const record = makeRecord(9);
        let owner: ExceptionRow["owner"] = false;
        const { target, orm, env, destroy } = await mountPanel(record, {
            "distribution.exception.get_panel_data": () => panelData([makeRow({ owner })]),
            "distribution.exception.action_take_ownership": () => {
                owner = [7, "Me"];
                return true;
            },
        });
        let changed = 0;
        env.bus.addEventListener(EXCEPTIONS_CHANGED, () => changed++);
        target.querySelector<HTMLElement>(".o_dg_take")!.click();
        await waitFor(() => !target.querySelector(".o_dg_take"), "the Take button to go");
        const take = orm.calls.find((c) => c.method === "action_take_ownership")!;
        assert.deepEqual(take.args, [[1]]);
        assert.strictEqual(record.loads, 1, "the form record reloads (stat button counters)");
        assert.strictEqual(panelCalls(orm.calls).length, 2, "the reload reloads the panel once");
        assert.strictEqual(changed, 1, "the systray hears about it");
        assert.ok(target.querySelector(".o_dg_owner")!.textContent.includes("Me"));
        destroy();
    });

    QUnit.test(
        "resolve: dialog, required note, then the exception leaves the panel",
        async (assert) => {
            const record = makeRecord(9);
            let open = true;
            const { target, orm, dialog, destroy } = await mountPanel(record, {
                "distribution.exception.get_panel_data": () => panelData(open ? [makeRow()] : []),
                "distribution.exception.action_resolve": () => {
                    open = false;
                    return true;
                },
            });
            target.querySelector<HTMLElement>(".o_dg_resolve")!.click();
            assert.strictEqual(dialog.open.length, 1);
            const opened = dialog.open[0]!;
            await opened.ready;
            const box = opened.target;
            assert.strictEqual(box.querySelector(".modal-title")!.textContent, "Resolve EXC/0001");
            const labels = [...box.querySelectorAll(".o_dg_resolution")].map((l) =>
                l.textContent.trim(),
            );
            assert.strictEqual(labels.length, 2);
            assert.ok(labels[1]!.includes("(note required)"));

            // Nothing chosen yet: the form explains instead of calling the server.
            box.querySelector<HTMLElement>(".o_dg_resolve_confirm")!.click();
            await waitFor(
                () => Boolean(box.querySelector(".o_dg_resolve_error")),
                "the form error",
            );
            assert.strictEqual(
                box.querySelector(".o_dg_resolve_error")!.textContent,
                "Choose a resolution code.",
            );

            box.querySelectorAll<HTMLInputElement>(".o_dg_resolution_input")[1]!.click();
            box.querySelector<HTMLElement>(".o_dg_resolve_confirm")!.click();
            await waitFor(
                () =>
                    Boolean(
                        box
                            .querySelector(".o_dg_resolve_error")
                            ?.textContent?.includes("needs a note"),
                    ),
                "the note error",
            );
            assert.notOk(orm.calls.some((c) => c.method === "action_resolve"));

            const note = box.querySelector<HTMLTextAreaElement>(".o_dg_resolve_note")!;
            note.value = "  customer agreed by phone ";
            note.dispatchEvent(new Event("input"));
            await nextRender();
            box.querySelector<HTMLElement>(".o_dg_resolve_confirm")!.click();
            await waitFor(() => opened.closed, "the dialog to close");
            const resolve = orm.calls.find((c) => c.method === "action_resolve")!;
            assert.deepEqual(resolve.args, [[1], 12, "customer agreed by phone"]);
            await waitFor(
                () => !target.querySelector(".o_dg_exception_panel"),
                "the panel to hide",
            );
            assert.strictEqual(record.loads, 1);
            destroy();
        },
    );

    QUnit.test(
        "a refused action keeps the panel consistent and the error visible",
        async (assert) => {
            const record = makeRecord(9);
            const { target, orm, component, destroy } = await mountPanel(record, {
                "distribution.exception.get_panel_data": () =>
                    panelData([makeRow({ owner: [3, "Bob"] })]),
                "distribution.exception.action_take_ownership": () => {
                    throw serverError("EXC/0001 already belongs to Bob.");
                },
            });
            await assert.rejects(
                component.workflow.takeOwnership(makeRow()),
                /already belongs to Bob/,
                "the error goes on to Odoo's error dialog",
            );
            await nextRender();
            assert.false(component.workflow.state.busy, "buttons usable again");
            assert.strictEqual(record.loads, 0, "nothing changed: the form is not reloaded");
            assert.strictEqual(
                panelCalls(orm.calls).length,
                2,
                "the panel shows the current truth",
            );
            assert.ok(target.querySelector(".o_dg_owner")!.textContent.includes("Bob"));
            destroy();
        },
    );

    QUnit.test("unsaved edits are kept: only the panel reloads", async (assert) => {
        const record = makeRecord(9);
        record.dirty = true;
        const { orm, component, destroy } = await mountPanel(record, {
            "distribution.exception.get_panel_data": () => panelData([makeRow()]),
            "distribution.exception.action_take_ownership": () => true,
        });
        await component.workflow.takeOwnership(makeRow());
        assert.strictEqual(record.loads, 0);
        assert.strictEqual(panelCalls(orm.calls).length, 2);
        destroy();
    });

    QUnit.test(
        "follows the form: a record reload (e.g. after Validate) reloads the panel",
        async (assert) => {
            const record = makeRecord(9);
            let rows: ExceptionRow[] = [];
            const { target, orm, destroy } = await mountPanel(record, {
                "distribution.exception.get_panel_data": () => panelData(rows),
            });
            assert.notOk(target.querySelector(".o_dg_exception_panel"));
            rows = [makeRow()];
            await record.load();
            await waitFor(
                () => Boolean(target.querySelector(".o_dg_exception_panel")),
                "the panel",
            );
            assert.strictEqual(panelCalls(orm.calls).length, 2);
            destroy();
        },
    );

    QUnit.test("Open shows the standard form of the exception", async (assert) => {
        const { target, action, destroy } = await mountPanel(makeRecord(9), {
            "distribution.exception.get_panel_data": () => panelData([makeRow({ id: 42 })]),
        });
        target.querySelector<HTMLElement>(".o_dg_open")!.click();
        await nextRender();
        assert.deepEqual(action.done, [exceptionFormAction(42)]);
        assert.deepEqual(action.done[0], {
            type: "ir.actions.act_window",
            res_model: "distribution.exception",
            res_id: 42,
            views: [[false, "form"]],
            target: "current",
        });
        destroy();
    });
});
