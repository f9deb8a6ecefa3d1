/**
 * Listing digests (NodeRecord.listing): an unchanged directory whose record carries the digest of its
 * listing is not queried for its children, every change is still found, and no crash in the index
 * update can leave a digest standing for children not yet written, even when a change is then undone
 * to the exact state the index held before (same size, same times).
 */
import { utimes, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LocalShareReader } from "../../../src/adapters/local-fs/share-reader";
import { MemoryNodeIndex } from "../../../src/adapters/memory/node-index";
import { MemoryObjectStore } from "../../../src/adapters/memory/object-store";
import { runBackup } from "../../../src/core/backup/backup";
import type { ShareEntry, ShareReader } from "../../../src/core/ports/share-reader";
import { Repository } from "../../../src/core/repository/repository";
import { listingDigest } from "../../../src/core/scan/records";
import { memorySpool } from "../../helpers/record-spools";
import { CountingIndex, CountingReader, indexRecords, MeddlingReader, sync } from "../scan/helpers";
import { freshRootTree, newWorld, tick, type World } from "./world";

/**
 * A local directory whose change time is its last-write time, as on an Azure Files share where an
 * SMB client (a restore tool, robocopy) sets every time back: the only way to undo a change to
 * exactly the state the index recorded, which a local disk's ctime never allows.
 */
function settableTimes(root: string): ShareReader {
  const inner = new LocalShareReader(root);
  const fix = (e: ShareEntry): ShareEntry => ({ ...e, changeTime: e.lastWriteTime });
  return Object.assign(Object.create(inner) as ShareReader, {
    getDirectory: async (path: string) => fix(await inner.getDirectory(path)),
    listDirectory: async function* (path: string) {
      for await (const e of inner.listDirectory(path)) yield fix(e);
    },
  });
}

async function freshSettable(root: string): Promise<string> {
  const repository = await Repository.open(new MemoryObjectStore());
  return (await runBackup({ recordSpool: memorySpool, share: "local-test", shareId: "t1", reader: settableTimes(root), index: new MemoryNodeIndex(), repository, now: tick })).rootTree;
}

let world: World;
let counting: CountingIndex;
/** A whole second: times written here come back exactly from the local reader. */
const T0 = new Date("2026-01-02T03:04:05Z");

beforeEach(async () => {
  world = await newWorld();
  counting = new CountingIndex(world.index);
  world.index = counting;
  await world.write("top.txt", "top");
  for (let d = 0; d < 3; d++) for (let f = 0; f < 5; f++) await world.write(`d${d}/sub/f${f}.txt`, `file ${d}/${f}`);
  await world.write("d1/sub/c.txt", "version A");
  await utimes(join(world.root, "d1/sub/c.txt"), T0, T0);
});
afterEach(() => world.close());

const entry = (over: Partial<ShareEntry>): ShareEntry => ({
  name: "a", fileId: "11", kind: "file", size: 3, creationTime: 1, lastWriteTime: 2, changeTime: 3, attributes: "Archive", permissionKey: "", etag: "e", ...over,
});

test("listingDigest ignores order and moves with every field classification compares", () => {
  const a = entry({});
  const b = entry({ name: "b", fileId: "12", kind: "dir", size: 0 });
  const base = listingDigest([a, b]);
  expect(base).toMatch(/^[A-Za-z0-9_-]{22}$/);
  expect(listingDigest([b, a])).toBe(base);
  for (const over of [{ name: "c" }, { fileId: "13" }, { size: 4 }, { lastWriteTime: 5 }, { attributes: "ReadOnly" }, { permissionKey: "k" }, { creationTime: 9 }, { changeTime: 9 }, { etag: "f" }, { kind: "dir" as const, size: 0 }]) {
    expect(listingDigest([entry(over), b])).not.toBe(base);
  }
  expect(listingDigest([a])).not.toBe(base);
  // A name is a field, not a separator: no two listings meet by moving text between names.
  expect(listingDigest([entry({ name: "x\n12/dir" })])).not.toBe(listingDigest([entry({ name: "x" })]));
  // One FileId under two names (hard links): the index keeps one record, so no digest.
  expect(listingDigest([a, entry({ name: "a2" }), b])).toBeUndefined();
  expect(listingDigest([a, entry({ name: "c", fileId: "111" }), entry({ name: "d", fileId: "1" })])).toBeDefined();
});

test("every directory sealed by a backup records its listing digest; an unchanged backup then queries no children", async () => {
  const first = await world.backup();
  const records = await indexRecords(world.index, "t1");
  const dirs = Object.entries(records).filter(([, r]) => r.kind === "dir");
  expect(dirs.length).toBe(7);
  for (const [, r] of dirs) expect(r.listing).toMatch(/^[A-Za-z0-9_-]{22}$/);
  counting.queried = [];
  counting.sealedQueried = [];
  const second = await world.backup();
  expect(second).toMatchObject({ bytesRead: 0, treesWritten: 0, rootTree: first.rootTree });
  // Only the root's pseudo partition (which holds the root alone) was queried in full; the sealed
  // child directories of each directory that has any, once.
  expect(counting.queried).toEqual([]);
  const byPath = Object.fromEntries(Object.entries(records).map(([p, r]) => [p, r.fileId]));
  expect([...counting.sealedQueried].sort()).toEqual([byPath["/"], byPath["/d0"], byPath["/d1"], byPath["/d2"]].sort());
});

