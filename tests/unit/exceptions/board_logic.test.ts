import {
    activeFilterCount,
    boardCommand,
    defaultFilters,
    flattenGroups,
    groupRows,
    moveFocus,
    normalizeFilters,
    pruneSelection,
    toServerFilters,
    toggleAll,
    toggleFlag,
    toggleSelection,
    toggleValue,
} from "@distribution_governance/exceptions/board_logic";
import { SEVERITIES } from "@distribution_governance/exceptions/labels";
import { makeRow } from "./fixtures";

const TYPES = [
    { id: 1, name: "Stockout" },
    { id: 2, name: "Short pick" },
    { id: 3, name: "Damaged goods" },
];

const ROWS = [
    makeRow({ id: 10, type_id: 3, type: "Damaged goods", state: "in_progress" }),
    makeRow({ id: 11, type_id: 2, type: "Short pick", state: "new", sla_status: "breached" }),
    makeRow({ id: 12, type_id: 1, type: "Stockout", state: "in_progress" }),
    makeRow({ id: 13, type_id: 2, type: "Short pick", state: "in_progress" }),
    makeRow({ id: 14, type_id: 99, type: "Archived type", state: "new" }),
];

QUnit.module("exceptions/board_logic", () => {
    QUnit.module("filters");

    QUnit.test("only active filters go to the server", (assert) => {
        assert.deepEqual(toServerFilters(defaultFilters()), {});
        const filters = {
            ...defaultFilters(),
            mine: true,
            breached: true,
            severities: ["critical" as const],
            warehouse_ids: [4],
        };
        assert.deepEqual(toServerFilters(filters), {
            mine: true,
            breached: true,
            severities: ["critical"],
            warehouse_ids: [4],
        });
        assert.strictEqual(activeFilterCount(filters), 4);
        assert.strictEqual(activeFilterCount(defaultFilters()), 0);
    });

    QUnit.test("server filters are copies, not the board's own arrays", (assert) => {
        const filters = { ...defaultFilters(), type_ids: [1] };
        const sent = toServerFilters(filters);
        sent.type_ids!.push(2);
        assert.deepEqual(filters.type_ids, [1]);
    });

    QUnit.test("mine and unassigned exclude each other", (assert) => {
        const mine = toggleFlag(defaultFilters(), "mine");
        assert.true(mine.mine);
        const unassigned = toggleFlag(mine, "unassigned");
        assert.true(unassigned.unassigned);
        assert.false(unassigned.mine);
        assert.false(toggleFlag(unassigned, "unassigned").unassigned);
        const both = toggleFlag(toggleFlag(defaultFilters(), "breached"), "mine");
        assert.true(both.breached && both.mine, "breached combines with anything");
    });

    QUnit.test("multi-value filters toggle and keep a canonical order", (assert) => {
        let severities = toggleValue([], "low", SEVERITIES);
        severities = toggleValue(severities, "critical", SEVERITIES);
        assert.deepEqual(severities, ["critical", "low"]);
        assert.deepEqual(toggleValue(severities, "low", SEVERITIES), ["critical"]);
        assert.deepEqual(toggleValue([3, 1], 2), [3, 1, 2]);
    });

    QUnit.test("filters from a context or a restored state are sanitised", (assert) => {
        assert.deepEqual(normalizeFilters(undefined), defaultFilters());
        assert.deepEqual(normalizeFilters("mine"), defaultFilters());
        const filters = normalizeFilters({
            mine: true,
            unassigned: true,
            breached: "yes",
            severities: ["low", "bogus", "critical"],
            type_ids: [2, "3", -1, 4.5, 7],
            states: ["resolved", "archived"],
            extra: 1,
        });
        assert.deepEqual(filters, {
            mine: true,
            unassigned: false,
            breached: false,
            severities: ["critical", "low"],
            type_ids: [2, 7],
            warehouse_ids: [],
            states: ["resolved"],
        });
    });

    QUnit.module("grouping");

    QUnit.test("by type follows the types' order, unknown types last", (assert) => {
        const groups = groupRows(ROWS, "type", TYPES);
        assert.deepEqual(
            groups.map((g) => g.label),
            ["Stockout", "Short pick", "Damaged goods", "Archived type"],
        );
        const shortPick = groups[1]!;
        assert.deepEqual(
            shortPick.rows.map((r) => r.id),
            [11, 13],
            "server order kept inside a group",
        );
        assert.strictEqual(shortPick.breached, 1);
        assert.strictEqual(groups[0]!.breached, 0);
    });

    QUnit.test("by state follows the workflow", (assert) => {
        const rows = [...ROWS, makeRow({ id: 15, state: "resolved" })];
        const groups = groupRows(rows, "state", TYPES);
        assert.deepEqual(
            groups.map((g) => [g.key, g.label]),
            [
                ["new", "New"],
                ["in_progress", "In Progress"],
                ["resolved", "Resolved"],
            ],
        );
        assert.deepEqual(
            groups[0]!.rows.map((r) => r.id),
            [11, 14],
        );
    });

    QUnit.test("grouping is stable: same input, same screen", (assert) => {
        const once = groupRows(ROWS, "type", TYPES);
        const twice = groupRows([...ROWS], "type", TYPES);
        assert.deepEqual(
            flattenGroups(once).map((r) => r.id),
            flattenGroups(twice).map((r) => r.id),
        );
        assert.deepEqual(
            flattenGroups(once).map((r) => r.id),
            [12, 11, 13, 10, 14],
        );
        assert.deepEqual(groupRows([], "type", TYPES), []);
    });

    QUnit.module("focus & selection");

    QUnit.test("focus moves by one and stops at the ends", (assert) => {
        const ids = [12, 11, 13];
        assert.strictEqual(moveFocus(ids, null, 1), 12, "down starts at the top");
        assert.strictEqual(moveFocus(ids, null, -1), 13, "up starts at the bottom");
        assert.strictEqual(moveFocus(ids, 12, 1), 11);
        assert.strictEqual(moveFocus(ids, 13, 1), 13);
        assert.strictEqual(moveFocus(ids, 12, -1), 12);
        assert.strictEqual(moveFocus(ids, 99, 1), 12, "a vanished row restarts at the top");
        assert.strictEqual(moveFocus([], 12, 1), null);
    });

    QUnit.test("selection toggles, selects all, and forgets rows that left", (assert) => {
        assert.deepEqual(toggleSelection([], 3), [3]);
        assert.deepEqual(toggleSelection([3, 4], 3), [4]);
        assert.deepEqual(toggleAll([3], [3, 4]), [3, 4]);
        assert.deepEqual(toggleAll([4, 3], [3, 4]), []);
        assert.deepEqual(toggleAll([], []), []);
        assert.deepEqual(pruneSelection([3, 4, 5], [5, 3]), [3, 5]);
    });

    QUnit.test("keys map to board commands outside form fields", (assert) => {
        assert.strictEqual(boardCommand({ key: "j" }), "next");
        assert.strictEqual(boardCommand({ key: "ArrowDown", targetTag: "DIV" }), "next");
        assert.strictEqual(boardCommand({ key: "k" }), "previous");
        assert.strictEqual(boardCommand({ key: "ArrowUp" }), "previous");
        assert.strictEqual(boardCommand({ key: "x" }), "toggle");
        assert.strictEqual(boardCommand({ key: "Enter", targetTag: "TR" }), "open");
        assert.strictEqual(boardCommand({ key: "Enter", targetTag: "BUTTON" }), null);
        assert.strictEqual(boardCommand({ key: "j", targetTag: "INPUT" }), null);
        assert.strictEqual(boardCommand({ key: "ArrowDown", targetTag: "select" }), null);
        assert.strictEqual(boardCommand({ key: "j", ctrlKey: true }), null);
        assert.strictEqual(boardCommand({ key: "q" }), null);
        assert.strictEqual(boardCommand({ key: "j", elsewhere: true }), null, "in a dialog");
    });
});
