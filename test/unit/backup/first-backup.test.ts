/**
 * The first backup of a share the index has never seen runs as one depth-first pass (first-backup.ts).
 * Its snapshot, summary and index records must equal the change-set pipeline's for the same source;
 * it must keep few directories open at once (memory independent of the share); and a failure midway
 * must stop everything it started, leave the index untouched, and let a rerun finish the same backup.
 */
import { chmod, link, mkdir, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { LocalShareReader } from "../../../src/adapters/local-fs/share-reader";
import { MemoryNodeIndex } from "../../../src/adapters/memory/node-index";
import { MemoryObjectStore } from "../../../src/adapters/memory/object-store";
import { MemoryRecordSpool } from "../../../src/adapters/memory/record-spool";
import { runBackup, type BackupOptions } from "../../../src/core/backup/backup";
import { BackupError, type BackupSummary } from "../../../src/core/backup/model";
import type { NodeIndex, NodeRecord } from "../../../src/core/ports/node-index";
import type { ReadRange } from "../../../src/core/ports/share-reader";
import { Repository } from "../../../src/core/repository/repository";
import { CountingIndex, CountingReader, indexRecords } from "../scan/helpers";
import { newWorld, tick, type World } from "./world";

let world: World;
beforeEach(async () => {
  world = await newWorld("afb-first-");
  await world.write("a.txt", "alpha");
  await world.write("same-1.bin", Buffer.alloc(70_000, 3));
  await world.write("same-2.bin", Buffer.alloc(70_000, 3));
  await world.write("empty.txt", "");
  await world.write("docs/readme.md", "read me");
  await world.write("docs/deep/deeper/x.bin", Buffer.alloc(1_300_000, 9));
  await mkdir(join(world.root, "empty-dir", "also-empty"), { recursive: true });
  for (let d = 0; d < 6; d++) for (let f = 0; f < 7; f++) await world.write(`wide/d${d}/sub/f${f}.txt`, `file ${d}/${f}`);
  await chmod(join(world.root, "a.txt"), 0o600);
});
afterEach(() => world.close());

async function backupWith(extra: Partial<BackupOptions> & { index: NodeIndex; store: MemoryObjectStore }): Promise<BackupSummary> {
  const { store, ...rest } = extra;
  return runBackup({ share: "local-test", shareId: "t1", reader: new LocalShareReader(world.root), repository: await Repository.open(store), now: () => 1_000, recordSpool: () => Promise.resolve(new MemoryRecordSpool()), ...rest });
}

const comparable = (s: BackupSummary) => ({ ...s, snapshotId: undefined, durationMs: undefined });

test("one pass gives the snapshot, summary and index records of the change-set pipeline", async () => {
  const streamed = { index: new MemoryNodeIndex(), store: new MemoryObjectStore() };
  const classic = { index: new MemoryNodeIndex(), store: new MemoryObjectStore() };
  const a = await backupWith(streamed);
  const b = await backupWith({ ...classic, streamFirstBackup: false });
  expect(comparable(a)).toEqual(comparable(b));
  expect(a.snapshotId).toBe(b.snapshotId);
  expect(a).toMatchObject({ files: 48, dirs: 18, treesWritten: 19, added: 1 + 48 + 18, unstable: [] });
  const ra = await indexRecords(streamed.index, "t1");
  expect(ra).toEqual(await indexRecords(classic.index, "t1"));
  expect(Object.keys(ra)).toHaveLength(1 + 48 + 18);
  expect(Object.values(ra).every((r) => (r.kind === "dir" ? r.treeId !== undefined : r.fingerprint !== undefined))).toBe(true);
  // The next backup of either finds nothing to do.
  const again = await backupWith(streamed);
  expect(again).toMatchObject({ bytesRead: 0, treesWritten: 0, added: 0, rootTree: a.rootTree });
});

test("directories open at once stay within (branches + 1) x depth, however many there are", async () => {
  for (let d = 0; d < 8; d++) for (let e = 0; e < 8; e++) await world.write(`tree/d${d}/e${e}/leaf.txt`, `${d}.${e}`);
  const reader = new CountingReader(new LocalShareReader(world.root));
  let open = 0;
  let maxOpen = 0;
  const listedOnce = new Set<string>();
  reader.beforeList = async (path) => {
    if (listedOnce.has(path)) return; // the re-listing of a live directory before it is sealed
    listedOnce.add(path);
    maxOpen = Math.max(maxOpen, ++open);
  };
  class SealCounter extends MemoryRecordSpool {
    override async append(rs: readonly NodeRecord[]): Promise<void> {
      open--; // one append per sealed directory (plus the root's own record at the end)
      return super.append(rs);
    }
  }
  const s = await backupWith({ index: new MemoryNodeIndex(), store: new MemoryObjectStore(), reader, concurrency: { listings: 2, reads: 2 }, recordSpool: () => Promise.resolve(new SealCounter()) });
  expect(s.dirs).toBe(18 + 1 + 8 + 64);
  // Depth of the deepest directory is 4 (docs/deep/deeper, tree/dN/eM): 5 levels with the root.
  expect(maxOpen).toBeLessThanOrEqual((2 + 1) * 5);
  expect(maxOpen).toBeGreaterThan(2);
});

/** Fails reading one file; counts reads in flight so the test can see nothing outlives the failure. */
class FailingReader extends CountingReader {
  inFlight = 0;
  constructor(
    root: string,
    private readonly failOn: string,
  ) {
    super(new LocalShareReader(root));
  }
  override async *openFile(path: string, range?: ReadRange): AsyncIterable<Uint8Array> {
    this.inFlight++;
    try {
      if (path === this.failOn) throw new Error("disk on fire");
      await new Promise((r) => setTimeout(r, 2));
      yield* super.openFile(path, range);
    } finally {
      this.inFlight--;
    }
  }
}

test("a failed read stops the pass, names the file, leaves the index empty; a rerun finishes the same backup", async () => {
  const index = new CountingIndex(new MemoryNodeIndex());
  const store = new MemoryObjectStore();
  const reader = new FailingReader(world.root, "wide/d3/sub/f2.txt");
  const failed = backupWith({ index, store, reader });
  await expect(failed).rejects.toThrow(BackupError);
  await expect(failed).rejects.toThrow(/"wide\/d3\/sub\/f2\.txt".*disk on fire/);
  expect(reader.inFlight).toBe(0);
  expect(index.upserts).toBe(0);
  const repo = await Repository.open(store);
  for await (const ref of repo.listSnapshots("local-test")) throw new Error(`snapshot ${ref.id} written by a failed backup`);
  const rerun = await backupWith({ index, store });
  const reference = await backupWith({ index: new MemoryNodeIndex(), store: new MemoryObjectStore() });
  expect(rerun.rootTree).toBe(reference.rootTree);
  expect(rerun.bytesRead).toBe(reference.bytesRead);
});

test("an index update that dies midway: the next backup seals what it lacks and reads only unindexed files", async () => {
  const index = new CountingIndex(new MemoryNodeIndex());
  const store = new MemoryObjectStore();
  index.failAfter = 1; // the root's record (written first, without its tree id) lands, the rest does not
  await expect(backupWith({ index, store })).rejects.toThrow(/is recorded .* but updating .* failed/);
  index.failAfter = undefined;
  const rerun = await backupWith({ index, store });
  const reference = await backupWith({ index: new MemoryNodeIndex(), store: new MemoryObjectStore() });
  expect(rerun.rootTree).toBe(reference.rootTree);
  expect(rerun.chunksNew).toBe(0);
  expect(rerun.indexRebuilt).toBe(false); // scanned against what was written, not rebuilt from the snapshot
  expect((await backupWith({ index, store })).bytesRead).toBe(0);
});

test("a first backup's records reach the index only after the manifest", async () => {
  const index = new CountingIndex(new MemoryNodeIndex());
  const phasesAtWrite: number[] = [];
  let phases = 0;
  const inner = index.write.bind(index);
  index.write = (shareId, ops) => {
    phasesAtWrite.push(phases);
    return inner(shareId, ops);
  };
  await backupWith({ index, store: new MemoryObjectStore(), afterPhase: () => void phases++ });
  // lock, snapshot, scan, content, trees, manifest = 6 phases done before the first write.
  expect(Math.min(...phasesAtWrite)).toBe(6);
  expect(index.upserts).toBe(1 + 1 + 48 + 18); // the root twice: first without its tree id, last with it
});

test("the source changing under the pass: a file rewritten after it was read is left out and reported", async () => {
  const reader = new CountingReader(new LocalShareReader(world.root));
  let listings = 0;
  reader.beforeList = async (path) => {
    // The second listing of "docs" (just before it is sealed): readme.md was rewritten after it was read.
    if (path === "docs" && ++listings === 2) await writeFile(join(world.root, "docs/readme.md"), "READ ME");
  };
  const index = new MemoryNodeIndex();
  const store = new MemoryObjectStore();
  const s = await backupWith({ index, store, reader });
  expect(s.unstable).toEqual([{ path: "docs/readme.md", fileId: expect.any(String), reason: "changed" }]);
  const rs = await indexRecords(index, "t1");
  expect(rs["/docs/readme.md"]).toBeUndefined();
  expect(rs["/docs"].treeId).toBeUndefined(); // not reused: the next backup seals it again
  expect(rs["/docs/deep"].treeId).toBeDefined();
  const next = await backupWith({ index, store, now: tick });
  expect(next).toMatchObject({ added: 1, unstable: [] });
});

test("only a share with an empty root partition costs the cross-partition hasShare query", async () => {
  const index = new MemoryNodeIndex();
  let asked = 0;
  const hasShare = index.hasShare.bind(index);
  index.hasShare = (shareId) => {
    asked++;
    return hasShare(shareId);
  };
  const store = new MemoryObjectStore();
  await backupWith({ index, store });
  expect(asked).toBe(1);
  await backupWith({ index, store, now: tick });
  await backupWith({ index, store, now: tick });
  expect(asked).toBe(1);
});

test("hard links (one FileId under two names) are kept under both names", async () => {
  await link(join(world.root, "a.txt"), join(world.root, "a-link.txt"));
  await link(join(world.root, "docs/readme.md"), join(world.root, "wide/readme-link.md"));
  const store = new MemoryObjectStore();
  const s = await backupWith({ index: new MemoryNodeIndex(), store });
  expect(s).toMatchObject({ files: 50, unstable: [] });
  const repo = await Repository.open(store);
  const root = await repo.getTree(s.rootTree);
  const a = root.files.find((f) => f.name === "a.txt")!;
  expect(root.files.find((f) => f.name === "a-link.txt")).toMatchObject({ fileId: a.fileId, digest: a.digest, size: 5 });
  const wide = await repo.getTree(root.directories.find((d) => d.name === "wide")!.tree);
  expect(wide.files.map((f) => f.name)).toEqual(["readme-link.md"]);
});

/** Counts reads in flight by size: files of at most 1 MiB and larger ones (read slots, content.ts). */
class SlotCountingReader extends CountingReader {
  small = 0;
  large = 0;
  maxSmall = 0;
  maxLarge = 0;
  maxSlots = 0;
  constructor(root: string) {
    super(new LocalShareReader(root));
  }
  override async *openFile(path: string, range?: ReadRange): AsyncIterable<Uint8Array> {
    const large = path.startsWith("slots/large");
    if (large) this.large++;
    else this.small++;
    this.maxSmall = Math.max(this.maxSmall, this.small);
    this.maxLarge = Math.max(this.maxLarge, this.large);
    this.maxSlots = Math.max(this.maxSlots, this.small + 4 * this.large);
    try {
      await new Promise((r) => setTimeout(r, 3));
      yield* super.openFile(path, range);
    } finally {
      if (large) this.large--;
      else this.small--;
    }
  }
}

test.each([
  ["the one-pass first backup", true],
  ["the change-set pipeline", false],
])("%s reads up to 4x `reads` small files at once, and at most `reads` files over 1 MiB", async (_name, streamFirstBackup) => {
  for (let i = 0; i < 40; i++) await world.write(`slots/small-${String(i).padStart(2, "0")}.txt`, `small ${i}`);
  for (let i = 0; i < 6; i++) await world.write(`slots/large-${i}.bin`, Buffer.alloc(1_100_000, i));
  const reader = new SlotCountingReader(world.root);
  const s = await backupWith({ index: new MemoryNodeIndex(), store: new MemoryObjectStore(), reader, concurrency: { listings: 2, reads: 2 }, streamFirstBackup });
  expect(s.files).toBe(48 + 46);
  expect(reader.maxSlots).toBeLessThanOrEqual(8);
  expect(reader.maxLarge).toBeLessThanOrEqual(2);
  expect(reader.maxLarge).toBeGreaterThan(0);
  expect(reader.maxSmall).toBeGreaterThan(2);
});
