import { reactive } from "@odoo/owl";
import { CreditPanel } from "@distribution_governance/approvals/credit_panel/credit_panel";
import { APPROVALS_CHANGED } from "@distribution_governance/approvals/panel_logic";
import type { CreditPanelData, SavableRecord } from "@distribution_governance/types/approvals";
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
import {
    makeExposure,
    makeNotification,
    makePanelData,
    makeRequest,
    makeStatusPanelData,
    makeStatusRequest,
} from "./fixtures";

type FakeRecord = SavableRecord & { loads: number; saves: number; dirty: boolean; saveOk: boolean };

/** A form's root record as the relational model hands it to view widgets (reactive). */
function makeRecord(resId: number | false, resModel = "sale.order"): FakeRecord {
    const record = reactive({
        resModel,
        resId,
        isNew: !resId,
        data: { name: "S00026" },
        model: { root: undefined as unknown as RelationalRecord },
        loads: 0,
        saves: 0,
        dirty: false,
        saveOk: true,
        load(): Promise<void> {
            this.loads++;
            this.data = { ...this.data }; // what Record._setData does on every load
            return Promise.resolve();
        },
        isDirty(): Promise<boolean> {
            return Promise.resolve(this.dirty);
        },
        save(): Promise<boolean> {
            this.saves++;
            if (this.saveOk) {
                this.dirty = false;
            }
            return Promise.resolve(this.saveOk);
        },
    });
    record.model.root = record;
    return record;
}

async function mountPanel(
    record: FakeRecord,
    handlers: Record<string, (call: OrmCall) => unknown>,
    action = makeActionService(),
) {
    const orm = makeOrm(handlers);
    const dialog = makeDialogService();
    const mounted = await mountWithServices(
        CreditPanel,
        { record, readonly: false },
        { orm, dialog, action },
    );
    return { ...mounted, orm, dialog, action };
}

const PANEL = "distribution.approval.request.get_panel_data";
const panelCalls = (calls: OrmCall[]) => calls.filter((c) => c.method === "get_panel_data");
const text = (root: HTMLElement, selector: string) =>
    root.querySelector(selector)?.textContent?.replace(/\s+/g, " ").trim() ?? null;

/** Opens the panel's detail (the exposure bar, overdue invoices, decisions, history). */
async function openDetail(target: HTMLElement): Promise<void> {
    const toggle = target.querySelector<HTMLButtonElement>(".o_dg_toggle")!;
    if (toggle.getAttribute("aria-expanded") !== "true") {
        toggle.click();
        await waitFor(() => Boolean(target.querySelector(".o_dg_details")), "the detail");
    }
}

function typeReason(target: HTMLElement, value: string): void {
    const textarea = target.querySelector<HTMLTextAreaElement>(".o_dg_decision_reason")!;
    textarea.value = value;
    textarea.dispatchEvent(new Event("input"));
}

