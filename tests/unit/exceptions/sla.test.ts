import {
    clockSkew,
    formatDuration,
    slaCountdown,
    toMillis,
} from "@distribution_governance/exceptions/sla";
import { deserializeDateTime } from "@web/core/l10n/dates";
import { HOUR, MINUTE } from "./fixtures";

const NOW = Date.UTC(2026, 10, 27, 8, 0, 0);

QUnit.module("exceptions/sla", () => {
    QUnit.test("reads server strings through @web's dates, and field values", (assert) => {
        assert.strictEqual(toMillis("2026-11-27 08:00:00"), NOW);
        assert.strictEqual(toMillis(deserializeDateTime("2026-11-27 08:00:00")), NOW);
        assert.strictEqual(toMillis(false), null);
        assert.strictEqual(toMillis(""), null);
        assert.strictEqual(toMillis("27/11/2026"), null);
    });

    QUnit.test("clock skew is server time minus client time", (assert) => {
        assert.strictEqual(clockSkew("2026-11-27 08:10:00", NOW), 10 * MINUTE);
        assert.strictEqual(clockSkew("2026-11-27 07:59:30", NOW), -30_000);
        assert.strictEqual(clockSkew(false, NOW), 0, "no server time: trust the client");
    });

    QUnit.test("formats durations compactly", (assert) => {
        assert.strictEqual(formatDuration(2 * HOUR + 5 * MINUTE + 59_000), "2h 05m");
        assert.strictEqual(formatDuration(26 * HOUR + 30 * MINUTE), "1d 02h");
        assert.strictEqual(formatDuration(42 * MINUTE + 10_000), "42m");
        assert.strictEqual(formatDuration(35_000), "<1m", "minutes are the finest unit");
        assert.strictEqual(formatDuration(0), "<1m");
        assert.strictEqual(formatDuration(-(3 * HOUR + 20 * MINUTE), true), "3h");
        assert.strictEqual(formatDuration(-(50 * HOUR), true), "2d");
        assert.strictEqual(formatDuration(-(12 * MINUTE), true), "12m");
    });

    QUnit.test("counts down to the deadline", (assert) => {
        const countdown = slaCountdown({ deadline: "2026-11-27 10:05:00" }, NOW);
        assert.ok(countdown);
        assert.strictEqual(countdown!.remainingMs, 2 * HOUR + 5 * MINUTE);
        assert.strictEqual(countdown!.label, "2h 05m");
        assert.false(countdown!.overdue);
        assert.strictEqual(countdown!.status, "on_track");
        assert.strictEqual(countdown!.cssClass, "text-success");
    });

    QUnit.test("past the deadline it is breached and says by how much", (assert) => {
        const countdown = slaCountdown({ deadline: "2026-11-27 04:40:00" }, NOW)!;
        assert.true(countdown.overdue);
        assert.strictEqual(countdown.status, "breached");
        assert.strictEqual(countdown.label, "overdue 3h");
        assert.ok(countdown.cssClass.includes("text-danger"));
    });

    QUnit.test("the server clock wins over a skewed client clock", (assert) => {
        // The browser is 15 minutes behind: 10 minutes left on its clock are already 5 overdue.
        const deadline = { deadline: "2026-11-27 08:10:00" };
        assert.strictEqual(slaCountdown(deadline, NOW)!.status, "on_track");
        const skewed = slaCountdown(deadline, NOW, clockSkew("2026-11-27 08:15:00", NOW))!;
        assert.strictEqual(skewed.status, "breached");
        assert.strictEqual(skewed.label, "overdue 5m");
    });

    QUnit.test("at risk from the warning time, or as the server said without one", (assert) => {
        const base = { deadline: "2026-11-27 09:00:00" };
        assert.strictEqual(
            slaCountdown({ ...base, warningAt: "2026-11-27 07:45:00" }, NOW)!.status,
            "at_risk",
        );
        assert.strictEqual(
            slaCountdown({ ...base, warningAt: "2026-11-27 08:45:00" }, NOW)!.status,
            "on_track",
            "the warning time decides, not the server's older status",
        );
        assert.strictEqual(
            slaCountdown(
                { ...base, warningAt: "2026-11-27 08:45:00", serverStatus: "at_risk" },
                NOW,
            )!.status,
            "on_track",
        );
        assert.strictEqual(
            slaCountdown({ ...base, serverStatus: "at_risk" }, NOW)!.status,
            "at_risk",
        );
        assert.strictEqual(
            slaCountdown({ ...base, serverStatus: "breached" }, NOW)!.status,
            "on_track",
            "a deadline still ahead is not breached, whatever an old answer said",
        );
        assert.strictEqual(slaCountdown({ ...base }, NOW)!.cssClass, "text-success");
        assert.strictEqual(
            slaCountdown({ ...base, serverStatus: "at_risk" }, NOW)!.cssClass,
            "text-warning",
        );
    });

    QUnit.test("no deadline, no countdown", (assert) => {
        assert.strictEqual(slaCountdown({ deadline: false }, NOW), null);
    });
});
