/**
 * The scanner on a 100,000-entry tree in the Files emulator, with the Cosmos node index on
 * cosmosdb-server (both in this process, like the raw baseline, on the same shared cores):
 * - entries per second through the scanner vs. the raw SDK listing rate (same includes, same
 *   concurrency, same run), on a first scan into Cosmos and a rescan with nothing changed;
 * - index writes of a rescan with nothing changed (goal 0);
 * - index writes and content bytes read after renaming a directory of 10,000 files (goal 1-2, 0).
 * The 100,000-entry rescans use the in-memory index (same conformance suite): cosmosdb-server runs
 * every query over every document of the container with a step quadratic in their number
 * (@zeit/cosmosdb-query), so a query on a 100,000-document container does not finish in minutes. The
 * Cosmos rescan and rename are measured on a share of 10,000 files in a container of its own.
 * The tree is written straight to the emulator's disk and adopted by an untimed warm-up listing.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { ShareClient } from "@azure/storage-file-share";
import { createShareServiceClient } from "../src/adapters/azure-files/client";
import { AzureShareReader } from "../src/adapters/azure-files/share-reader";
import { createCosmosClient } from "../src/adapters/cosmos/connect";
import { CosmosNodeIndex } from "../src/adapters/cosmos/node-index";
import type { ReadRange, ShareReader } from "../src/core/ports/share-reader";
import type { IndexOp, NodeIndex, WriteResult } from "../src/core/ports/node-index";
import { applyChangeSet, type ChangeSet } from "../src/core/scan/change-set";
import { MemoryNodeIndex } from "../src/adapters/memory/node-index";
import { scanShare } from "../src/core/scan/scanner";
import { DEV_ACCOUNT_NAME, startLocalStack, toProductSettings } from "../src/local/stack";
import { report, type BenchRow } from "./lib/report";

const CONCURRENCY = 8;
const BIG = 10_000;
const TOP = 90;
const SUB = 10;
const FILES_PER_SUB = 99;
const SHARE = "bench-scan";
const SHARE_ID = "bench";

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

/** Writes big/ with 10,000 files; returns the entries written. */
function generateBig(root: string): number {
  mkdirSync(join(root, "big"), { recursive: true });
  for (let i = 0; i < BIG; i++) writeFileSync(join(root, "big", `f${i}.dat`), `entry ${i}`);
  return BIG + 1;
}

/** Writes the tree on disk: big/ (10,000 files) and `top` x 10 directories of 99 files. */
function generate(root: string, top: number): number {
  let entries = generateBig(root);
  const dir = (p: string) => (mkdirSync(p, { recursive: true }), entries++);
  const file = (p: string, i: number) => (writeFileSync(p, `entry ${i}`), entries++);
  for (let t = 0; t < top; t++) {
    dir(join(root, `d${t}`));
    for (let s = 0; s < SUB; s++) {
      const sub = join(root, `d${t}`, `s${s}`);
      dir(sub);
      for (let f = 0; f < FILES_PER_SUB; f++) file(join(sub, `file-${f}.txt`), f);
    }
  }
  return entries;
}

/** The raw SDK walk: the same listing calls as the adapter, nothing else. */
async function rawWalk(share: ShareClient): Promise<number> {
  const stack = [""];
  let entries = 0;
  let active = 0;
  await new Promise<void>((resolve, reject) => {
    const pump = () => {
      while (active < CONCURRENCY && stack.length > 0) {
        const path = stack.pop() as string;
        active++;
        (async () => {
          const dir = path === "" ? share.rootDirectoryClient : share.getDirectoryClient(path);
          const opts = { includeTimestamps: true, includeEtag: true, includeAttributes: true, includePermissionKey: true, includeExtendedInfo: true };
          for await (const page of dir.listFilesAndDirectories(opts).byPage({ maxPageSize: 5000 })) {
            for (const d of page.segment.directoryItems) stack.push(path === "" ? d.name : `${path}/${d.name}`);
            entries += page.segment.directoryItems.length + page.segment.fileItems.length;
          }
        })().then(() => {
          active--;
          if (active === 0 && stack.length === 0) resolve();
          else pump();
        }, reject);
      }
    };
    pump();
  });
  return entries;
}

