/**
 * Renaming and then moving a directory of 10,000 files: O(1) index writes, no content read, and the
 * subtree comes out unchanged (its children are filed under the directory's FileId).
 */
import { countsOf, pathsOf } from "../../unit/scan/helpers";
import { build, bulkFiles, newShare, startWorld, syncShare, type ScanWorld } from "./fixture";

let world: ScanWorld;
beforeAll(async () => {
  world = await startWorld("rename10k");
}, 60_000);
afterAll(async () => {
  await world?.close();
});

test("a directory of 10,000 files renamed, then moved: 1-2 writes each, 0 bytes read", async () => {
  const { share, reader, shareId } = await newShare(world);
  await build(share, { "projects/": "", "archive/": "" });
  bulkFiles(world, share.name, "projects/big", 10_000);
  const first = await syncShare(world, reader, shareId, 4);
  expect(first.cs.stats.files).toBe(10_000);
  expect(first.cs.stats.added).toBe(10_004);

  await share.getDirectoryClient("projects/big").rename("projects/huge");
  const renamed = await syncShare(world, reader, shareId, 4);
  expect(countsOf(renamed.cs)).toMatchObject({ renamed: 1, added: 0, deleted: 0, moved: 0, modified: 0 });
  expect(pathsOf(renamed.cs, "renamed")).toEqual(["projects/huge"]);
  expect(renamed.writes).toBeGreaterThanOrEqual(1);
  expect(renamed.writes).toBeLessThanOrEqual(2);

  await share.getDirectoryClient("projects/huge").rename("archive/huge");
  const moved = await syncShare(world, reader, shareId, 4);
  expect(countsOf(moved.cs)).toMatchObject({ moved: 1, added: 0, deleted: 0, renamed: 0, modified: 0 });
  // Delete at the old parent + upsert at the new one, plus at most the two parents' own times.
  expect(moved.writes).toBeLessThanOrEqual(4);

  expect(reader.opened).toBe(0);
  expect(reader.bytesRead).toBe(0);
}, 120_000);
