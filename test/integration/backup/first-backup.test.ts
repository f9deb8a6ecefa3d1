/**
 * A first backup from the File emulator (real Files, Blob and Cosmos SDKs) runs as one pass: it gives
 * the trees and node-index records of the change-set pipeline, permissions and user metadata included,
 * lists each directory of the share snapshot once (the change-set pipeline lists it twice), and the
 * next backup finds nothing to read.
 */
import { indexRecords } from "../../unit/scan/helpers";
import { build, filesOf, newShare, startBackupWorld, type BackupWorld } from "./world";

const ACL = "O:BAG:SYD:P(A;;FA;;;SY)(A;;FA;;;BA)(A;OICI;0x1200a9;;;BU)";

let world: BackupWorld;
beforeAll(async () => {
  world = await startBackupWorld("backup-first");
}, 60_000);
afterAll(async () => {
  await world?.close();
});

test("one pass: the change-set pipeline's trees and records, each directory listed once, nothing left to read", async () => {
  const t = await newShare(world);
  await build(t.share, { "docs/": "", "docs/deep/": "", "empty/": "", "docs/a.txt": "alpha", "docs/deep/b.bin": Buffer.alloc(700_000, 5), "c.txt": "gamma", "zero.txt": "" });
  await t.share.getDirectoryClient("secret").create({ filePermission: ACL, metadata: { owner: "finance" } });
  const tagged = t.share.getDirectoryClient("secret").getFileClient("tagged.txt");
  await tagged.create(6, { filePermission: ACL, metadata: { project: "apollo" } });
  await tagged.uploadRange(Buffer.from("tagged"), 0, 6);

  t.reader.listed.length = 0;
  const streamed = await t.backup({ shareId: `first-s-${process.pid}`, share: `dev.first-s-${process.pid}` });
  const listedOnce = [...t.reader.listed].sort();
  t.reader.listed.length = 0;
  const classic = await t.backup({ shareId: `first-c-${process.pid}`, share: `dev.first-c-${process.pid}`, streamFirstBackup: false });

  expect(listedOnce).toEqual(["", "docs", "docs/deep", "empty", "secret"]);
  expect(t.reader.listed.length).toBe(2 * listedOnce.length);
  expect(streamed.rootTree).toBe(classic.rootTree);
  // The second backup wrote into the same repository: its trees and chunks were there already.
  const same = ({ files, dirs, bytesScanned, bytesRead, added, modified, renamed, moved, deleted, metadataOnly, unstable }: typeof streamed) => ({ files, dirs, bytesScanned, bytesRead, added, modified, renamed, moved, deleted, metadataOnly, unstable });
  expect(same(streamed)).toEqual(same(classic));
  expect(streamed).toMatchObject({ files: 5, dirs: 4, treesWritten: 5, added: 10, bytesRead: 700_016 });
  const a = await indexRecords(world.index, `first-s-${process.pid}`);
  expect(a).toEqual(await indexRecords(world.index, `first-c-${process.pid}`));
  expect(Object.keys(a).sort()).toEqual(["/", "/c.txt", "/docs", "/docs/a.txt", "/docs/deep", "/docs/deep/b.bin", "/empty", "/secret", "/secret/tagged.txt", "/zero.txt"]);

  const repo = await world.repository();
  const root = await repo.getTree(streamed.rootTree);
  const secret = root.directories.find((d) => d.name === "secret")!;
  expect(secret.userMetadata).toEqual({ owner: "finance" });
  expect(secret.permission).toBeDefined();
  const file = (await repo.getTree(secret.tree)).files[0];
  expect(file).toMatchObject({ name: "tagged.txt", size: 6, userMetadata: { project: "apollo" }, permission: secret.permission });
  expect(await filesOf(repo, streamed.rootTree)).toEqual({ "c.txt": 5, "zero.txt": 0, "docs/a.txt": 5, "docs/deep/b.bin": 700_000, "secret/tagged.txt": 6 });

  const opened = t.reader.opened;
  const next = await t.backup({ shareId: `first-s-${process.pid}`, share: `dev.first-s-${process.pid}` });
  expect(next).toMatchObject({ bytesRead: 0, treesWritten: 0, added: 0, metadataOnly: 0, rootTree: streamed.rootTree });
  expect(t.reader.opened).toBe(opened);
}, 60_000);
