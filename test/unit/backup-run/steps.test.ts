/**
 * The distributed backup steps run in sequence without a durable host (local directory, in-memory
 * index and store): the same snapshots as runBackup for the same states, the filtered reader, and the
 * idempotence every retried activity relies on.
 */
import { link, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { LocalShareReader } from "../../../src/adapters/local-fs/share-reader";
import { MemoryBackupLock } from "../../../src/adapters/lock/memory-lock";
import { MemoryNodeIndex } from "../../../src/adapters/memory/node-index";
import { FilteredShareReader } from "../../../src/core/backup/filtered-reader";
import { beginStep, runInfo, runReader } from "../../../src/core/backup-run/begin-step";
import { contentStep } from "../../../src/core/backup-run/content-step";
import { finishStep, indexStep, manifestStep } from "../../../src/core/backup-run/finish-step";
import { resolveStep } from "../../../src/core/backup-run/resolve-step";
import { addSteps, sliceKey, ZERO_STEP, type ContentBatch, type SealSlice } from "../../../src/core/backup-run/run-model";
import { RunStore } from "../../../src/core/backup-run/run-store";
import { listDirectoryStep } from "../../../src/core/backup-run/scan-step";
import { sealStep } from "../../../src/core/backup-run/seal-step";
import type { ShareReader } from "../../../src/core/ports/share-reader";
import type { NodeIndex } from "../../../src/core/ports/node-index";
import { decodeToken, encodeToken } from "../../../src/core/backup-run/run-model";
import { CountingIndex, indexRecords } from "../scan/helpers";
import { Repository } from "../../../src/core/repository/repository";
import { newWorld, tick, type World } from "../backup/world";

let runs = 0;

/** Every step of one run, in the orchestration's order; listDirectory breadth first. */
async function distributedBackup(w: World, reader: ShareReader, index: NodeIndex, share: string) {
  const store = w.store;
  const runId = `run-${++runs}`;
  const r = new RunStore(store, runId);
  const lock = new MemoryBackupLock();
  const begun = await beginStep({ runId, owner: "backup-x", share, shareId: share }, { reader, index, repository: await Repository.open(store), lock, runs: r, now: tick });
  const again = await beginStep({ runId, owner: "backup-x", share, shareId: share }, { reader, index, repository: await Repository.open(store), lock, runs: r, now: tick });
  expect(again).toEqual(begun);
  const info = await runInfo(r);
  const snap = runReader(info, reader);
  const scanned = { dirs: 0, files: 0, bytes: 0, changes: 0, errors: 0 };
  let frontier = [begun.rootToken];
  while (frontier.length > 0) {
    const next: string[] = [];
    for (const token of frontier) {
      const out = await listDirectoryStep(info, token, snap, index, r);
      expect(await listDirectoryStep(info, token, snap, index, r)).toEqual(out);
      scanned.dirs += out.dirs;
      scanned.files += out.files;
      scanned.bytes += out.bytes;
      next.push(...out.childDirIds);
    }
    frontier = next;
  }
  const resolved = await resolveStep(info, r, index, scanned);
  let totals = ZERO_STEP;
  for (let n = 0; n < resolved.contentBatches; n++) {
    const counts = await contentStep(info, n, { reader: snap, index, repository: await Repository.open(store), runs: r });
    expect(await contentStep(info, n, { reader: snap, index, repository: await Repository.open(store), runs: r })).toEqual(counts);
    totals = addSteps(totals, counts);
  }
  for (const level of resolved.levels) {
    for (let s = 0; s < level.slices; s++) totals = addSteps(totals, await sealStep(info, sliceKey(level.depth, s), { reader: snap, index, repository: await Repository.open(store), runs: r }));
  }
  const manifest = await manifestStep(info, scanned, resolved, totals, { reader: snap, index, repository: await Repository.open(store), runs: r });
  await indexStep(info, { index, runs: r });
  await finishStep(info, { live: reader, lock, runs: r });
  let left = 0;
  for await (const _ of r.list("scan")) left++;
  expect(left).toBe(0);
  return { manifest, resolved, totals };
}

let w: World;
beforeEach(async () => {
  w = await newWorld("afb-backup-run-");
});
afterEach(async () => {
  await w.close();
});

test("full, then incremental with a rename, an edit, a delete and an add: the same root trees as runBackup", async () => {
  await w.write("a/one.txt", "one");
  await w.write("a/deep/two.txt", "two two");
  await w.write("b/three.txt", "three");
  await w.write("top.txt", "top");
  const index = new MemoryNodeIndex();
  const reader = new LocalShareReader(w.root);
  const first = await distributedBackup(w, reader, index, "dist");
  expect(first.resolved).toMatchObject({ added: 8, modified: 0 });
  expect(first.totals.bytesRead).toBe(3 + 7 + 5 + 3);
  const engine1 = await w.backup({ share: "engine", shareId: "engine1", index: new MemoryNodeIndex() });
  expect(first.manifest.rootTree).toBe(engine1.rootTree);

  await rename(join(w.root, "a"), join(w.root, "renamed"));
  await w.write("b/three.txt", "three, edited");
  await w.write("b/new.txt", "new"); // before the delete: the file system would reuse the inode (the FileId)
  await rm(join(w.root, "top.txt"));
  const second = await distributedBackup(w, reader, index, "dist");
  expect(second.resolved).toMatchObject({ added: 1, modified: 1, renamed: 1, deleted: 1 });
  expect(second.totals.bytesRead).toBe("three, edited".length + 3);
  const engine2 = await w.backup({ share: "engine", shareId: "engine2", index: new MemoryNodeIndex() });
  expect(second.manifest.rootTree).toBe(engine2.rootTree);

  const third = await distributedBackup(w, reader, index, "dist");
  expect(third.resolved).toMatchObject({ added: 0, modified: 0, renamed: 0, deleted: 0, filesToRead: 0 });
  expect(third.manifest.rootTree).toBe(second.manifest.rootTree);
  expect(third.totals.treesWritten).toBe(0);
});

test("a filtered reader hides excluded entries and, with includes, unmatched files; snapshots keep the filter", async () => {
  await w.write("keep/a.txt", "a");
  await w.write("keep/b.tmp", "b");
  await w.write("cache/x.txt", "x");
  await w.write("docs/r.pdf", "r");
  const reader = FilteredShareReader.of(new LocalShareReader(w.root), { exclude: ["*.tmp", "cache"], include: ["**/*.txt", "docs/**"] });
  const names = async (path: string) => {
    const out: string[] = [];
    for await (const e of reader.listDirectory(path)) out.push(e.name);
    return out.sort();
  };
  expect(await names("")).toEqual(["docs", "keep"]);
  expect(await names("keep")).toEqual(["a.txt"]);
  expect(await names("docs")).toEqual(["r.pdf"]);
  const plain = new LocalShareReader(w.root);
  expect(FilteredShareReader.of(plain, { include: [], exclude: [] })).toBe(plain);
  expect(() => FilteredShareReader.of(plain, { include: [], exclude: ["a/../b"] })).toThrow(/'\.' or '\.\.' segments/);
  const result = await distributedBackup(w, reader, new MemoryNodeIndex(), "filtered");
  expect(result.manifest.files).toBe(2);
});

test("an unchanged directory whose record carries its listing digest is not queried, and its token carries the digest", async () => {
  for (let d = 0; d < 3; d++) for (let f = 0; f < 4; f++) await w.write(`d${d}/sub/f${f}.txt`, `file ${d}/${f}`);
  const index = new CountingIndex(new MemoryNodeIndex());
  const reader = new LocalShareReader(w.root);
  const first = await distributedBackup(w, reader, index, "dist");
  index.queried = [];
  const second = await distributedBackup(w, reader, index, "dist");
  expect(second.manifest.rootTree).toBe(first.manifest.rootTree);
  expect(index.queried).toEqual([]);
  await w.write("d1/sub/f2.txt", "edited, longer");
  const third = await distributedBackup(w, reader, index, "dist");
  expect(third.resolved).toMatchObject({ modified: 1, filesToRead: 1 });
  expect(third.manifest.rootTree).toBe((await w.backup({ share: "engine", shareId: "engine3", index: new MemoryNodeIndex() })).rootTree);
});

test("directory tokens round-trip with and without a listing digest, and a malformed digest is refused", () => {
  const plain = { fileId: "12", parentFileId: "7", path: "a/b", indexed: true };
  expect(decodeToken(encodeToken(plain))).toEqual(plain);
  const withListing = { ...plain, listing: "AbCdEfGhIjKlMnOpQrSt_-" };
  expect(decodeToken(encodeToken(withListing))).toEqual(withListing);
  expect(() => decodeToken(JSON.stringify(["12", "7", 1, "a/b", "short"]))).toThrow(/not one this app produced/);
});

test("a first backup is planned one directory at a time: no run document holds the share's files, and the index equals the engine's", async () => {
  for (let d = 0; d < 3; d++) for (let f = 0; f < 300; f++) await w.write(`d${d}/f${f}.txt`, `file ${d}/${f}`);
  await w.write("d1/deep/x.txt", "deep");
  // One FileId in two directories of one slice: both records, as the engine writes them.
  await link(join(w.root, "d0/f0.txt"), join(w.root, "d1/hard.txt"));
  const sizes = new Map<string, number>();
  const docs = new Map<string, unknown>();
  const put = w.store.put.bind(w.store);
  jest.spyOn(w.store, "put").mockImplementation((key, data, options) => {
    const name = key.replace(/^runs\/backup\/[^/]+\//, "");
    if (name !== key) {
      sizes.set(name, Math.max(sizes.get(name) ?? 0, data.length));
      if (/^(seal|content)\//.test(name)) docs.set(name, JSON.parse(Buffer.from(data).toString("utf8")));
    }
    return put(key, data, options);
  });
  const index = new MemoryNodeIndex();
  const run = await distributedBackup(w, new LocalShareReader(w.root), index, "dist");
  // d1/deep's one file, then the 902 files of d0, d1 and d2 (one slice) in batches of 64.
  expect(run.resolved).toMatchObject({ added: 1 + 4 + 902, filesToRead: 902, contentBatches: 1 + 15 });
  // The plan names the slices and the root; the files are only in the batches and slices that need them.
  expect(sizes.get("changeset")).toBeLessThan(1000);
  for (const [name, size] of sizes) if (name.startsWith("content/")) expect(size).toBeLessThan(64 * 400);
  // A slice's batches hold files of its own directories only.
  for (const [name, doc] of docs) {
    if (!name.startsWith("seal/")) continue;
    const slice = doc as SealSlice;
    const own = new Set(slice.jobs.map((j) => j.fileId));
    for (const n of slice.contentBatches) for (const c of (docs.get(`content/${n}`) as ContentBatch).changes) expect(own.has(c.node.parentFileId)).toBe(true);
  }
  const engineIndex = new MemoryNodeIndex();
  const engine = await w.backup({ share: "engine", shareId: "dist", index: engineIndex });
  expect(run.manifest.rootTree).toBe(engine.rootTree);
  expect(await indexRecords(index, "dist")).toEqual(await indexRecords(engineIndex, "dist"));
  const hard = (await index.findByFileId("dist", (await indexRecords(index, "dist"))["/d0/f0.txt"].fileId)).length;
  expect(hard).toBe(2);
});
