/**
 * The distributed restore's plan and batches (run-plan.ts, run-batch.ts) into a local directory (the
 * real LocalRestoreTarget), from snapshots in an in-memory repository: batches hold the directories
 * above them, so running them in ANY order gives the engine's result; refusals name the paths and
 * write nothing; documents carry metadata, never content.
 */
import { statSync } from "node:fs";
import { join } from "node:path";
import { MemoryObjectStore } from "../../../src/adapters/memory/object-store";
import { LocalRestoreTarget } from "../../../src/adapters/local-fs/restore-target";
import { Repository } from "../../../src/core/repository/repository";
import { repositoryContent } from "../../../src/core/restore/chunk-batch";
import { RestoreConflictError, SelectionNotFoundError } from "../../../src/core/restore/errors";
import { restoreSnapshot } from "../../../src/core/restore/restorer";
import { addBatchCounts, finalizeDirectories, runPlannedBatch, ZERO_BATCH_COUNTS } from "../../../src/core/restore/run-batch";
import { planRestoreRun, type BatchDoc, type DirListDoc, type PlanOptions } from "../../../src/core/restore/run-plan";
import { dir, file, SnapshotBuilder, type Spec } from "./builder";
import { readTree, tempDir } from "./local-target";

const T = 1_600_000_000_000_000;
let repo: Repository;
let builder: SnapshotBuilder;
let work: ReturnType<typeof tempDir>;

beforeEach(async () => {
  repo = await Repository.open(new MemoryObjectStore());
  builder = new SnapshotBuilder(repo);
  work = tempDir("run-plan");
});
afterEach(() => work.remove());

const CORPUS: Spec[] = [
  file("top.txt", "top"),
  dir("a", [file("1.txt", "one"), file("2.txt", "two"), file("3.txt", "three"), dir("b", [file("4.txt", "four"), dir("c", [file("5.txt", "five")], { written: T + 5 })], { written: T + 4 })], { written: T + 3 }),
  dir("empty", [], { written: T + 2 }),
];

async function plan(children: readonly Spec[], into: string, extra: Partial<PlanOptions> = {}) {
  const { manifest } = await builder.snapshot(children);
  const target = await LocalRestoreTarget.open(into);
  const batches: BatchDoc[] = [];
  const lists: DirListDoc[] = [];
  const counts = await planRestoreRun({
    content: repositoryContent(repo), root: manifest.root, target, conflict: "fail", batchItems: 2,
    sink: { putBatch: async (n, d) => void (batches[n] = JSON.parse(JSON.stringify(d)) as BatchDoc), putDirList: async (n, d) => void (lists[n] = JSON.parse(JSON.stringify(d)) as DirListDoc) },
    ...extra,
  });
  return { counts, batches, lists, target, manifest };
}

test("batches in reverse order, then the dir lists last to first, give exactly the engine's restore", async () => {
  const { counts, batches, lists, target } = await plan(CORPUS, join(work.path, "run"));
  expect(counts).toMatchObject({ files: 6, dirs: 4, batches: 5, dirLists: 1 });
  // Walk order, two entries a batch, each with the directories above its first entry, outermost first.
  expect(batches.map((b) => [b.context.map((d) => d.path), b.items.map((i) => i.path)])).toEqual([
    [[], ["top.txt", "a"]],
    [["a"], ["a/1.txt", "a/2.txt"]],
    [["a"], ["a/3.txt", "a/b"]],
    [["a", "a/b"], ["a/b/4.txt", "a/b/c"]],
    [["a", "a/b", "a/b/c"], ["a/b/c/5.txt", "empty"]],
  ]);
  expect(lists[0].dirs.map((d) => d.path)).toEqual(["", "a", "a/b", "a/b/c", "empty"]);
  expect(JSON.stringify(batches)).not.toContain("five");
  let total = ZERO_BATCH_COUNTS;
  const content = repositoryContent(repo);
  for (const b of [...batches].reverse()) total = addBatchCounts(total, await runPlannedBatch({ content, target, conflict: "fail", stamp: "2026-11-28T05-00-00Z" }, b));
  for (const l of [...lists].reverse()) await finalizeDirectories(content, target, l);
  expect(total).toMatchObject({ files: 6, verified: 0, dirsCreated: 4 });

  const { manifest } = await builder.snapshot(CORPUS);
  await restoreSnapshot({ content, root: manifest.root, target: await LocalRestoreTarget.open(join(work.path, "engine")), now: () => 0 });
  expect(readTree(join(work.path, "run"))).toEqual(readTree(join(work.path, "engine")));
  for (const p of ["a", "a/b", "a/b/c", "empty"]) expect(statSync(join(work.path, "run", p)).mtimeMs).toBe(statSync(join(work.path, "engine", p)).mtimeMs);
});

test("conflict fail refuses after the walk, naming every existing path, and writes no batch", async () => {
  const into = join(work.path, "busy");
  const first = await plan(CORPUS, into);
  const content = repositoryContent(repo);
  for (const b of first.batches) await runPlannedBatch({ content, target: first.target, conflict: "fail", stamp: "s" }, b);
  const before = readTree(into);
  let written = 0;
  const again = plan(CORPUS, into, { sink: { putBatch: async () => void written++, putDirList: async () => void written++ } });
  await expect(again).rejects.toThrow(RestoreConflictError);
  await expect(again).rejects.toThrow(/6 path\(s\) already exist.*\n\s+top\.txt\n\s+a\/1\.txt/s);
  expect(written).toBe(0);
  expect(readTree(into)).toEqual(before);
});

test("a selected path not in the snapshot is refused; selected files bring their folders", async () => {
  await expect(plan(CORPUS, join(work.path, "x"), { paths: ["a/nope.txt"] })).rejects.toThrow(SelectionNotFoundError);
  const { counts, batches, lists } = await plan(CORPUS, join(work.path, "y"), { paths: ["a/b/c/5.txt"] });
  expect(counts).toMatchObject({ files: 1, dirs: 3 });
  expect(batches.flatMap((b) => b.items.map((i) => i.path))).toEqual(["a", "a/b", "a/b/c", "a/b/c/5.txt"]);
  // Not selected, but created by the run: they get their properties too.
  expect(lists.flatMap((l) => l.dirs.map((d) => d.path))).toEqual(["a", "a/b", "a/b/c"]);
});
