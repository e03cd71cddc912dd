import { reactive } from "@odoo/owl";
import { ExceptionPanel } from "@distribution_governance/exceptions/exception_panel/exception_panel";
import {
    alternativesText,
    formatExpectedTime,
    similarCasesAction,
    suggestionLines,
} from "@distribution_governance/exceptions/suggestion_logic";
import { panelSummary } from "@distribution_governance/exceptions/panel_logic";
import type { ExceptionRow } from "@distribution_governance/types/exceptions";
import type { RelationalRecord } from "@distribution_governance/types/services";
import type { TriageSuggestion } from "@distribution_governance/types/triage";
import {
    makeActionService,
    makeOrm,
    mountWithServices,
    nextRender,
    serverError,
    waitFor,
    type OrmCall,
} from "../helpers";
import { makeRow, makeSuggestion, resolveWizard, rights } from "./fixtures";

type FakeRecord = RelationalRecord & { loads: number };

function makeRecord(resId: number, resModel = "sale.order"): FakeRecord {
    const record = reactive({
        resModel,
        resId,
        isNew: false,
        data: { name: "S00005" },
        model: { root: undefined as unknown as RelationalRecord },
        loads: 0,
        load(): Promise<void> {
            this.loads++;
            this.data = { ...this.data };
            return Promise.resolve();
        },
        isDirty(): Promise<boolean> {
            return Promise.resolve(false);
        },
    });
    record.model.root = record;
    return record;
}

async function mountPanel(
    rows: () => ExceptionRow[],
    suggestions: (call: OrmCall) => unknown,
    handlers: Record<string, (call: OrmCall) => unknown> = {},
) {
    const record = makeRecord(5);
    const orm = makeOrm({
        "distribution.exception.get_panel_data": () => ({ ...rights(), exceptions: rows() }),
        "distribution.exception.get_triage_suggestion": suggestions,
        ...handlers,
    });
    const action = makeActionService();
    const mounted = await mountWithServices(
        ExceptionPanel,
        { record, readonly: false },
        { orm, action },
    );
    return { ...mounted, orm, action, record };
}

const text = (el: Element | null) => (el?.textContent ?? "").replace(/\s+/g, " ").trim();
const calls = (all: OrmCall[], method: string) => all.filter((c) => c.method === method);

/** The composer window action_notify_customer answers with (mail.compose.message). */
const composer = {
    type: "ir.actions.act_window",
    res_model: "mail.compose.message",
    views: [[false, "form"]],
    target: "new",
    context: { default_model: "sale.order", default_res_ids: [5], default_template_id: 4 },
};

QUnit.module("exceptions/suggestion_logic", () => {
    QUnit.test("expected time as a person says it", (assert) => {
        assert.strictEqual(formatExpectedTime(false), "");
        assert.strictEqual(formatExpectedTime(-1), "");
        assert.strictEqual(formatExpectedTime(0.004), "under a minute", "never 0 min");
        assert.strictEqual(formatExpectedTime(0.02), "1 min");
        assert.strictEqual(formatExpectedTime(0.75), "45 min");
        assert.strictEqual(formatExpectedTime(3), "3 h");
        assert.strictEqual(formatExpectedTime(2.7), "2.5 h", "half hours below 10 h");
        assert.strictEqual(formatExpectedTime(26.4), "26 h");
        assert.strictEqual(formatExpectedTime(60), "2.5 days");
    });

    QUnit.test("the lines: votes of similar cases, Apply only where allowed", (assert) => {
        const lines = suggestionLines(
            makeSuggestion({
                applied: { owner: true, severity: false, resolution: false },
                can_apply: { owner: true, severity: false, resolution: true },
            }),
        );
        assert.deepEqual(
            lines.map((l) => [l.part, l.value, l.votes, l.canApply, l.applied]),
            [
                ["owner", "Jane Smith", "6 of 9", false, true],
                ["resolution", "Backorder", "7 of 9", true, false],
                ["severity", "High", "5 of 9", false, false],
                [null, "3 h", "", false, false],
            ],
            "an applied part is not offered again; expected time has nothing to apply",
        );
        const defaults = suggestionLines(
            makeSuggestion({ basis: "type_default", owner: false, expected_hours: false }),
        );
        assert.deepEqual(
            defaults.map((l) => [l.part, l.votes]),
            [
                ["resolution", ""],
                ["severity", ""],
            ],
            "no votes to show for the type's defaults; no line without a suggestion",
        );
    });

    QUnit.test("alternatives: the runners-up, at most three", (assert) => {
        const s = makeSuggestion();
        assert.strictEqual(alternativesText(s.alternatives.owner, s.owner), "Bob 2 · Ann 1");
        const many = [1, 2, 3, 4, 5].map((id) => ({ id, name: `U${id}`, votes: 6 - id }));
        assert.strictEqual(alternativesText(many, false), "U1 5 · U2 4 · U3 3");
        assert.strictEqual(alternativesText([], false), "");
    });

    QUnit.test("similar cases: a standard list of the ids the server gave", (assert) => {
        const action = similarCasesAction(makeSuggestion());
        assert.strictEqual(action.res_model, "distribution.exception");
        assert.deepEqual(action.domain, [["id", "in", [101, 102, 103]]]);
        assert.deepEqual(action.views[0], [false, "list"]);
    });

    QUnit.test("a customer notice makes several exceptions worth unfolding", (assert) => {
        const idle = { can_take: false, can_resolve: false };
        assert.false(panelSummary([makeRow(idle), makeRow({ ...idle, id: 2 })]).actionable);
        assert.true(
            panelSummary([makeRow(idle), makeRow({ ...idle, id: 2, can_notify_customer: true })])
                .actionable,
        );
    });
});

