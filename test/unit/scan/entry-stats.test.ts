/**
 * EntryStats: a listing's lstat rows on the event loop are the very rows the read workers give, and
 * a file system whose first SAMPLE_ENTRIES entries average over SLOW_STAT_NS sends every later batch
 * to the workers.
 */
import { mkdtemp, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { EntryStats, SAMPLE_ENTRIES, SLOW_STAT_NS } from "../../../src/adapters/local-fs/entry-stats";
import { ReadWorkers, STAT_BATCH, type StatRow } from "../../../src/adapters/local-fs/read-workers";
import { LocalShareReader } from "../../../src/adapters/local-fs/share-reader";

let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "afb-entrystats-"));
  await writeFile(join(root, "file"), "12345");
  await mkdir(join(root, "dir"));
  await symlink(join(root, "file"), join(root, "link"));
});
afterEach(() => rm(root, { recursive: true, force: true }));

/** A clock that advances `step` nanoseconds at every reading. */
function clock(step: bigint): () => bigint {
  let t = 0n;
  return () => (t += step);
}

/** Workers that record the batches sent to them and answer with the real workers' rows. */
function recordingWorkers(): { sent: string[][]; lstatBatch: (dir: string, names: readonly string[]) => Promise<StatRow[]> } {
  const sent: string[][] = [];
  return {
    sent,
    lstatBatch: (dir, names) => {
      sent.push([...names]);
      return ReadWorkers.shared().lstatBatch(dir, names);
    },
  };
}

test("on a fast file system, rows come from the event loop and equal the workers' rows", async () => {
  const workers = recordingWorkers();
  const stats = new EntryStats(clock(1_000n), () => workers);
  const names = ["file", "dir", "link", "gone"];
  const rows = await stats.batch(root, names);
  expect(rows).toEqual(await ReadWorkers.shared().lstatBatch(root, names));
  expect(rows[0]).toMatchObject({ kind: "file", size: 5n });
  expect(rows.slice(2)).toEqual([null, null]);
  // Below a file a name is neither there nor absent: that entry's own error, as from the workers.
  expect(await stats.batch(join(root, "file"), ["x"])).toEqual(await ReadWorkers.shared().lstatBatch(join(root, "file"), ["x"]));
  expect((await stats.batch(join(root, "file"), ["x"]))[0]).toMatchObject({ code: "ENOTDIR" });
  expect(workers.sent).toEqual([]);
  expect(stats.onEventLoop).toBe(true);
});

const names = (n: number, prefix = "n"): string[] => Array.from({ length: n }, (_, i) => `${prefix}${i}`);

test("once SAMPLE_ENTRIES entries average more than SLOW_STAT_NS, every later batch goes to the workers", async () => {
  const workers = recordingWorkers();
  // Two readings per batch: each batch measures one step.
  const stats = new EntryStats(clock(SLOW_STAT_NS * 200n), () => workers);
  // The first batch alone is over the limit per entry, but too small a sample to decide on.
  expect(await stats.batch(root, ["file"])).toEqual([expect.objectContaining({ kind: "file", size: 5n })]);
  expect(stats.onEventLoop).toBe(true);
  await stats.batch(root, names(Number(SAMPLE_ENTRIES) - 1));
  // 256 entries in two steps of 200x the limit: ~1.6x the limit each, over it.
  expect(stats.onEventLoop).toBe(false);
  expect(workers.sent).toEqual([]);
  expect(await stats.batch(root, ["dir", "link"])).toEqual([expect.objectContaining({ kind: "dir" }), null]);
  expect(workers.sent).toEqual([["dir", "link"]]);
});

test("a slow first call averaged over the sample stays on the event loop; the decision is taken once", async () => {
  // Readings: the first batch takes 1 ms (a process's first lstat), the others nothing, until the
  // sample is taken; after it every batch is very slow.
  let readings = 0;
  let t = 0n;
  const now = () => (t += readings++ < 2 ? 1_000_000n : readings > 2 + 2 * 4 ? SLOW_STAT_NS * 1_000n : 0n);
  const workers = recordingWorkers();
  const stats = new EntryStats(now, () => workers);
  await stats.batch(root, ["data"]);
  // 1 ms over 401 entries: ~2.5 us each.
  for (let i = 0; i < 4; i++) await stats.batch(root, names(100));
  expect(stats.onEventLoop).toBe(true);
  await stats.batch(root, names(2));
  await stats.batch(root, ["file"]);
  expect(stats.onEventLoop).toBe(true);
  expect(workers.sent).toEqual([]);
});

test("refuses a batch of more than STAT_BATCH names, naming the limit", async () => {
  const stats = new EntryStats(clock(1n), () => recordingWorkers());
  await expect(stats.batch(root, Array.from({ length: STAT_BATCH + 1 }, (_, i) => `n${i}`))).rejects.toThrow(/at most 256 names/);
});

test("the local reader lists through it: sorted, links left out, sizes from lstat", async () => {
  const entries: string[] = [];
  for await (const e of new LocalShareReader(root).listDirectory("")) entries.push(`${e.name}:${e.kind}:${e.size}`);
  expect(entries).toEqual(["dir:dir:0", "file:file:5"]);
});
