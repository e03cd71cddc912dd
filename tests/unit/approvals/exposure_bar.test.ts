import {
    computeExposureBar,
    type BarPiece,
    type ExposureBar,
} from "@distribution_governance/approvals/exposure_bar";

function exposure(values: {
    receivables?: number;
    uninvoiced?: number;
    this_order?: number;
    limit?: number;
    credit_control?: boolean;
    total?: number;
}) {
    const receivables = values.receivables ?? 0;
    const uninvoiced = values.uninvoiced ?? 0;
    const this_order = values.this_order ?? 0;
    const limit = values.limit ?? 0;
    return {
        receivables,
        uninvoiced,
        this_order,
        // the server's total: the rounded sum of the three parts
        total: values.total ?? Math.round((receivables + uninvoiced + this_order) * 100) / 100,
        limit,
        credit_control: values.credit_control ?? limit > 0,
    };
}

/** [key, width, over] of each piece: what the bar draws, left to right. */
function drawn(bar: ExposureBar): [string, number, boolean][] {
    return bar.pieces.map((p: BarPiece) => [p.key, p.width, p.over]);
}

function totalWidth(bar: ExposureBar): number {
    return Math.round(bar.pieces.reduce((sum, p) => sum + p.width, 0) * 1000) / 1000;
}

