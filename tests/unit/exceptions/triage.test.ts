import { TriageDashboard } from "@distribution_governance/exceptions/triage_dashboard/triage_dashboard";
import {
    kanbanMove,
    listHotkey,
    triageCommand,
} from "@distribution_governance/exceptions/triage_logic";
import {
    ExceptionKanbanRenderer,
    exceptionKanbanView,
} from "@distribution_governance/exceptions/triage_views/triage_kanban";
import {
    ExceptionTriageListRenderer,
    exceptionTriageListView,
} from "@distribution_governance/exceptions/triage_views/triage_list";
import type { TriageCounts } from "@distribution_governance/types/exceptions";
import type { SearchItem } from "@distribution_governance/types/services";
import { registry } from "@web/core/registry";
import { KanbanRenderer } from "@web/views/kanban/kanban_renderer";
import { ListRenderer } from "@web/views/list/list_renderer";
import { kanbanRendererCalls } from "../fakes/web/views/kanban/kanban_renderer";
import { listRendererCalls } from "../fakes/web/views/list/list_renderer";
import {
    makeActionService,
    makeOrm,
    mountWithServices,
    nextRender,
    serverError,
    waitFor,
    type OrmCall,
} from "../helpers";
import { notification, resolveWizard } from "./fixtures";

QUnit.module("exceptions/triage_logic", () => {
    QUnit.test("j/k/x/Enter, never while typing, in a dialog or with modifiers", (assert) => {
        assert.strictEqual(triageCommand({ key: "j" }), "next");
        assert.strictEqual(triageCommand({ key: "k" }), "previous");
        assert.strictEqual(triageCommand({ key: "x" }), "toggle");
        assert.strictEqual(triageCommand({ key: "Enter", targetTag: "TD" }), "open");
        assert.strictEqual(triageCommand({ key: "Enter", targetTag: "BUTTON" }), null);
        assert.strictEqual(triageCommand({ key: "j", targetTag: "input" }), null);
        assert.strictEqual(triageCommand({ key: "j", elsewhere: true }), null);
        assert.strictEqual(triageCommand({ key: "j", altKey: true }), null, "Odoo's hotkeys");
        assert.strictEqual(triageCommand({ key: "J", shiftKey: true }), null);
        assert.strictEqual(triageCommand({ key: "q" }), null);
    });

    QUnit.test("on a focused row the keys are Odoo's own list navigation", (assert) => {
        assert.strictEqual(listHotkey("j"), "arrowdown");
        assert.strictEqual(listHotkey("k"), "arrowup");
        assert.strictEqual(listHotkey("x"), "shift+space");
        assert.strictEqual(listHotkey("enter"), "enter");
        assert.strictEqual(listHotkey("arrowdown"), "arrowdown");
    });

    QUnit.test("a card dropped in another column asks for that column's state", (assert) => {
        const groups = [
            { id: "g1", value: "new", list: { records: [{ id: "r1", resId: 4 }] } },
            { id: "g2", value: "in_progress", list: { records: [] } },
            { id: "g3", value: false, list: { records: [] } },
        ];
        assert.deepEqual(kanbanMove(groups, "r1", "g1", "g2"), { resId: 4, state: "in_progress" });
        assert.strictEqual(kanbanMove(groups, "r1", "g1", "g1"), null, "its own column");
        assert.strictEqual(kanbanMove(groups, "r1", "g1", undefined), null, "no column");
        assert.strictEqual(kanbanMove(groups, "r1", "g1", "g3"), null, "not a state");
        assert.strictEqual(kanbanMove(groups, "r9", "g1", "g2"), null, "unknown card");
    });
});

const FILTERS = [
    "filter_mine",
    "filter_unassigned",
    "filter_open",
    "filter_breached",
    "filter_at_risk",
];

function makeSearchModel(active: string[]) {
    const items: SearchItem[] = FILTERS.map((name, index) => ({ id: index + 1, name }));
    const on = new Set(active);
    const toggled: string[] = [];
    return {
        toggled,
        getSearchItems(predicate?: (item: SearchItem) => boolean): SearchItem[] {
            const enriched = items.map((i) => ({ ...i, isActive: on.has(i.name!) }));
            return predicate ? enriched.filter(predicate) : enriched;
        },
        toggleSearchItem(id: number): void {
            const name = items.find((i) => i.id === id)!.name!;
            toggled.push(name);
            if (on.has(name)) {
                on.delete(name);
            } else {
                on.add(name);
            }
        },
    };
}

