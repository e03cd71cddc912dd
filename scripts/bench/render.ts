// Time from navigation to a rendered dashboard in Chromium, for the addon's KPI dashboard and
// Odoo's own warehouse dashboard (spreadsheet_dashboard_stock_account) on the same database.
import { gzipSync } from "node:zlib";
import { chromium, type Page, type Request } from "playwright-core";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../../tests/unit/run.mjs";
import { stats, type Stats } from "./measure";

export interface Target {
    name: string;
    /** Path opened by page.goto. */
    path: string;
    /** Present once the dashboard shows its figures (not a skeleton or a loading status). */
    ready: string;
    /** Must not be present when ready (placeholders, loading or error states). */
    notReady: string;
    /** Optional check of what is shown, returning a problem or null. */
    check?: (page: Page) => Promise<string | null>;
}

export interface RenderTiming {
    target: Target;
    stats: Stats | null;
    error: string | null;
}

const TIMEOUT = 180_000;

/** The bus's websocket worker stays open for the page's life: not a request to wait for. */
const LONG_LIVED = /\/websocket|websocket_worker_bundle/;
const IDLE_MS = 500;

/**
 * One navigation: from page.goto to the later of (a) the ready selector shown with nothing of
 * `notReady` left and (b) the end of the last request the page made before the network went
 * idle (no request in flight for 500 ms, the websocket aside) — the figures are drawn when their
 * data has arrived.
 */
async function renderOnce(page: Page, base: string, target: Target): Promise<number> {
    const inFlight = new Set<Request>();
    let lastEnd = 0;
    const onRequest = (request: Request) => {
        if (!LONG_LIVED.test(request.url())) inFlight.add(request);
    };
    const onEnd = (request: Request) => {
        if (inFlight.delete(request)) lastEnd = performance.now();
    };
    page.on("request", onRequest);
    page.on("requestfinished", onEnd);
    page.on("requestfailed", onEnd);
    try {
        const started = performance.now();
        await page.goto(base + target.path, { waitUntil: "commit", timeout: TIMEOUT });
        await page.waitForFunction(
            ([ready, notReady]) =>
                document.querySelector(ready) !== null && document.querySelector(notReady) === null,
            [target.ready, target.notReady] as const,
            { timeout: TIMEOUT, polling: "raf" },
        );
        const shown = performance.now();
        while (inFlight.size || performance.now() - Math.max(lastEnd, shown) < IDLE_MS) {
            if (performance.now() - started > TIMEOUT) {
                const pending = [...inFlight].map((r) => r.url()).join(", ");
                throw new Error(`network never idle; in flight: ${pending}`);
            }
            await page.waitForTimeout(50);
        }
        const problem = target.check ? await target.check(page) : null;
        if (problem) throw new Error(problem);
        return Math.max(shown, lastEnd) - started;
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

/**
 * Median time to rendered of each target over `runs` navigations, after one warm-up each (the
 * browser's asset cache filled, as for a user who opened Odoo before); targets alternate so a
 * busy moment of the machine does not fall on one side only.
 */
export async function timeRender(
    base: string,
    db: string,
    targets: Target[],
    runs: number,
): Promise<{ timings: RenderTiming[]; bundle: ServedBundle | null }> {
    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    try {
        const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
        const page = await context.newPage();
        await login(page, base, db, "admin");
        const bundle = await servedBundle(page, base);
        const samples = new Map<Target, number[]>(targets.map((t) => [t, []]));
        const errors = new Map<Target, string>();
        for (let i = 0; i <= runs; i++) {
            for (const target of targets) {
                if (errors.has(target)) continue;
                try {
                    const ms = await renderOnce(page, base, target);
                    if (i > 0) samples.get(target)?.push(ms);
                } catch (error) {
                    errors.set(
                        target,
                        error instanceof Error
                            ? (error.message.split("\n")[0] ?? "")
                            : String(error),
                    );
                }
            }
        }
        return {
            timings: targets.map((target) => {
                const values = samples.get(target) ?? [];
                return {
                    target,
                    stats: values.length ? stats(values) : null,
                    error: errors.get(target) ?? null,
                };
            }),
            bundle,
        };
    } finally {
        await browser.close();
    }
}

export interface ServedBundle {
    /** Gzipped bytes of the backend's JS and CSS bundles as the server sends them. */
    gzipBytes: number;
    urls: string[];
}

/** The web client's asset bundles of the page (web.assets_web, Odoo 18's backend), gzipped. */
async function servedBundle(page: Page, base: string): Promise<ServedBundle | null> {
    const urls = await page.evaluate(() =>
        [
            ...document.querySelectorAll<HTMLScriptElement | HTMLLinkElement>(
                "script[src], link[rel=stylesheet]",
            ),
        ]
            .map((el) => (el instanceof HTMLScriptElement ? el.src : el.href))
            .filter((url) => /\/web\/assets\/.*web\.assets_(web|backend)/.test(url)),
    );
    if (!urls.length) return null;
    let gzipBytes = 0;
    for (const url of urls) {
        const response = await page.request.get(url.startsWith("http") ? url : base + url);
        gzipBytes += gzipSync(await response.body(), { level: 9 }).length;
    }
    return { gzipBytes, urls };
}
