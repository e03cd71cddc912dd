import {
    formatKpiValue,
    hypercarePhase,
    kpiDelta,
    kpiDrillDown,
    kpiFacet,
    periodOptions,
    ragClass,
    sparkline,
    trendChartData,
    unitLabels,
} from "@distribution_governance/dashboard/kpi_logic";
import type { KpiSeriesPoint } from "@distribution_governance/types/kpi";
import type { Domain } from "@distribution_governance/types/services";

const NBSP = "\u00a0";
const identity = (term: string) => term;
const units = unitLabels(identity);

function series(...values: (number | null)[]): KpiSeriesPoint[] {
    return values.map((value, i) => ({ date: `2026-11-${String(i + 1).padStart(2, "0")}`, value }));
}

QUnit.module("dashboard/kpi_logic", () => {
    QUnit.test("kpiDelta of a % KPI is in percentage points, judged by direction", (assert) => {
        // 97.5 - 95.1 = 2.4 points; higher is better
        const up = kpiDelta(97.5, 95.1, "%", "higher", units, "en-US")!;
        assert.strictEqual(up.diff, 2.4);
        assert.strictEqual(up.percent, null, "no relative change of a percentage");
        assert.strictEqual(up.tone, "good");
        assert.strictEqual(up.arrow, "up");
        assert.strictEqual(up.text, `+2.4${NBSP}pp`);
        // the same rise on a KPI where lower is better (e.g. SLA breach rate) is bad
        const breach = kpiDelta(12, 9.5, "%", "lower", units, "en-US")!;
        assert.strictEqual(breach.diff, 2.5);
        assert.strictEqual(breach.tone, "bad");
        assert.strictEqual(breach.text, `+2.5${NBSP}pp`);
        assert.strictEqual(
            kpiDelta(97.5, 95.1, "%", "higher", units, "de-DE")!.text,
            `+2,4${NBSP}pp`,
        );
    });

    QUnit.test("kpiDelta of hours and counts adds the relative change", (assert) => {
        // 20.5 h vs 24 h: -3.5 h, -3.5 / 24 = -14.58 %; lower is better
        const faster = kpiDelta(20.5, 24, "h", "lower", units, "en-US")!;
        assert.strictEqual(faster.diff, -3.5);
        assert.strictEqual(faster.percent, -14.6);
        assert.strictEqual(faster.tone, "good");
        assert.strictEqual(faster.arrow, "down");
        assert.strictEqual(faster.text, `-3.5${NBSP}h (-15%)`);
        // 12 exceptions opened vs 8: +4, +50 %; lower is better
        const more = kpiDelta(12, 8, "count", "lower", units, "en-US")!;
        assert.deepEqual(
            { diff: more.diff, percent: more.percent, tone: more.tone, text: more.text },
            { diff: 4, percent: 50, tone: "bad", text: "+4 (+50%)" },
        );
        // throughput fell from 1,250 to 1,000 units/day: -250, -20 %; higher is better
        const slower = kpiDelta(1000, 1250, "units/day", "higher", units, "en-US")!;
        assert.strictEqual(slower.percent, -20);
        assert.strictEqual(slower.tone, "bad");
        assert.strictEqual(slower.text, `-250.0${NBSP}units/day (-20%)`);
    });

    QUnit.test("kpiDelta is null-safe and handles a zero or equal reference", (assert) => {
        assert.strictEqual(kpiDelta(5, null, "count", "higher", units), null);
        assert.strictEqual(kpiDelta(null, 5, "count", "higher", units), null);
        assert.strictEqual(kpiDelta(null, null, "%", "higher", units), null);
        const fromZero = kpiDelta(5, 0, "count", "higher", units, "en-US")!;
        assert.strictEqual(fromZero.diff, 5);
        assert.strictEqual(fromZero.percent, null, "no percentage of zero");
        assert.strictEqual(fromZero.text, "+5");
        assert.strictEqual(fromZero.tone, "good");
        // 0.1 + 0.2 is not 0.3 in floating point: still no change once rounded to the display
        const same = kpiDelta(0.1 + 0.2, 0.3, "%", "higher", units, "en-US")!;
        assert.strictEqual(same.diff, 0);
        assert.strictEqual(same.tone, "neutral");
        assert.strictEqual(same.arrow, "flat");
        assert.strictEqual(same.text, `0.0${NBSP}pp`);
        // a change below the display precision is not judged either
        assert.strictEqual(kpiDelta(24.04, 24, "h", "lower", units, "en-US")!.tone, "neutral");
        // a negative reference: the relative change is against its size
        assert.strictEqual(kpiDelta(-5, -10, "amount", "higher", units, "en-US")!.percent, 50);
    });

    QUnit.test("formatKpiValue per unit", (assert) => {
        assert.strictEqual(formatKpiValue(97.46, "%", units, "en-US"), "97.5%");
        assert.strictEqual(formatKpiValue(12.34, "h", units, "en-US"), `12.3${NBSP}h`);
        assert.strictEqual(formatKpiValue(1234, "count", units, "en-US"), "1,234");
        assert.strictEqual(
            formatKpiValue(1234.56, "units/day", units, "en-US"),
            `1,234.6${NBSP}units/day`,
        );
        assert.strictEqual(formatKpiValue(12345.6, "amount", units, "en-US"), "12,346");
        assert.strictEqual(
            formatKpiValue(1234.56, "units/day", units, "de-DE"),
            `1.234,6${NBSP}units/day`,
        );
        assert.strictEqual(formatKpiValue(null, "%", units), "–");
        assert.strictEqual(formatKpiValue(Number.NaN, "count", units), "–");
    });

    QUnit.test("unit and period labels go through the given translation", (assert) => {
        const shout = (term: string) => term.toUpperCase();
        const options = periodOptions(shout);
        assert.deepEqual(
            options.map((o) => o.value),
            [
                "today",
                "yesterday",
                "last_7_days",
                "last_28_days",
                "this_month",
                "last_month",
                "custom",
            ],
        );
        assert.strictEqual(options[2]!.label, "LAST 7 DAYS");
        assert.strictEqual(unitLabels(shout).pp, "PP");
        assert.strictEqual(formatKpiValue(2, "h", unitLabels(shout), "en-US"), `2.0${NBSP}H`);
    });

    QUnit.test("ragClass maps the server colour to Bootstrap classes", (assert) => {
        assert.strictEqual(ragClass("green"), "text-bg-success");
        assert.strictEqual(ragClass("amber"), "text-bg-warning");
        assert.strictEqual(ragClass("red", "badge"), "text-bg-danger");
        assert.strictEqual(ragClass("green", "border"), "border-success");
        assert.strictEqual(ragClass("amber", "text"), "text-warning");
        assert.strictEqual(ragClass(null), "");
        assert.strictEqual(ragClass(null, "border"), "");
    });

    QUnit.test(
        "sparkline joins the days with a value across empty days, marking them",
        (assert) => {
            // 6 days in 100 x 20 with 2 of padding: x = 2 + i * 96 / 5 = 2 + 19.2 i;
            // values 1..5 over 16 px: y = 2 + (5 - v) * 4
            const line = sparkline(series(1, 3, null, 2, null, 5), 100, 20, 2);
            assert.deepEqual(line.lines, ["2,18 21.2,10 59.6,14 98,2"]);
            assert.deepEqual(line.dots, [
                { x: 2, y: 18 },
                { x: 21.2, y: 10 },
                { x: 59.6, y: 14 },
                { x: 98, y: 2 },
            ]);
            const full = sparkline(series(10, 0, 5), 50, 12, 1);
            // x = 1 + i * 24 = 1, 25, 49; y = 1 + (10 - v) * 10 / 10 = 1, 11, 6
            assert.deepEqual(full, { lines: ["1,1 25,11 49,6"], dots: [] }, "every day: no marks");
        },
    );

    QUnit.test("sparkline centres a constant series and a single day", (assert) => {
        assert.deepEqual(sparkline(series(4, 4, 4), 60, 10, 2), {
            lines: ["2,5 30,5 58,5"],
            dots: [],
        });
        assert.deepEqual(sparkline(series(7), 60, 10, 2), { lines: [], dots: [{ x: 30, y: 5 }] });
        assert.deepEqual(sparkline(series(null, 3, null), 60, 10, 2), {
            lines: [],
            dots: [{ x: 30, y: 5 }],
        });
        assert.deepEqual(sparkline(series(null, null), 60, 10), { lines: [], dots: [] });
        assert.deepEqual(sparkline([], 60, 10), { lines: [], dots: [] });
    });

    QUnit.test("trendChartData joins across empty days and adds the target line", (assert) => {
        const card = {
            label: "On-time shipment",
            series: series(90, null, 95.5),
            target: { direction: "higher" as const, green: 95, amber: 90 },
        };
        const data = trendChartData(card, "Target", (iso) => iso.slice(5));
        assert.deepEqual(data.labels, ["11-01", "11-02", "11-03"]);
        assert.strictEqual(data.datasets.length, 2);
        assert.strictEqual(data.datasets[0]!.label, "On-time shipment");
        assert.deepEqual(data.datasets[0]!.data, [90, null, 95.5]);
        assert.true(
            data.datasets[0]!.spanGaps,
            "a day without value has no point, the line goes on across it",
        );
        assert.strictEqual(data.datasets[1]!.label, "Target");
        assert.deepEqual(data.datasets[1]!.data, [95, 95, 95]);
        assert.ok(data.datasets[1]!.borderDash?.length, "the target line is dashed");

        const untargeted = trendChartData({ ...card, target: null }, "Target");
        assert.deepEqual(untargeted.labels, ["2026-11-01", "2026-11-02", "2026-11-03"]);
        assert.strictEqual(untargeted.datasets.length, 1);
    });

    QUnit.test("kpiDrillDown opens the counted records as a named facet", (assert) => {
        const domain: Domain = [
            ["picking_type_code", "=", "outgoing"],
            ["state", "=", "done"],
        ];
        const drill = {
            label: "On-time shipment",
            model: "stock.picking",
            domain,
            listViewId: 42,
        };
        const { action, options } = kpiDrillDown(drill);
        assert.deepEqual(action, {
            type: "ir.actions.act_window",
            name: "On-time shipment",
            res_model: "stock.picking",
            views: [
                [42, "list"],
                [false, "form"],
            ],
            target: "current",
            context: { create: false },
        });
        assert.deepEqual(options, {
            props: { dynamicFilters: [{ description: "On-time shipment", domain }] },
        });
        const late = kpiDrillDown({ ...drill, listViewId: false, flag: "late" });
        assert.strictEqual(late.action.name, "On-time shipment: late");
        assert.deepEqual(late.action.views[0], [false, "list"]);
        assert.strictEqual(
            late.options.props.dynamicFilters[0]!.description,
            "On-time shipment: late",
        );
        assert.strictEqual(
            kpiFacet({ label: "On-time shipment", scope: "WH/Main" }),
            "On-time shipment · WH/Main",
        );
        assert.strictEqual(
            kpiFacet({ label: "Supplier on-time receipts", scope: "Acme", flag: "late" }),
            "Supplier on-time receipts: late · Acme",
        );
    });

    QUnit.test("units of the operator KPIs", (assert) => {
        assert.strictEqual(
            formatKpiValue(142.25, "lines/day", units, "en-US"),
            `142.3${NBSP}lines/day`,
        );
        assert.strictEqual(
            formatKpiValue(18, "transfers/day", units, "en-US"),
            `18.0${NBSP}transfers/day`,
        );
    });

    QUnit.test("hypercarePhase: before, during and after the window", (assert) => {
        // day 1 is the go-live date: day -4 is five days before it
        assert.deepEqual(hypercarePhase({ day: -4, window_days: 28 }), {
            phase: "before",
            days: 5,
            percent: 0,
        });
        assert.strictEqual(hypercarePhase({ day: 0, window_days: 28 }).days, 1);
        // 1 / 28 = 3.6 %, 14 / 28 = 50 %
        assert.deepEqual(hypercarePhase({ day: 1, window_days: 28 }), {
            phase: "during",
            days: 1,
            percent: 4,
        });
        assert.strictEqual(hypercarePhase({ day: 14, window_days: 28 }).percent, 50);
        assert.deepEqual(hypercarePhase({ day: 28, window_days: 28 }), {
            phase: "during",
            days: 28,
            percent: 100,
        });
        assert.deepEqual(hypercarePhase({ day: 31, window_days: 28 }), {
            phase: "after",
            days: 3,
            percent: 100,
        });
    });
});