QUnit.module("approvals/CreditPanel", () => {
    QUnit.test("is the view widget dg_credit_panel", (assert) => {
        const widget = registry.category("view_widgets").get("dg_credit_panel") as {
            component: unknown;
        };
        assert.strictEqual(widget.component, CreditPanel);
    });

    QUnit.test("renders nothing when the server says the panel does not apply", async (assert) => {
        const { target, orm, destroy } = await mountPanel(makeRecord(26), {
            [PANEL]: (): CreditPanelData => ({ visible: false }),
        });
        assert.strictEqual(orm.calls.length, 1);
        assert.strictEqual(target.innerHTML, "", "no markup at all in the form");
        destroy();
    });

    QUnit.test("a new record asks nothing", async (assert) => {
        const { target, orm, destroy } = await mountPanel(makeRecord(false), {});
        assert.strictEqual(orm.calls.length, 0);
        assert.strictEqual(target.innerHTML, "");
        destroy();
    });

    QUnit.test(
        "a hold: the line, the sentence and the request; the detail on demand, in one RPC",
        async (assert) => {
            const { target, orm, destroy } = await mountPanel(makeRecord(26), {
                [PANEL]: () =>
                    makePanelData({
                        exposure: makeExposure({ overdue: 420, overdue_count: 6 }),
                        overdue_invoices: [
                            { id: 1, name: "INV/2026/00001", due: "2026-09-30", residual: 120 },
                            { id: 2, name: "INV/2026/00007", due: "2026-10-15", residual: 300 },
                        ],
                        history: [
                            {
                                event_code: "approve",
                                event: "Approved",
                                document: "S00011",
                                user: "Morgan Manager",
                                at: "2026-11-20 09:00:00",
                                amount: 800,
                                reason: "Paid on Friday",
                            },
                        ],
                    }),
            });
            assert.strictEqual(orm.calls.length, 1, "one RPC");
            assert.deepEqual(orm.calls[0]!.args, ["sale.order", 26]);
            const panel = target.querySelector<HTMLElement>(".o_dg_credit_panel")!;
            assert.ok(panel);
            assert.strictEqual(panel.dataset["hold"], "on_hold");
            assert.strictEqual(panel.dataset["audience"], "credit");
            assert.strictEqual(text(panel, ".o_dg_hold_badge"), "On credit hold");
            assert.ok(
                panel.querySelector(".o_dg_hold_badge")!.classList.contains("text-bg-danger"),
            );
            assert.strictEqual(
                text(panel, ".o_dg_status"),
                "On credit hold, waiting for approval by: Morgan Manager, Fin Ance.",
                "the server's sentence",
            );
            assert.strictEqual(text(panel, ".o_dg_partner"), "QuickStop Convenience");
            assert.ok(panel.classList.contains("o_dg_attention"), "something to act on");
            assert.strictEqual(
                text(panel, ".o_dg_summary"),
                "Exposure $ 1,842.30 of $ 1,500.00 (123%)",
            );
            assert.ok(panel.querySelector(".o_dg_summary")!.classList.contains("text-danger"));
            // what the approver acts on, without opening anything
            assert.strictEqual(text(panel, ".o_dg_request_name"), "APR/2026/00031");
            assert.false(panel.querySelector<HTMLButtonElement>(".o_dg_approve")!.disabled);
            // the detail waits for a click: the form's lines stay in view
            assert.notOk(panel.querySelector(".o_dg_details"));
            assert.strictEqual(text(panel, ".o_dg_toggle"), "Details");
            assert.strictEqual(orm.calls.length, 1, "one RPC");
            await openDetail(panel);
            assert.strictEqual(text(panel, ".o_dg_toggle"), "Less");
            assert.strictEqual(orm.calls.length, 1, "the detail needs no second call");
            assert.ok(text(panel, ".o_dg_hold_reason")!.includes("exceeds the limit 1500.00"));
            assert.strictEqual(text(panel, ".o_dg_used"), "123% of the limit used");

            // the stacked bar: receivables, this order to the limit, this order beyond it
            const pieces = [...panel.querySelectorAll<HTMLElement>(".o_dg_piece")];
            assert.deepEqual(
                pieces.map((p) => [p.dataset["key"], p.dataset["over"], p.style.width]),
                [
                    ["receivables", "0", "7.491%"],
                    ["this_order", "0", "73.929%"],
                    ["this_order", "1", "18.58%"],
                ],
            );
            assert.ok(
                pieces[2]!.classList.contains("o_dg_piece_over"),
                "the over-limit part is red",
            );
            assert.ok(pieces[0]!.classList.contains("o_dg_segment_receivables"));
            assert.strictEqual(
                panel.querySelector<HTMLElement>(".o_dg_limit_marker")!.style.left,
                "81.42%",
            );
            assert.strictEqual(text(panel, ".o_dg_legend_receivables .o_dg_amount"), "$ 138.00");
            assert.strictEqual(text(panel, ".o_dg_legend_this_order .o_dg_amount"), "$ 1,704.30");
            assert.strictEqual(text(panel, ".o_dg_total"), "$ 1,842.30");
            assert.strictEqual(text(panel, ".o_dg_limit"), "$ 1,500.00");
            assert.strictEqual(text(panel, ".o_dg_over"), "Over the limit by $ 342.30");
            assert.notOk(panel.querySelector(".o_dg_available"));

            const overdue = panel.querySelectorAll(".o_dg_overdue_row");
            assert.strictEqual(overdue.length, 2);
            assert.strictEqual(text(overdue[0] as HTMLElement, ".o_dg_invoice"), "INV/2026/00001");
            assert.ok(overdue[0]!.textContent.includes("09/30/2026"));
            assert.ok(overdue[1]!.textContent.replace(/\s+/g, " ").includes("$ 300.00"));
            assert.strictEqual(text(panel, ".o_dg_more_overdue"), "and 4 more");

            const history = panel.querySelectorAll(".o_dg_history_row");
            assert.strictEqual(history.length, 1);
            assert.ok(history[0]!.textContent.includes("Morgan Manager"));
            assert.ok(history[0]!.textContent.includes("Paid on Friday"));

            assert.strictEqual(text(panel, ".o_dg_request_name"), "APR/2026/00031");
            assert.strictEqual(text(panel, ".o_dg_request_state"), "Pending");
            assert.notOk(panel.querySelector(".o_dg_approvals"), "one approval: no count");
            assert.strictEqual(text(panel, ".o_dg_requester"), "Riley Sales Rep");
            assert.ok(
                text(panel, ".o_dg_status")!.includes("Morgan Manager, Fin Ance"),
                "who decides, in the server's sentence",
            );
            assert.notOk(panel.querySelector(".o_dg_waiting_for"), "said once");
            assert.notOk(panel.querySelector(".o_dg_justification"), "not justified yet");
            assert.false(panel.querySelector<HTMLButtonElement>(".o_dg_approve")!.disabled);
            assert.false(panel.querySelector<HTMLButtonElement>(".o_dg_reject")!.disabled);
            assert.notOk(panel.querySelector(".o_dg_justify"), "an approver does not justify");
            assert.notOk(panel.querySelector(".o_dg_next_step"));
            destroy();
        },
    );

    QUnit.test("no limit and a credit balance render gracefully", async (assert) => {
        const { target, destroy } = await mountPanel(makeRecord(26), {
            [PANEL]: () =>
                makePanelData({
                    hold_state: "none",
                    hold_reason: "",
                    request: false,
                    exposure: makeExposure({
                        receivables: -500,
                        uninvoiced: 0,
                        this_order: 200,
                        total: -300,
                        limit: 0,
                        credit_control: false,
                    }),
                }),
        });
        const panel = target.querySelector<HTMLElement>(".o_dg_credit_panel")!;
        assert.notOk(panel.querySelector(".o_dg_hold_badge"), "no badge without a hold");
        assert.notOk(panel.querySelector(".o_dg_status"), "nothing to say without a hold");
        assert.strictEqual(text(panel, ".o_dg_summary"), "Exposure $ -300.00, no credit limit");
        await openDetail(panel);
        assert.notOk(panel.querySelector(".o_dg_hold_reason"));
        assert.strictEqual(text(panel, ".o_dg_used"), "No credit limit");
        assert.strictEqual(panel.querySelectorAll(".o_dg_piece").length, 0, "nothing to draw");
        assert.ok(panel.querySelector(".o_dg_exposure_bar.o_dg_empty"));
        assert.notOk(panel.querySelector(".o_dg_limit_marker"));
        assert.ok(panel.querySelector(".o_dg_credit_note"), "says the credit notes exceed");
        assert.strictEqual(text(panel, ".o_dg_legend_receivables .o_dg_amount"), "$ -500.00");
        assert.notOk(panel.querySelector(".o_dg_request"));
        assert.ok(panel.querySelector(".o_dg_no_history"));
        destroy();
    });

    QUnit.test(
        "the requester sees no Approve / Reject, who decides, and Add justification",
        async (assert) => {
            const { target, dialog, destroy } = await mountPanel(makeRecord(26), {
                [PANEL]: () =>
                    makePanelData({
                        audience: "sales",
                        request: makeRequest({ can_decide: false, can_justify: true }),
                    }),
            });
            const panel = target.querySelector<HTMLElement>(".o_dg_credit_panel")!;
            assert.strictEqual(panel.dataset["audience"], "sales");
            assert.notOk(panel.querySelector(".o_dg_approve"), "no button he could never use");
            assert.notOk(panel.querySelector(".o_dg_reject"));
            assert.ok(
                text(panel, ".o_dg_status")!.includes("Morgan Manager, Fin Ance"),
                "who decides, in the server's sentence",
            );
            assert.notOk(panel.querySelector(".o_dg_waiting_for"), "said once");
            assert.strictEqual(text(panel, ".o_dg_justify"), "Add justification");
            await openDetail(panel);
            assert.ok(panel.querySelector(".o_dg_piece"), "the order's figures");
            assert.notOk(panel.querySelector(".o_dg_history"), "not the customer's history");
            assert.strictEqual(dialog.open.length, 0);
            destroy();
        },
    );

    QUnit.test("a justified request shows the justification, no second one", async (assert) => {
        const { target, destroy } = await mountPanel(makeRecord(26), {
            [PANEL]: () =>
                makePanelData({
                    request: makeRequest({
                        can_decide: false,
                        justification: "Payment received by wire today.\nParent guarantees.",
                    }),
                }),
        });
        assert.strictEqual(
            text(target, ".o_dg_justification"),
            "Justification: Payment received by wire today. Parent guarantees.",
        );
        assert.notOk(target.querySelector(".o_dg_justify"));
        assert.notOk(target.querySelector(".o_dg_decide"), "nothing to act on");
        destroy();
    });

    QUnit.test(
        "Add justification: the dialog says who decides, sends the text, runs the server's action",
        async (assert) => {
            let justified = "";
            const record = makeRecord(26);
            const sent = makeNotification("APR/2026/00031 waits for: Morgan Manager, Fin Ance.");
            const { target, orm, dialog, action, env, destroy } = await mountPanel(record, {
                [PANEL]: () =>
                    makePanelData({
                        audience: "sales",
                        request: makeRequest({
                            can_decide: false,
                            can_justify: !justified,
                            justification: justified,
                        }),
                    }),
                "distribution.approval.request.action_justify": (call) => {
                    justified = (call.args as [number[], string])[1];
                    return sent;
                },
            });
            const changed: unknown[] = [];
            env.bus.addEventListener(APPROVALS_CHANGED, (ev) =>
                changed.push((ev as CustomEvent).detail),
            );
            target.querySelector<HTMLButtonElement>(".o_dg_justify")!.click();
            assert.strictEqual(dialog.open.length, 1);
            const opened = dialog.open[0]!;
            await opened.ready;
            assert.strictEqual(
                text(opened.target, ".modal-title"),
                "Request credit approval for S00026",
            );
            assert.strictEqual(
                text(opened.target, ".o_dg_decision_summary"),
                "Waiting for: Morgan Manager, Fin Ance",
            );
            const confirm =
                opened.target.querySelector<HTMLButtonElement>(".o_dg_decision_confirm")!;
            assert.strictEqual(confirm.textContent.trim(), "Send to approvers");
            confirm.click();
            await waitFor(
                () => Boolean(opened.target.querySelector(".o_dg_decision_error")),
                "the error",
            );
            assert.strictEqual(
                text(opened.target, ".o_dg_decision_error"),
                "Say why this order should go ahead.",
            );
            assert.strictEqual(orm.calls.filter((c) => c.method === "action_justify").length, 0);

            typeReason(opened.target, " Payment received by wire today ");
            confirm.click();
            await waitFor(() => opened.closed, "the dialog to close");
            await waitFor(() => Boolean(target.querySelector(".o_dg_justification")), "reload");

            const calls = orm.calls.filter((c) => c.method === "action_justify");
            assert.strictEqual(calls.length, 1);
            assert.strictEqual(calls[0]!.model, "distribution.approval.request");
            assert.deepEqual(calls[0]!.args, [[31], "Payment received by wire today"]);
            assert.deepEqual(action.done, [sent], "the server's notification and soft reload");
            assert.strictEqual(record.loads, 1, "the form reloads");
            assert.strictEqual(
                text(target, ".o_dg_justification_text"),
                "Payment received by wire today",
            );
            assert.notOk(target.querySelector(".o_dg_justify"), "once only");
            assert.deepEqual(changed, [], "no count of requests to decide changed");
            destroy();
        },
    );

    QUnit.test(
        "the status audience reads where the hold stands, no figures, no history",
        async (assert) => {
            const { target, destroy } = await mountPanel(makeRecord(44, "stock.picking"), {
                [PANEL]: () => makeStatusPanelData(),
            });
            const panel = target.querySelector<HTMLElement>(".o_dg_credit_panel")!;
            assert.strictEqual(panel.dataset["audience"], "status");
            assert.strictEqual(
                text(panel, ".o_dg_status"),
                "On credit hold, waiting for approval by: Morgan Manager, Fin Ance.",
            );
            assert.strictEqual(text(panel, ".o_dg_hold_badge"), "On credit hold");
            assert.strictEqual(text(panel, ".o_dg_request_state"), "Pending");
            assert.ok(
                text(panel, ".o_dg_status")!.includes("Morgan Manager, Fin Ance"),
                "who decides, in the server's sentence",
            );
            assert.notOk(panel.querySelector(".o_dg_waiting_for"), "said once");
            for (const selector of [
                ".o_dg_exposure",
                ".o_dg_piece",
                ".o_dg_legend",
                ".o_dg_totals",
                ".o_dg_overdue",
                ".o_dg_history",
                ".o_dg_hold_reason",
                ".o_dg_partner",
                ".o_dg_requester",
                ".o_dg_approvals",
                ".o_dg_decide",
                ".o_dg_next_step",
                ".o_dg_summary",
                ".o_dg_toggle",
                ".o_dg_details",
            ]) {
                assert.notOk(panel.querySelector(selector), `no ${selector}`);
            }
            assert.notOk(/\$|\d+\.\d\d/.test(panel.textContent), "no amount anywhere");
            destroy();
        },
    );

    QUnit.test(
        "an approver of the status audience decides under the request's name",
        async (assert) => {
            const { target, dialog, destroy } = await mountPanel(makeRecord(44, "stock.picking"), {
                [PANEL]: () =>
                    makeStatusPanelData({ request: makeStatusRequest({ can_decide: true }) }),
            });
            target.querySelector<HTMLButtonElement>(".o_dg_reject")!.click();
            const opened = dialog.open[0]!;
            await opened.ready;
            assert.strictEqual(text(opened.target, ".modal-title"), "Reject APR/2026/00031");
            assert.notOk(opened.target.querySelector(".o_dg_decision_summary"), "no figures");
            destroy();
        },
    );

    QUnit.test("after a rejection: the upheld hold and the next step", async (assert) => {
        const { target, destroy } = await mountPanel(makeRecord(26), {
            [PANEL]: () =>
                makePanelData({
                    audience: "sales",
                    hold_state: "rejected",
                    status: "Credit hold upheld: a credit approver rejected the request.",
                    next_step:
                        "Next: collect a payment or reduce the order, then confirm it again.",
                    request: makeRequest({
                        state: "rejected",
                        decisions: [
                            {
                                user: "Fin Ance",
                                decision: "reject",
                                label: "Rejected",
                                reason: "Overdue invoices first",
                                at: "2026-11-27 06:00:00",
                            },
                        ],
                    }),
                }),
        });
        const panel = target.querySelector<HTMLElement>(".o_dg_credit_panel")!;
        assert.strictEqual(text(panel, ".o_dg_hold_badge"), "Credit hold upheld");
        assert.ok(panel.querySelector(".o_dg_hold_badge")!.classList.contains("text-bg-warning"));
        assert.strictEqual(
            text(panel, ".o_dg_status"),
            "Credit hold upheld: a credit approver rejected the request.",
        );
        assert.strictEqual(
            text(panel, ".o_dg_next_step"),
            "Next: collect a payment or reduce the order, then confirm it again.",
        );
        assert.strictEqual(text(panel, ".o_dg_request_state"), "Rejected");
        assert.notOk(panel.querySelector(".o_dg_waiting_for"), "nobody to wait for");
        assert.notOk(panel.querySelector(".o_dg_decide"));
        await openDetail(panel);
        assert.ok(panel.querySelector(".o_dg_hold_reason"), "why it was held");
        assert.ok(text(panel, ".o_dg_decision")!.startsWith("Rejected by Fin Ance"));
        destroy();
    });

    QUnit.test("a decided request shows its decisions and no buttons", async (assert) => {
        const { target, destroy } = await mountPanel(makeRecord(26), {
            [PANEL]: () =>
                makePanelData({
                    hold_state: "released",
                    request: makeRequest({
                        state: "approved",
                        approvals_count: 1,
                        decisions: [
                            {
                                user: "Morgan Manager",
                                decision: "approve",
                                label: "Approved",
                                reason: "Known customer",
                                at: "2026-11-27 06:00:00",
                            },
                        ],
                    }),
                }),
        });
        assert.strictEqual(text(target, ".o_dg_hold_badge"), "Released");
        assert.notOk(target.querySelector(".o_dg_attention_body"), "nothing to act on: one line");
        assert.notOk(target.querySelector(".o_dg_request"), "the request is in the detail");
        await openDetail(target);
        assert.strictEqual(text(target, ".o_dg_request_state"), "Approved");
        assert.notOk(target.querySelector(".o_dg_hold_reason"), "a released hold needs no reason");
        assert.notOk(target.querySelector(".o_dg_decide"));
        const decision = text(target, ".o_dg_decision")!;
        assert.ok(decision.startsWith("Approved by Morgan Manager, 11/27/2026 06:00:00"));
        assert.ok(decision.includes("Known customer"));
        destroy();
    });

    QUnit.test(
        "Approve: reason dialog, one RPC, the server's action, then the form and the panel reload",
        async (assert) => {
            let state: "pending" | "approved" = "pending";
            const record = makeRecord(26);
            const released = makeNotification("S00026 released and confirmed.");
            const { target, orm, dialog, action, env, destroy } = await mountPanel(record, {
                [PANEL]: () =>
                    makePanelData(
                        state === "pending"
                            ? {}
                            : {
                                  hold_state: "released",
                                  request: makeRequest({ state: "approved" }),
                              },
                    ),
                "distribution.approval.request.action_approve": () => {
                    state = "approved";
                    return released;
                },
            });
            const changed: unknown[] = [];
            env.bus.addEventListener(APPROVALS_CHANGED, (ev) =>
                changed.push((ev as CustomEvent).detail),
            );

            target.querySelector<HTMLButtonElement>(".o_dg_approve")!.click();
            assert.strictEqual(dialog.open.length, 1);
            const opened = dialog.open[0]!;
            await opened.ready;
            assert.strictEqual(text(opened.target, ".modal-title"), "Approve S00026");
            assert.strictEqual(
                text(opened.target, ".o_dg_decision_summary"),
                "QuickStop Convenience · $ 1,704.30",
            );
            typeReason(opened.target, "  Payment promised  ");
            opened.target.querySelector<HTMLButtonElement>(".o_dg_decision_confirm")!.click();
            await waitFor(() => opened.closed, "the dialog to close");
            await waitFor(() => text(target, ".o_dg_hold_badge") === "Released", "the reload");

            const approve = orm.calls.filter((c) => c.method === "action_approve");
            assert.strictEqual(approve.length, 1);
            assert.deepEqual(approve[0]!.args, [[31], "Payment promised"], "trimmed reason");
            assert.deepEqual(
                action.done,
                [released],
                "the server's notification runs as it is, soft reload included",
            );
            assert.strictEqual(record.loads, 1, "the form reloads (state, ribbon)");
            assert.strictEqual(record.saves, 0, "nothing to save");
            assert.strictEqual(panelCalls(orm.calls).length, 2, "the panel reloads with it");
            assert.notOk(target.querySelector(".o_dg_decide"));
            assert.deepEqual(changed, [{ id: 31, kind: "approve" }]);
            destroy();
        },
    );

    QUnit.test(
        "when the server's soft reload mounted the form again, the old panel reloads nothing",
        async (assert) => {
            const record = makeRecord(26);
            // Odoo's soft_reload restores the form controller: this panel is destroyed and a
            // new form (with its own panel) loads.
            const action = makeActionService();
            let destroyPanel: () => void = () => undefined;
            const doAction = action.doAction.bind(action);
            action.doAction = (request, options) => {
                destroyPanel();
                return doAction(request, options);
            };
            const mounted = await mountPanel(
                record,
                {
                    [PANEL]: () => makePanelData(),
                    "distribution.approval.request.action_approve": () =>
                        makeNotification("S00026 released and confirmed."),
                },
                action,
            );
            const { target, orm, dialog } = mounted;
            let destroyed = false;
            destroyPanel = () => {
                if (!destroyed) {
                    destroyed = true;
                    mounted.destroy();
                }
            };
            target.querySelector<HTMLButtonElement>(".o_dg_approve")!.click();
            await dialog.open[0]!.ready;
            const props = dialog.open[0]!.props as { confirm: (reason: string) => Promise<void> };
            await props.confirm("");
            assert.true(destroyed);
            assert.strictEqual(action.done.length, 1);
            assert.strictEqual(record.loads, 0, "no reload of a record the form left behind");
            assert.strictEqual(panelCalls(orm.calls).length, 1);
        },
    );

    QUnit.test("Reject needs a reason before anything is sent", async (assert) => {
        const { target, orm, dialog, destroy } = await mountPanel(makeRecord(26), {
            [PANEL]: () => makePanelData(),
            "distribution.approval.request.action_reject": () => true,
        });
        target.querySelector<HTMLButtonElement>(".o_dg_reject")!.click();
        const opened = dialog.open[0]!;
        await opened.ready;
        assert.strictEqual(text(opened.target, ".modal-title"), "Reject S00026");
        const confirm = opened.target.querySelector<HTMLButtonElement>(".o_dg_decision_confirm")!;
        assert.ok(confirm.classList.contains("btn-danger"));
        confirm.click();
        await waitFor(() => Boolean(opened.target.querySelector(".o_dg_decision_error")), "error");
        assert.strictEqual(
            text(opened.target, ".o_dg_decision_error"),
            "Give a reason to reject the request.",
        );
        assert.false(opened.closed);
        assert.strictEqual(orm.calls.filter((c) => c.method === "action_reject").length, 0);

        typeReason(opened.target, "Overdue invoices first");
        confirm.click();
        await waitFor(() => opened.closed, "the dialog to close");
        const reject = orm.calls.filter((c) => c.method === "action_reject");
        assert.deepEqual(reject[0]!.args, [[31], "Overdue invoices first"]);
        destroy();
    });

    QUnit.test(
        "a refused decision reloads form and panel, then shows the server's error",
        async (assert) => {
            let calls = 0;
            const record = makeRecord(26);
            const { target, orm, dialog, destroy } = await mountPanel(record, {
                [PANEL]: () =>
                    makePanelData(
                        calls === 0
                            ? {}
                            : {
                                  request: makeRequest({
                                      state: "approved",
                                      decisions: [
                                          {
                                              user: "Fin Ance",
                                              decision: "approve",
                                              label: "Approved",
                                              reason: "",
                                              at: "2026-11-27 06:01:00",
                                          },
                                      ],
                                  }),
                              },
                    ),
                "distribution.approval.request.action_approve": () => {
                    calls++;
                    throw serverError(
                        "APR/2026/00031 is no longer pending: it was Approved by Fin Ance.",
                    );
                },
            });
            target.querySelector<HTMLButtonElement>(".o_dg_approve")!.click();
            await dialog.open[0]!.ready;
            const props = dialog.open[0]!.props as { confirm: (reason: string) => Promise<void> };
            // What the dialog's button runs; Odoo's error service shows the rejection.
            await props.confirm("").then(
                () => assert.ok(false, "must reject"),
                (error: { data: { message: string } }) =>
                    assert.strictEqual(
                        error.data.message,
                        "APR/2026/00031 is no longer pending: it was Approved by Fin Ance.",
                    ),
            );
            assert.strictEqual(record.loads, 1, "the form reloaded after the failure");
            await waitFor(() => text(target, ".o_dg_request_state") === "Approved", "the reload");
            assert.notOk(target.querySelector(".o_dg_decide"), "the stale buttons are gone");
            assert.strictEqual(panelCalls(orm.calls).length, 2);
            destroy();
        },
    );

    QUnit.test("pending edits are saved first; an invalid form sends nothing", async (assert) => {
        const record = makeRecord(26);
        const { target, orm, dialog, destroy } = await mountPanel(record, {
            [PANEL]: () => makePanelData(),
            "distribution.approval.request.action_approve": () => true,
        });
        record.dirty = true;
        record.saveOk = false;
        target.querySelector<HTMLButtonElement>(".o_dg_approve")!.click();
        await dialog.open[0]!.ready;
        const props = dialog.open[0]!.props as { confirm: (reason: string) => Promise<void> };
        await props.confirm("");
        assert.strictEqual(record.saves, 1);
        assert.strictEqual(orm.calls.filter((c) => c.method === "action_approve").length, 0);
        assert.strictEqual(record.loads, 0, "the user's edits stay");

        record.saveOk = true;
        await props.confirm("ok");
        assert.strictEqual(record.saves, 2);
        assert.strictEqual(orm.calls.filter((c) => c.method === "action_approve").length, 1);
        assert.strictEqual(record.loads, 1);
        destroy();
    });

    QUnit.test("a failing panel says so instead of breaking the form", async (assert) => {
        const { target, destroy } = await mountPanel(makeRecord(26), {
            [PANEL]: () => {
                throw serverError("This document no longer exists.");
            },
        });
        assert.strictEqual(
            text(target, ".o_dg_credit_panel_error"),
            "The credit panel could not be loaded: This document no longer exists.",
        );
        destroy();
    });

    QUnit.test("nothing to act on: one line, the detail on demand", async (assert) => {
        const { target, destroy } = await mountPanel(makeRecord(26), {
            [PANEL]: () =>
                makePanelData({
                    hold_state: "none",
                    hold_reason: "",
                    request: false,
                    exposure: makeExposure({ receivables: 138, this_order: 762, total: 900 }),
                }),
        });
        const panel = target.querySelector<HTMLElement>(".o_dg_credit_panel")!;
        assert.notOk(panel.classList.contains("o_dg_attention"));
        assert.strictEqual(text(panel, ".o_dg_summary"), "Exposure $ 900.00 of $ 1,500.00 (60%)");
        assert.ok(panel.querySelector(".o_dg_summary")!.classList.contains("text-muted"));
        assert.deepEqual(
            [...panel.children].map((child) => child.className.split(" ")[0]),
            ["o_dg_credit_line"],
            "one line",
        );
        const toggle = panel.querySelector<HTMLButtonElement>(".o_dg_toggle")!;
        assert.strictEqual(toggle.getAttribute("aria-expanded"), "false");
        await openDetail(panel);
        assert.strictEqual(toggle.getAttribute("aria-expanded"), "true");
        assert.strictEqual(text(panel, ".o_dg_available"), "Available $ 600.00");
        toggle.click();
        await waitFor(() => !panel.querySelector(".o_dg_details"), "the detail to close");
        destroy();
    });

    QUnit.test("a quotation confirming would hold: the server's sentence first", async (assert) => {
        const { target, destroy } = await mountPanel(makeRecord(26), {
            [PANEL]: () =>
                makePanelData({
                    hold_state: "none",
                    attention: true,
                    status: "Confirming puts the order on credit hold until a credit approver releases it.",
                    request: false,
                }),
        });
        const panel = target.querySelector<HTMLElement>(".o_dg_credit_panel")!;
        assert.ok(panel.classList.contains("o_dg_attention"));
        assert.notOk(panel.querySelector(".o_dg_hold_badge"), "not held yet");
        assert.ok(text(panel, ".o_dg_attention_body .o_dg_status")!.startsWith("Confirming"));
        await openDetail(panel);
        assert.ok(text(panel, ".o_dg_hold_reason")!.includes("exceeds the limit"), "why");
        destroy();
    });

    QUnit.test(
        "on the approval request's form: the credit in full, not the request again",
        async (assert) => {
            const { target, orm, destroy } = await mountPanel(
                makeRecord(31, "distribution.approval.request"),
                { [PANEL]: () => makePanelData() },
            );
            assert.deepEqual(orm.calls[0]!.args, ["distribution.approval.request", 31]);
            const panel = target.querySelector<HTMLElement>(".o_dg_credit_panel")!;
            assert.ok(panel.querySelector(".o_dg_details"), "the detail at once");
            assert.ok(panel.querySelector(".o_dg_piece"));
            assert.notOk(panel.querySelector(".o_dg_attention_body"), "the form says it");
            assert.notOk(panel.querySelector(".o_dg_request"), "the form is the request");
            assert.notOk(panel.querySelector(".o_dg_approve"), "the form's header decides");
            destroy();
        },
    );

    QUnit.test(
        "the latest load wins: an earlier answer arriving late is dropped",
        async (assert) => {
            const record = makeRecord(26);
            const answers: ((data: CreditPanelData) => void)[] = [];
            const { target, destroy } = await mountPanel(record, {
                [PANEL]: () =>
                    answers.length === 0
                        ? makePanelData({ hold_state: "on_hold" })
                        : new Promise<CreditPanelData>((resolve) => answers.push(resolve)),
            });
            answers.push(() => undefined); // the first load answered at once
            void record.load(); // two reloads in flight...
            await waitFor(() => answers.length === 2, "the first reload");
            void record.load();
            await waitFor(() => answers.length === 3, "the second reload");
            answers[2]!(makePanelData({ hold_state: "released", request: false }));
            await waitFor(() => text(target, ".o_dg_hold_badge") === "Released", "the latest");
            answers[1]!(makePanelData({ hold_state: "rejected" })); // ...the older answers last
            await nextRender();
            await nextRender();
            assert.strictEqual(text(target, ".o_dg_hold_badge"), "Released", "kept");
            destroy();
        },
    );

    QUnit.test("on a transfer it asks for the picking", async (assert) => {
        const { orm, target, destroy } = await mountPanel(makeRecord(44, "stock.picking"), {
            [PANEL]: () => makePanelData(),
        });
        assert.deepEqual(orm.calls[0]!.args, ["stock.picking", 44]);
        assert.ok(target.querySelector(".o_dg_credit_panel"));
        destroy();
    });
});
