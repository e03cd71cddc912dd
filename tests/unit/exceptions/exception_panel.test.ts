import { reactive } from "@odoo/owl";
import { ExceptionPanel } from "@distribution_governance/exceptions/exception_panel/exception_panel";
import {
    EXCEPTIONS_CHANGED,
    exceptionFormAction,
} from "@distribution_governance/exceptions/exception_actions";
import { panelSummary } from "@distribution_governance/exceptions/panel_logic";
import type { ExceptionRow, PanelData } from "@distribution_governance/types/exceptions";
import type { RelationalRecord } from "@distribution_governance/types/services";
import { registry } from "@web/core/registry";
import {
    makeActionService,
    makeOrm,
    mountWithServices,
    nextRender,
    serverError,
    waitFor,
    type OrmCall,
} from "../helpers";
import { HOUR, makeRow, notification, resolveWizard, rights, serverDatetime } from "./fixtures";

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
    const mounted = await mountWithServices(
        ExceptionPanel,
        { record, readonly: false },
        { orm, action },
    );
    return { ...mounted, orm, action };
}

const panelCalls = (calls: OrmCall[]) => calls.filter((c) => c.method === "get_panel_data");
const text = (el: Element | null) => (el?.textContent ?? "").replace(/\s+/g, " ").trim();

