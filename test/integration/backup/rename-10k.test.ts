/**
 * A renamed directory of 10,000 files on the File emulator: the backup after the rename reads no
 * content and keeps the directory's tree (only its parent and the root are sealed again).
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DEV_ACCOUNT_NAME } from "../../../src/local/stack";
import { build, newShare, startBackupWorld, type BackupWorld } from "./world";

let world: BackupWorld;
beforeAll(async () => {
  world = await startBackupWorld("backup-rename");
}, 60_000);
afterAll(async () => {
  await world?.close();
});

test("a renamed directory of 10,000 files: 0 content bytes read, its tree reused", async () => {
  const t = await newShare(world);
  await build(t.share, { "projects/": "", "other.txt": "x" });
  const abs = join(world.stack.dataDir, "files", DEV_ACCOUNT_NAME, t.share.name, "projects", "big");
  mkdirSync(abs, { recursive: true });
  for (let i = 0; i < 10_000; i++) writeFileSync(join(abs, `file-${String(i).padStart(5, "0")}.txt`), `content ${i}`);
  const first = await t.backup({ concurrency: { listings: 8, reads: 32 } });
  expect(first.files).toBe(10_001);
  const repo = await world.repository();
  const bigTree = async (root: string, path: string[]) => {
    let id = root;
    for (const name of path) id = (await repo.getTree(id)).directories.find((d) => d.name === name)!.tree;
    return id;
  };
  const before = await bigTree(first.rootTree, ["projects", "big"]);

  await t.share.getDirectoryClient("projects/big").rename("projects/huge");
  const opened = t.reader.opened;
  const read = t.reader.bytesRead;
  const renamed = await t.backup();
  expect(renamed).toMatchObject({ renamed: 1, bytesRead: 0, chunksNew: 0, files: 10_001 });
  expect(t.reader.opened - opened).toBe(0);
  expect(t.reader.bytesRead - read).toBe(0);
  // The projects directory and the root are sealed again; the big one keeps its tree.
  expect(renamed.treesWritten).toBe(2);
  expect(await bigTree(renamed.rootTree, ["projects", "huge"])).toBe(before);
}, 120_000);
