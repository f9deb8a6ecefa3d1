#!/usr/bin/env node
// Entry point of the `afb` command: the compiled CLI lives in dist/ (built by `npm ci` through `prepare`).
// Node 22.1+ keeps V8's compiled code between runs (startup is a large part of a quick incremental).
require("node:module").enableCompileCache?.();
// A backup process is short-lived: by default V8 optimizes hundreds of functions (SDKs, codecs) that
// run only briefly, ~1 s of CPU on background threads per backup of 2,000 files; 16x the default
// interrupt budget leaves that to the really hot ones (the chunker's loop). Measured: -15% CPU.
require("node:v8").setFlagsFromString("--interrupt-budget=1048576");
require("../dist/src/cli/main.js").main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`afb: ${err && err.message ? err.message : String(err)}\n`); process.exitCode = 1; },
);
