/**
 * The backup engine on the File emulator with the real SDKs (Files, Blob, Cosmos): reads from a share
 * snapshot, full then incremental reading only changed content, live writes during a backup stay out
 * of its snapshot, and the lease lock keeps a second backup of the share out. (The 10,000-file rename
 * is in rename-10k.test.ts.)
 */
import { BackupLockedError } from "../../../src/core/backup/model";
import { build, filesOf, newShare, startBackupWorld, type BackupWorld } from "./world";

let world: BackupWorld;
beforeAll(async () => {
  world = await startBackupWorld("backup-emulator");
}, 60_000);
afterAll(async () => {
  await world?.close();
});

test("full then incremental: only changed content is read, from a share snapshot that housekeeping rotates", async () => {
  const t = await newShare(world);
  await build(t.share, { "docs/": "", "docs/a.txt": "alpha", "docs/b.bin": Buffer.alloc(300_000, 1), "c.txt": "gamma" });
  const first = await t.backup();
  expect(first).toMatchObject({ files: 3, dirs: 1, bytesRead: 300_010, bytesScanned: 300_010 });
  expect(first.shareSnapshot).toEqual(expect.any(String));

  await build(t.share, { "docs/a.txt": "alpha, changed" });
  const second = await t.backup();
  expect(second).toMatchObject({ modified: 1, added: 0, bytesRead: 14, files: 3 });
  expect(second.shareSnapshot).not.toBe(first.shareSnapshot);
  expect(second.shareSnapshotsDeleted).toBe(1);
  const third = await t.backup();
  expect(third).toMatchObject({ bytesRead: 0, treesWritten: 0, rootTree: second.rootTree });

  const listed: string[] = [];
  for await (const s of world.service.listShares({ includeSnapshots: true, prefix: t.share.name })) if (s.snapshot) listed.push(s.snapshot);
  expect(listed).toEqual([third.shareSnapshot]);
  expect(await filesOf(await world.repository(), third.rootTree)).toEqual({ "c.txt": 5, "docs/a.txt": 14, "docs/b.bin": 300_000 });
}, 60_000);

test("writes to the live share during a backup do not appear in its snapshot", async () => {
  const t = await newShare(world);
  await build(t.share, { "a.txt": "before", "d/": "", "d/b.txt": "bee" });
  await t.backup();
  await build(t.share, { "a.txt": "changed" });
  const s = await t.backup({
    afterPhase: async (phase) => {
      if (phase === "snapshot") await build(t.share, { "a.txt": "changed again, longer", "late.txt": "too late", "d/b.txt": "BEE" });
      if (phase === "scan") await t.share.getDirectoryClient("d").getFileClient("b.txt").delete();
    },
  });
  expect(s).toMatchObject({ modified: 1, added: 0, bytesRead: 7, unstable: [] });
  expect(await filesOf(await world.repository(), s.rootTree)).toEqual({ "a.txt": 7, "d/b.txt": 3 });
  const next = await t.backup();
  expect(await filesOf(await world.repository(), next.rootTree)).toEqual({ "a.txt": 21, "late.txt": 8 });
}, 60_000);

test("a second backup of the same share while one runs is refused, naming the share", async () => {
  const t = await newShare(world);
  await build(t.share, { "a.txt": "x" });
  let release: () => void = () => undefined;
  const gate = new Promise<void>((r) => (release = r));
  const running = t.backup({ afterPhase: (p) => (p === "scan" ? gate : undefined) });
  await new Promise((r) => setTimeout(r, 300));
  const second = t.backup();
  await expect(second).rejects.toThrow(BackupLockedError);
  await expect(second).rejects.toThrow(new RegExp(`another backup of share dev\\.${t.share.name} is running`));
  release();
  await expect(running).resolves.toMatchObject({ files: 1 });
  await expect(t.backup()).resolves.toMatchObject({ bytesRead: 0 });
}, 60_000);
