import { reactive } from "@odoo/owl";
import { PricePanel } from "@distribution_governance/approvals/price_panel/price_panel";
import type {
    PriceLineRow,
    PricePanelData,
    SavableRecord,
    VisiblePricePanelData,
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
        data: { name: "S00028" },
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

function line(values: Partial<PriceLineRow> = {}): PriceLineRow {
    return {
        id: 1,
        product: "Salted Almonds",
        qty: 20,
        price_unit: 11.2,
        discount: 0,
        net: 11.2,
        pricelist_price: 14.9,
        deviation: 24.8,
        flag: "discount",
        ...values,
    };
}

function panelData(values: Partial<VisiblePricePanelData> = {}): VisiblePricePanelData {
    return {
        visible: true,
        order_id: 28,
        currency_id: 2,
        hold_state: "on_hold",
        hold_label: "Price below policy",
        max_discount: 10,
        margin_floor: false,
        show_margins: false,
        below_count: 1,
        concession: "",
        lines: [line(), line({ id: 2, product: "Green Tea", deviation: 0, flag: "ok", net: 6.5 })],
        request: makeStatusRequest({ id: 41, name: "APR/2026/00041", waiting_for: "Sam" }),
        ...values,
    };
}

const PANEL = "distribution.approval.request.get_price_panel_data";
const text = (root: HTMLElement, selector: string) =>
    root.querySelector(selector)?.textContent?.replace(/\s+/g, " ").trim() ?? null;

async function mountPanel(record: FakeRecord, handlers: Record<string, (c: OrmCall) => unknown>) {
    const orm = makeOrm(handlers);
    const dialog = makeDialogService();
    const action = makeActionService();
    const mounted = await mountWithServices(
        PricePanel,
        { record, readonly: false },
        { orm, dialog, action },
    );
    return { ...mounted, orm, dialog, action };
}

QUnit.module("approvals/PricePanel", () => {
    QUnit.test("is the view widget dg_price_panel", (assert) => {
        const widget = registry.category("view_widgets").get("dg_price_panel") as {
            component: unknown;
        };
        assert.strictEqual(widget.component, PricePanel);
    });

    QUnit.test("renders nothing when the policy does not apply", async (assert) => {
        const { target, orm, destroy } = await mountPanel(makeRecord(28), {
            [PANEL]: (): PricePanelData => ({ visible: false }),
        });
        assert.deepEqual(orm.calls[0]!.args, ["sale.order", 28]);
        assert.strictEqual(target.innerHTML, "");
        destroy();
    });

    QUnit.test("the rep: the lines and their deviation, no margin, no buttons", async (assert) => {
        const { target, destroy } = await mountPanel(makeRecord(28), {
            [PANEL]: () => panelData(),
        });
        const panel = target.querySelector<HTMLElement>(".o_dg_price_panel")!;
        assert.strictEqual(panel.dataset["hold"], "on_hold");
        assert.strictEqual(text(panel, ".o_dg_hold_badge"), "Price below policy");
        assert.strictEqual(text(panel, ".o_dg_summary"), "1 line below the pricing policy");
        // a line below the policy: the lines are open at once
        const rows = [...panel.querySelectorAll<HTMLElement>(".o_dg_price_row")];
        assert.deepEqual(
            rows.map((row) => row.dataset["flag"]),
            ["discount", "ok"],
        );
        assert.strictEqual(text(rows[0]!, ".o_dg_deviation"), "24.8% below");
        assert.strictEqual(text(rows[0]!, ".o_dg_flag"), "Below the allowed discount");
        assert.strictEqual(text(rows[1]!, ".o_dg_deviation"), "at pricelist");
        assert.notOk(panel.querySelector(".o_dg_margin"), "no margin for him");
        assert.notOk(panel.querySelector(".o_dg_concession"));
        assert.strictEqual(text(panel, ".o_dg_request_state"), "Pending");
        assert.ok(text(panel, ".o_dg_waiting_for")!.includes("Sam"));
        assert.notOk(panel.querySelector(".o_dg_approve"), "no button he could never use");
        destroy();
    });

    QUnit.test("the sales manager reads the margin and approves in one RPC", async (assert) => {
        let state: "pending" | "approved" = "pending";
        const record = makeRecord(28);
        const done = makeNotification("S00028: prices approved and the order confirmed.");
        const { target, orm, dialog, action, destroy } = await mountPanel(record, {
            [PANEL]: () =>
                state === "pending"
                    ? panelData({
                          show_margins: true,
                          margin_floor: 15,
                          concession: "$ 74.00",
                          lines: [line({ margin: 25.9, cost: 8.3 })],
                          request: makeStatusRequest({ id: 41, can_decide: true }),
                      })
                    : panelData({
                          hold_state: "released",
                          hold_label: "Price approved",
                          below_count: 1,
                          request: makeStatusRequest({ id: 41, state: "approved" }),
                      }),
            "distribution.approval.request.action_approve": () => {
                state = "approved";
                return done;
            },
        });
        const panel = target.querySelector<HTMLElement>(".o_dg_price_panel")!;
        assert.strictEqual(text(panel, ".o_dg_margin"), "25.9%");
        assert.ok(text(panel, ".o_dg_policy")!.includes("margin floor 15%"));
        assert.strictEqual(text(panel, ".o_dg_concession strong"), "$ 74.00");
        panel.querySelector<HTMLButtonElement>(".o_dg_approve")!.click();
        const opened = dialog.open[0]!;
        await opened.ready;
        const reason = opened.target.querySelector<HTMLTextAreaElement>(".o_dg_decision_reason")!;
        reason.value = "Tender";
        reason.dispatchEvent(new Event("input"));
        opened.target.querySelector<HTMLButtonElement>(".o_dg_decision_confirm")!.click();
        await waitFor(() => opened.closed, "the dialog to close");
        await waitFor(() => text(target, ".o_dg_hold_badge") === "Price approved", "the reload");
        const approve = orm.calls.filter((c) => c.method === "action_approve");
        assert.deepEqual(approve[0]!.args, [[41], "Tender"]);
        assert.deepEqual(action.done, [done]);
        assert.strictEqual(record.loads, 1, "the form reloads");
        destroy();
    });

    QUnit.test("on the request's form: the lines, not the request again", async (assert) => {
        const { target, orm, destroy } = await mountPanel(
            makeRecord(41, "distribution.approval.request"),
            { [PANEL]: () => panelData() },
        );
        assert.deepEqual(orm.calls[0]!.args, ["distribution.approval.request", 41]);
        assert.ok(target.querySelector(".o_dg_price_row"));
        assert.notOk(target.querySelector(".o_dg_request"));
        destroy();
    });

    QUnit.test("a failure is said in place of the panel", async (assert) => {
        const { target, destroy } = await mountPanel(makeRecord(28), {
            [PANEL]: () => Promise.reject(new Error("boom")),
        });
        await waitFor(() => Boolean(target.querySelector(".o_dg_price_panel_error")), "error");
        assert.ok(text(target, ".o_dg_price_panel_error")!.includes("could not be loaded"));
        destroy();
    });
});
