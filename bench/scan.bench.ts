/**
 * The scanner on a 100,000-entry tree in the Files emulator, with the Cosmos node index on
 * cosmosdb-server (both in this process, like the raw baseline, on the same shared cores):
 * - entries per second through the scanner vs. the raw SDK listing rate (same includes, same
 *   concurrency, same run), on a first scan (empty index) and a rescan (full index);
 * - index writes of a rescan with nothing changed (goal 0);
 * - index writes and content bytes read after renaming a directory of 10,000 files (goal 1-2, 0).
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
import { applyChangeSet } from "../src/core/scan/change-set";
import { scanShare } from "../src/core/scan/scanner";
import { DEV_ACCOUNT_NAME, startLocalStack, toProductSettings } from "../src/local/stack";
import { report, type BenchRow } from "./lib/report";

const CONCURRENCY = 8;
const BIG = Number(process.env.AFB_BENCH_SCAN_BIG ?? 10_000);
const TOP = Number(process.env.AFB_BENCH_SCAN_TOP ?? 90);
const SUB = 10;
const FILES_PER_SUB = 99;
const SHARE = "bench-scan";
const SHARE_ID = "bench";

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

/** Writes the tree on disk: big/ (10,000 files) and 90 x 10 directories of 99 files. */
function generate(root: string): number {
  let entries = 0;
  const dir = (p: string) => (mkdirSync(p, { recursive: true }), entries++);
  const file = (p: string, i: number) => (writeFileSync(p, `entry ${i}`), entries++);
  dir(join(root, "big"));
  for (let i = 0; i < BIG; i++) file(join(root, "big", `f${i}.dat`), i);
  for (let t = 0; t < TOP; t++) {
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
  async write(s: string, ops: readonly IndexOp[]): Promise<WriteResult> {
    const r = await this.inner.write(s, ops);
    this.writes += r.upserts + r.deletes;
    return r;
  }
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
    const total = generate(join(dataDir, "files", DEV_ACCOUNT_NAME, SHARE)) + 1;
    process.stderr.write(`generated ${total} entries on disk in ${seconds(t0).toFixed(1)} s\n`);
    t0 = process.hrtime.bigint();
    await rawWalk(share);
    process.stderr.write(`adoption walk ${seconds(t0).toFixed(1)} s\n`);

    const reader = new MeteredReader(AzureShareReader.of(service, SHARE));
    const index = new MeteredIndex(await CosmosNodeIndex.open({ client: cosmos, database: "bench" }));
    const scan = () => scanShare({ shareId: SHARE_ID, reader, index, now: () => Date.now(), concurrency: CONCURRENCY });

    const rows: BenchRow[] = [];
    const measure = async (name: string) => {
      process.stderr.write(`${name}...\n`);
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
    await applyChangeSet(index, first);
    const applySeconds = seconds(t0);
    rows.push({ name: "apply first change set", values: { entries: first.changes.length, "index writes": index.writes, "writes/s": Math.round(index.writes / applySeconds) } });

    const rescan = await measure("rescan (full index, nothing changed)");
    index.writes = 0;
    await applyChangeSet(index, rescan);
    const changed = rescan.changes.length;
    rows.push({ name: "rescan, nothing changed", values: { changes: changed, "index writes": index.writes }, goal: "0 writes", met: index.writes === 0 && changed === 0 });

    await share.getDirectoryClient("big").rename("big-renamed");
    index.writes = 0;
    t0 = process.hrtime.bigint();
    const renamed = await scan();
    await applyChangeSet(index, renamed);
    const ok = renamed.stats.renamed === 1 && renamed.stats.added === 0 && renamed.stats.deleted === 0;
    rows.push({
      name: `rename a directory of ${BIG.toLocaleString("en-US")} files`,
      values: { changes: renamed.changes.length, "index writes": index.writes, "bytes read": reader.bytesRead, seconds: seconds(t0) },
      goal: "1-2 writes, 0 bytes",
      met: ok && index.writes >= 1 && index.writes <= 2 && reader.bytesRead === 0,
    });
    report("scan", rows, { tree: { entries: total, concurrency: CONCURRENCY } });
  } finally {
    cosmos.dispose();
    await stack.stop();
    rmSync(dataDir, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:scan failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