/** Counts content reads (the scanner must make none). */
class MeteredReader implements ShareReader {
  bytesRead = 0;
  constructor(private readonly inner: ShareReader) {}
  readonly description = "metered";
  get snapshot() {
    return this.inner.snapshot;
  }
  getDirectory = (p: string) => this.inner.getDirectory(p);
  listDirectory = (p: string) => this.inner.listDirectory(p);
  async *openFile(p: string, r?: ReadRange) {
    for await (const c of this.inner.openFile(p, r)) {
      this.bytesRead += c.length;
      yield c;
    }
  }
  getPermission = (k: string) => this.inner.getPermission(k);
  createSnapshot = () => this.inner.createSnapshot();
  deleteSnapshot = (s: string) => this.inner.deleteSnapshot(s);
  atSnapshot = (s: string) => this.inner.atSnapshot(s);
}

/** Counts index writes. */
class MeteredIndex implements NodeIndex {
  writes = 0;
  constructor(private readonly inner: NodeIndex) {}
  readonly description = "metered";
  listChildren = (s: string, p: string) => this.inner.listChildren(s, p);
  get = (s: string, k: { parentFileId: string; fileId: string }) => this.inner.get(s, k);
  findByFileId = (s: string, f: string) => this.inner.findByFileId(s, f);
  hasShare = (s: string) => (this.inner.hasShare ? this.inner.hasShare(s) : Promise.resolve(true));
  async write(s: string, ops: readonly IndexOp[]): Promise<WriteResult> {
    const r = await this.inner.write(s, ops);
    this.writes += r.upserts + r.deletes;
    return r;
  }
}

interface Measured {
  readonly row: BenchRow;
  readonly cs: ChangeSet;
}

