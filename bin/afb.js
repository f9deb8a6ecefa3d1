#!/usr/bin/env node
// Entry point of the `afb` command. `npm run build` (run by `npm ci` through `prepare`) bundles the CLI
// into dist/afb.js: one file instead of ~600 from node_modules, loaded with V8's compiled code kept
// between runs (Node 22.1+ does that itself; src/cli/code-cache.ts does it on Node 20). Measured on
// Node 20: the start of a quick backup went from ~0.45 s of loading to ~0.1 s.
const { join } = require("node:path");
const nodeModule = require("node:module");
const { applyStartFlags, codeCacheDir, loadWithCodeCache, privateDir } = require("../dist/src/cli/code-cache.js");
const { paceGcFor } = require("../dist/src/config/gc-pacing.js");

// The command word names the code cache; a word that is not command-shaped names none.
const word = process.argv.slice(2).find((a) => !a.startsWith("-"));
// Before the bundle is compiled, so that the cache written at exit carries the flags the next start
// loads it under: see START_FLAGS and src/config/gc-pacing.ts.
applyStartFlags();
paceGcFor(word);

const bundle = join(__dirname, "..", "dist", "afb.js");
const cacheDir = codeCacheDir();
let cli;
if (typeof nodeModule.enableCompileCache === "function") {
  const dir = cacheDir === undefined ? undefined : privateDir(join(cacheDir, "node"));
  if (dir !== undefined) nodeModule.enableCompileCache(dir);
  cli = require(bundle);
} else {
  // Caches are per command (a cache holds the functions that ran); only a command-shaped word names one.
  const loaded = loadWithCodeCache(bundle, word !== undefined && /^[a-z][a-z-]{0,20}$/.test(word) ? word : "", cacheDir);
  cli = loaded.exports;
  // Only a command that succeeded leaves its cache: one that failed early ran little of the code.
  process.on("exit", (code) => { if (code === 0) loaded.save(); });
}
cli.main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`afb: ${err && err.message ? err.message : String(err)}\n`); process.exitCode = 1; },
);
