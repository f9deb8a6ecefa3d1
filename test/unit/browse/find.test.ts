/** Finding paths across snapshots by name or path glob, reading each distinct tree once. */
import { MemoryObjectStore } from "../../../src/adapters/memory/object-store";
import { findPaths, globRegExp } from "../../../src/core/browse/find";
import { Repository } from "../../../src/core/repository/repository";
import { dir, file, SnapshotBuilder } from "../restore/builder";

test("globs: * stays within a name, ** crosses directories, ? is one character, the rest is literal", () => {
  expect(globRegExp("*.txt").test("a.txt")).toBe(true);
  expect(globRegExp("*.txt").test("a/b.txt")).toBe(false);
  expect(globRegExp("docs/**/*.md").test("docs/x/y/z.md")).toBe(true);
  expect(globRegExp("r?port(1).txt").test("report(1).txt")).toBe(true);
  expect(globRegExp("a.b").test("axb")).toBe(false);
  expect(() => globRegExp("")).toThrow(/empty/);
});

test("finds every snapshot holding a match, with size and time", async () => {
  const repo = await Repository.open(new MemoryObjectStore());
  const b = new SnapshotBuilder(repo);
  const shared = dir("shared", [file("report.txt", "12345", { id: 5 })], { id: 4 });
  const s1 = await b.snapshot([shared, file("top.txt", "t", { id: 6 })], "one", 1, { id: 3 });
  const s2 = await b.snapshot([shared, dir("docs", [file("report.md", "md", { id: 8 })], { id: 7 })], "one", 2, { id: 3 });
  await b.snapshot([file("report.txt", "other share", { id: 9 })], "two", 3);
  let reads = 0;
  const counting = { listSnapshots: (s?: string) => repo.listSnapshots(s), getSnapshot: repo.getSnapshot.bind(repo), getTree: (id: string) => (reads++, repo.getTree(id)) };
  const byName = await findPaths(counting, "report.*", "one");
  expect(byName.map((m) => [m.snapshot.id, m.path, m.size])).toEqual([
    [s1.ref.id, "shared/report.txt", 5],
    [s2.ref.id, "docs/report.md", 2],
    [s2.ref.id, "shared/report.txt", 5],
  ]);
  expect(reads).toBe(4); // the shared subtree (same tree id in both snapshots) was read once
  const everywhere = await findPaths(repo, "report.txt");
  expect(everywhere.map((m) => `${m.snapshot.share}:${m.path}`)).toEqual(["one:shared/report.txt", "one:shared/report.txt", "two:report.txt"]);
  expect((await findPaths(repo, "/docs/*", "one")).map((m) => m.path)).toEqual(["docs/report.md"]);
  expect(await findPaths(repo, "nothing*")).toEqual([]);
});