QUnit.module("exceptions/ExceptionPanel", () => {
    QUnit.test("is the view widget dg_exception_panel", (assert) => {
        const widget = registry.category("view_widgets").get("dg_exception_panel") as {
            component: unknown;
        };
        assert.strictEqual(widget.component, ExceptionPanel);
    });

    QUnit.test("one exception: one line with its labels, SLA and actions", async (assert) => {
        const { target, orm, destroy } = await mountPanel(makeRecord(9), {
            "distribution.exception.get_panel_data": () => panelData([makeRow()]),
            "distribution.exception.get_triage_suggestion": () => [],
        });
        assert.strictEqual(panelCalls(orm.calls).length, 1, "one RPC for the panel");
        assert.deepEqual(orm.calls[0]!.args, ["stock.picking", 9]);
        assert.strictEqual(orm.calls.length, 2, "and one for the suggestions");
        const line = target.querySelector(".o_dg_panel_line")!;
        assert.strictEqual(target.querySelectorAll(".o_dg_panel_row").length, 1);
        assert.strictEqual(text(line.querySelector(".o_dg_ref")), "EXC/0001");
        assert.strictEqual(text(line.querySelector(".o_dg_type")), "Short pick");
        assert.strictEqual(
            text(line.querySelector(".o_dg_severity")),
            "High",
            "the server's label",
        );
        assert.ok(line.querySelector(".o_dg_severity")!.classList.contains("text-bg-warning"));
        assert.ok(text(line.querySelector(".o_dg_owner")).includes("Unassigned"));
        assert.strictEqual(text(line.querySelector(".o_dg_sla")), "2h 05m");
        assert.ok(line.querySelector(".o_dg_take") && line.querySelector(".o_dg_resolve"));
        assert.notOk(target.querySelector(".o_dg_panel_toggle"), "nothing more to unfold");
        destroy();
    });

    QUnit.test("shows only what the server allows, and says why not", async (assert) => {
        const why = "EXC/0001 closes with the credit decision: approve or reject its request.";
        const { target, destroy } = await mountPanel(makeRecord(9), {
            "distribution.exception.get_panel_data": () =>
                panelData([
                    makeRow({
                        type: "Credit hold",
                        can_take: false,
                        can_resolve: false,
                        why_not_resolve: why,
                        owner: [3, "Someone else"],
                    }),
                ]),
        });
        assert.notOk(target.querySelector(".o_dg_take"));
        assert.notOk(target.querySelector(".o_dg_resolve"));
        assert.strictEqual(target.querySelector<HTMLElement>(".o_dg_why")!.title, why);
        destroy();
    });

    QUnit.test(
        "several: one line, the detail unfolds when there is something to do",
        async (assert) => {
            const now = Date.now();
            const rows = [
                makeRow(),
                makeRow({
                    id: 2,
                    name: "EXC/0002",
                    sla_deadline: serverDatetime(now - HOUR - 5 * 60_000),
                    sla_status: "breached",
                    can_take: false,
                    why_not_take: "EXC/0002 already belongs to Bob.",
                    owner: [3, "Bob"],
                }),
            ];
            const { target, destroy } = await mountPanel(makeRecord(9), {
                "distribution.exception.get_panel_data": () => panelData(rows),
            });
            const line = target.querySelector(".o_dg_panel_line")!;
            assert.strictEqual(text(line.querySelector(".o_dg_panel_title")), "2 open exceptions");
            assert.strictEqual(text(line.querySelector(".o_dg_panel_breached")), "1 SLA breached");
            assert.strictEqual(
                text(line.querySelector(".o_dg_panel_next .o_dg_sla")),
                "overdue 1h",
                "the line counts down the most urgent",
            );
            assert.notOk(
                target.querySelector(".o_dg_panel_rows"),
                "folded: the lines stay in view",
            );
            target.querySelector<HTMLElement>(".o_dg_panel_toggle")!.click();
            await nextRender();
            const items = target.querySelectorAll(".o_dg_panel_rows .o_dg_panel_row");
            assert.strictEqual(items.length, 2);
            assert.ok(items[0]!.querySelector(".o_dg_take"));
            assert.notOk(items[1]!.querySelector(".o_dg_take"));
            assert.ok(items[1]!.querySelector(".o_dg_resolve"), "Bob's, yet resolvable by me");
            target.querySelector<HTMLElement>(".o_dg_panel_toggle")!.click();
            await waitFor(() => !target.querySelector(".o_dg_panel_rows"), "the detail to fold");
            destroy();
        },
    );

    QUnit.test("several with nothing to do: the line alone", async (assert) => {
        const idle = { can_take: false, can_resolve: false };
        const { target, destroy } = await mountPanel(makeRecord(9), {
            "distribution.exception.get_panel_data": () =>
                panelData([makeRow(idle), makeRow({ ...idle, id: 2, name: "EXC/0002" })]),
        });
        assert.ok(target.querySelector(".o_dg_panel_line"));
        assert.notOk(target.querySelector(".o_dg_panel_toggle"));
        destroy();
    });

    QUnit.test("corrects the SLA countdown with the server clock", async (assert) => {
        // The server is 3 hours ahead of this browser: a deadline 2 h ahead here is 1 h overdue.
        const serverNow = serverDatetime(Date.now() + 3 * HOUR);
        const { target, destroy } = await mountPanel(makeRecord(9), {
            "distribution.exception.get_panel_data": () =>
                panelData([makeRow()], { server_now: serverNow }),
        });
        const sla = target.querySelector<HTMLElement>(".o_dg_sla")!;
        assert.strictEqual(sla.dataset["status"], "breached");
        assert.ok(sla.textContent.includes("overdue"));
        destroy();
    });

    QUnit.test("nothing at all without open exceptions, nor for a new record", async (assert) => {
        const empty = await mountPanel(makeRecord(9), {
            "distribution.exception.get_panel_data": () => panelData([]),
        });
        assert.strictEqual(empty.target.textContent.trim(), "");
        empty.destroy();

        const fresh = await mountPanel(makeRecord(false), {});
        assert.strictEqual(fresh.orm.calls.length, 0, "no RPC for a record without id");
        assert.notOk(fresh.target.querySelector(".o_dg_exception_panel"));
        fresh.destroy();
    });

    QUnit.test("a failing load says so without breaking the form", async (assert) => {
        const { target, destroy } = await mountPanel(makeRecord(9), {
            "distribution.exception.get_panel_data": () => {
                throw serverError("You are not allowed to read this transfer.");
            },
        });
        assert.ok(text(target.querySelector(".o_dg_panel_error")).includes("not allowed to read"));
        destroy();
    });

    QUnit.test(
        "take ownership: the server's notification, then the form reloads",
        async (assert) => {
            const record = makeRecord(9);
            let owner: ExceptionRow["owner"] = false;
            const { target, orm, action, env, destroy } = await mountPanel(record, {
                "distribution.exception.get_panel_data": () =>
                    panelData([makeRow({ owner, can_take: !owner })]),
                "distribution.exception.action_take_ownership": () => {
                    owner = [7, "Me"];
                    return notification("EXC/0001: yours now, in progress.");
                },
            });
            let changed = 0;
            env.bus.addEventListener(EXCEPTIONS_CHANGED, () => changed++);
            target.querySelector<HTMLElement>(".o_dg_take")!.click();
            await waitFor(() => action.done.length === 1, "the notification");
            const take = orm.calls.find((c) => c.method === "action_take_ownership")!;
            assert.deepEqual(take.args, [[1]]);
            assert.strictEqual(
                (action.done[0] as { tag: string }).tag,
                "display_notification",
                "what the server said runs through the action service",
            );
            // Odoo runs the notification's `next` (close), which calls onClose
            await (action.options[0]!["onClose"] as () => Promise<void>)();
            await waitFor(() => !target.querySelector(".o_dg_take"), "the Take button to go");
            assert.strictEqual(record.loads, 1, "the form record reloads (stat button counters)");
            assert.strictEqual(
                panelCalls(orm.calls).length,
                2,
                "the reload reloads the panel once",
            );
            assert.strictEqual(changed, 1, "the systray hears about it");
            assert.ok(text(target.querySelector(".o_dg_owner")).includes("Me"));
            destroy();
        },
    );

    QUnit.test(
        "resolve opens the server's wizard; its closing reloads the form",
        async (assert) => {
            const record = makeRecord(9);
            const { target, orm, action, destroy } = await mountPanel(record, {
                "distribution.exception.get_panel_data": () => panelData([makeRow()]),
                "distribution.exception.action_open_resolve_wizard": () => resolveWizard(1),
            });
            target.querySelector<HTMLElement>(".o_dg_resolve")!.click();
            await waitFor(() => action.done.length === 1, "the wizard");
            assert.deepEqual(action.done[0], resolveWizard(1));
            assert.strictEqual(record.loads, 0, "nothing resolved while the wizard is open");
            await (action.options[0]!["onClose"] as () => Promise<void>)();
            assert.strictEqual(record.loads, 1);
            assert.ok(orm.calls.some((c) => c.method === "action_open_resolve_wizard"));
            destroy();
        },
    );

    QUnit.test(
        "a refused action reloads the panel and lets Odoo show the error",
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
                component.actions.takeOwnership(1),
                /already belongs to Bob/,
                "the error goes on to Odoo's error dialog",
            );
            await nextRender();
            assert.false(component.actions.state.busy, "buttons usable again");
            assert.strictEqual(record.loads, 0, "nothing changed: the form is not reloaded");
            assert.strictEqual(
                panelCalls(orm.calls).length,
                2,
                "the panel shows the current truth",
            );
            assert.ok(text(target.querySelector(".o_dg_owner")).includes("Bob"));
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
        await component.actions.takeOwnership(1);
        assert.strictEqual(record.loads, 0);
        assert.strictEqual(panelCalls(orm.calls).length, 2);
        destroy();
    });

    QUnit.test("the reference opens the exception's form", async (assert) => {
        const { target, action, destroy } = await mountPanel(makeRecord(9), {
            "distribution.exception.get_panel_data": () => panelData([makeRow()]),
        });
        target.querySelector<HTMLElement>(".o_dg_ref")!.click();
        await waitFor(() => action.done.length === 1, "the form");
        assert.deepEqual(action.done[0], exceptionFormAction(1));
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
            await waitFor(() => Boolean(target.querySelector(".o_dg_exception_panel")), "panel");
            assert.strictEqual(panelCalls(orm.calls).length, 2);
            destroy();
        },
    );
});

QUnit.module("exceptions/panel_logic", () => {
    QUnit.test("the line's summary", (assert) => {
        assert.strictEqual(panelSummary([]).count, 0);
        const one = panelSummary([makeRow()]);
        assert.strictEqual(one.title, "1 open exception");
        assert.strictEqual(one.single!.id, 1);
        const later = makeRow({ id: 2, sla_deadline: serverDatetime(Date.now() + 9 * HOUR) });
        const none = makeRow({ id: 3, sla_deadline: false, can_take: false, can_resolve: false });
        const several = panelSummary([later, makeRow(), none]);
        assert.strictEqual(several.title, "3 open exceptions");
        assert.strictEqual(several.single, null);
        assert.strictEqual(several.urgent!.id, 1, "the one due first");
        assert.true(several.actionable);
        assert.false(panelSummary([none]).actionable);
    });
});
