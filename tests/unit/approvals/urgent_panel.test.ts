import { reactive } from "@odoo/owl";
import { UrgentPanel } from "@distribution_governance/approvals/urgent_panel/urgent_panel";
import type {
    SavableRecord,
    UrgentPanelData,
    UrgentTransferRow,
    VisibleUrgentPanelData,
} from "@distribution_governance/types/approvals";
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
import { makeNotification, makeStatusRequest } from "./fixtures";

type FakeRecord = SavableRecord & { loads: number };

function makeRecord(resId: number | false, resModel = "sale.order"): FakeRecord {
    const record = reactive({
        resModel,
        resId,
        isNew: !resId,
        data: { name: "S00023" },
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

function transfer(values: Partial<UrgentTransferRow> = {}): UrgentTransferRow {
    return {
        id: 7,
        name: "MDC/OUT/00007",
        priority: "0",
        state: "assigned",
        state_label: "Ready",
        reserved: 2,
        demand: 5,
        ...values,
    };
}

function urgentRequest(canDecide = false): VisibleUrgentPanelData["request"] {
    return {
        ...makeStatusRequest({
            id: 51,
            name: "APR/2026/00051",
            waiting_for: "Morgan",
            can_decide: canDecide,
        }),
        justification: "Line down",
        requested_by: "Riley",
    };
}

function panelData(values: Partial<VisibleUrgentPanelData> = {}): VisibleUrgentPanelData {
    return {
        visible: true,
        order_id: 23,
        order_name: "S00023",
        urgent_state: "pending",
        urgent_label: "Urgent: waiting for approval",
        can_request: false,
        transfers: [transfer()],
        request: urgentRequest(),
        ...values,
    };
}

const PANEL = "distribution.approval.request.get_urgent_panel_data";
const text = (root: HTMLElement, selector: string) =>
    root.querySelector(selector)?.textContent?.replace(/\s+/g, " ").trim() ?? null;

async function mountPanel(record: FakeRecord, handlers: Record<string, (c: OrmCall) => unknown>) {
    const orm = makeOrm(handlers);
    const dialog = makeDialogService();
    const action = makeActionService();
    const mounted = await mountWithServices(
        UrgentPanel,
        { record, readonly: false },
        { orm, dialog, action },
    );
    return { ...mounted, orm, dialog, action };
}

QUnit.module("approvals/UrgentPanel", () => {
    QUnit.test("is the view widget dg_urgent_panel", (assert) => {
        const widget = registry.category("view_widgets").get("dg_urgent_panel") as {
            component: unknown;
        };
        assert.strictEqual(widget.component, UrgentPanel);
    });

    QUnit.test("renders nothing when the governance is off", async (assert) => {
        const { target, orm, destroy } = await mountPanel(makeRecord(23), {
            [PANEL]: (): UrgentPanelData => ({ visible: false }),
        });
        assert.deepEqual(orm.calls[0]!.args, ["sale.order", 23]);
        assert.strictEqual(target.innerHTML, "");
        destroy();
    });

    QUnit.test(
        "the rep: Expedite opens the server's dialog, the form reloads after",
        async (assert) => {
            const record = makeRecord(23);
            const wizard = {
                type: "ir.actions.act_window",
                res_model: "distribution.urgent.request.wizard",
            };
            const { target, orm, action, destroy } = await mountPanel(record, {
                [PANEL]: () =>
                    panelData({
                        urgent_state: "none",
                        urgent_label: "Not urgent",
                        can_request: true,
                        request: false,
                    }),
                "sale.order.action_dg_urgent_request": () => wizard,
            });
            const panel = target.querySelector<HTMLElement>(".o_dg_urgent_panel")!;
            assert.strictEqual(panel.dataset["urgent"], "none");
            assert.notOk(panel.querySelector(".o_dg_urgent_badge"));
            assert.ok(text(panel, ".o_dg_summary")!.startsWith("Normal priority"));
            panel.querySelector<HTMLButtonElement>(".o_dg_expedite")!.click();
            await waitFor(() => action.done.length === 1, "the wizard");
            const call = orm.calls.find((c) => c.method === "action_dg_urgent_request")!;
            assert.deepEqual(call.args, [[23]]);
            assert.deepEqual(action.done, [wizard]);
            const onClose = action.options[0]!["onClose"] as () => Promise<void>;
            await onClose();
            assert.strictEqual(record.loads, 1, "the form reloads when the dialog closes");
            destroy();
        },
    );

    QUnit.test("pending, for the rep: where it stands, no buttons", async (assert) => {
        const { target, destroy } = await mountPanel(makeRecord(23), {
            [PANEL]: () => panelData(),
        });
        const panel = target.querySelector<HTMLElement>(".o_dg_urgent_panel")!;
        assert.strictEqual(text(panel, ".o_dg_urgent_badge"), "Urgent: waiting for approval");
        assert.strictEqual(text(panel, ".o_dg_request_state"), "Pending");
        assert.strictEqual(text(panel, ".o_dg_justification"), "Line down");
        assert.strictEqual(text(panel, ".o_dg_reserved"), "2 / 5 reserved");
        assert.notOk(panel.querySelector(".o_dg_approve"));
        assert.notOk(panel.querySelector(".o_dg_expedite"));
        destroy();
    });

    QUnit.test("the warehouse manager approves from the transfer in one RPC", async (assert) => {
        let state: "pending" | "approved" = "pending";
        const record = makeRecord(7, "stock.picking");
        const done = makeNotification("S00023 expedited.");
        const { target, orm, dialog, action, destroy } = await mountPanel(record, {
            [PANEL]: () =>
                state === "pending"
                    ? panelData({ request: urgentRequest(true) })
                    : panelData({
                          urgent_state: "approved",
                          urgent_label: "Urgent: approved",
                          transfers: [transfer({ priority: "1", reserved: 5 })],
                          request: false,
                      }),
            "distribution.approval.request.action_approve": () => {
                state = "approved";
                return done;
            },
        });
        assert.deepEqual(orm.calls[0]!.args, ["stock.picking", 7]);
        target.querySelector<HTMLButtonElement>(".o_dg_approve")!.click();
        const opened = dialog.open[0]!;
        await opened.ready;
        opened.target.querySelector<HTMLButtonElement>(".o_dg_decision_confirm")!.click();
        await waitFor(() => opened.closed, "the dialog to close");
        await waitFor(
            () => text(target, ".o_dg_urgent_badge") === "Urgent: approved",
            "the reload",
        );
        const approve = orm.calls.filter((c) => c.method === "action_approve");
        assert.deepEqual(approve[0]!.args, [[51], ""]);
        assert.deepEqual(action.done, [done]);
        const row = target.querySelector<HTMLElement>(".o_dg_urgent_transfer")!;
        assert.strictEqual(row.dataset["priority"], "1");
        assert.strictEqual(text(row, ".o_dg_reserved"), "5 / 5 reserved");
        destroy();
    });
});