test("a change deep down is found below skipped directories, and only its directory is queried", async () => {
  await world.backup();
  await world.write("d2/sub/f3.txt", "changed, and longer");
  counting.queried = [];
  const s = await world.backup();
  expect(s).toMatchObject({ modified: 1, bytesRead: "changed, and longer".length });
  const queried = [...counting.queried].sort();
  expect(s.rootTree).toBe(await freshRootTree(world));
  const records = await indexRecords(world.index, "t1");
  // d2/sub once by the scan (its listing moved), then d2/sub, d2 and the root once each by the seal.
  expect(queried).toEqual([records["/d2/sub"].fileId, records["/d2/sub"].fileId, records["/d2"].fileId, records["/"].fileId].sort());
  counting.queried = [];
  expect(await world.backup()).toMatchObject({ bytesRead: 0, treesWritten: 0, rootTree: s.rootTree });
  expect(counting.queried).toEqual([]);
});

test("a directory whose listing digest is missing is compared in full once, then gets its digest", async () => {
  await world.backup();
  const records = await indexRecords(world.index, "t1");
  const sub = records["/d0/sub"];
  const { listing: _dropped, ...without } = sub;
  await world.index.write("t1", [{ op: "upsert", node: without }]);
  counting.queried = [];
  await world.backup();
  expect(counting.queried).toEqual([sub.fileId]);
  expect((await indexRecords(world.index, "t1"))["/d0/sub"].listing).toBe(sub.listing);
  counting.queried = [];
  await world.backup();
  expect(counting.queried).toEqual([]);
});

test("a child directory record missing below a matching digest falls back to comparing the children", async () => {
  const first = await world.backup();
  const records = await indexRecords(world.index, "t1");
  const sub = records["/d1/sub"];
  await world.index.write("t1", [{ op: "delete", parentFileId: sub.parentFileId, fileId: sub.fileId }]);
  const s = await world.backup();
  expect(s.rootTree).toBe(first.rootTree);
  expect((await indexRecords(world.index, "t1"))["/d1/sub"]).toMatchObject({ fileId: sub.fileId, listing: sub.listing });
});

test.each([0, 1, 2, 3, 4, 5, 6, 7, 8])("an index update that dies after %i bulks, then the change undone exactly: the rerun equals a fresh backup", async (bulks) => {
  world.reader = new CountingReader(settableTimes(world.root));
  await world.backup();
  await world.write("d1/sub/c.txt", "version B, longer");
  await world.write("d0/sub/new.txt", "new");
  counting.reset();
  counting.failAfter = bulks;
  const crashed = await world.backup().then(() => false, (err: Error) => (expect(err.message).toMatch(/simulated crash/), true));
  counting.failAfter = undefined;
  // Back to version A, byte for byte and time for time: only a record that says B could tell.
  await world.write("d1/sub/c.txt", "version A");
  await utimes(join(world.root, "d1/sub/c.txt"), T0, T0);
  const rerun = await world.backup();
  expect(rerun.rootTree).toBe(await freshSettable(world.root));
  expect(await world.backup()).toMatchObject({ bytesRead: 0, treesWritten: 0, rootTree: rerun.rootTree });
  if (bulks >= 8) expect(crashed).toBe(false);
});

test("index sync drops a stale tree id and its listing digest before writing anything else", async () => {
  await world.backup();
  const before = await indexRecords(world.index, "t1");
  await world.write("d1/sub/c.txt", "version B, longer");
  counting.failAfter = 1;
  await expect(sync({ shareId: "t1", reader: world.reader, index: counting })).rejects.toThrow(/simulated crash/);
  counting.failAfter = undefined;
  const after = await indexRecords(world.index, "t1");
  expect(before["/d1/sub"].listing).toBeDefined();
  expect(after["/d1/sub"]).toEqual({ ...before["/d1/sub"], treeId: undefined, listing: undefined });
  expect(after["/d1/sub/c.txt"]).toEqual(before["/d1/sub/c.txt"]);
  expect((await world.backup()).rootTree).toBe(await freshRootTree(world));
});

test("a file that changed while it was read, and changed back before the sealing, leaves its directory without a digest", async () => {
  const meddler = new MeddlingReader(settableTimes(world.root));
  world.reader = meddler;
  const c = join(world.root, "d1/sub/c.txt");
  const T1 = new Date(T0.getTime() + 60_000);
  await world.backup();
  await writeFile(c, "version B");
  await utimes(c, T1, T1);
  // Read while it is longer (reported unstable), then back to what the scan saw before the sealing lists it.
  meddler.during = async () => {
    await writeFile(c, "version B, being written");
    meddler.beforeList = async () => {
      meddler.beforeList = undefined;
      await writeFile(c, "version B");
      await utimes(c, T1, T1);
    };
  };
  const s = await world.backup();
  expect(s.unstable.map((u) => u.path)).toEqual(["d1/sub/c.txt"]);
  const sub = (await indexRecords(world.index, "t1"))["/d1/sub"];
  expect([sub.kind, sub.treeId, sub.listing]).toEqual(["dir", undefined, undefined]);
  // Undone to the state the index still holds for the file: only a full comparison can tell.
  await writeFile(c, "version A");
  await utimes(c, T0, T0);
  expect((await world.backup()).rootTree).toBe(await freshSettable(world.root));
});

test("an index without a sealed-children query is read by key below a matching digest", async () => {
  await world.backup();
  const inner = world.index;
  let gets = 0;
  world.index = {
    description: inner.description,
    listChildren: (shareId, parent) => inner.listChildren(shareId, parent),
    get: (shareId, key) => (gets++, inner.get(shareId, key)),
    findByFileId: (shareId, fileId) => inner.findByFileId(shareId, fileId),
    write: (shareId, ops) => inner.write(shareId, ops),
  };
  counting.queried = [];
  const s = await world.backup();
  expect(s).toMatchObject({ bytesRead: 0, treesWritten: 0 });
  expect(counting.queried).toEqual([]);
  // One read per directory below the root: d0, d1, d2 and their three subdirectories.
  expect(gets).toBe(6);
});
