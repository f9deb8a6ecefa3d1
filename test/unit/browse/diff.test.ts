/** Snapshot diffs across a rename, a move, a delete and re-create, metadata changes and moved directories. */
import { MemoryObjectStore } from "../../../src/adapters/memory/object-store";
import { diffSnapshots } from "../../../src/core/browse/diff";
import { Repository } from "../../../src/core/repository/repository";
import { dir, file, SnapshotBuilder } from "../restore/builder";

test("names every kind of change, pairing renames and moves by FileId", async () => {
  const repo = await Repository.open(new MemoryObjectStore());
  const b = new SnapshotBuilder(repo);
  const before = await b.snapshot([
    dir("docs", [file("report.txt", "v1", { id: 11 }), file("notes.txt", "n", { id: 12 })], { id: 1 }),
    file("old-name.txt", "r", { id: 13 }),
    file("tomove.txt", "m", { id: 14 }),
    file("deleted.txt", "x", { id: 15 }),
    file("recreate.txt", "1", { id: 16 }),
    file("meta.txt", "meta", { id: 17, attributes: 0x20 }),
    dir("projects", [dir("sub", [file("deep.txt", "d", { id: 18 })], { id: 3 })], { id: 2 }),
    dir("gone-dir", [file("escapee.txt", "e", { id: 19 }), file("lost.txt", "l", { id: 20 })], { id: 4 }),
  ]);
  const after = await b.snapshot([
    dir("documents", [file("report.txt", "v2", { id: 11 }), file("notes.txt", "n", { id: 12 })], { id: 1 }),
    file("new-name.txt", "r", { id: 13 }),
    dir("projects", [dir("sub", [file("deep.txt", "d", { id: 18 })], { id: 3 }), file("tomove.txt", "m", { id: 14 })], { id: 2 }),
    file("recreate.txt", "2", { id: 21 }),
    file("meta.txt", "meta", { id: 17, attributes: 0x21 }),
    file("escapee.txt", "e", { id: 19 }),
    file("added.txt", "a", { id: 22 }),
    dir("new-dir", [file("inner.txt", "i", { id: 23 })], { id: 5 }),
  ]);
  const reads: string[] = [];
  const content = { getTree: (id: string) => (reads.push(id), repo.getTree(id)) };
  const d = await diffSnapshots(content, before.manifest.root, after.manifest.root);
  expect(d.renamed).toEqual([
    { from: "docs", to: "documents", type: "dir" },
    { from: "old-name.txt", to: "new-name.txt", type: "file" },
  ]);
  expect(d.moved).toEqual([
    { from: "tomove.txt", to: "projects/tomove.txt", type: "file" },
    { from: "gone-dir/escapee.txt", to: "escapee.txt", type: "file" },
  ]);
  expect(d.modified).toEqual([
    { path: "recreate.txt", sizeBefore: 1, sizeAfter: 1 },
    { path: "documents/report.txt", sizeBefore: 2, sizeAfter: 2 },
  ]);
  expect(d.metadataOnly).toEqual([{ path: "meta.txt", type: "file", changed: ["attributes"] }]);
  expect(d.removed).toEqual([
    { path: "deleted.txt", type: "file", size: 1 },
    { path: "gone-dir", type: "dir", size: 2 },
    { path: "gone-dir/lost.txt", type: "file", size: 1 },
  ]);
  expect(d.added).toEqual([
    { path: "added.txt", type: "file", size: 1 },
    { path: "new-dir", type: "dir", size: 1 },
    { path: "new-dir/inner.txt", type: "file", size: 1 },
  ]);
  const projects = (await repo.getTree(before.manifest.root.tree)).directories.find((x) => x.name === "projects")!;
  const sub = (await repo.getTree(projects.tree)).directories[0];
  expect(reads).toContain(projects.tree);
  expect(reads).not.toContain(sub.tree);
});

test("an identical snapshot costs no tree read", async () => {
  const repo = await Repository.open(new MemoryObjectStore());
  const b = new SnapshotBuilder(repo);
  const a = await b.snapshot([dir("x", [file("y", "z", { id: 2 })], { id: 1 })], "share", 1, { id: 9 });
  let reads = 0;
  const d = await diffSnapshots({ getTree: (id) => (reads++, repo.getTree(id)) }, a.manifest.root, a.manifest.root);
  expect(reads).toBe(0);
  expect(d).toEqual({ added: [], removed: [], modified: [], metadataOnly: [], renamed: [], moved: [] });
});
