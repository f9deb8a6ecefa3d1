#!/usr/bin/env node
/**
 * Bundles the compiled `afb` CLI (dist/src/cli/main.js and every package it loads) into one file,
 * dist/afb.js, which bin/afb.js loads with a V8 code cache.
 * Why: on Node 20 the CLI's start read ~600 files (@azure/cosmos alone 457) and compiled them, ~0.45 s
 * of a quick incremental backup of 20,000 files; one file whose compiled code is cached loads in ~0.1 s.
 * Kept outside the bundle, loaded from node_modules as before: the embedded stack's servers (Azurite,
 * cosmosdb-server: they read their own files, and only `afb stack` or an embedded stack loads them) and
 * the Functions runtime packages (the local durable host needs the very copies the app registers with).
 * Usage: node scripts/bundle-cli.js [ENTRY OUT]   (default dist/src/cli/main.js dist/afb.js)
 */
"use strict";
const { writeFileSync } = require("node:fs");
const { join, resolve } = require("node:path");

const ROOT = join(__dirname, "..");
const EXTERNAL = ["azurite", "@vercel/cosmosdb-server", "durable-functions", "@azure/functions", "applicationinsights"];

async function bundle(entry, outfile) {
  const esbuild = require("esbuild");
  const result = await esbuild.build({
    entryPoints: [entry],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    external: EXTERNAL,
    // Names stay as written: error messages and stack traces read like the sources.
    minifyWhitespace: true,
    // Non-ASCII characters escaped, so that bin/afb.js decodes the bundle as Latin-1, ~20x faster than
    // as UTF-8 (5 MB: ~1 ms against ~20 ms of every start).
    charset: "ascii",
    write: false,
    logLevel: "silent",
    absWorkingDir: ROOT,
  });
  for (const w of result.warnings) process.stderr.write(`bundle-cli: warning: ${w.text}\n`);
  const [output] = result.outputFiles;
  writeFileSync(output.path, withoutFormDataProbe(asciiOnly(output.text)));
}

/**
 * The Azure SDKs' pipelines ask `typeof FormData` of every request, to spot a WHATWG FormData body.
 * On Node 20 the first such look loads all of undici (~30-50 ms before the first request of every
 * command); afb never sends a FormData body, so those guards become `false`. Every other mention
 * of FormData is refused, so that no unguarded use can reach a run without the global.
 */
function withoutFormDataProbe(text) {
  const out = text.replace(/typeof FormData\s*!==?\s*"undefined"/g, "false");
  const left = out.replace(/false\s*&&\s*[\w$.]+\s+instanceof\s+FormData\b/g, "");
  const use = /\bFormData\b/.exec(left);
  if (use !== null) throw new Error(`FormData is used other than behind a typeof guard: ${JSON.stringify(left.slice(Math.max(0, use.index - 60), use.index + 20))}`);
  return out;
}

/**
 * esbuild's ASCII charset leaves regular expression literals as written (two dependencies have
 * non-ASCII characters in character classes): those become \uXXXX escapes, which mean the same
 * there, with or without the `u` flag (a pair of surrogate escapes is one code point under `u`).
 * Anywhere else a non-ASCII character would be a surprise this script refuses rather than guesses at.
 */
function asciiOnly(text) {
  return text.replace(/^.*[\u0080-\uffff].*$/gm, (line) => {
    const escaped = line.replace(/[\u0080-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
    // Only inside a regular expression literal: after a "/" that starts one, before its closing "/".
    for (const m of line.matchAll(/[\u0080-\uffff]/g)) {
      const before = line.slice(0, m.index);
      if (!/\/[^/\n]*\[[^\]]*$/.test(before)) throw new Error(`a non-ASCII character outside a regular expression character class: ${JSON.stringify(line.slice(Math.max(0, m.index - 60), m.index + 20))}`);
    }
    return escaped;
  });
}

if (require.main === module) {
  const [entry = join(ROOT, "dist/src/cli/main.js"), out = join(ROOT, "dist/afb.js")] = process.argv.slice(2);
  bundle(resolve(entry), resolve(out)).catch((err) => {
    process.stderr.write(`bundle-cli: ${err && err.message ? err.message : String(err)}\n`);
    process.exitCode = 1;
  });
}

module.exports = { bundle, asciiOnly, withoutFormDataProbe };
