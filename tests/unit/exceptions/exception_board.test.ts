import { ExceptionBoard } from "@distribution_governance/exceptions/exception_board/exception_board";
import { exceptionFormAction } from "@distribution_governance/exceptions/workflow";
import type { BoardData, ExceptionRow } from "@distribution_governance/types/exceptions";
import { registry } from "@web/core/registry";
import { setupActionCalls } from "../fakes/web/search/action_hook";
import {
    makeActionService,
    makeDialogService,
    makeNotificationService,
    makeOrm,
    mountWithServices,
    nextRender,
    waitFor,
    type OrmCall,
} from "../helpers";
import { boardData, makeRow } from "./fixtures";

const ROWS: ExceptionRow[] = [
    makeRow({ id: 21, name: "EXC/0021", type_id: 3, type: "Damaged goods", state: "in_progress" }),
    makeRow({ id: 22, name: "EXC/0022", type_id: 2, type: "Short pick", sla_status: "breached" }),
    makeRow({ id: 23, name: "EXC/0023", type_id: 1, type: "Stockout" }),
    makeRow({ id: 24, name: "EXC/0024", type_id: 2, type: "Short pick", state: "in_progress" }),
];

async function mountBoard(
    data: (call: OrmCall) => BoardData,
    props: Record<string, unknown> = { action: { name: "Exceptions" } },
    extra: Record<string, (call: OrmCall) => unknown> = {},
) {
    const orm = makeOrm({ "distribution.exception.get_board_data": data, ...extra });
    const action = makeActionService();
    const notification = makeNotificationService();
    const mounted = await mountWithServices(ExceptionBoard, props, {
        orm,
        action,
        notification,
        dialog: makeDialogService(),
    });
    return { ...mounted, orm, action, notification };
}

const boardCalls = (calls: OrmCall[]) => calls.filter((c) => c.method === "get_board_data");
const shownIds = (target: HTMLElement) =>
    [...target.querySelectorAll<HTMLElement>(".o_dg_board_row")].map((r) =>
        Number(r.dataset["id"]),
    );

function press(target: HTMLElement, key: string): void {
    target
        .querySelector(".o_dg_board")!
        .dispatchEvent(new KeyboardEvent("keydown", { key, bubbles: true, cancelable: true }));
}

