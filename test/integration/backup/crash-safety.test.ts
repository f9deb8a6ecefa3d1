/**
 * Crash safety on the local stack with the real SDKs: a backup of an emulator share aborted after
 * each phase (an injected hook), then run again, ends with the root tree of an uninterrupted backup,
 * and the run after that reads nothing.
 */
import { runBackup } from "../../../src/core/backup/backup";
import { BACKUP_PHASES } from "../../../src/core/backup/model";
import { build, newShare, startBackupWorld, type BackupWorld } from "./world";
import { fileSpool } from "../../helpers/record-spools";

let world: BackupWorld;
beforeAll(async () => {
  world = await startBackupWorld("backup-crash");
}, 60_000);
afterAll(async () => {
  await world?.close();
});

test.each(BACKUP_PHASES.filter((p) => p !== "cleanup"))("aborted after %s, rerun: the same root tree as an uninterrupted backup", async (phase) => {
  const t = await newShare(world);
  await build(t.share, { "docs/": "", "docs/deep/": "", "docs/deep/x.bin": Buffer.alloc(70_000, 1), "docs/a.txt": "alpha", "old/": "", "old/o.txt": "old", "z.txt": "zed" });
  await t.backup();
  await build(t.share, { "docs/deep/x.bin": Buffer.alloc(70_000, 2), "docs/new.txt": "new" });
  await t.share.getDirectoryClient("old").rename("docs/moved");
  await t.share.rootDirectoryClient.getFileClient("z.txt").delete();

  const crash = new Error(`crash after ${phase}`);
  await expect(t.backup({ afterPhase: (p) => { if (p === phase) throw crash; } })).rejects.toBe(crash);
  const rerun = await t.backup();
  const reference = await runBackup({ recordSpool: fileSpool, share: `ref.${t.share.name}`, shareId: `ref-${phase}`, reader: t.reader, index: world.index, repository: await world.repository(), now: () => 1 });
  expect(rerun.rootTree).toBe(reference.rootTree);
  expect(rerun.files).toBe(4);
  expect(await t.backup()).toMatchObject({ bytesRead: 0, treesWritten: 0, rootTree: rerun.rootTree });
}, 60_000);
