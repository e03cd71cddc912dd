import { KpiDashboard } from "@distribution_governance/dashboard/kpi_dashboard/kpi_dashboard";
import type {
    KpiCard,
    KpiDashboard as KpiData,
    KpiFilters,
} from "@distribution_governance/types/kpi";
import { FakeChart, loadedBundles } from "../fakes/web/core/assets";
import { setupActionCalls } from "../fakes/web/search/action_hook";
import { registry } from "@web/core/registry";
import {
    makeActionService,
    makeOrm,
    mountWithServices,
    serverError,
    waitFor,
    type OrmCall,
} from "../helpers";

const NBSP = "\u00a0";

function card(key: string, over: Partial<KpiCard> = {}): KpiCard {
    return {
        key,
        label: key,
        help: `What ${key} measures`,
        unit: "count",
        direction: "higher",
        value: 10,
        previous: 8,
        baseline: null,
        target: null,
        rag: null,
        count: 10,
        model: "stock.picking",
        domain: [["id", "in", [1, 2]]],
        model_name: "Transfers",
        list_view_id: false,
        flag: null,
        series: [
            { date: "2026-11-01", value: 4 },
            { date: "2026-11-02", value: 6 },
        ],
        secondary: null,
        ...over,
    };
}

function dashboard(over: Partial<KpiData> = {}): KpiData {
    return {
        period: {
            preset: "last_7_days",
            date_from: "2026-11-20",
            date_to: "2026-11-26",
            previous_from: "2026-11-13",
            previous_to: "2026-11-19",
            days: 7,
        },
        companies: [{ id: 1, name: "Main Distributor" }],
        warehouses: [
            { id: 11, name: "WH Main", company_id: 1 },
            { id: 12, name: "WH North", company_id: 1 },
        ],
        selected_warehouse_ids: [11, 12],
        selected_company_ids: [1],
        kpis: [
            card("on_time_shipment", {
                label: "On-time shipment",
                unit: "%",
                value: 97.5,
                previous: 95.1,
                baseline: 98,
                target: { direction: "higher", green: 95, amber: 90 },
                rag: "green",
                count: 40,
                domain: [["picking_type_code", "=", "outgoing"]],
                list_view_id: 7,
                flag: { label: "late", count: 1, domain: [["dg_late", "=", true]] },
                series: [
                    { date: "2026-11-20", value: 96 },
                    { date: "2026-11-21", value: null },
                    { date: "2026-11-22", value: 99 },
                ],
            }),
            card("order_cycle_time", {
                label: "Order cycle time",
                unit: "h",
                direction: "lower",
                value: 30,
                previous: 24,
                target: { direction: "lower", green: 24, amber: 36 },
                rag: "amber",
                model: "sale.order",
                model_name: "Sales Orders",
            }),
            card("exceptions_opened", { value: null, previous: 3, count: 0 }),
            card("lines_picked", {
                label: "Lines picked per operator",
                unit: "lines/day",
                value: 40,
                model: "stock.move.line",
                model_name: "Move Lines",
                secondary: { label: "Operator-days", value: 3, unit: "count" },
            }),
        ],
        warehouse_kpis: ["on_time_shipment", "order_cycle_time"],
        by_warehouse: [
            {
                warehouse_id: 11,
                name: "WH Main",
                company_name: "Main Distributor",
                kpis: {
                    on_time_shipment: {
                        value: 80,
                        count: 5,
                        model_name: "Transfers",
                        rag: "red",
                        domain: [["picking_type_id.warehouse_id", "in", [11]]],
                    },
                    order_cycle_time: {
                        value: 20,
                        count: 1,
                        model_name: "Sales Order",
                        rag: "green",
                        domain: [],
                    },
                },
            },
        ],
        operator_kpis: ["lines_picked"],
        by_operator: [
            {
                id: 7,
                name: "Marc Picker",
                kpis: {
                    lines_picked: {
                        value: 42.5,
                        count: 85,
                        model_name: "Move Lines",
                        rag: null,
                    },
                },
            },
        ],
        vendor_kpis: ["supplier_on_time"],
        by_vendor: [],
        kind_kpis: [],
        by_kind: [],
        subject_fields: {
            lines_picked: "picking_id.dg_validated_by",
            supplier_on_time: "partner_id",
        },
        hypercare: [],
        generated_at: "2026-11-27 08:00:00",
        ...over,
    };
}

