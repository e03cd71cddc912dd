#!/usr/bin/env node
// Builds static-src/ into addon/distribution_governance/static/src/ (and the tours of
// tests/tours/ into static/tests/tours/), one output file per source file, so Odoo's asset
// pipeline resolves `@web/...`/`@odoo/owl` imports and names each module after its path.
//   node build.mjs           build once
//   node build.mjs --watch   rebuild on change
//   node build.mjs --check   exit 1 when the committed output differs from a fresh build
import { transform } from "esbuild";
import * as sass from "sass";
import { createHash } from "node:crypto";
import { mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { watch } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";

const ROOT = path.dirname(fileURLToPath(import.meta.url));
const STATIC = path.join(ROOT, "addon", "distribution_governance", "static");
/** Source folder -> output folder; each output folder is owned entirely by the build. */
export const ROOTS = [
    { src: path.join(ROOT, "static-src"), out: path.join(STATIC, "src") },
    { src: path.join(ROOT, "tests", "tours"), out: path.join(STATIC, "tests", "tours") },
];
const BANNER = "/** @odoo-module */";
// Type-only sources: declarations and service interfaces, nothing to ship.
const TYPES_DIR = "types";

async function listFiles(dir, base = dir) {
    const entries = await readdir(dir, { withFileTypes: true });
    const files = [];
    for (const entry of entries) {
        const full = path.join(dir, entry.name);
        if (entry.isDirectory()) {
            files.push(...(await listFiles(full, base)));
        } else {
            files.push(path.relative(base, full));
        }
    }
    return files.sort();
}

/** Output path (relative) and content for one source file, or null when it ships nothing. */
async function buildOne(srcDir, rel) {
    const full = path.join(srcDir, rel);
    if (rel.split(path.sep)[0] === TYPES_DIR || rel.endsWith(".d.ts")) {
        return null;
    }
    if (rel.endsWith(".ts")) {
        const source = await readFile(full, "utf8");
        const result = await transform(source, {
            loader: "ts",
            format: "esm",
            target: "es2022",
            sourcefile: rel,
            banner: BANNER,
            tsconfigRaw: { compilerOptions: { useDefineForClassFields: true } },
        });
        return [rel.replace(/\.ts$/, ".js"), result.code];
    }
    if (rel.endsWith(".xml")) {
        return [rel, await readFile(full, "utf8")];
    }
    if (rel.endsWith(".scss")) {
        if (path.basename(rel).startsWith("_")) {
            return null; // partials are compiled through the files that use them
        }
        const { css } = sass.compile(full, { style: "expanded", loadPaths: [srcDir] });
        return [rel.replace(/\.scss$/, ".css"), css + "\n"];
    }
    throw new Error(`build.mjs: no rule for ${path.relative(ROOT, full)}`);
}

/** Every output file of a fresh build: Map(path relative to the repository -> content). */
export async function buildAll() {
    const outputs = new Map();
    for (const { src, out } of ROOTS) {
        for (const rel of await listFiles(src)) {
            const built = await buildOne(src, rel);
            if (built) {
                outputs.set(path.relative(ROOT, path.join(out, built[0])), built[1]);
            }
        }
    }
    return outputs;
}

async function listOutputs() {
    const files = [];
    for (const { out } of ROOTS) {
        try {
            files.push(
                ...(await listFiles(out)).map((rel) => path.relative(ROOT, path.join(out, rel))),
            );
        } catch {
            // output folder not built yet: every fresh file counts as missing
        }
    }
    return files;
}

async function writeOutputs(outputs) {
    for (const { out } of ROOTS) {
        await rm(out, { recursive: true, force: true });
    }
    for (const [rel, content] of outputs) {
        const target = path.join(ROOT, rel);
        await mkdir(path.dirname(target), { recursive: true });
        await writeFile(target, content);
    }
}

async function check() {
    const fresh = await buildAll();
    const committed = await listOutputs();
    const problems = [];
    for (const rel of committed) {
        if (!fresh.has(rel)) {
            problems.push(`stale file (no source): ${rel}`);
        }
    }
    for (const [rel, content] of fresh) {
        let current;
        try {
            current = await readFile(path.join(ROOT, rel), "utf8");
        } catch {
            problems.push(`missing: ${rel}`);
            continue;
        }
        if (current !== content) {
            problems.push(`differs: ${rel}`);
        }
    }
    if (problems.length) {
        console.error(
            `build --check: committed assets differ from a fresh build (run \`npm run build\`):`,
        );
        for (const p of problems) {
            console.error(`  ${p}`);
        }
        process.exit(1);
    }
    const digest = createHash("sha256");
    for (const [rel, content] of fresh) {
        digest.update(rel).update(content);
    }
    console.log(
        `build --check: ${fresh.size} files up to date (${digest.digest("hex").slice(0, 12)})`,
    );
}

async function build() {
    const started = Date.now();
    // Everything compiles in memory first, so a failing compile never leaves a half-written output.
    const outputs = await buildAll();
    await writeOutputs(outputs);
    console.log(`build: ${outputs.size} files in ${Date.now() - started} ms`);
}

async function watchMode() {
    await build();
    let timer = null;
    for (const { src } of ROOTS) {
        watch(src, { recursive: true }, () => {
            clearTimeout(timer);
            timer = setTimeout(() => build().catch((error) => console.error(error.message)), 100);
        });
    }
    console.log("build: watching static-src/ and tests/tours/ (Ctrl-C to stop)");
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
    const mode = process.argv[2];
    const run = mode === "--check" ? check : mode === "--watch" ? watchMode : build;
    run().catch((error) => {
        console.error(error.message || error);
        process.exit(1);
    });
}