QUnit.module("exceptions/TriageDashboard", () => {
    async function mountDashboard(counts: () => TriageCounts, active: string[] = ["filter_open"]) {
        const orm = makeOrm({ "distribution.exception.get_triage_counts": counts });
        const searchModel = makeSearchModel(active);
        const mounted = await mountWithServices(
            TriageDashboard,
            { list: {}, keyboardHint: true },
            { orm },
            { searchModel },
        );
        return { ...mounted, orm, searchModel };
    }

    QUnit.test("the figures of the open exceptions, each a filter", async (assert) => {
        const { target, searchModel, destroy } = await mountDashboard(() => ({
            mine: 2,
            unassigned: 5,
            breached: 1,
            at_risk: 0,
        }));
        await waitFor(() => target.textContent.includes("5"), "the figures");
        const figures = [...target.querySelectorAll<HTMLElement>(".o_dg_triage_figure")];
        assert.deepEqual(
            figures.map((f) => [
                f.dataset["key"],
                f.querySelector(".o_dg_figure_value")!.textContent,
            ]),
            [
                ["mine", "2"],
                ["unassigned", "5"],
                ["breached", "1"],
                ["at_risk", "0"],
            ],
        );
        assert.ok(figures[2]!.querySelector(".text-danger"), "breaches call for attention");
        assert.notOk(figures[3]!.querySelector(".text-warning"), "zero at risk does not");
        assert.ok(target.querySelector(".o_dg_triage_keys"), "the list tells its keys");

        figures[2]!.click();
        assert.deepEqual(searchModel.toggled, ["filter_breached"], "the open filter is on already");
        destroy();
    });

    QUnit.test(
        "an active figure switches its filter off; the open filter comes back on",
        async (assert) => {
            const { target, searchModel, destroy } = await mountDashboard(
                () => ({ mine: 1, unassigned: 0, breached: 0, at_risk: 0 }),
                ["filter_mine"],
            );
            const mine = target.querySelector<HTMLElement>(".o_dg_triage_figure[data-key='mine']")!;
            assert.ok(mine.classList.contains("active"));
            mine.click();
            assert.deepEqual(searchModel.toggled, ["filter_mine"]);
            target
                .querySelector<HTMLElement>(".o_dg_triage_figure[data-key='unassigned']")!
                .click();
            assert.deepEqual(searchModel.toggled, [
                "filter_mine",
                "filter_unassigned",
                "filter_open",
            ]);
            destroy();
        },
    );

    QUnit.test("one read per list, however many times it is set up for it", async (assert) => {
        let answer: (counts: TriageCounts) => void = () => undefined;
        const orm = makeOrm({
            "distribution.exception.get_triage_counts": () =>
                new Promise<TriageCounts>((resolve) => (answer = resolve)),
        });
        const list = {};
        // as OWL does when the kanban renders again before it is shown: a first dashboard set
        // up, then destroyed before its figures come, and a second one for the same list
        const first = await mountWithServices(TriageDashboard, { list }, { orm });
        const second = await mountWithServices(TriageDashboard, { list }, { orm });
        first.destroy();
        answer({ mine: 1, unassigned: 0, breached: 0, at_risk: 0 });
        await waitFor(
            () =>
                second.target.querySelector("[data-key='mine'] .o_dg_figure_value")!.textContent ===
                "1",
            "the figures, asked by the first, shown by the second",
        );
        assert.strictEqual(orm.calls.length, 1, "the second setup reads no more");
        const other = await mountWithServices(TriageDashboard, { list: {} }, { orm });
        await waitFor(() => orm.calls.length === 2, "another list: read again");
        assert.strictEqual(orm.calls.length, 2);
        second.destroy();
        other.destroy();
    });

    QUnit.test("read again when the view reloads, the last answer wins", async (assert) => {
        let answer = 1;
        const { target, orm, component, destroy } = await mountDashboard(() => ({
            mine: answer++,
            unassigned: 0,
            breached: 0,
            at_risk: 0,
        }));
        await waitFor(() => orm.calls.length === 1, "the first read");
        void component.load();
        void component.load();
        await waitFor(
            () => target.querySelector("[data-key='mine'] .o_dg_figure_value")!.textContent === "3",
            "the last answer",
        );
        assert.strictEqual(orm.calls.length, 3);
        destroy();
    });
});