/** A promise resolved from outside: plays a slow server answer. */
function deferred<T>(): { promise: Promise<T>; resolve: (value: T) => void } {
    let resolve!: (value: T) => void;
    const promise = new Promise<T>((r) => (resolve = r));
    return { promise, resolve };
}

async function mount(handler: (call: OrmCall) => unknown, action = makeActionService()) {
    const orm = makeOrm({ "distribution.dashboard.get_kpi_dashboard": handler });
    const mounted = await mountWithServices(
        KpiDashboard,
        { action: { name: "KPIs" } },
        { orm, action },
    );
    const { target } = mounted;
    await waitFor(
        () => !!target.querySelector(".o_dg_kpi_card[data-key], .o_dg_kpi_error, .o_dg_kpi_empty"),
        "load",
    );
    return { ...mounted, orm, action };
}

function select(target: HTMLElement, selector: string, value: string): void {
    const el = target.querySelector<HTMLSelectElement | HTMLInputElement>(selector)!;
    el.value = value;
    el.dispatchEvent(new Event("change"));
}

QUnit.module("dashboard/KpiDashboard", () => {
    QUnit.test("is registered as the client action of the KPI menu", (assert) => {
        assert.strictEqual(
            registry.category("actions").get("distribution_governance.kpi_dashboard"),
            KpiDashboard,
        );
    });

    QUnit.test("shows a skeleton, then one card per KPI from one RPC", async (assert) => {
        const answer = deferred<KpiData>();
        const orm = makeOrm({ "distribution.dashboard.get_kpi_dashboard": () => answer.promise });
        const { target, destroy } = await mountWithServices(
            KpiDashboard,
            { action: {} },
            { orm, action: makeActionService() },
        );
        assert.ok(target.querySelector(".o_dg_kpi_skeleton"), "skeleton while loading");
        assert.strictEqual(target.querySelectorAll(".o_dg_kpi_skeleton .o_dg_kpi_card").length, 8);
        assert.deepEqual(orm.calls[0]!.args, [{ period: "last_7_days" }]);
        answer.resolve(dashboard());
        await waitFor(() => !!target.querySelector(".o_dg_kpi_card[data-key]"));
        assert.notOk(target.querySelector(".o_dg_kpi_skeleton"));
        assert.strictEqual(orm.calls.length, 1, "one RPC per screen load");
        assert.strictEqual(target.querySelectorAll(".o_dg_kpi_cards .o_dg_kpi_card").length, 4);

        const ots = target.querySelector<HTMLElement>(
            ".o_dg_kpi_card[data-key='on_time_shipment']",
        )!;
        assert.strictEqual(ots.querySelector(".o_dg_kpi_value")!.textContent, "97.5%");
        assert.strictEqual(
            ots.querySelector(".o_dg_kpi_label")!.getAttribute("title"),
            "What on_time_shipment measures",
        );
        assert.ok(ots.classList.contains("border-success"), "green border from the server's rag");
        assert.ok(ots.querySelector(".o_dg_kpi_rag")!.classList.contains("text-bg-success"));
        // 97.5 vs 95.1 = +2.4 pp (good), vs baseline 98 = -0.5 pp (bad)
        const prev = ots.querySelector(".o_dg_kpi_prev .o_dg_kpi_delta")!;
        assert.strictEqual(prev.textContent.trim(), `+2.4${NBSP}pp`);
        assert.ok(prev.classList.contains("text-success"));
        const base = ots.querySelector(".o_dg_kpi_base .o_dg_kpi_delta")!;
        assert.strictEqual(base.textContent.trim(), `-0.5${NBSP}pp`);
        assert.strictEqual(base.getAttribute("data-tone"), "bad");
        assert.strictEqual(ots.querySelector(".o_dg_kpi_target")!.textContent, "Target ≥ 95.0%");
        assert.strictEqual(
            ots.querySelector(".o_dg_kpi_count")!.textContent.trim(),
            "40 Transfers",
        );
        // the sparkline goes on across a null day, the days with a value marked
        assert.strictEqual(ots.querySelectorAll(".o_dg_kpi_spark polyline").length, 1);
        assert.strictEqual(ots.querySelectorAll(".o_dg_kpi_spark circle").length, 2);

        // cycle time rose 24 -> 30 h where lower is better: +6 h (+25%), bad
        const oct = target.querySelector<HTMLElement>(
            ".o_dg_kpi_card[data-key='order_cycle_time']",
        )!;
        assert.ok(oct.classList.contains("border-warning"));
        const octPrev = oct.querySelector(".o_dg_kpi_prev .o_dg_kpi_delta")!;
        assert.strictEqual(octPrev.textContent.trim(), `+6.0${NBSP}h (+25%)`);
        assert.ok(octPrev.classList.contains("text-danger"));
        assert.strictEqual(oct.querySelectorAll(".o_dg_kpi_spark polyline").length, 1);

        const none = target.querySelector<HTMLElement>(
            ".o_dg_kpi_card[data-key='exceptions_opened']",
        )!;
        assert.strictEqual(none.querySelector(".o_dg_kpi_value")!.textContent, "–");
        assert.notOk(none.querySelector(".o_dg_kpi_rag"), "no badge without a colour");
        assert.strictEqual(none.querySelector(".o_dg_kpi_prev .o_dg_kpi_delta")!.textContent, "–");
        destroy();
    });

    QUnit.test(
        "the value and the count drill down to the KPI's records, a named facet, no New",
        async (assert) => {
            const { target, action, destroy } = await mount(() => dashboard());
            const ots = target.querySelector<HTMLElement>(
                ".o_dg_kpi_card[data-key='on_time_shipment']",
            )!;
            ots.querySelector<HTMLElement>(".o_dg_kpi_value")!.click();
            target
                .querySelector<HTMLElement>(
                    ".o_dg_kpi_card[data-key='order_cycle_time'] .o_dg_kpi_count",
                )!
                .click();
            await waitFor(() => action.done.length === 2);
            assert.deepEqual(action.done[0], {
                type: "ir.actions.act_window",
                name: "On-time shipment",
                res_model: "stock.picking",
                views: [
                    [7, "list"],
                    [false, "form"],
                ],
                target: "current",
                context: { create: false },
            });
            assert.deepEqual(action.options[0], {
                props: {
                    dynamicFilters: [
                        {
                            description: "On-time shipment",
                            domain: [["picking_type_code", "=", "outgoing"]],
                        },
                    ],
                },
            });
            const second = action.done[1] as { res_model: string; views: unknown[] };
            assert.strictEqual(second.res_model, "sale.order");
            assert.deepEqual(second.views[0], [false, "list"], "the model's own list");
            assert.deepEqual(action.options[1], {
                props: {
                    dynamicFilters: [
                        { description: "Order cycle time", domain: [["id", "in", [1, 2]]] },
                    ],
                },
            });
            destroy();
        },
    );

    QUnit.test(
        'a card\'s flagged records open on their own: "On-time shipment: late"',
        async (assert) => {
            const { target, action, destroy } = await mount(() => dashboard());
            const flag = target.querySelector<HTMLElement>(
                ".o_dg_kpi_card[data-key='on_time_shipment'] .o_dg_kpi_flag",
            )!;
            assert.strictEqual(flag.textContent.trim(), "1 late");
            assert.notOk(
                target.querySelector(".o_dg_kpi_card[data-key='order_cycle_time'] .o_dg_kpi_flag"),
            );
            flag.click();
            await waitFor(() => action.done.length === 1);
            assert.strictEqual((action.done[0] as { name: string }).name, "On-time shipment: late");
            assert.deepEqual(action.options[0], {
                props: {
                    dynamicFilters: [
                        {
                            description: "On-time shipment: late",
                            domain: [
                                ["picking_type_code", "=", "outgoing"],
                                ["dg_late", "=", true],
                            ],
                        },
                    ],
                },
            });
            destroy();
        },
    );

    QUnit.test("the per-operator table: each operator's figures and records", async (assert) => {
        const { target, action, destroy } = await mount(() => dashboard());
        const tables = target.querySelectorAll(".o_dg_kpi_subjects");
        assert.strictEqual(tables.length, 1, "no vendor scorecard without vendors");
        const table = tables[0]!;
        assert.strictEqual(table.getAttribute("data-table"), "operators");
        assert.deepEqual(
            [...table.querySelectorAll("th")].map((th) => th.textContent),
            ["Operator", "Lines picked per operator"],
        );
        const cell = table.querySelector<HTMLElement>(
            "tr[data-id='7'] td[data-key='lines_picked'] .o_dg_kpi_cell",
        )!;
        assert.strictEqual(
            cell.textContent.replace(/\s+/g, " ").trim(),
            "42.5 lines/day (85 Move Lines)",
        );
        cell.click();
        await waitFor(() => action.done.length === 1);
        const done = action.done[0] as { name: string; res_model: string };
        assert.strictEqual(done.name, "Lines picked per operator · Marc Picker");
        assert.strictEqual(done.res_model, "stock.move.line");
        assert.deepEqual(action.options[0], {
            props: {
                dynamicFilters: [
                    {
                        description: "Lines picked per operator · Marc Picker",
                        domain: [
                            ["id", "in", [1, 2]],
                            ["picking_id.dg_validated_by", "=", 7],
                        ],
                    },
                ],
            },
        });
        destroy();
    });

    QUnit.test("approvals by kind: a kind's figures open its requests", async (assert) => {
        const data = dashboard();
        const { target, action, destroy } = await mount(() =>
            dashboard({
                kpis: [
                    ...data.kpis,
                    card("approval_rate", {
                        label: "Approval rate",
                        unit: "%",
                        model: "distribution.approval.request",
                        domain: [["state", "in", ["approved", "rejected"]]],
                    }),
                ],
                kind_kpis: ["approval_rate"],
                by_kind: [
                    {
                        id: "price_override",
                        name: "Price below policy",
                        kpis: {
                            approval_rate: {
                                value: 75,
                                count: 4,
                                model_name: "Approval Requests",
                                rag: null,
                            },
                        },
                    },
                ],
                subject_fields: { ...data.subject_fields, approval_rate: "kind" },
            }),
        );
        const table = target.querySelector(".o_dg_kpi_subjects[data-table='kinds']")!;
        assert.deepEqual(
            [...table.querySelectorAll("th")].map((th) => th.textContent),
            ["Kind", "Approval rate"],
        );
        const cell = table.querySelector<HTMLElement>(
            "tr[data-id='price_override'] td[data-key='approval_rate'] .o_dg_kpi_cell",
        )!;
        assert.strictEqual(
            cell.textContent.replace(/\s+/g, " ").trim(),
            "75.0% (4 Approval Requests)",
        );
        cell.click();
        await waitFor(() => action.done.length === 1);
        assert.deepEqual(action.options[0], {
            props: {
                dynamicFilters: [
                    {
                        description: "Approval rate · Price below policy",
                        domain: [
                            ["state", "in", ["approved", "rejected"]],
                            ["kind", "=", "price_override"],
                        ],
                    },
                ],
            },
        });
        destroy();
    });

    QUnit.test(
        "the trend chart loads Chart.js lazily, follows the selection, is destroyed",
        async (assert) => {
            const before = FakeChart.instances.length;
            const { target, destroy } = await mount(() => dashboard());
            await waitFor(() => FakeChart.instances.length > before, "chart");
            assert.ok(loadedBundles.includes("web.chartjs_lib"));
            const first = FakeChart.instances.at(-1)!;
            const data = first.config.data as {
                labels: string[];
                datasets: { label: string; data: unknown[] }[];
            };
            assert.strictEqual(first.config.type, "line");
            // the first KPI with a value in its series; labels in the user's date format
            assert.deepEqual(data.labels, ["11/20/2026", "11/21/2026", "11/22/2026"]);
            assert.deepEqual(data.datasets[0]!.data, [96, null, 99]);
            assert.true(
                (data.datasets[0] as { spanGaps?: boolean }).spanGaps,
                "the line goes on across a day without value",
            );
            assert.deepEqual(
                data.datasets[1]!.data,
                [95, 95, 95],
                "target line at the green threshold",
            );
            assert.ok(target.querySelector(".o_dg_kpi_trend canvas") === first.canvas);

            const scrolled: Element[] = [];
            const scrollIntoView = Object.getOwnPropertyDescriptor(
                Element.prototype,
                "scrollIntoView",
            )!;
            Element.prototype.scrollIntoView = function (this: Element) {
                scrolled.push(this);
            };
            target
                .querySelector<HTMLElement>(
                    ".o_dg_kpi_card[data-key='order_cycle_time'] .o_dg_kpi_select",
                )!
                .click();
            await waitFor(() => FakeChart.instances.at(-1) !== first, "second chart");
            Object.defineProperty(Element.prototype, "scrollIntoView", scrollIntoView);
            const trend = target.querySelector(".o_dg_kpi_trend")!;
            assert.deepEqual(scrolled, [trend], "the chart icon scrolls to the trend");
            assert.ok(trend.classList.contains("o_dg_kpi_trend_highlight"), "and flashes it");
            trend.dispatchEvent(new Event("animationend"));
            await waitFor(
                () => !trend.classList.contains("o_dg_kpi_trend_highlight"),
                "flash ends",
            );
            assert.ok(first.destroyed, "the previous chart is destroyed");
            const second = FakeChart.instances.at(-1)!;
            assert.strictEqual(
                target
                    .querySelector(".o_dg_kpi_trend .card-header")!
                    .textContent.replace(/\s+/g, " ")
                    .trim(),
                "Trend: Order cycle time",
            );
            assert.strictEqual((second.config.data as { datasets: unknown[] }).datasets.length, 2);
            destroy();
            assert.ok(second.destroyed, "destroyed on unmount");
        },
    );

    QUnit.test(
        "per-warehouse cells carry the rag colour and drill down per warehouse",
        async (assert) => {
            const { target, action, destroy } = await mount(() => dashboard());
            const headers = [...target.querySelectorAll(".o_dg_kpi_wh_table th")].map(
                (th) => th.textContent,
            );
            assert.deepEqual(headers, ["Warehouse", "On-time shipment", "Order cycle time"]);
            const cell = target.querySelector<HTMLElement>(
                ".o_dg_kpi_wh_table tr[data-id='11'] td[data-key='on_time_shipment'] .o_dg_kpi_cell",
            )!;
            assert.strictEqual(cell.textContent, "80.0%");
            assert.ok(cell.classList.contains("text-danger"));
            // the cell says what it counted, in the number the server chose
            assert.strictEqual(cell.getAttribute("title"), "5 Transfers");
            const single = target.querySelector<HTMLElement>(
                ".o_dg_kpi_wh_table tr[data-id='11'] td[data-key='order_cycle_time'] .o_dg_kpi_cell",
            )!;
            assert.strictEqual(single.getAttribute("title"), "1 Sales Order");
            cell.click();
            await waitFor(() => action.done.length === 1);
            const done = action.done[0] as { name: string; res_model: string };
            assert.strictEqual(done.name, "On-time shipment · WH Main");
            assert.strictEqual(done.res_model, "stock.picking");
            assert.deepEqual(action.options[0], {
                props: {
                    dynamicFilters: [
                        {
                            description: "On-time shipment · WH Main",
                            domain: [["picking_type_id.warehouse_id", "in", [11]]],
                        },
                    ],
                },
            });
            destroy();
        },
    );

    QUnit.test("filters reload and the latest answer wins", async (assert) => {
        const answers = [deferred<KpiData>(), deferred<KpiData>(), deferred<KpiData>()];
        let n = 0;
        const orm = makeOrm({
            "distribution.dashboard.get_kpi_dashboard": () => answers[n++]!.promise,
        });
        const { target, destroy } = await mountWithServices(
            KpiDashboard,
            { action: {} },
            { orm, action: makeActionService() },
        );
        answers[0]!.resolve(dashboard());
        await waitFor(() => !!target.querySelector(".o_dg_kpi_card[data-key]"));
        assert.notOk(target.querySelector(".o_dg_kpi_co"), "no company filter with one company");
        assert.strictEqual(
            target.querySelector(".o_dg_kpi_wh")!.textContent.trim(),
            "All warehouses",
        );

        select(target, ".o_dg_kpi_preset", "last_28_days");
        target.querySelector<HTMLElement>(".o_dg_kpi_wh")!.click();
        await waitFor(() => !!target.querySelector(".o_dg_kpi_wh_option"));
        const north = target.querySelector<HTMLInputElement>(
            ".o_dg_kpi_wh_option[data-id='12'] input",
        )!;
        assert.ok(north.checked, "every warehouse is on by default");
        north.click();
        // the server's company scope is sent back; "every warehouse" stays implicit
        assert.deepEqual(orm.calls[1]!.args, [{ period: "last_28_days", company_ids: [1] }]);
        assert.deepEqual(orm.calls[2]!.args, [
            { period: "last_28_days", warehouse_ids: [11], company_ids: [1] },
        ]);

        const latest = dashboard({ selected_warehouse_ids: [11] });
        latest.kpis = latest.kpis.slice(0, 1);
        answers[2]!.resolve(latest);
        await waitFor(() => target.querySelectorAll(".o_dg_kpi_cards .o_dg_kpi_card").length === 1);
        answers[1]!.resolve(dashboard());
        await new Promise((r) => setTimeout(r, 20));
        assert.strictEqual(
            target.querySelectorAll(".o_dg_kpi_cards .o_dg_kpi_card").length,
            1,
            "the slower, older answer is dropped",
        );
        assert.strictEqual(target.querySelector(".o_dg_kpi_wh")!.textContent.trim(), "WH Main");
        destroy();
    });

    QUnit.test(
        "custom period sends its dates; companies are offered when several",
        async (assert) => {
            // like the server: echoes the custom dates, offers every active company
            const two = (call: OrmCall) => {
                const sent = call.args[0] as KpiFilters;
                const selected = sent.company_ids ?? [1, 2];
                const data = dashboard({
                    companies: [
                        { id: 1, name: "Main Distributor" },
                        { id: 2, name: "North Branch" },
                    ],
                    selected_company_ids: selected,
                });
                if (sent.date_from && sent.date_to) {
                    Object.assign(data.period, {
                        date_from: sent.date_from,
                        date_to: sent.date_to,
                    });
                }
                return data;
            };
            const { target, orm, destroy } = await mount(two);
            select(target, ".o_dg_kpi_preset", "custom");
            await waitFor(() => !!target.querySelector(".o_dg_kpi_from"));
            assert.strictEqual(orm.calls.length, 1, "custom waits for its dates");
            assert.notOk(target.querySelector("input[type='date']"), "not the browser's input");
            const from = target.querySelector<HTMLInputElement>(
                ".o_dg_kpi_from .o_datetime_input",
            )!;
            assert.strictEqual(from.value, "2026-11-20", "Odoo's date picker, set to the period");
            assert.strictEqual(from.dataset["max"], "2026-11-26", "no later than the end");
            select(target, ".o_dg_kpi_to .o_datetime_input", "2026-11-10");
            assert.strictEqual(orm.calls.length, 1, "no load while from > to");
            select(target, ".o_dg_kpi_from .o_datetime_input", "2026-11-01");
            assert.deepEqual(orm.calls[1]!.args, [
                {
                    period: "custom",
                    date_from: "2026-11-01",
                    date_to: "2026-11-10",
                    company_ids: [1, 2],
                },
            ]);
            await waitFor(() => !!target.querySelector(".o_dg_kpi_co"));
            assert.strictEqual(
                target.querySelector(".o_dg_kpi_co")!.textContent.trim(),
                "All companies",
            );
            target.querySelector<HTMLElement>(".o_dg_kpi_co")!.click();
            await waitFor(() => !!target.querySelector(".o_dg_kpi_co_option"));
            target.querySelector<HTMLElement>(".o_dg_kpi_co_option[data-id='1'] input")!.click();
            assert.deepEqual(orm.calls.at(-1)!.args[0], {
                period: "custom",
                date_from: "2026-11-01",
                date_to: "2026-11-10",
                company_ids: [2],
            });
            await waitFor(
                () => target.querySelector(".o_dg_kpi_co")!.textContent.trim() === "North Branch",
                "the company label",
            );
            assert.strictEqual(
                target.querySelector(".o_dg_kpi_co")!.textContent.trim(),
                "North Branch",
            );
            const options = target.querySelectorAll<HTMLInputElement>(".o_dg_kpi_co_option input");
            assert.deepEqual(
                [...options].map((o) => o.checked),
                [false, true],
                "a company left out can be taken back",
            );
            destroy();
        },
    );

    QUnit.test(
        "hypercare panel: day of the window, readiness and its drill-down",
        async (assert) => {
            const data = dashboard({
                hypercare: [
                    {
                        company_id: 1,
                        company_name: "Main Distributor",
                        go_live_date: "2026-11-22",
                        day: 6,
                        window_days: 28,
                        active: true,
                        baseline_from: "2026-10-25",
                        baseline_to: "2026-11-21",
                        readiness: [
                            {
                                id: 1,
                                name: "Pick accuracy",
                                passed: true,
                                detail: "5 of 5 days ≥ 98 %",
                                model: null,
                                domain: null,
                                count: null,
                            },
                            {
                                id: 2,
                                name: "Open exceptions",
                                passed: false,
                                detail: "3 open > 0",
                                model: "distribution.exception",
                                domain: [["state", "=", "new"]],
                                count: 3,
                            },
                        ],
                        ready: false,
                    },
                ],
            });
            const { target, action, destroy } = await mount(() => data);
            const panel = target.querySelector<HTMLElement>(".o_dg_hypercare")!;
            assert.strictEqual(
                panel.querySelector(".o_dg_hypercare_day")!.textContent,
                "Day 6 of 28",
            );
            // 6 / 28 = 21.4 %
            assert.strictEqual(
                panel.querySelector<HTMLElement>(".progress-bar")!.style.width,
                "21%",
            );
            assert.strictEqual(
                panel.querySelector(".o_dg_hypercare_ready")!.textContent.trim(),
                "Not ready",
            );
            assert.ok(
                panel.querySelector(".o_dg_hypercare_ready")!.classList.contains("text-bg-danger"),
            );
            const items = panel.querySelectorAll(".o_dg_readiness");
            assert.ok(items[0]!.querySelector(".fa-check-circle"));
            assert.ok(items[1]!.querySelector(".fa-times-circle"));
            assert.notOk(
                items[0]!.querySelector(".o_dg_readiness_open"),
                "no drill-down without domain",
            );
            items[1]!.querySelector<HTMLElement>(".o_dg_readiness_open")!.click();
            await waitFor(() => action.done.length === 1);
            const done = action.done[0] as { res_model: string; name: string };
            assert.strictEqual(done.res_model, "distribution.exception");
            assert.strictEqual(done.name, "Open exceptions · Main Distributor");
            const facets = (action.options[0] as { props: { dynamicFilters: unknown[] } }).props
                .dynamicFilters;
            assert.deepEqual(facets, [
                {
                    description: "Open exceptions · Main Distributor",
                    domain: [["state", "=", "new"]],
                },
            ]);
            destroy();
        },
    );

    QUnit.test("hypercare before go-live and after the window", async (assert) => {
        const base = {
            company_name: "X",
            go_live_date: "2026-12-01",
            window_days: 28,
            active: false,
            baseline_from: "2026-11-01",
            baseline_to: "2026-11-28",
            readiness: [],
            ready: true,
        };
        const { target, destroy } = await mount(() =>
            dashboard({
                hypercare: [
                    { ...base, company_id: 1, day: -3 },
                    { ...base, company_id: 2, day: 40 },
                ],
            }),
        );
        const texts = [...target.querySelectorAll(".o_dg_hypercare_day")].map((e) => e.textContent);
        assert.deepEqual(texts, ["Go-live in 4 days", "Hypercare ended"]);
        assert.ok(
            target.querySelector(".o_dg_hypercare_ready")!.classList.contains("text-bg-success"),
        );
        destroy();
    });

    QUnit.test("the filters survive a drill-down and the way back", async (assert) => {
        const orm = makeOrm({ "distribution.dashboard.get_kpi_dashboard": () => dashboard() });
        const { target, destroy } = await mountWithServices(
            KpiDashboard,
            {
                action: {},
                state: {
                    filters: { period: "last_28_days", warehouse_ids: [12], company_ids: [1] },
                },
            },
            { orm, action: makeActionService() },
        );
        assert.deepEqual(orm.calls[0]!.args, [
            { period: "last_28_days", warehouse_ids: [12], company_ids: [1] },
        ]);
        await waitFor(() => !!target.querySelector(".o_dg_kpi_card[data-key]"));
        select(target, ".o_dg_kpi_preset", "this_month");
        const saved = setupActionCalls.at(-1)!.getLocalState!();
        assert.strictEqual((saved["filters"] as { period: string }).period, "this_month");
        destroy();
    });

    QUnit.test("empty state when no KPI has a value", async (assert) => {
        const data = dashboard();
        data.kpis = data.kpis.map((k) => ({ ...k, value: null }));
        const { target, destroy } = await mount(() => data);
        assert.ok(target.querySelector(".o_dg_kpi_empty"));
        assert.strictEqual(target.querySelectorAll(".o_dg_kpi_card").length, 0);
        destroy();
    });

    QUnit.test("a failed load shows the server's message in place", async (assert) => {
        const { target, destroy } = await mount(() => {
            throw serverError("You are not allowed in company X.");
        });
        assert.strictEqual(
            target.querySelector(".o_dg_kpi_error")!.textContent.trim(),
            "You are not allowed in company X.",
        );
        assert.ok(target.querySelector(".o_dg_kpi_preset"), "filters stay usable");
        destroy();
    });
});