QUnit.module("exceptions/ExceptionPanel suggestions", () => {
    QUnit.test("one call for all the exceptions; each shows its suggestion", async (assert) => {
        const rows = [makeRow(), makeRow({ id: 2, name: "EXC/0002" })];
        const { target, orm, destroy } = await mountPanel(
            () => rows,
            () => [
                makeSuggestion(),
                makeSuggestion({
                    exception_id: 2,
                    basis: "type_default",
                    similar_count: 2,
                    explanation: "Only 2 similar cases: the type's defaults.",
                    owner: false,
                    similar_ids: [],
                    alternatives: { resolution: [], owner: [] },
                }),
            ],
        );
        const loads = calls(orm.calls, "get_triage_suggestion");
        assert.strictEqual(loads.length, 1);
        assert.deepEqual(loads[0]!.args, [[1, 2]]);
        target.querySelector<HTMLElement>(".o_dg_panel_toggle")!.click();
        await waitFor(() => Boolean(target.querySelector(".o_dg_panel_rows")), "the detail");
        const [first, second] = [...target.querySelectorAll(".o_dg_panel_rows .o_dg_panel_row")];
        const one = first!.querySelector(".o_dg_suggestion")!;
        assert.ok(text(one).includes("7 of the 9 most similar"));
        assert.notOk(one.querySelector(".o_dg_suggestion_defaults"));
        assert.strictEqual(text(one.querySelector(".o_dg_similar")), "Similar cases (3)");
        assert.deepEqual(
            [...one.querySelectorAll<HTMLElement>(".o_dg_apply")].map((b) => b.dataset["part"]),
            ["owner", "resolution", "severity"],
        );
        assert.strictEqual(
            text(one.querySelector(".o_dg_suggestion_alternatives")),
            "Other playbooks: Substitute 2",
        );
        const two = second!.querySelector(".o_dg_suggestion")!;
        assert.strictEqual(text(two.querySelector(".o_dg_suggestion_defaults")), "Type defaults");
        assert.notOk(two.querySelector(".o_dg_similar"), "no similar case to open");
        assert.notOk(two.querySelector("[data-part='owner']"));
        destroy();
    });

    QUnit.test("one exception: the suggestion sits under its line", async (assert) => {
        const { target, destroy } = await mountPanel(
            () => [makeRow()],
            () => [
                makeSuggestion({ can_apply: { owner: false, severity: false, resolution: true } }),
            ],
        );
        const block = target.querySelector(".o_dg_panel_suggestion .o_dg_suggestion")!;
        assert.ok(block, "shown without unfolding anything");
        assert.deepEqual(
            [...block.querySelectorAll<HTMLElement>(".o_dg_apply")].map((b) => b.dataset["part"]),
            ["resolution"],
            "only what the server allows",
        );
        assert.strictEqual(
            text(block.querySelector("[data-part='expected'] .o_dg_suggestion_value")),
            "3 h",
        );
        destroy();
    });

    QUnit.test("Apply owner: the server applies it, then the form reloads", async (assert) => {
        let applied = false;
        const { target, orm, action, record, destroy } = await mountPanel(
            () => [makeRow({ owner: applied ? [21, "Jane Smith"] : false })],
            () => [
                makeSuggestion({
                    applied: { owner: applied, severity: false, resolution: false },
                }),
            ],
            {
                "distribution.exception.action_apply_triage": () => {
                    applied = true;
                    return true;
                },
            },
        );
        target.querySelector<HTMLElement>(".o_dg_apply[data-part='owner']")!.click();
        await waitFor(() => record.loads === 1, "the form to reload");
        const apply = calls(orm.calls, "action_apply_triage");
        assert.deepEqual(apply[0]!.args, [[1], "owner"]);
        assert.strictEqual(action.done.length, 0, "nothing else to show");
        await waitFor(
            () => !target.querySelector(".o_dg_apply[data-part='owner']"),
            "the Apply button to go",
        );
        assert.ok(target.querySelector("[data-part='owner'] .o_dg_applied"));
        assert.ok(text(target.querySelector(".o_dg_owner")).includes("Jane Smith"));
        assert.strictEqual(calls(orm.calls, "get_triage_suggestion").length, 2, "reloaded too");
        destroy();
    });

    QUnit.test("Apply playbook opens the resolve wizard; nothing more", async (assert) => {
        const { target, action, record, destroy } = await mountPanel(
            () => [makeRow()],
            () => [makeSuggestion()],
            { "distribution.exception.action_apply_triage": () => resolveWizard(1) },
        );
        target.querySelector<HTMLElement>(".o_dg_apply[data-part='resolution']")!.click();
        await waitFor(() => action.done.length === 1, "the wizard");
        assert.deepEqual(action.done[0], resolveWizard(1));
        assert.strictEqual(record.loads, 0, "nothing resolved while the wizard is open");
        await (action.options[0]!["onClose"] as () => Promise<void>)();
        assert.strictEqual(record.loads, 1);
        destroy();
    });

    QUnit.test("a refused Apply reloads the panel and lets Odoo show why", async (assert) => {
        const { orm, component, destroy } = await mountPanel(
            () => [makeRow()],
            () => [makeSuggestion()],
            {
                "distribution.exception.action_apply_triage": () => {
                    throw serverError("Only exception managers may assign exceptions.");
                },
            },
        );
        await assert.rejects(component.apply(makeRow(), "owner"), /exception managers/);
        await nextRender();
        assert.strictEqual(calls(orm.calls, "get_panel_data").length, 2);
        assert.false(component.actions.state.busy);
        destroy();
    });

    QUnit.test("Similar cases opens their list", async (assert) => {
        const { target, action, destroy } = await mountPanel(
            () => [makeRow()],
            () => [makeSuggestion()],
        );
        target.querySelector<HTMLElement>(".o_dg_similar")!.click();
        await waitFor(() => action.done.length === 1, "the list");
        assert.deepEqual(action.done[0], similarCasesAction(makeSuggestion()));
        destroy();
    });

    QUnit.test("without suggestions (refused or failing) the panel still works", async (assert) => {
        const { target, destroy } = await mountPanel(
            () => [makeRow()],
            () => {
                throw serverError("boom");
            },
        );
        assert.ok(target.querySelector(".o_dg_panel_line .o_dg_take"));
        assert.notOk(target.querySelector(".o_dg_suggestion"));
        assert.notOk(target.querySelector(".o_dg_panel_error"), "no error for a mere help");
        destroy();
    });

    QUnit.test("no exception, no suggestion call", async (assert) => {
        const { orm, destroy } = await mountPanel(
            () => [],
            () => [],
        );
        assert.strictEqual(calls(orm.calls, "get_triage_suggestion").length, 0);
        destroy();
    });

    QUnit.test(
        "Notify Customer: only when allowed; opens the composer, its closing reloads the form",
        async (assert) => {
            const none = await mountPanel(
                () => [makeRow()],
                () => [] as TriageSuggestion[],
            );
            assert.notOk(none.target.querySelector(".o_dg_notify_customer"));
            none.destroy();

            const { target, orm, action, record, destroy } = await mountPanel(
                () => [makeRow({ can_notify_customer: true })],
                () => [],
                { "distribution.exception.action_notify_customer": () => composer },
            );
            target.querySelector<HTMLElement>(".o_dg_notify_customer")!.click();
            await waitFor(() => action.done.length === 1, "the composer");
            assert.deepEqual(calls(orm.calls, "action_notify_customer")[0]!.args, [[1]]);
            assert.deepEqual(action.done[0], composer);
            assert.strictEqual(record.loads, 0, "nothing sent before Send");
            await (action.options[0]!["onClose"] as () => Promise<void>)();
            assert.strictEqual(record.loads, 1, "the chatter follows");
            destroy();
        },
    );
});