QUnit.module("exceptions/triage list (js_class)", (hooks) => {
    hooks.afterEach(() => {
        listRendererCalls.length = 0;
    });

    // Odoo's list template is not in this tier: the fake's table stands in for it.
    class TestListRenderer extends ExceptionTriageListRenderer {
        static template = ListRenderer.template;
    }

    QUnit.test("is the view dg_exception_triage_list: Odoo's list, its renderer", (assert) => {
        assert.strictEqual(
            registry.category("views").get("dg_exception_triage_list"),
            exceptionTriageListView,
        );
        assert.strictEqual(exceptionTriageListView.Renderer, ExceptionTriageListRenderer);
        assert.strictEqual(exceptionTriageListView.type, "list");
        assert.ok(ExceptionTriageListRenderer.components["TriageDashboard"]);
    });

    QUnit.test("on a focused row, j/k/x run Odoo's arrows and selection", (assert) => {
        const renderer = Object.create(
            ExceptionTriageListRenderer.prototype,
        ) as ExceptionTriageListRenderer;
        const cell = document.createElement("td");
        for (const key of ["j", "k", "x", "enter"]) {
            renderer.onCellKeydownReadOnlyMode(key, cell, null, { id: "r1" });
        }
        assert.deepEqual(
            listRendererCalls.map((c) => c.hotkey),
            ["arrowdown", "arrowup", "shift+space", "enter"],
        );
    });

    QUnit.test(
        "with the focus outside the list, j/k start on its first or last row",
        async (assert) => {
            const list = { records: [{ id: "r1" }, { id: "r2" }, { id: "r3" }] };
            const { target, destroy } = await mountWithServices(
                TestListRenderer,
                { list } as unknown as ExceptionTriageListRenderer["props"],
                {},
            );
            const cell = (id: string) => target.querySelector(`tr[data-id='${id}'] td`);
            document.body.dispatchEvent(new KeyboardEvent("keydown", { key: "j", bubbles: true }));
            assert.strictEqual(document.activeElement, cell("r1"));
            document.body.focus();
            window.dispatchEvent(new KeyboardEvent("keydown", { key: "k" }));
            assert.strictEqual(document.activeElement, cell("r3"));

            const input = document.createElement("input");
            document.getElementById("qunit-fixture")!.appendChild(input);
            input.focus();
            input.dispatchEvent(new KeyboardEvent("keydown", { key: "j", bubbles: true }));
            assert.strictEqual(document.activeElement, input, "typing is left alone");
            input.remove();
            destroy();
        },
    );
});

