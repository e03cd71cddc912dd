import { defineConfig } from "@playwright/test";
import { CHROMIUM_ARGS, CHROMIUM_PATH } from "../unit/run.mjs";

// Run by scripts/test.mjs (tier e2e) against the Odoo server it starts: DG_E2E_URL, DG_E2E_DB.
// The spec files build on each other (install, seed, flows), so they run in order on one worker.
export default defineConfig({
    testDir: ".",
    testMatch: /\d\d-.*\.spec\.ts$/,
    fullyParallel: false,
    workers: 1,
    retries: 0,
    timeout: 240_000,
    expect: { timeout: 30_000 },
    outputDir: "../../.tmp/e2e/artifacts",
    reporter: [["list"], ["json", { outputFile: "../../.tmp/e2e/results.json" }]],
    use: {
        baseURL: process.env.DG_E2E_URL,
        launchOptions: { executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS },
        screenshot: "only-on-failure",
        trace: "retain-on-failure",
        viewport: { width: 1400, height: 900 },
    },
});
