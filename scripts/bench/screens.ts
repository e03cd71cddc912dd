// The exceptions and approvals screens of issue 12 at scale, timed as the web client asks for
// them: each screen is opened once in Chromium as the user, the JSON-RPC calls it makes are
// recorded (method, arguments, context: the view's fields, domain, grouping, limits), then
// replayed over JSON-RPC with the user's session, one after the other, `runs` times after a
// warm-up. A screen's time is the sum of its calls (the server's work for it, the browser's
// own time aside).
import { mkdirSync, writeFileSync } from "node:fs";
import path from "node:path";
import { chromium, type Page, type Request } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../tests/unit/run.mjs";
import type { OdooValue, OdooValues } from "../lib/odoo-rpc";
import { LOG_DIR } from "./databases";
import { JsonRpcSession } from "./json-rpc";
import { stats, type Stats } from "./measure";

export interface RpcCall {
    model: string;
    method: string;
    args: OdooValue[];
    kwargs: OdooValues;
}

export interface ScreenSpec {
    key: "kanban" | "list" | "systray" | "form";
    name: string;
    /** The target for the screen's server time, p50. */
    targetMs: number;
}

export const SCREENS: ScreenSpec[] = [
    { key: "kanban", name: "To triage kanban, first load (grouped by state)", targetMs: 150 },
    { key: "list", name: "exceptions list grouped by owner", targetMs: 150 },
    { key: "systray", name: "systray (get_systray_data)", targetMs: 30 },
    { key: "form", name: "held order's form with both panels", targetMs: 300 },
];

export interface BenchUser {
    role: string;
    login: string;
    /** The held order whose form is opened. */
    heldOrderId: number;
}

export interface CallTiming {
    label: string;
    p50: number;
}

export interface ScreenTiming {
    spec: ScreenSpec;
    role: string;
    stats: Stats | null;
    calls: CallTiming[];
    error: string | null;
}

const TIMEOUT = 180_000;
const TRIAGE_ACTION = "distribution_governance.action_exception_board";
const LONG_LIVED = /\/websocket|websocket_worker_bundle/;
const IDLE_MS = 500;
/** Calls the web client makes once per session or per view type, cached afterwards. */
const NOT_SCREEN_DATA = new Set(["get_views", "load_views", "get_systray_data"]);

function callOf(request: Request): RpcCall | null {
    if (request.method() !== "POST" || !request.url().includes("/web/dataset/call_kw/")) {
        return null;
    }
    const body = request.postDataJSON() as { params?: Partial<RpcCall> } | null;
    const params = body?.params;
    if (!params?.model || !params.method) return null;
    return {
        model: params.model,
        method: params.method,
        args: params.args ?? [],
        kwargs: params.kwargs ?? {},
    };
}

/** Records the calls made while `act` runs and until the network is idle. */
async function record(page: Page, act: () => Promise<void>): Promise<RpcCall[]> {
    const calls: RpcCall[] = [];
    const inFlight = new Set<Request>();
    let lastEnd = performance.now();
    const onRequest = (request: Request) => {
        if (LONG_LIVED.test(request.url())) return;
        inFlight.add(request);
        const call = callOf(request);
        if (call) calls.push(call);
    };
    const onEnd = (request: Request) => {
        if (inFlight.delete(request)) lastEnd = performance.now();
    };
    page.on("request", onRequest);
    page.on("requestfinished", onEnd);
    page.on("requestfailed", onEnd);
    try {
        const started = performance.now();
        await act();
        while (inFlight.size || performance.now() - lastEnd < IDLE_MS) {
            if (performance.now() - started > TIMEOUT) throw new Error("network never idle");
            await page.waitForTimeout(50);
        }
        return calls;
    } finally {
        page.off("request", onRequest);
        page.off("requestfinished", onEnd);
        page.off("requestfailed", onEnd);
    }
}

async function login(page: Page, base: string, db: string, user: string): Promise<void> {
    await page.goto(`${base}/web/login?db=${encodeURIComponent(db)}`, { timeout: TIMEOUT });
    await page.locator("input[name=login]").fill(user);
    await page.locator("input[name=password]").fill(user);
    await page.locator("form.oe_login_form button[type=submit]").click();
    await page.locator(".o_main_navbar").waitFor({ timeout: TIMEOUT });
}

const onModels = (calls: RpcCall[], models: string[], methods?: string[]) =>
    calls.filter(
        (c) =>
            models.includes(c.model) &&
            !NOT_SCREEN_DATA.has(c.method) &&
            (!methods || methods.includes(c.method)),
    );

