"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
/**
 * The scanner on a 100,000-entry tree in the Files emulator, with the Cosmos node index on
 * cosmosdb-server (both in this process, like the raw baseline, on the same shared cores):
 * - entries per second through the scanner vs. the raw SDK listing rate (same includes, same
 *   concurrency, same run), on a first scan (empty index) and a rescan (full index);
 * - index writes of a rescan with nothing changed (goal 0);
 * - index writes and content bytes read after renaming a directory of 10,000 files (goal 1-2, 0).
 * The tree is written straight to the emulator's disk and adopted by an untimed warm-up listing.
 */
const node_fs_1 = require("node:fs");
const node_os_1 = require("node:os");
const node_path_1 = require("node:path");
const client_1 = require("../src/adapters/azure-files/client");
const share_reader_1 = require("../src/adapters/azure-files/share-reader");
const connect_1 = require("../src/adapters/cosmos/connect");
const node_index_1 = require("../src/adapters/cosmos/node-index");
const change_set_1 = require("../src/core/scan/change-set");
const scanner_1 = require("../src/core/scan/scanner");
const stack_1 = require("../src/local/stack");
const report_1 = require("./lib/report");
const CONCURRENCY = 8;
const BIG = 10_000;
const TOP = 90;
const SUB = 10;
const FILES_PER_SUB = 99;
const SHARE = "bench-scan";
const SHARE_ID = "bench";
const seconds = (t0) => Number(process.hrtime.bigint() - t0) / 1e9;
/** Writes the tree on disk: big/ (10,000 files) and 90 x 10 directories of 99 files. */
function generate(root) {
    let entries = 0;
    const dir = (p) => ((0, node_fs_1.mkdirSync)(p, { recursive: true }), entries++);
    const file = (p, i) => ((0, node_fs_1.writeFileSync)(p, `entry ${i}`), entries++);
    dir((0, node_path_1.join)(root, "big"));
    for (let i = 0; i < BIG; i++)
        file((0, node_path_1.join)(root, "big", `f${i}.dat`), i);
    for (let t = 0; t < TOP; t++) {
        dir((0, node_path_1.join)(root, `d${t}`));
        for (let s = 0; s < SUB; s++) {
            const sub = (0, node_path_1.join)(root, `d${t}`, `s${s}`);
            dir(sub);
            for (let f = 0; f < FILES_PER_SUB; f++)
                file((0, node_path_1.join)(sub, `file-${f}.txt`), f);
        }
    }
    return entries;
}
/** The raw SDK walk: the same listing calls as the adapter, nothing else. */
async function rawWalk(share) {
    const stack = [""];
    let entries = 0;
    let active = 0;
    await new Promise((resolve, reject) => {
        const pump = () => {
            while (active < CONCURRENCY && stack.length > 0) {
                const path = stack.pop();
                active++;
                (async () => {
                    const dir = path === "" ? share.rootDirectoryClient : share.getDirectoryClient(path);
                    const opts = { includeTimestamps: true, includeEtag: true, includeAttributes: true, includePermissionKey: true, includeExtendedInfo: true };
                    for await (const page of dir.listFilesAndDirectories(opts).byPage({ maxPageSize: 5000 })) {
                        for (const d of page.segment.directoryItems)
                            stack.push(path === "" ? d.name : `${path}/${d.name}`);
                        entries += page.segment.directoryItems.length + page.segment.fileItems.length;
                    }
                })().then(() => {
                    active--;
                    if (active === 0 && stack.length === 0)
                        resolve();
                    else
                        pump();
                }, reject);
            }
        };
        pump();
    });
    return entries;
}
/** Counts content reads (the scanner must make none). */
class MeteredReader {
    inner;
    bytesRead = 0;
    constructor(inner) {
        this.inner = inner;
    }
    description = "metered";
    get snapshot() {
        return this.inner.snapshot;
    }
    getDirectory = (p) => this.inner.getDirectory(p);
    listDirectory = (p) => this.inner.listDirectory(p);
    async *openFile(p, r) {
        for await (const c of this.inner.openFile(p, r)) {
            this.bytesRead += c.length;
            yield c;
        }
    }
    getPermission = (k) => this.inner.getPermission(k);
    createSnapshot = () => this.inner.createSnapshot();
    deleteSnapshot = (s) => this.inner.deleteSnapshot(s);
    atSnapshot = (s) => this.inner.atSnapshot(s);
}
/** Counts index writes. */
class MeteredIndex {
    inner;
    writes = 0;
    constructor(inner) {
        this.inner = inner;
    }
    description = "metered";
    listChildren = (s, p) => this.inner.listChildren(s, p);
    get = (s, k) => this.inner.get(s, k);
    findByFileId = (s, f) => this.inner.findByFileId(s, f);
    async write(s, ops) {
        const r = await this.inner.write(s, ops);
        this.writes += r.upserts + r.deletes;
        return r;
    }
}
async function main() {
    const dataDir = (0, node_fs_1.mkdtempSync)((0, node_path_1.join)((0, node_os_1.tmpdir)(), "afb-bench-scan-"));
    const stack = await (0, stack_1.startLocalStack)({ dataDir, services: ["files", "cosmos"], ports: { files: 0, cosmos: 0 }, inMemory: true });
    const cosmos = (0, connect_1.createCosmosClient)((0, stack_1.toProductSettings)(stack.settings));
    try {
        const service = (0, client_1.createShareServiceClient)({ connectionString: stack.settings.files });
        const share = service.getShareClient(SHARE);
        await share.create();
        const total = generate((0, node_path_1.join)(dataDir, "files", stack_1.DEV_ACCOUNT_NAME, SHARE)) + 1;
        let t0 = process.hrtime.bigint();
        await rawWalk(share);
        process.stderr.write(`generated ${total} entries; adoption walk ${seconds(t0).toFixed(1)} s\n`);
        const reader = new MeteredReader(share_reader_1.AzureShareReader.of(service, SHARE));
        const index = new MeteredIndex(await node_index_1.CosmosNodeIndex.open({ client: cosmos, database: "bench" }));
        const scan = () => (0, scanner_1.scanShare)({ shareId: SHARE_ID, reader, index, now: () => Date.now(), concurrency: CONCURRENCY });
        const rows = [];
        const measure = async (name) => {
            t0 = process.hrtime.bigint();
            const listed = await rawWalk(share);
            const rawRate = listed / seconds(t0);
            t0 = process.hrtime.bigint();
            const cs = await scan();
            const scanRate = (cs.stats.files + cs.stats.dirs) / seconds(t0);
            const ratio = scanRate / rawRate;
            rows.push({ name, values: { entries: cs.stats.files + cs.stats.dirs, "raw SDK entries/s": Math.round(rawRate), "scanner entries/s": Math.round(scanRate), ratio }, goal: "ratio >= 0.7", met: ratio >= 0.7 });
            return cs;
        };
        const first = await measure("first scan (empty index)");
        t0 = process.hrtime.bigint();
        await (0, change_set_1.applyChangeSet)(index, first);
        const applySeconds = seconds(t0);
        rows.push({ name: "apply first change set", values: { entries: first.changes.length, "index writes": index.writes, "writes/s": Math.round(index.writes / applySeconds) } });
        const rescan = await measure("rescan (full index, nothing changed)");
        index.writes = 0;
        await (0, change_set_1.applyChangeSet)(index, rescan);
        const changed = rescan.changes.length;
        rows.push({ name: "rescan, nothing changed", values: { changes: changed, "index writes": index.writes }, goal: "0 writes", met: index.writes === 0 && changed === 0 });
        await share.getDirectoryClient("big").rename("big-renamed");
        index.writes = 0;
        t0 = process.hrtime.bigint();
        const renamed = await scan();
        await (0, change_set_1.applyChangeSet)(index, renamed);
        const ok = renamed.stats.renamed === 1 && renamed.stats.added === 0 && renamed.stats.deleted === 0;
        rows.push({
            name: `rename a directory of ${BIG.toLocaleString("en-US")} files`,
            values: { changes: renamed.changes.length, "index writes": index.writes, "bytes read": reader.bytesRead, seconds: seconds(t0) },
            goal: "1-2 writes, 0 bytes",
            met: ok && index.writes >= 1 && index.writes <= 2 && reader.bytesRead === 0,
        });
        (0, report_1.report)("scan", rows, { tree: { entries: total, concurrency: CONCURRENCY } });
    }
    finally {
        cosmos.dispose();
        await stack.stop();
        (0, node_fs_1.rmSync)(dataDir, { recursive: true, force: true });
    }
}
main().catch((err) => {
    process.stderr.write(`bench:scan failed: ${err instanceof Error ? err.stack : String(err)}\n`);
    process.exit(1);
});
//# sourceMappingURL=scan.bench.js.map