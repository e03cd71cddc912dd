import { reactive } from "@odoo/owl";
import { PartialPanel } from "@distribution_governance/approvals/partial_panel/partial_panel";
import type { SavableRecord } from "@distribution_governance/types/approvals";
import type {
    PartialMoveRow,
    PartialPanelData,
    VisiblePartialPanelData,
} from "@distribution_governance/types/partial";
import type { RelationalRecord } from "@distribution_governance/types/services";
import { registry } from "@web/core/registry";
import {
    makeActionService,
    makeDialogService,
    makeOrm,
    mountWithServices,
    waitFor,
    type OrmCall,
} from "../helpers";
import { makeNotification, makeRequest, makeStatusRequest } from "./fixtures";

type FakeRecord = SavableRecord & { loads: number };

function makeRecord(resId: number | false, resModel = "stock.picking"): FakeRecord {
    const record = reactive({
        resModel,
        resId,
        isNew: !resId,
        data: { name: "MDC/OUT/00022" },
        model: { root: undefined as unknown as RelationalRecord },
        loads: 0,
        load(): Promise<void> {
            this.loads++;
            this.data = { ...this.data };
            return Promise.resolve();
        },
        isDirty: () => Promise.resolve(false),
        save: () => Promise.resolve(true),
    });
    record.model.root = record;
    return record;
}

function row(values: Partial<PartialMoveRow> = {}): PartialMoveRow {
    return {
        id: 1,
        product: "Sparkling Mineral Water 0.5 L",
        uom: "Units",
        demand: 48,
        shipped: 36,
        short: 12,
        cancelled: false,
        ...values,
    };
}

function panelData(values: Partial<VisiblePartialPanelData> = {}): VisiblePartialPanelData {
    return {
        visible: true,
        picking_id: 22,
        open: true,
        requirement: "S00029 is to be delivered all at once.",
        state: "pending",
        state_label: "Partial shipment to approve",
        short_count: 1,
        approved_now: false,
        rows: [row(), row({ id: 2, product: "Green Tea", demand: 12, shipped: 12, short: 0 })],
        request: makeStatusRequest({ id: 43, name: "APR/2026/00043", waiting_for: "Morgan" }),
        ...values,
    };
}

const PANEL = "distribution.approval.request.get_partial_panel_data";
const text = (root: HTMLElement, selector: string) =>
    root.querySelector(selector)?.textContent?.replace(/\s+/g, " ").trim() ?? null;

async function mountPanel(record: FakeRecord, handlers: Record<string, (c: OrmCall) => unknown>) {
    const orm = makeOrm(handlers);
    const dialog = makeDialogService();
    const action = makeActionService();
    const mounted = await mountWithServices(
        PartialPanel,
        { record, readonly: false },
        { orm, dialog, action },
    );
    return { ...mounted, orm, dialog, action };
}

QUnit.module("approvals/PartialPanel", () => {
    QUnit.test("is the view widget dg_partial_panel", (assert) => {
        const widget = registry.category("view_widgets").get("dg_partial_panel") as {
            component: unknown;
        };
        assert.strictEqual(widget.component, PartialPanel);
    });

    QUnit.test("renders nothing on a delivery that may ship short", async (assert) => {
        const { target, orm, destroy } = await mountPanel(makeRecord(22), {
            [PANEL]: (): PartialPanelData => ({ visible: false }),
        });
        assert.deepEqual(orm.calls[0]!.args, ["stock.picking", 22]);
        assert.strictEqual(target.innerHTML, "");
        destroy();
    });

    QUnit.test("the picker: why, what ships short, his request, no decision", async (assert) => {
        const { target, destroy } = await mountPanel(makeRecord(22), {
            [PANEL]: () =>
                panelData({
                    request: makeRequest({
                        id: 43,
                        name: "APR/2026/00043",
                        can_justify: true,
                        can_decide: false,
                        waiting_for: "Morgan",
                    }),
                }),
        });
        const panel = target.querySelector<HTMLElement>(".o_dg_partial_panel")!;
        assert.strictEqual(panel.dataset["state"], "pending");
        assert.strictEqual(
            text(panel, ".o_dg_requirement"),
            "S00029 is to be delivered all at once.",
        );
        assert.strictEqual(
            text(panel, ".o_dg_summary"),
            "Validating now ships 1 move short of its demand",
        );
        // a move short: the moves are open at once
        const rows = [...panel.querySelectorAll<HTMLElement>(".o_dg_partial_row")];
        assert.deepEqual(
            rows.map((r) => r.dataset["short"]),
            ["12", "0"],
        );
        assert.ok(rows[0]!.classList.contains("o_dg_partial_short"));
        assert.strictEqual(text(rows[1]!, ".o_dg_short"), "");
        assert.ok(text(panel, ".o_dg_waiting_for")!.includes("Morgan"));
        assert.ok(panel.querySelector(".o_dg_justify"), "he may justify his request");
        assert.notOk(panel.querySelector(".o_dg_approve"), "no button he could never use");
        destroy();
    });

    QUnit.test("the stock manager approves in one RPC, then the form reloads", async (assert) => {
        let state: "pending" | "approved" = "pending";
        const record = makeRecord(22);
        const done = makeNotification("MDC/OUT/00022: partial shipment approved.");
        const { target, orm, dialog, action, destroy } = await mountPanel(record, {
            [PANEL]: () =>
                state === "pending"
                    ? panelData({ request: makeStatusRequest({ id: 43, can_decide: true }) })
                    : panelData({
                          state: "approved",
                          state_label: "Partial shipment approved",
                          approved_now: true,
                          request: makeStatusRequest({ id: 43, state: "approved" }),
                      }),
            "distribution.approval.request.action_approve": () => {
                state = "approved";
                return done;
            },
        });
        const panel = target.querySelector<HTMLElement>(".o_dg_partial_panel")!;
        panel.querySelector<HTMLButtonElement>(".o_dg_approve")!.click();
        const opened = dialog.open[0]!;
        await opened.ready;
        const reason = opened.target.querySelector<HTMLTextAreaElement>(".o_dg_decision_reason")!;
        reason.value = "Customer agreed";
        reason.dispatchEvent(new Event("input"));
        opened.target.querySelector<HTMLButtonElement>(".o_dg_decision_confirm")!.click();
        await waitFor(() => opened.closed, "the dialog to close");
        await waitFor(
            () => text(target, ".o_dg_partial_badge") === "Partial shipment approved",
            "the reload",
        );
        assert.ok(target.querySelector(".o_dg_approved_now"));
        const approve = orm.calls.filter((c) => c.method === "action_approve");
        assert.deepEqual(approve[0]!.args, [[43], "Customer agreed"]);
        assert.deepEqual(action.done, [done]);
        assert.strictEqual(record.loads, 1, "the form reloads");
        destroy();
    });

    QUnit.test("on the request's form: the moves, not the request again", async (assert) => {
        const { target, orm, destroy } = await mountPanel(
            makeRecord(43, "distribution.approval.request"),
            { [PANEL]: () => panelData() },
        );
        assert.deepEqual(orm.calls[0]!.args, ["distribution.approval.request", 43]);
        assert.ok(target.querySelector(".o_dg_partial_row"));
        assert.notOk(target.querySelector(".o_dg_request"));
        destroy();
    });
});
