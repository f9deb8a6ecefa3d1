/** Per-file history across a modification, a rename, a move of its directory, a delete and re-create. */
import { MemoryObjectStore } from "../../../src/adapters/memory/object-store";
import { fileHistory } from "../../../src/core/browse/history";
import { Repository } from "../../../src/core/repository/repository";
import { SelectionNotFoundError } from "../../../src/core/restore/errors";
import { dir, file, SnapshotBuilder } from "../restore/builder";

test("follows one file by FileId through renames and moves, newest path given", async () => {
  const repo = await Repository.open(new MemoryObjectStore());
  const b = new SnapshotBuilder(repo);
  const other = file("other.txt", "o", { id: 50 });
  const t = (n: number) => 1_780_000_000_000 + n * 1000;
  await b.snapshot([other], "s", t(0));
  await b.snapshot([other, dir("docs", [file("report.txt", "v1", { id: 11 })], { id: 1 })], "s", t(1));
  await b.snapshot([other, dir("docs", [file("report.txt", "v2", { id: 11 })], { id: 1 })], "s", t(2));
  await b.snapshot([other, dir("docs", [file("final.txt", "v2", { id: 11 })], { id: 1 })], "s", t(3));
  await b.snapshot([other, dir("archive", [dir("docs", [file("final.txt", "v2", { id: 11 })], { id: 1 })], { id: 2 })], "s", t(4));
  await b.snapshot([other, dir("archive", [dir("docs", [file("final.txt", "v3", { id: 99 })], { id: 1 })], { id: 2 })], "s", t(5));
  await b.snapshot([other, dir("archive", [dir("docs", [file("final.txt", "v3", { id: 99 })], { id: 1 })], { id: 2 })], "s", t(6));
  await b.snapshot([other], "s", t(7));

  const h = await fileHistory(repo, "s", "archive/docs/final.txt");
  expect(h.map((v) => [v.snapshot.time - t(0), v.path, v.event, v.size])).toEqual([
    [1000, "docs/report.txt", "added", 2],
    [2000, "docs/report.txt", "modified", 2],
    [3000, "docs/final.txt", "renamed", 2],
    [4000, "archive/docs/final.txt", "moved", 2],
    [5000, "archive/docs/final.txt", "replaced", 2],
    [6000, "archive/docs/final.txt", "unchanged", 2],
  ]);
  expect(h[4].fileId).toBe("99");
  await expect(fileHistory(repo, "s", "never/there.txt")).rejects.toThrow(SelectionNotFoundError);
});
