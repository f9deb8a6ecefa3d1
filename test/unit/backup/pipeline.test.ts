/**
 * The backup pipeline over a local directory (live source), the in-memory index and object store:
 * full then incremental, only changed content read, renames and moves read nothing and reuse trees,
 * the manifest records a live read, and the lock keeps two backups of one share apart.
 */
import { chmod, rename, rm } from "node:fs/promises";
import { join } from "node:path";
import { Repository } from "../../../src/core/repository/repository";
import { BackupLockedError } from "../../../src/core/backup/model";
import { freshRootTree, newWorld, type World } from "./world";

let world: World;
beforeEach(async () => {
  world = await newWorld();
  await world.write("a.txt", "alpha");
  await world.write("docs/readme.md", "read me");
  await world.write("docs/deep/x.bin", Buffer.alloc(100_000, 7));
  for (let i = 0; i < 200; i++) await world.write(`big/f${i}.txt`, `file number ${i}`);
});
afterEach(() => world.close());

test("a first backup reads everything, a second with nothing changed reads nothing and writes no tree", async () => {
  const first = await world.backup();
  expect(first).toMatchObject({ files: 203, dirs: 3, shareSnapshot: null, added: 207 });
  expect(first.bytesRead).toBe(first.bytesScanned);
  expect(first.treesWritten).toBe(4);
  const second = await world.backup();
  expect(second).toMatchObject({ bytesRead: 0, treesWritten: 0, chunksNew: 0, files: 203, dirs: 3, rootTree: first.rootTree });
  expect(second.snapshotId).not.toBe(first.snapshotId);
  const repo = await Repository.open(world.store);
  const refs = [];
  for await (const r of repo.listSnapshots("local-test")) refs.push(r);
  expect(refs).toHaveLength(2);
  const manifest = await repo.getSnapshot(refs[1]);
  expect(manifest.shareSnapshot).toBeUndefined();
  expect(manifest.parent).toBe(refs[0].id);
  expect(manifest.root.tree).toBe(first.rootTree);
});

test("a modified file is the only content read; the result equals a fresh full backup", async () => {
  await world.backup();
  await world.write("docs/readme.md", "read me, changed");
  const opened = world.reader.opened;
  const s = await world.backup();
  expect(s.bytesRead).toBe(Buffer.byteLength("read me, changed"));
  expect(world.reader.opened - opened).toBe(1);
  expect(s).toMatchObject({ modified: 1, added: 0 });
  expect(s.rootTree).toBe(await freshRootTree(world));
  expect((await world.backup()).bytesRead).toBe(0);
});

test("renaming and moving directories reads no content and reuses the moved subtrees", async () => {
  const first = await world.backup();
  await rename(join(world.root, "big"), join(world.root, "huge"));
  await rename(join(world.root, "docs", "deep"), join(world.root, "deeper"));
  const s = await world.backup();
  expect(s.bytesRead).toBe(0);
  expect(s.chunksNew).toBe(0);
  expect(s).toMatchObject({ renamed: 1, moved: 1, files: 203 });
  // Root, docs and the moved directory itself (its tree names its parent) are sealed again; the
  // renamed 200-file directory keeps its tree.
  expect(s.treesWritten).toBe(3);
  expect(s.rootTree).not.toBe(first.rootTree);
  expect(s.rootTree).toBe(await freshRootTree(world));
});

test("deleting files and directories, changing a mode: only the new file read, result equals a fresh backup", async () => {
  await world.backup();
  await rm(join(world.root, "docs", "deep"), { recursive: true });
  await rm(join(world.root, "big", "f7.txt"));
  await chmod(join(world.root, "a.txt"), 0o600);
  await world.write("docs/new.txt", "new");
  const s = await world.backup();
  expect(s.bytesRead).toBe(3);
  expect(s.added).toBe(1);
  expect(s.deleted).toBeGreaterThanOrEqual(2);
  expect(s.files).toBe(202);
  expect(s.rootTree).toBe(await freshRootTree(world));
});

test("the same file content twice is stored once", async () => {
  await world.write("copy.bin", Buffer.alloc(100_000, 7));
  const s = await world.backup();
  expect(s.bytesNew).toBeLessThan(s.bytesRead);
});

test("a second backup of the same share while one runs fails with a clear error", async () => {
  let release: () => void = () => undefined;
  const blocked = new Promise<void>((r) => (release = r));
  const running = world.backup({ afterPhase: async (p) => (p === "scan" ? blocked : undefined) });
  await new Promise((r) => setTimeout(r, 50));
  await expect(world.backup()).rejects.toThrow(BackupLockedError);
  await expect(world.backup()).rejects.toThrow(/another backup of share local-test is running/);
  release();
  await running;
  await expect(world.backup()).resolves.toMatchObject({ bytesRead: 0 });
});
