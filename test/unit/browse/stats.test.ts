/** Snapshot and repository sizes, with shared content counted once. */
import { MemoryObjectStore } from "../../../src/adapters/memory/object-store";
import { repositoryStats, snapshotStats } from "../../../src/core/browse/stats";
import { Repository } from "../../../src/core/repository/repository";
import { dir, file, SnapshotBuilder } from "../restore/builder";

test("counts logical bytes once per file and stored bytes once per distinct chunk", async () => {
  const repo = await Repository.open(new MemoryObjectStore());
  const b = new SnapshotBuilder(repo);
  const same = Buffer.alloc(3000, 1);
  const first = await b.snapshot([file("a", same), dir("copy", [file("a", same), file("b", "unique")]), file("empty", "")], "share", 1);
  const s = await snapshotStats(repo, first.manifest.root);
  expect(s).toEqual({ files: 4, directories: 1, logicalBytes: 6006, chunks: 2, chunkBytes: 3006, dedupRatio: 6006 / 3006 });

  await b.snapshot([file("a", same)], "other", 2);
  const r = await repositoryStats(repo);
  expect(r).toMatchObject({ snapshots: 2, shares: 2, logicalBytes: 9006, packs: 1 });
  expect(r.storedBytes).toBeGreaterThanOrEqual(3006);
  expect(r.dedupRatio).toBeCloseTo(9006 / r.storedBytes, 6);
  expect(await snapshotStats(repo, (await b.snapshot([], "empty", 3)).manifest.root)).toMatchObject({ files: 0, chunkBytes: 0, dedupRatio: 0 });
});