QUnit.module("exceptions/ExceptionBoard", () => {
    QUnit.test("is the client action of the Exceptions menu", (assert) => {
        assert.strictEqual(
            registry.category("actions").get("distribution_governance.exception_board"),
            ExceptionBoard,
        );
    });

    QUnit.test(
        "one RPC per load; grouped by type, or by state without asking again",
        async (assert) => {
            const { target, orm, destroy } = await mountBoard(() => boardData(ROWS));
            assert.strictEqual(orm.calls.length, 1);
            assert.deepEqual(orm.calls[0]!.args, [{}], "no filter: the server's open exceptions");
            assert.strictEqual(
                target.querySelector(".o_control_panel .o_dg_board_title")!.textContent,
                "Exceptions",
            );
            const labels = () =>
                [...target.querySelectorAll(".o_dg_group_label")].map((l) => l.textContent);
            assert.deepEqual(labels(), ["Stockout", "Short pick", "Damaged goods"]);
            assert.deepEqual(shownIds(target), [23, 22, 24, 21]);
            assert.strictEqual(
                target
                    .querySelector("[data-group='type_2'] .badge.text-bg-danger")!
                    .textContent.trim(),
                "1 breached",
            );
            target.querySelector<HTMLElement>(".o_dg_group_state")!.click();
            await waitFor(() => labels()[0] === "New", "groups by state");
            assert.deepEqual(labels(), ["New", "In Progress"]);
            assert.deepEqual(shownIds(target), [22, 23, 21, 24]);
            assert.strictEqual(orm.calls.length, 1, "regrouping is client-side");
            destroy();
        },
    );

    QUnit.test("filters go to the server as the filters dict", async (assert) => {
        const { target, orm, destroy } = await mountBoard(() => boardData(ROWS));
        const lastArgs = () => boardCalls(orm.calls).at(-1)!.args;
        target.querySelector<HTMLElement>(".o_dg_filter_mine")!.click();
        await waitFor(() => boardCalls(orm.calls).length === 2, "reload");
        assert.deepEqual(lastArgs(), [{ mine: true }]);
        await waitFor(
            () => target.querySelector(".o_dg_filter_mine")!.classList.contains("active"),
            "the Mine button to be pressed",
        );

        target.querySelector<HTMLElement>(".o_dg_filter_unassigned")!.click();
        await waitFor(() => boardCalls(orm.calls).length === 3, "reload");
        assert.deepEqual(
            lastArgs(),
            [{ unassigned: true }],
            "mine and unassigned exclude each other",
        );

        target
            .querySelector<HTMLElement>(".o_dg_filter_severity[data-severity='critical']")!
            .click();
        await waitFor(() => boardCalls(orm.calls).length === 4, "reload");
        target.querySelector<HTMLElement>(".o_dg_filter_breached")!.click();
        await waitFor(() => boardCalls(orm.calls).length === 5, "reload");
        const type = target.querySelector<HTMLSelectElement>(".o_dg_filter_type")!;
        type.value = "2";
        type.dispatchEvent(new Event("change"));
        await waitFor(() => boardCalls(orm.calls).length === 6, "reload");
        const status = target.querySelector<HTMLSelectElement>(".o_dg_filter_state")!;
        status.value = "resolved";
        status.dispatchEvent(new Event("change"));
        await waitFor(() => boardCalls(orm.calls).length === 7, "reload");
        assert.deepEqual(lastArgs(), [
            {
                unassigned: true,
                breached: true,
                severities: ["critical"],
                type_ids: [2],
                states: ["resolved"],
            },
        ]);
        target.querySelector<HTMLElement>(".o_dg_clear_filters")!.click();
        await waitFor(() => boardCalls(orm.calls).length === 8, "reload");
        assert.deepEqual(lastArgs(), [{}]);
        destroy();
    });

    QUnit.test("opens with the filters of the action context (systray link)", async (assert) => {
        const { target, orm, destroy } = await mountBoard(() => boardData(ROWS), {
            action: { name: "Exceptions", context: { dg_board_filters: { mine: true, bogus: 1 } } },
        });
        assert.deepEqual(orm.calls[0]!.args, [{ mine: true }]);
        assert.ok(target.querySelector(".o_dg_filter_mine")!.classList.contains("active"));
        destroy();
    });

    QUnit.test("keyboard: j/k move, Enter opens the standard form", async (assert) => {
        const { target, action, destroy } = await mountBoard(() => boardData(ROWS));
        const focused = () =>
            Number(
                target.querySelector<HTMLElement>(".o_dg_board_row.o_dg_focused")?.dataset["id"],
            );
        press(target, "j");
        await waitFor(() => focused() === 23, "focus on the first row");
        press(target, "j");
        press(target, "ArrowDown");
        await waitFor(() => focused() === 24, "focus two rows down");
        press(target, "k");
        await waitFor(() => focused() === 22, "focus one row up");
        press(target, "x");
        await nextRender();
        assert.notOk(target.querySelector(".o_dg_select"), "no selection for a non-manager");
        press(target, "Enter");
        await nextRender();
        assert.deepEqual(action.done, [exceptionFormAction(22)]);
        destroy();
    });

    QUnit.test("clicking a row opens its form; the action buttons do not", async (assert) => {
        let taken = false;
        const { target, orm, action, destroy } = await mountBoard(
            () =>
                boardData(ROWS.map((r) => (taken && r.id === 23 ? { ...r, owner: [7, "Me"] } : r))),
            undefined,
            { "distribution.exception.action_take_ownership": () => (taken = true) },
        );
        target.querySelector<HTMLElement>(".o_dg_board_row[data-id='21'] .o_dg_partner")!.click();
        await nextRender();
        assert.deepEqual(action.done, [exceptionFormAction(21)]);
        target.querySelector<HTMLElement>(".o_dg_board_row[data-id='23'] .o_dg_take")!.click();
        await waitFor(() => boardCalls(orm.calls).length === 2, "reload after taking");
        assert.deepEqual(orm.calls.find((c) => c.method === "action_take_ownership")!.args, [[23]]);
        assert.strictEqual(action.done.length, 1, "the Take click did not open the row");
        await waitFor(
            () => !target.querySelector(".o_dg_board_row[data-id='23'] .o_dg_take"),
            "the Take button to go",
        );
        destroy();
    });

    QUnit.test("managers select rows (click or x) and assign them in bulk", async (assert) => {
        let assigned = false;
        const users = [
            { id: 7, name: "Me" },
            { id: 8, name: "Picker Pete" },
        ];
        const { target, orm, notification, destroy } = await mountBoard(
            () =>
                boardData(
                    ROWS.map((r) =>
                        assigned && [22, 23].includes(r.id)
                            ? { ...r, owner: [8, "Picker Pete"] }
                            : r,
                    ),
                    { can_manage: true, users },
                ),
            undefined,
            { "distribution.exception.action_assign": () => (assigned = true) },
        );
        assert.notOk(target.querySelector(".o_dg_bulk"), "no bulk bar without a selection");
        target.querySelector<HTMLElement>(".o_dg_board_row[data-id='23'] .o_dg_select")!.click();
        press(target, "j");
        press(target, "j");
        press(target, "x");
        await waitFor(() => Boolean(target.querySelector(".o_dg_bulk")), "the bulk bar");
        assert.strictEqual(
            target.querySelector(".o_dg_selected_count")!.textContent.trim(),
            "2 selected",
        );
        const assign = target.querySelector<HTMLButtonElement>(".o_dg_assign")!;
        assert.true(assign.disabled, "pick a user first");
        const userSelect = target.querySelector<HTMLSelectElement>(".o_dg_assign_user")!;
        userSelect.value = "8";
        userSelect.dispatchEvent(new Event("change"));
        await waitFor(
            () => !target.querySelector<HTMLButtonElement>(".o_dg_assign")!.disabled,
            "enabled",
        );
        target.querySelector<HTMLElement>(".o_dg_assign")!.click();
        await waitFor(() => !target.querySelector(".o_dg_bulk"), "the selection to clear");
        const call = orm.calls.find((c) => c.method === "action_assign")!;
        assert.deepEqual(call.args, [[23, 22], 8]);
        assert.strictEqual(boardCalls(orm.calls).length, 2, "the board reloads once");
        assert.deepEqual(notification.messages, [
            { message: "2 exception(s) assigned to Picker Pete.", type: "success" },
        ]);
        destroy();
    });

    QUnit.test("select all toggles every visible row", async (assert) => {
        const { target, destroy } = await mountBoard(() => boardData(ROWS, { can_manage: true }));
        target.querySelector<HTMLElement>(".o_dg_select_all")!.click();
        await waitFor(() => Boolean(target.querySelector(".o_dg_bulk")), "the bulk bar");
        assert.strictEqual(
            target.querySelector(".o_dg_selected_count")!.textContent.trim(),
            "4 selected",
        );
        target.querySelector<HTMLElement>(".o_dg_select_all")!.click();
        await waitFor(() => !target.querySelector(".o_dg_bulk"), "the selection to clear");
        assert.ok(true);
        destroy();
    });

    QUnit.test("hands its filters back to the breadcrumb, and restores them", async (assert) => {
        const first = await mountBoard(() => boardData(ROWS));
        first.target.querySelector<HTMLElement>(".o_dg_filter_breached")!.click();
        await waitFor(() => boardCalls(first.orm.calls).length === 2, "reload");
        first.target.querySelector<HTMLElement>(".o_dg_group_state")!.click();
        const saved = setupActionCalls.at(-1)!.getLocalState!();
        assert.deepEqual(saved["groupBy"], "state");
        assert.true((saved["filters"] as { breached: boolean }).breached);
        first.destroy();

        const again = await mountBoard(() => boardData(ROWS), { action: {}, state: saved });
        assert.deepEqual(again.orm.calls[0]!.args, [{ breached: true }]);
        assert.ok(again.target.querySelector(".o_dg_group_state")!.classList.contains("active"));
        again.destroy();
    });

    QUnit.test("says when nothing matches", async (assert) => {
        const { target, destroy } = await mountBoard(() => boardData([]));
        assert.ok(target.querySelector(".o_dg_board_empty"));
        assert.notOk(target.querySelector(".o_dg_board_table"));
        destroy();
    });
});
