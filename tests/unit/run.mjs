// QUnit tier: bundles tests/unit/**/*.test.ts with esbuild (OWL from npm, `@web/...` replaced by
// the typed fakes in tests/unit/fakes), runs them in headless Debian Chromium through
// playwright-core and reports each test. Exported `runUnit()` returns { passed, failed }.
import { build } from "esbuild";
import { mkdir, readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { chromium } from "playwright-core";

const HERE = path.dirname(fileURLToPath(import.meta.url));
const ROOT = path.resolve(HERE, "..", "..");
const OUT = path.join(ROOT, ".tmp", "unit");
export const CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
];
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH || "/usr/bin/chromium";

async function walk(dir, test) {
    const found = [];
    for (const entry of await readdir(dir, { withFileTypes: true })) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            found.push(...(await walk(full, test)));
        } else if (test(entry.name)) {
            found.push(full);
        }
    }
    return found.sort();
}

/** esbuild plugin: `@web/x` -> fakes, `@distribution_governance/x` -> static-src/x. */
const aliases = {
    name: "dg-aliases",
    setup(b) {
        b.onResolve({ filter: /^@web\// }, (args) => ({
            path: path.join(HERE, "fakes", "web", args.path.slice("@web/".length) + ".ts"),
        }));
        b.onResolve({ filter: /^@distribution_governance\// }, (args) => ({
            path: path.join(
                ROOT,
                "static-src",
                args.path.slice("@distribution_governance/".length) + ".ts",
            ),
        }));
    },
};

/** All OWL templates of static-src as one <templates> document. */
async function templates() {
    const parts = [];
    for (const file of await walk(path.join(ROOT, "static-src"), (n) => n.endsWith(".xml"))) {
        const xml = await readFile(file, "utf8");
        parts.push(
            xml
                .replace(/<\?xml[^>]*\?>/, "")
                .replace(/<templates[^>]*>/, "")
                .replace(/<\/templates>\s*$/, ""),
        );
    }
    return `<templates>${parts.join("\n")}</templates>`;
}

export async function runUnit({ log = console.log } = {}) {
    const tests = await walk(HERE, (n) => n.endsWith(".test.ts"));
    await mkdir(OUT, { recursive: true });
    const entry = tests.map((t) => `import ${JSON.stringify(t)};`).join("\n");
    await build({
        stdin: { contents: entry, resolveDir: HERE, loader: "ts" },
        bundle: true,
        format: "iife",
        target: "es2022",
        outfile: path.join(OUT, "tests.js"),
        plugins: [aliases],
        sourcemap: "inline",
        logLevel: "error",
        // OWL and the addon run as ES modules in Odoo, hence in strict mode, where a template's
        // t-set that shadows a component getter throws; an IIFE bundle would be sloppy.
        banner: { js: '"use strict";' },
    });
    const qunitDir = path.join(ROOT, "node_modules", "qunit", "qunit");
    await writeFile(
        path.join(OUT, "templates.js"),
        `window.__DG_TEMPLATES__ = ${JSON.stringify(await templates())};`,
    );
    await writeFile(
        path.join(OUT, "index.html"),
        `<!doctype html><html><head><meta charset="utf-8"><title>Distribution Governance unit tests</title>
<link rel="stylesheet" href="${pathToFileURL(path.join(qunitDir, "qunit.css"))}"></head>
<body><div id="qunit"></div><div id="qunit-fixture"></div>
<script src="${pathToFileURL(path.join(qunitDir, "qunit.js"))}"></script>
<script>
QUnit.config.autostart = false;
window.__results = [];
QUnit.on("testEnd", (t) => window.__results.push({ name: t.fullName.join(" > "), status: t.status,
    errors: t.errors.map((e) => (e.message || "") + (e.actual !== undefined ? " actual=" + JSON.stringify(e.actual) + " expected=" + JSON.stringify(e.expected) : "") + (e.stack ? "\\n" + e.stack : "")) }));
QUnit.on("runEnd", (r) => { window.__done = r; });
</script>
<script src="templates.js"></script>
<script src="tests.js"></script>
<script>QUnit.start();</script>
</body></html>`,
    );

    const browser = await chromium.launch({ executablePath: CHROMIUM_PATH, args: CHROMIUM_ARGS });
    const consoleErrors = [];
    try {
        const page = await browser.newPage();
        page.on("pageerror", (error) => consoleErrors.push(String(error)));
        await page.goto(pathToFileURL(path.join(OUT, "index.html")).href);
        await page.waitForFunction(() => globalThis.__done, null, { timeout: 120_000 });
        const results = await page.evaluate(() => globalThis.__results);
        let passed = 0;
        let failed = 0;
        for (const r of results) {
            if (r.status === "passed") {
                passed++;
                log(`  ok   ${r.name}`);
            } else if (r.status === "skipped" || r.status === "todo") {
                log(`  skip ${r.name}`);
            } else {
                failed++;
                log(`  FAIL ${r.name}\n       ${r.errors.join("\n       ")}`);
            }
        }
        for (const e of consoleErrors) {
            failed++;
            log(`  FAIL page error: ${e}`);
        }
        return { passed, failed };
    } finally {
        await browser.close();
    }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    const { passed, failed } = await runUnit();
    console.log(`${passed} passed, ${failed} failed`);
    process.exit(failed ? 1 : 0);
}
