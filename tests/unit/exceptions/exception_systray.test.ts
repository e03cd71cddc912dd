import { ExceptionSystray } from "@distribution_governance/exceptions/exception_systray/exception_systray";
import {
    EXCEPTIONS_CHANGED,
    TRIAGE_ACTION,
} from "@distribution_governance/exceptions/exception_actions";
import {
    shapeSystrayCounters,
    systrayBadge,
} from "@distribution_governance/exceptions/systray_counters";
import { registry } from "@web/core/registry";
import { userGroups } from "../fakes/web/core/user";
import { makeActionService, makeOrm, mountWithServices, waitFor } from "../helpers";

const GROUP = "distribution_governance.group_exception_user";

async function mountSystray(counts: () => Record<string, number | boolean>) {
    const orm = makeOrm({ "distribution.exception.get_systray_data": counts });
    const action = makeActionService();
    const mounted = await mountWithServices(ExceptionSystray, {}, { orm, action });
    return { ...mounted, orm, action };
}

QUnit.module("exceptions/ExceptionSystray", (hooks) => {
    hooks.afterEach(() => userGroups.clear());

    QUnit.test("is the addon's systray item", (assert) => {
        const item = registry
            .category("systray")
            .get("distribution_governance.exception_systray") as {
            Component: unknown;
        };
        assert.strictEqual(item.Component, ExceptionSystray);
    });

    QUnit.test("shows nothing and asks nothing for a user without the role", async (assert) => {
        const { target, orm, destroy } = await mountSystray(() => ({ my_open: 1 }));
        assert.strictEqual(orm.calls.length, 0);
        assert.notOk(target.querySelector(".o_dg_systray_toggle"));
        destroy();
    });

    QUnit.test(
        "badge: what waits for me, red only when mine are past their SLA",
        async (assert) => {
            userGroups.add(GROUP);
            let counts: Record<string, number | boolean> = {
                can_work: true,
                my_open: 3,
                my_breached: 0,
            };
            const { target, orm, env, destroy } = await mountSystray(() => counts);
            const badge = () => target.querySelector(".o_dg_systray_badge");
            const toggle = () => target.querySelector<HTMLElement>(".o_dg_systray_toggle")!;
            assert.ok(toggle(), "shown before its counts come");
            await waitFor(() => Boolean(badge()), "the counts");
            assert.strictEqual(orm.calls.length, 1);
            assert.strictEqual(badge()!.textContent, "3");
            assert.notOk(badge()!.classList.contains("o_dg_alert"), "nothing of mine is late");
            assert.strictEqual(
                toggle().title,
                "Exceptions and approvals — My open exceptions: 3",
                "the tooltip says what the number is",
            );

            counts = { can_work: true, my_open: 3, my_breached: 1 };
            env.bus.trigger(EXCEPTIONS_CHANGED);
            await waitFor(() => badge()!.classList.contains("o_dg_alert"), "the badge to turn red");
            assert.strictEqual(orm.calls.length, 2, "reloaded when an exception changed");

            counts = { can_work: true, my_open: 0, my_breached: 0 };
            env.bus.trigger(EXCEPTIONS_CHANGED);
            await waitFor(() => !badge(), "the badge to go once nothing waits");
            assert.strictEqual(toggle().title, "Exceptions and approvals: nothing waiting for you");
            destroy();
        },
    );

    QUnit.test(
        "the dropdown refreshes and each counter opens the exceptions filtered",
        async (assert) => {
            userGroups.add(GROUP);
            const { target, orm, action, destroy } = await mountSystray(() => ({
                can_work: true,
                my_open: 3,
                my_breached: 1,
                breached: 4,
            }));
            target.querySelector<HTMLElement>(".o_dg_systray_toggle")!.click();
            await waitFor(() => Boolean(target.querySelector(".o_dg_systray_counter")), "the menu");
            assert.strictEqual(orm.calls.length, 2, "fresh counts on open");
            const items = [...target.querySelectorAll<HTMLElement>(".o_dg_systray_counter")];
            assert.deepEqual(
                items.map((i) => [
                    i.dataset["key"],
                    i.querySelector(".o_dg_counter_value")!.textContent,
                ]),
                [
                    ["my_open", "3"],
                    ["my_breached", "1"],
                    ["breached", "4"],
                ],
            );
            assert.strictEqual(
                items[2]!.title,
                "Open exceptions past their SLA deadline in your companies, whoever owns them",
            );
            items[1]!.click();
            await waitFor(() => action.done.length === 1, "the exceptions to open");
            assert.strictEqual(action.done[0], TRIAGE_ACTION);
            assert.deepEqual(action.options[0], {
                additionalContext: {
                    search_default_filter_mine: 1,
                    search_default_filter_breached: 1,
                },
                clearBreadcrumbs: true,
            });
            destroy();
        },
    );
});

QUnit.module("exceptions/systray_counters", () => {
    QUnit.test("server counts become counters in spec order", (assert) => {
        const counters = shapeSystrayCounters({ breached: 2, my_breached: 1, my_open: 3 });
        assert.deepEqual(
            counters.map((c) => [c.key, c.label, c.value, c.alert]),
            [
                ["my_open", "My open exceptions", 3, false],
                ["my_breached", "Mine past their SLA", 1, true],
                ["breached", "Breached, all owners", 2, true],
            ],
        );
        assert.deepEqual(counters[0]!.target, {
            action: TRIAGE_ACTION,
            context: { search_default_filter_mine: 1 },
        });
        const badge = systrayBadge(counters);
        assert.deepEqual([badge.value, badge.alert, badge.text], [3, true, "3"]);
    });

    QUnit.test("a user with nothing of theirs late is never red", (assert) => {
        // the server sends company-wide breaches to exception managers only
        const user = shapeSystrayCounters({ can_work: true, my_open: 0, my_breached: 0 });
        assert.deepEqual(
            user.map((c) => c.key),
            ["my_open", "my_breached"],
        );
        const badge = systrayBadge(user);
        assert.deepEqual([badge.value, badge.alert, badge.text], [0, false, ""]);
        const manager = systrayBadge(
            shapeSystrayCounters({ my_open: 0, my_breached: 0, breached: 2 }),
        );
        assert.deepEqual(
            [manager.value, manager.alert, manager.text],
            [0, true, "!"],
            "a manager with breaches elsewhere: a red mark, not a red zero",
        );
        assert.deepEqual(shapeSystrayCounters(null), []);
        assert.deepEqual(
            shapeSystrayCounters({ my_open: Number.NaN }),
            [],
            "broken values are left out",
        );
    });

    QUnit.test("decisions waiting for me add to the same item and its badge", (assert) => {
        const counters = shapeSystrayCounters({
            can_work: true,
            my_open: 2,
            my_breached: 0,
            pending_approvals: 4,
        });
        const approvals = counters.find((c) => c.key === "pending_approvals")!;
        assert.strictEqual(approvals.label, "Decisions waiting for me");
        assert.strictEqual(
            approvals.target.action,
            "distribution_governance.action_approvals_inbox",
        );
        const badge = systrayBadge(counters);
        assert.deepEqual([badge.value, badge.alert, badge.text], [6, false, "6"]);
        assert.strictEqual(
            badge.title,
            "Exceptions and approvals — My open exceptions: 2, Decisions waiting for me: 4",
        );
    });
});
