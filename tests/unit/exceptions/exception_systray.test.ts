import { ExceptionSystray } from "@distribution_governance/exceptions/exception_systray/exception_systray";
import { BOARD_ACTION } from "@distribution_governance/exceptions/systray_counters";
import { EXCEPTIONS_CHANGED } from "@distribution_governance/exceptions/workflow";
import { registry } from "@web/core/registry";
import { userGroups } from "../fakes/web/core/user";
import { makeActionService, makeOrm, mountWithServices, waitFor } from "../helpers";

const GROUP = "distribution_governance.group_exception_user";

async function mountSystray(counts: () => Record<string, number>) {
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

    QUnit.test("badge: my open exceptions, red when any SLA is breached", async (assert) => {
        userGroups.add(GROUP);
        let counts = { my_open: 3, breached: 2, open: 9 };
        const { target, orm, env, destroy } = await mountSystray(() => counts);
        assert.strictEqual(orm.calls.length, 1);
        const badge = () => target.querySelector(".o_dg_systray_badge");
        assert.strictEqual(badge()!.textContent, "3");
        assert.ok(badge()!.classList.contains("o_dg_alert"));

        counts = { my_open: 0, breached: 0, open: 4 };
        env.bus.trigger(EXCEPTIONS_CHANGED);
        await waitFor(() => !badge(), "the badge to go once nothing waits");
        assert.strictEqual(orm.calls.length, 2, "reloaded when an exception changed");
        destroy();
    });

    QUnit.test(
        "the dropdown refreshes and each counter opens the board filtered",
        async (assert) => {
            userGroups.add(GROUP);
            const { target, orm, action, destroy } = await mountSystray(() => ({
                my_open: 3,
                breached: 1,
                open: 9,
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
                    ["breached", "1"],
                    ["open", "9"],
                ],
            );
            items[0]!.click();
            await waitFor(() => action.done.length === 1, "the board to open");
            assert.strictEqual(action.done[0], BOARD_ACTION);
            assert.deepEqual(action.options[0], {
                additionalContext: { dg_board_filters: { mine: true } },
                clearBreadcrumbs: true,
            });
            destroy();
        },
    );
});
