/**
 * Crash safety: a backup aborted at every phase boundary, or in the middle of its index update, and
 * then run again, ends exactly where an uninterrupted backup ends (same root tree id), and the run
 * after that finds nothing to read. Also: the index rebuilt from the latest snapshot when it is lost,
 * and an `index sync` between two backups (tree ids dropped below unchanged ancestors) is caught.
 */
import { rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { MemoryNodeIndex } from "../../../src/adapters/memory/node-index";
import { BACKUP_PHASES } from "../../../src/core/backup/model";
import { Repository } from "../../../src/core/repository/repository";
import { rebuildIndex } from "../../../src/core/backup/index-rebuild";
import { CountingIndex, dumpIndex, sync } from "../scan/helpers";
import { freshRootTree, newWorld, type World } from "./world";

let world: World;
beforeEach(async () => {
  world = await newWorld();
  await world.write("a.txt", "alpha");
  await world.write("docs/readme.md", "read me");
  await world.write("docs/deep/deeper/x.bin", Buffer.alloc(50_000, 7));
  for (let i = 0; i < 30; i++) await world.write(`big/f${i}.txt`, `file number ${i}`);
});
afterEach(() => world.close());

async function change(): Promise<void> {
  await world.write("docs/deep/deeper/x.bin", Buffer.alloc(50_000, 8));
  await world.write("docs/deep/new.txt", "new");
  await rename(join(world.root, "big"), join(world.root, "docs", "big2"));
  await rm(join(world.root, "a.txt"));
}

test.each(BACKUP_PHASES.filter((p) => p !== "cleanup"))("a backup aborted after phase %s, rerun, equals an uninterrupted one", async (phase) => {
  await world.backup();
  await change();
  const crash = new Error(`crash after ${phase}`);
  await expect(world.backup({ afterPhase: (p) => { if (p === phase) throw crash; } })).rejects.toBe(crash);
  const rerun = await world.backup();
  expect(rerun.rootTree).toBe(await freshRootTree(world));
  const after = await world.backup();
  expect(after).toMatchObject({ bytesRead: 0, treesWritten: 0, rootTree: rerun.rootTree });
});

test.each([0, 1, 2])("a backup whose index update dies after %i bulk writes, rerun, equals an uninterrupted one", async (bulks) => {
  const counting = new CountingIndex(world.index);
  world.index = counting;
  await world.backup();
  await change();
  counting.reset();
  counting.failAfter = bulks;
  await expect(world.backup()).rejects.toThrow(/simulated crash/);
  counting.failAfter = undefined;
  const rerun = await world.backup();
  expect(rerun.rootTree).toBe(await freshRootTree(world));
  expect(await world.backup()).toMatchObject({ bytesRead: 0, treesWritten: 0, rootTree: rerun.rootTree });
});

test("a lost index is rebuilt from the latest snapshot: nothing is read again", async () => {
  const first = await world.backup();
  const before = await dumpIndex(world.index, "t1");
  world.index = new MemoryNodeIndex();
  const second = await world.backup();
  expect(second).toMatchObject({ indexRebuilt: true, bytesRead: 0, treesWritten: 0, rootTree: first.rootTree });
  expect(await dumpIndex(world.index, "t1")).toEqual(before);
});

test("rebuildIndex replaces whatever the index held with the snapshot's records", async () => {
  const first = await world.backup();
  const expected = await dumpIndex(world.index, "t1");
  await change();
  await sync({ shareId: "t1", reader: world.reader, index: new CountingIndex(world.index) });
  const repository = await Repository.open(world.store);
  const refs = [];
  for await (const r of repository.listSnapshots("local-test")) refs.push(r);
  const manifest = await repository.getSnapshot(refs[0]);
  expect(manifest.root.tree).toBe(first.rootTree);
  const result = await rebuildIndex(repository, world.index, "t1", manifest);
  expect(result.written).toBe(Object.keys(expected).length);
  expect(await dumpIndex(world.index, "t1")).toEqual(expected);
});

test("changes applied by `index sync` between two backups are still backed up", async () => {
  await world.backup();
  await change();
  await sync({ shareId: "t1", reader: world.reader, index: new CountingIndex(world.index) });
  const s = await world.backup();
  expect(s.rootTree).toBe(await freshRootTree(world));
  expect(s.bytesRead).toBe(50_000 + 3);
  expect((await world.backup()).bytesRead).toBe(0);
});

test("an index that names trees a fresh repository lacks is rebuilt (emptied), never trusted", async () => {
  await world.backup();
  world.store = new (world.store.constructor as new () => typeof world.store)();
  const s = await world.backup();
  expect(s.indexRebuilt).toBe(true);
  expect(s.bytesRead).toBe(s.bytesScanned);
  expect(s.rootTree).toBe(await freshRootTree(world));
});
