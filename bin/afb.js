#!/usr/bin/env node
// Entry point of the `afb` command: the compiled CLI lives in dist/ (built by `npm ci` through `prepare`).
// Node 22.1+ keeps V8's compiled code between runs (startup is a large part of a quick incremental).
require("node:module").enableCompileCache?.();
require("../dist/src/cli/main.js").main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`afb: ${err && err.message ? err.message : String(err)}\n`); process.exitCode = 1; },
);
