#!/usr/bin/env node
// Entry point of the `afb` command: the compiled CLI lives in dist/ (built by `npm ci` through `prepare`).
require("../dist/src/cli/main.js").main(process.argv).then(
  (code) => { process.exitCode = code; },
  (err) => { process.stderr.write(`afb: ${err && err.message ? err.message : String(err)}\n`); process.exitCode = 1; },
);
