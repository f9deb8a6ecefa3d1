"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * Content pipeline speed over one 256 MiB buffer, in one run (the machine is shared, so only ratios
 * measured together mean something): FastCDC alone, SHA-256 alone, FastCDC then SHA-256 of each
 * chunk on one thread, and FastCDC on the main thread with the chunks hashed by a worker pool at the
 * same time (in place, from a SharedArrayBuffer). Goal: chunk+hash / sha256 >= 0.8. Best of 3 runs.
 */
const node_crypto_1 = require("node:crypto");
const node_os_1 = require("node:os");
const fastcdc_1 = require("../src/core/chunking/fastcdc");
const content_hash_1 = require("../src/core/chunking/content-hash");
const hash_pool_1 = require("../src/core/chunking/hash-pool");
const report_1 = require("./lib/report");
const MIB = 1024 * 1024;
const SIZE = 256 * MIB;
const RUNS = 3;
function fill(view) {
    const words = new Uint32Array(view.buffer, view.byteOffset, view.length / 4);
    let x = 0x9e3779b9;
    for (let i = 0; i < words.length; i++) {
        x ^= x << 13;
        x ^= x >>> 17;
        x ^= x << 5;
        words[i] = x >>> 0;
    }
}
async function best(fn) {
    let seconds = Infinity;
    let result = 0;
    for (let i = 0; i < RUNS; i++) {
        globalThis.gc?.();
        const t0 = process.hrtime.bigint();
        result = await fn();
        seconds = Math.min(seconds, Number(process.hrtime.bigint() - t0) / 1e9);
    }
    return { seconds, result };
}
function cdcOnly(data) {
    let n = 0;
    for (let start = 0; start < data.length; n++)
        start = (0, fastcdc_1.findCut)(data, start, data.length);
    return n;
}
function shaOnly(data) {
    (0, node_crypto_1.createHash)("sha256").update(data).digest();
    return 1;
}
function cdcThenSha(data) {
    let n = 0;
    for (let start = 0; start < data.length; n++) {
        const end = (0, fastcdc_1.findCut)(data, start, data.length);
        (0, content_hash_1.chunkId)(data.subarray(start, end));
        start = end;
    }
    return n;
}
async function cdcWithPool(data, pool) {
    const pending = [];
    for (let start = 0; start < data.length;) {
        const end = (0, fastcdc_1.findCut)(data, start, data.length);
        pending.push(pool.hash(data.subarray(start, end)));
        start = end;
    }
    await Promise.all(pending);
    return pending.length;
}
async function main() {
    const data = new Uint8Array(new SharedArrayBuffer(SIZE));
    fill(data);
    const mbps = (s) => SIZE / 1e6 / s;
    const cdc = await best(() => cdcOnly(data));
    const sha = await best(() => shaOnly(data));
    const seq = await best(() => cdcThenSha(data));
    const rows = [
        { name: "FastCDC alone", values: { "MB/s": mbps(cdc.seconds), chunks: cdc.result, "mean chunk KiB": SIZE / cdc.result / 1024, "avg target KiB": fastcdc_1.AVG_SIZE / 1024 } },
        { name: "SHA-256 alone", values: { "MB/s": mbps(sha.seconds) } },
        { name: "FastCDC + SHA-256, one thread", values: { "MB/s": mbps(seq.seconds), "ratio to sha256": sha.seconds / seq.seconds }, goal: ">= 0.8 (informational: one core)", met: sha.seconds / seq.seconds >= 0.8 },
    ];
    for (const workers of [1, 2]) {
        const pool = new hash_pool_1.HashPool(workers);
        try {
            await cdcWithPool(data.subarray(0, 16 * MIB), pool);
            const par = await best(() => cdcWithPool(data, pool));
            const ratio = sha.seconds / par.seconds;
            rows.push({ name: `FastCDC + SHA-256 in ${workers} worker${workers > 1 ? "s" : ""}`, values: { "MB/s": mbps(par.seconds), "ratio to sha256": ratio }, goal: ">= 0.8", met: ratio >= 0.8 });
        }
        finally {
            await pool.close();
        }
    }
    (0, report_1.report)("chunk", rows, { bytes: SIZE, runs: RUNS, note: `best of ${RUNS}; ${(0, node_os_1.cpus)().length} cores shared with other work` });
}
main().catch((err) => {
    process.stderr.write(`${err.stack ?? String(err)}\n`);
    process.exit(1);
});
//# sourceMappingURL=chunk.bench.js.map