/** The calls of each screen as `user` opens it in Chromium (the warm-up of the server too). */
async function captureUser(
    page: Page,
    base: string,
    db: string,
    user: BenchUser,
): Promise<Map<ScreenSpec["key"], RpcCall[]>> {
    const screens = new Map<ScreenSpec["key"], RpcCall[]>();
    const exceptions = "distribution.exception";
    await login(page, base, db, user.login);
    // the To triage action opens on its kanban grouped by state
    const kanban = await record(page, async () => {
        await page.goto(`${base}/odoo/action-${TRIAGE_ACTION}`, { timeout: TIMEOUT });
        await page.locator(".o_kanban_renderer .o_kanban_record").first().waitFor({
            timeout: TIMEOUT,
        });
    });
    screens.set("kanban", onModels(kanban, [exceptions]));
    const systray = kanban.find((c) => c.model === exceptions && c.method === "get_systray_data");
    if (systray) screens.set("systray", [systray]);
    // its list, then grouped by owner from the search panel
    await record(page, async () => {
        await page.locator(".o_switch_view.o_list").click();
        await page.locator(".o_list_renderer").waitFor({ timeout: TIMEOUT });
    });
    const list = await record(page, async () => {
        await page.locator(".o_searchview_dropdown_toggler").click();
        await page.locator(".o_group_by_menu .o_menu_item", { hasText: /^Owner$/ }).click();
        await page.locator(".o_list_renderer .o_group_header").first().waitFor({
            timeout: TIMEOUT,
        });
    });
    screens.set("list", onModels(list, [exceptions]));
    // a held order (a quotation) with its exception and credit panels
    const form = await record(page, async () => {
        await page.goto(
            `${base}/odoo/action-sale.action_quotations_with_onboarding/${user.heldOrderId}`,
            { timeout: TIMEOUT },
        );
        await page.locator(".o_form_view .o_field_widget[name=order_line]").waitFor({
            timeout: TIMEOUT,
        });
    });
    screens.set("form", [
        ...onModels(form, ["sale.order"], ["web_read"]),
        ...onModels(form, [exceptions, "distribution.approval.request"], ["get_panel_data"]),
    ]);
    return screens;
}

export function callLabel(call: RpcCall): string {
    const groupby = call.kwargs.groupby ?? call.args[3];
    const detail =
        call.method === "web_read_group" && Array.isArray(groupby)
            ? `(${groupby.map(String).join(",")})`
            : call.method === "web_search_read" && Array.isArray(call.kwargs.domain)
              ? `(${JSON.stringify(call.kwargs.domain).slice(0, 60)})`
              : "";
    return `${call.model}.${call.method}${detail}`;
}

async function replay(
    rpc: JsonRpcSession,
    calls: RpcCall[],
    runs: number,
    warmup: number,
): Promise<{ total: Stats; calls: CallTiming[] }> {
    const totals: number[] = [];
    const perCall: number[][] = calls.map(() => []);
    for (let run = 0; run < warmup + runs; run++) {
        let total = 0;
        for (const [i, call] of calls.entries()) {
            const { ms } = await rpc.callTimed(call.model, call.method, call.args, call.kwargs);
            total += ms;
            if (run >= warmup) perCall[i]?.push(ms);
        }
        if (run >= warmup) totals.push(total);
    }
    return {
        total: stats(totals),
        calls: calls.map((call, i) => ({
            label: callLabel(call),
            p50: stats(perCall[i] ?? []).p50,
        })),
    };
}

/**
 * Each screen of SCREENS for each user: captured in Chromium, then p50/p95 of its calls over
 * JSON-RPC (`runs` after `warmup`). The captured calls are kept in .tmp/bench/screens-<db>.json.
 */
export async function timeScreens(
    base: string,
    db: string,
    users: BenchUser[],
    runs: number,
    warmup = 3,
): Promise<ScreenTiming[]> {
    const captured = new Map<string, Map<ScreenSpec["key"], RpcCall[]>>();
    const failed = new Map<string, string>();
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
        for (const user of users) {
            const context = await browser.newContext({ viewport: { width: 1440, height: 900 } });
            try {
                captured.set(user.role, await captureUser(await context.newPage(), base, db, user));
            } catch (error) {
                const message = error instanceof Error ? error.message : String(error);
                failed.set(user.role, `capture failed: ${message.split("\n")[0] ?? ""}`);
            } finally {
                await context.close();
            }
        }
    } finally {
        await browser.close();
    }
    mkdirSync(LOG_DIR, { recursive: true });
    writeFileSync(
        path.join(LOG_DIR, `screens-${db}.json`),
        JSON.stringify(
            Object.fromEntries(
                [...captured].map(([role, screens]) => [role, Object.fromEntries(screens)]),
            ),
            null,
            1,
        ),
    );
    const timings: ScreenTiming[] = [];
    for (const user of users) {
        const rpc = await JsonRpcSession.login(base, db, user.login, user.login);
        const screens = captured.get(user.role);
        for (const spec of SCREENS) {
            const calls = screens?.get(spec.key) ?? [];
            if (!calls.length) {
                const error = failed.get(user.role) ?? "no call seen";
                timings.push({ spec, role: user.role, stats: null, calls: [], error });
                continue;
            }
            try {
                const { total, calls: perCall } = await replay(rpc, calls, runs, warmup);
                timings.push({ spec, role: user.role, stats: total, calls: perCall, error: null });
            } catch (error) {
                timings.push({
                    spec,
                    role: user.role,
                    stats: null,
                    calls: [],
                    error: error instanceof Error ? error.message : String(error),
                });
            }
        }
    }
    return timings;
}