QUnit.module("approvals/exposure_bar", () => {
    QUnit.module("computeExposureBar");

    QUnit.test("under the limit: segments stacked on a bar as long as the limit", (assert) => {
        const bar = computeExposureBar(
            exposure({ receivables: 200, uninvoiced: 100, this_order: 200, limit: 1000 }),
        );
        assert.deepEqual(drawn(bar), [
            ["receivables", 20, false],
            ["uninvoiced", 10, false],
            ["this_order", 20, false],
        ]);
        assert.deepEqual(
            bar.pieces.map((p) => p.left),
            [0, 20, 30],
            "contiguous, in stacking order",
        );
        assert.strictEqual(bar.limitAt, 100, "the limit is the end of the bar");
        assert.true(bar.hasLimit);
        assert.false(bar.over);
        assert.strictEqual(bar.overAmount, 0);
        assert.strictEqual(bar.available, 500);
        assert.strictEqual(bar.usedPercent, 50);
        assert.strictEqual(bar.credit, 0);
        assert.false(bar.empty);
    });

    QUnit.test(
        "over the limit: the bar spans the exposure, the part beyond is cut off",
        (assert) => {
            // The seeded hold: 138 receivables + 1704.30 this order against a 1500 limit.
            const bar = computeExposureBar(
                exposure({ receivables: 138, uninvoiced: 0, this_order: 1704.3, limit: 1500 }),
            );
            assert.deepEqual(drawn(bar), [
                ["receivables", 7.491, false],
                ["this_order", 73.929, false],
                ["this_order", 18.58, true],
            ]);
            assert.strictEqual(bar.pieces[1]!.amount, 1362, "this order up to the limit");
            assert.strictEqual(Math.round(bar.pieces[2]!.amount * 100) / 100, 342.3);
            assert.strictEqual(
                bar.pieces[2]!.left,
                bar.limitAt,
                "the red part starts at the marker",
            );
            assert.strictEqual(bar.limitAt, 81.42);
            assert.true(bar.over);
            assert.strictEqual(Math.round(bar.overAmount * 100) / 100, 342.3);
            assert.strictEqual(bar.available, 0);
            assert.strictEqual(bar.usedPercent, 123);
            assert.strictEqual(totalWidth(bar), 100);
        },
    );

    QUnit.test("the limit can fall inside any segment", (assert) => {
        const bar = computeExposureBar(
            exposure({ receivables: 80, uninvoiced: 50, this_order: 70, limit: 100 }),
        );
        assert.deepEqual(drawn(bar), [
            ["receivables", 40, false],
            ["uninvoiced", 10, false],
            ["uninvoiced", 15, true],
            ["this_order", 35, true],
        ]);
        assert.strictEqual(bar.limitAt, 50);
        assert.strictEqual(bar.overAmount, 100);
    });

    QUnit.test("exactly at the limit is not over", (assert) => {
        const bar = computeExposureBar(exposure({ receivables: 50, this_order: 50, limit: 100 }));
        assert.deepEqual(drawn(bar), [
            ["receivables", 50, false],
            ["this_order", 50, false],
        ]);
        assert.false(bar.over);
        assert.strictEqual(bar.limitAt, 100);
        assert.strictEqual(bar.available, 0);
        assert.strictEqual(bar.usedPercent, 100);
    });

    QUnit.test("float noise at the limit draws no red sliver", (assert) => {
        // 0.1 + 0.2 + 99.7 is 100.00000000000001 in floating point
        const bar = computeExposureBar(
            exposure({
                receivables: 0.1,
                uninvoiced: 0.2,
                this_order: 99.7,
                limit: 100,
                total: 100,
            }),
        );
        assert.false(bar.over);
        assert.notOk(
            bar.pieces.some((p) => p.over),
            "no over piece",
        );
        assert.strictEqual(bar.pieces.length, 3);
    });

    QUnit.test("one cent over the limit is over", (assert) => {
        const bar = computeExposureBar(exposure({ this_order: 100.01, limit: 100 }));
        assert.true(bar.over);
        assert.strictEqual(bar.pieces.filter((p) => p.over).length, 1);
        assert.strictEqual(Math.round(bar.overAmount * 100) / 100, 0.01);
    });

    QUnit.test("no limit: the bar shows the exposure alone, nothing is over", (assert) => {
        const bar = computeExposureBar(exposure({ receivables: 100, this_order: 300, limit: 0 }));
        assert.deepEqual(drawn(bar), [
            ["receivables", 25, false],
            ["this_order", 75, false],
        ]);
        assert.false(bar.hasLimit);
        assert.strictEqual(bar.limitAt, null);
        assert.false(bar.over);
        assert.strictEqual(bar.usedPercent, null);
        assert.strictEqual(bar.available, 0);
    });

    QUnit.test("a limit without credit control is no limit", (assert) => {
        const bar = computeExposureBar(
            exposure({ this_order: 900, limit: 100, credit_control: false }),
        );
        assert.false(bar.hasLimit);
        assert.false(bar.over, "the company does not check credit");
        assert.deepEqual(drawn(bar), [["this_order", 100, false]]);
    });

    QUnit.test("nothing to draw: empty bar, marker still placed", (assert) => {
        const none = computeExposureBar(exposure({}));
        assert.true(none.empty);
        assert.deepEqual(none.pieces, []);
        assert.strictEqual(none.limitAt, null, "no limit, no exposure: no scale at all");
        const withLimit = computeExposureBar(exposure({ limit: 500 }));
        assert.true(withLimit.empty);
        assert.strictEqual(withLimit.limitAt, 100);
        assert.strictEqual(withLimit.available, 500);
        assert.strictEqual(withLimit.usedPercent, 0);
    });

    QUnit.test("credit notes above invoices offset the other segments", (assert) => {
        const bar = computeExposureBar(
            exposure({ receivables: -300, uninvoiced: 200, this_order: 500, limit: 1000 }),
        );
        assert.strictEqual(bar.credit, 300);
        assert.deepEqual(
            drawn(bar),
            [["this_order", 40, false]],
            "the credit absorbs the uninvoiced orders, then part of this order",
        );
        assert.strictEqual(bar.pieces[0]!.amount, 400, "the bar draws the net exposure");
        assert.false(bar.over);
        assert.strictEqual(bar.available, 600);
    });

    QUnit.test("a net exposure over the limit despite a credit", (assert) => {
        const bar = computeExposureBar(
            exposure({ receivables: -300, uninvoiced: 200, this_order: 500, limit: 100 }),
        );
        assert.deepEqual(drawn(bar), [
            ["this_order", 25, false],
            ["this_order", 75, true],
        ]);
        assert.strictEqual(bar.limitAt, 25);
        assert.strictEqual(bar.overAmount, 300);
    });

    QUnit.test("a credit larger than everything leaves nothing drawn", (assert) => {
        const bar = computeExposureBar(
            exposure({ receivables: -1000, this_order: 300, limit: 500 }),
        );
        assert.true(bar.empty);
        assert.deepEqual(bar.pieces, []);
        assert.strictEqual(bar.credit, 1000);
        assert.false(bar.over);
        assert.strictEqual(bar.available, 1200, "the credit adds to the room under the limit");
        assert.strictEqual(bar.usedPercent, 0, "never a negative use of the limit");
    });

    QUnit.test(
        "a negative later segment offsets the following ones, then earlier ones",
        (assert) => {
            const bar = computeExposureBar(
                exposure({ receivables: 100, uninvoiced: -150, this_order: 100, limit: 1000 }),
            );
            // the credit of 150 takes this order (100), then 50 of the receivables
            assert.deepEqual(drawn(bar), [["receivables", 5, false]]);
            assert.strictEqual(bar.credit, 150);
        },
    );

    QUnit.test("missing or non-numeric amounts count as zero", (assert) => {
        const bar = computeExposureBar({
            receivables: NaN,
            uninvoiced: undefined as unknown as number,
            this_order: 50,
            total: 50,
            limit: Infinity,
            credit_control: true,
        });
        assert.false(bar.hasLimit, "an infinite limit is no limit");
        assert.deepEqual(drawn(bar), [["this_order", 100, false]]);
    });
});