/** Raw SDK walk, then the scanner over the same share, back to back. */
async function measure(name: string, share: ShareClient, scan: () => Promise<ChangeSet>): Promise<Measured> {
  process.stderr.write(`${name}...\n`);
  let t0 = process.hrtime.bigint();
  const listed = await rawWalk(share);
  const rawRate = listed / seconds(t0);
  t0 = process.hrtime.bigint();
  const cs = await scan();
  const scanRate = (cs.stats.files + cs.stats.dirs) / seconds(t0);
  const ratio = scanRate / rawRate;
  const values = { entries: cs.stats.files + cs.stats.dirs, "raw SDK entries/s": Math.round(rawRate), "scanner entries/s": Math.round(scanRate), ratio, changes: cs.changes.length };
  return { row: { name, values, goal: "ratio >= 0.7", met: ratio >= 0.7 }, cs };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "afb-bench-scan-"));
  const stack = await startLocalStack({ dataDir, services: ["files", "cosmos"], ports: { files: 0, cosmos: 0 }, inMemory: true });
  const cosmos = createCosmosClient(toProductSettings(stack.settings));
  try {
    const service = createShareServiceClient({ connectionString: stack.settings.files });
    const share = service.getShareClient(SHARE);
    await share.create();
    let t0 = process.hrtime.bigint();
    const total = generate(join(dataDir, "files", DEV_ACCOUNT_NAME, SHARE), TOP) + 1;
    process.stderr.write(`generated ${total} entries on disk in ${seconds(t0).toFixed(1)} s\n`);
    t0 = process.hrtime.bigint();
    await rawWalk(share);
    process.stderr.write(`adoption walk ${seconds(t0).toFixed(1)} s\n`);

    const reader = new MeteredReader(AzureShareReader.of(service, SHARE));
    const cosmosIndex = new MeteredIndex(await CosmosNodeIndex.open({ client: cosmos, database: "bench" }));
    const memoryIndex = new MeteredIndex(new MemoryNodeIndex());
    const scanWith = (index: NodeIndex, shareId = SHARE_ID, r: ShareReader = reader) => () => scanShare({ shareId, reader: r, index, now: () => Date.now(), concurrency: CONCURRENCY });
    const rows: BenchRow[] = [];

    // 1. A share the index has never seen, into Cosmos: no index query per directory.
    const first = await measure("first scan, Cosmos index (new share)", share, scanWith(cosmosIndex));
    rows.push(first.row);
    t0 = process.hrtime.bigint();
    await applyChangeSet(cosmosIndex, first.cs);
    rows.push({ name: "apply the first change set to Cosmos", values: { changes: first.cs.changes.length, "index writes": cosmosIndex.writes, "writes/s": Math.round(cosmosIndex.writes / seconds(t0)) } });

    // 2. Rescans, with the in-memory index: cosmosdb-server evaluates every document of the container
    //    for each query page, so a 100,000-document rescan through it measures that server, not the scanner.
    await applyChangeSet(memoryIndex, first.cs);
    memoryIndex.writes = 0;
    const rescan = await measure("rescan, nothing changed (in-memory index)", share, scanWith(memoryIndex));
    rows.push(rescan.row);
    await applyChangeSet(memoryIndex, rescan.cs);
    rows.push({ name: "index writes of that rescan", values: { changes: rescan.cs.changes.length, "index writes": memoryIndex.writes }, goal: "0", met: memoryIndex.writes === 0 });

    await share.getDirectoryClient("big").rename("big-renamed");
    memoryIndex.writes = 0;
    t0 = process.hrtime.bigint();
    const renamed = await scanWith(memoryIndex)();
    await applyChangeSet(memoryIndex, renamed);
    rows.push(renameRow(`rename a directory of ${BIG.toLocaleString("en-US")} files (in-memory index)`, renamed, memoryIndex.writes, reader.bytesRead, seconds(t0)));

    // 3. The same rename through Cosmos, on a share of that one directory (10,000 documents), in a
    //    container of its own: cosmosdb-server's query engine is quadratic in the container's size.
    const smallIndex = new MeteredIndex(await CosmosNodeIndex.open({ client: cosmos, database: "bench-small" }));
    const small = service.getShareClient(`${SHARE}-cosmos`);
    await small.create();
    generateBig(join(dataDir, "files", DEV_ACCOUNT_NAME, small.name));
    await rawWalk(small);
    const smallReader = new MeteredReader(AzureShareReader.of(service, small.name));
    await applyChangeSet(smallIndex, await scanWith(smallIndex, "bench2", smallReader)());
    smallIndex.writes = 0;
    const again = await measure(`rescan of ${BIG.toLocaleString("en-US")} files, nothing changed (Cosmos index)`, small, scanWith(smallIndex, "bench2", smallReader));
    rows.push(again.row);
    await applyChangeSet(smallIndex, again.cs);
    rows.push({ name: "index writes of that rescan (Cosmos)", values: { changes: again.cs.changes.length, "index writes": smallIndex.writes }, goal: "0", met: smallIndex.writes === 0 });
    await small.getDirectoryClient("big").rename("big-renamed");
    smallIndex.writes = 0;
    t0 = process.hrtime.bigint();
    const renamedCosmos = await scanWith(smallIndex, "bench2", smallReader)();
    await applyChangeSet(smallIndex, renamedCosmos);
    rows.push(renameRow(`rename a directory of ${BIG.toLocaleString("en-US")} files (Cosmos index)`, renamedCosmos, smallIndex.writes, smallReader.bytesRead, seconds(t0)));

    report("scan", rows, { tree: { entries: total, concurrency: CONCURRENCY } });
  } finally {
    cosmos.dispose();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

function renameRow(name: string, cs: ChangeSet, writes: number, bytesRead: number, secs: number): BenchRow {
  const ok = cs.stats.renamed === 1 && cs.stats.added === 0 && cs.stats.deleted === 0;
  return { name, values: { changes: cs.changes.length, "index writes": writes, "bytes read": bytesRead, seconds: secs }, goal: "1-2 writes, 0 bytes", met: ok && writes >= 1 && writes <= 2 && bytesRead === 0 };
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:scan failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
