/**
 * How many trees `fileHistory` reads: only those on the file's path, none below a directory whose tree
 * id did not change, and a tree diff only for a move to another directory. Counted by a wrapper that
 * sees every getTree call that reaches the repository.
 */
import { MemoryObjectStore } from "../../../src/adapters/memory/object-store";
import { fileHistory, type HistorySource } from "../../../src/core/browse/history";
import { Repository } from "../../../src/core/repository/repository";
import { dir, file, SnapshotBuilder, type Spec } from "../restore/builder";

const t = (n: number) => 1_780_000_000_000 + n * 1000;
// A share root keeps its FileId, and a tree records its parent's: a fixed root id keeps unchanged trees identical.
const ROOT = { id: 1000 };

function counting(repo: Repository): HistorySource & { treeReads: number } {
  const source = {
    treeReads: 0,
    listSnapshots: (share: string) => repo.listSnapshots(share),
    getSnapshot: (ref: Parameters<Repository["getSnapshot"]>[0]) => repo.getSnapshot(ref),
    getTree: (id: string) => {
      source.treeReads++;
      return repo.getTree(id);
    },
  };
  return source;
}

/** a/b/c/d/e/target.txt (five directories deep) beside `sibling`, placed under the first `siblingDepth` directories. */
function world(snapshot: number, siblingDepth: number, targetData = "same"): Spec[] {
  const sibling = dir("sibling", [file("changes.txt", `version ${snapshot}`, { id: 900 })], { id: 90 });
  const names = ["a", "b", "c", "d", "e"];
  const build = (level: number): Spec[] => {
    const here: Spec[] = level === siblingDepth ? [sibling] : [];
    if (level === names.length) return [...here, file("target.txt", targetData, { id: 77 })];
    return [...here, dir(names[level], build(level + 1), { id: level + 1 })];
  };
  return build(0);
}

test.each([
  [0, 1],
  [2, 3],
  [5, 6],
])("20 snapshots where a sibling subtree at depth %i changes each time: %i tree read(s) per step back", async (siblingDepth, perStep) => {
  const repo = await Repository.open(new MemoryObjectStore());
  const b = new SnapshotBuilder(repo);
  for (let s = 0; s < 20; s++) await b.snapshot(world(s, siblingDepth, s === 10 ? "changed" : s > 10 ? "changed" : "same"), "s", t(s), ROOT);
  const source = counting(repo);
  let reported = -1;
  const h = await fileHistory(source, "s", "a/b/c/d/e/target.txt", { onTreeReads: (n) => (reported = n) });
  expect(h).toHaveLength(20);
  expect(h[0].event).toBe("added");
  expect(h[10].event).toBe("modified");
  expect(h.filter((v) => v.event === "unchanged")).toHaveLength(18);
  // Six trees (root and five directories) to find it in the newest snapshot, then only the changed
  // ancestors; the one step where the file itself changed reads its whole path (six trees).
  expect(source.treeReads).toBe(6 + 18 * perStep + 6);
  expect(reported).toBe(source.treeReads);
});

test("an unchanged snapshot costs no tree read, whatever the depth", async () => {
  const repo = await Repository.open(new MemoryObjectStore());
  const b = new SnapshotBuilder(repo);
  for (let s = 0; s < 5; s++) await b.snapshot(world(0, 3), "s", t(s), ROOT);
  const source = counting(repo);
  const h = await fileHistory(source, "s", "a/b/c/d/e/target.txt");
  expect(h.map((v) => v.event)).toEqual(["added", "unchanged", "unchanged", "unchanged", "unchanged"]);
  expect(source.treeReads).toBe(6);
});

test("renames of the file and of a directory are followed by FileId in the trees on the path; a move costs one diff", async () => {
  const repo = await Repository.open(new MemoryObjectStore());
  const b = new SnapshotBuilder(repo);
  const other = (n: number) => file("other.txt", `o${n}`, { id: 50 });
  await b.snapshot([other(0), dir("docs", [file("report.txt", "v1", { id: 11 })], { id: 1 })], "s", t(0), ROOT);
  await b.snapshot([other(1), dir("docs", [file("report.txt", "v2", { id: 11 })], { id: 1 })], "s", t(1), ROOT);
  await b.snapshot([other(2), dir("docs", [file("final.txt", "v2", { id: 11 })], { id: 1 })], "s", t(2), ROOT);
  await b.snapshot([other(3), dir("papers", [file("final.txt", "v2", { id: 11 })], { id: 1 })], "s", t(3), ROOT);
  await b.snapshot([other(4), dir("archive", [dir("papers", [file("final.txt", "v2", { id: 11 })], { id: 1 })], { id: 2 })], "s", t(4), ROOT);
  const source = counting(repo);
  const h = await fileHistory(source, "s", "archive/papers/final.txt");
  expect(h.map((v) => [v.snapshot.time - t(0), v.path, v.event])).toEqual([
    [0, "docs/report.txt", "added"],
    [1000, "docs/report.txt", "modified"],
    [2000, "docs/final.txt", "renamed"],
    [3000, "papers/final.txt", "moved"],
    [4000, "archive/papers/final.txt", "moved"],
  ]);
  expect(h.every((v) => v.fileId === "11")).toBe(true);
  // Newest: root, archive, papers (3). Moved out of archive: root of t3, then the diff of the two
  // roots, which expands papers@t3 (the newer trees are cached) = 2. Directory renamed: root of t2,
  // where docs has papers' FileId and the same tree id (a tree does not hold its own name) = 1. File
  // renamed: root of t1 and docs@t1 = 2. Modified: root of t0 and docs@t0 = 2.
  expect(source.treeReads).toBe(3 + 2 + 1 + 2 + 2);
});

test("deleted and re-created: the same name with a new FileId continues as 'replaced'; a gap ends the history", async () => {
  const repo = await Repository.open(new MemoryObjectStore());
  const b = new SnapshotBuilder(repo);
  const deep = (f: Spec[]) => [dir("x", [dir("y", f, { id: 2 })], { id: 1 })];
  await b.snapshot(deep([file("f.txt", "one", { id: 10 })]), "s", t(0), ROOT);
  await b.snapshot(deep([]), "s", t(1), ROOT);
  await b.snapshot(deep([file("f.txt", "two", { id: 11 })]), "s", t(2), ROOT);
  await b.snapshot(deep([file("f.txt", "three", { id: 12 })]), "s", t(3), ROOT);
  await b.snapshot(deep([file("f.txt", "three", { id: 12 })]), "s", t(4), ROOT);
  const source = counting(repo);
  const h = await fileHistory(source, "s", "x/y/f.txt");
  expect(h.map((v) => [v.snapshot.time - t(0), v.event, v.fileId])).toEqual([
    [2000, "added", "11"],
    [3000, "replaced", "12"],
    [4000, "unchanged", "12"],
  ]);
  // Newest: 3 trees; t3 is identical (0); t2: root, x, y (3); t1: root, x, y (3), then the diff that
  // confirms the file was added (all six trees cached).
  expect(source.treeReads).toBe(3 + 0 + 3 + 3);
});