QUnit.module("exceptions/triage kanban (js_class)", (hooks) => {
    hooks.afterEach(() => {
        kanbanRendererCalls.length = 0;
    });

    class TestKanbanRenderer extends ExceptionKanbanRenderer {
        static template = KanbanRenderer.template;
    }

    function makeList(groupBy = "state") {
        return {
            isGrouped: true,
            groupByField: { name: groupBy, type: groupBy === "state" ? "selection" : "many2one" },
            groups: [
                { id: "g_new", value: "new", list: { records: [{ id: "r1", resId: 4 }] } },
                { id: "g_progress", value: "in_progress", list: { records: [] } },
                { id: "g_resolved", value: "resolved", list: { records: [] } },
                { id: "g_cancelled", value: "cancelled", list: { records: [] } },
            ],
            model: {
                loads: 0,
                load(): Promise<void> {
                    this.loads++;
                    return Promise.resolve();
                },
            },
        };
    }

    async function mountKanban(
        handlers: Record<string, (call: OrmCall) => unknown>,
        groupBy = "state",
    ) {
        const orm = makeOrm(handlers);
        const action = makeActionService();
        const list = makeList(groupBy);
        const mounted = await mountWithServices(TestKanbanRenderer, { list }, { orm, action });
        return { ...mounted, orm, action, list };
    }

    /** What Odoo's sortable hands over when a card is dropped on a column. */
    function drop(groupId: string, hovered = true) {
        const parent = document.createElement("div");
        parent.dataset["id"] = groupId;
        if (hovered) {
            parent.classList.add("o_kanban_hover");
        }
        return { element: document.createElement("article"), parent };
    }

    QUnit.test("is the view dg_exception_kanban: Odoo's kanban, its renderer", (assert) => {
        assert.strictEqual(
            registry.category("views").get("dg_exception_kanban"),
            exceptionKanbanView,
        );
        assert.strictEqual(exceptionKanbanView.Renderer, ExceptionKanbanRenderer);
        assert.strictEqual(exceptionKanbanView.type, "kanban");
    });

    QUnit.test("grouped by state, cards move although the state is read-only", async (assert) => {
        const byState = await mountKanban({});
        assert.true(byState.component.canMoveRecords);
        byState.destroy();
        const byType = await mountKanban({}, "type_id");
        assert.false(byType.component.canMoveRecords, "other groupings: Odoo's rule");
        byType.destroy();
    });

    QUnit.test(
        "a move runs the action on the server; the view reloads after its notification",
        async (assert) => {
            const { component, orm, action, list, env, destroy } = await mountKanban({
                "distribution.exception.action_move": () => notification("EXC/0004: yours now."),
            });
            let changed = 0;
            env.bus.addEventListener("DISTRIBUTION_GOVERNANCE:EXCEPTIONS-CHANGED", () => changed++);
            const params = drop("g_progress");
            await component.sortRecordDrop("r1", "g_new", params);
            assert.deepEqual(
                orm.calls.map((c) => [c.method, c.args]),
                [["action_move", [[4], "in_progress"]]],
            );
            assert.notOk(params.parent.classList.contains("o_kanban_hover"));
            assert.deepEqual(kanbanRendererCalls, [
                ["toggleProcessing", "r1", true],
                ["toggleProcessing", "r1", false],
            ]);
            assert.strictEqual((action.done[0] as { tag: string }).tag, "display_notification");
            await (action.options[0]!["onClose"] as () => Promise<void>)();
            assert.strictEqual(list.model.loads, 1, "the card shows in its new column");
            assert.strictEqual(changed, 1, "the systray hears about it");
            destroy();
        },
    );

    QUnit.test(
        "a move to resolved opens the server's wizard; the view reloads on its close",
        async (assert) => {
            const { component, action, list, destroy } = await mountKanban({
                "distribution.exception.action_move": () => resolveWizard(4),
            });
            await component.sortRecordDrop("r1", "g_new", drop("g_resolved"));
            assert.deepEqual(action.done[0], resolveWizard(4));
            assert.strictEqual(list.model.loads, 0, "still open while the wizard is");
            await (action.options[0]!["onClose"] as () => Promise<void>)();
            assert.strictEqual(list.model.loads, 1);
            destroy();
        },
    );

    QUnit.test("a refused move leaves the card and shows the server's error", async (assert) => {
        const { component, list, destroy } = await mountKanban({
            "distribution.exception.action_move": () => {
                throw serverError("Only an exception manager can cancel exceptions.");
            },
        });
        await assert.rejects(
            component.sortRecordDrop("r1", "g_new", drop("g_cancelled")),
            /Only an exception manager/,
            "the error goes on to Odoo's error dialog",
        );
        assert.strictEqual(list.model.loads, 1, "reloaded: the card is where the server has it");
        assert.deepEqual(kanbanRendererCalls.at(-1), ["toggleProcessing", "r1", false]);
        destroy();
    });

    QUnit.test("dropped in its own column or off any column: nothing asked", async (assert) => {
        const { component, orm, destroy } = await mountKanban({});
        await component.sortRecordDrop("r1", "g_new", drop("g_new"));
        await component.sortRecordDrop("r1", "g_new", drop("g_progress", false));
        await nextRender();
        assert.strictEqual(orm.calls.length, 0);
        destroy();
    });

    QUnit.test(
        "other groupings move as Odoo moves them (the server's write rules)",
        async (assert) => {
            const { component, orm, destroy } = await mountKanban({}, "owner_id");
            const params = drop("g_progress");
            await component.sortRecordDrop("r1", "g_new", params);
            assert.strictEqual(orm.calls.length, 0);
            assert.deepEqual(kanbanRendererCalls, [
                ["sortRecordDrop", "r1", "g_new", params.parent],
            ]);
            destroy();
        },
    );
});
