/**
 * Changed-range reads on the File emulator with the real SDK: a modified large file whose previous
 * share snapshot still exists is read only around its changed ranges (Get Ranges with
 * prevsharesnapshot), and the snapshot equals a full read's. 64 MiB rather than the 256 MiB
 * keeps the upload through the SDK short; the bytes read do not grow with the file size.
 */
import { randomFillSync } from "node:crypto";
import { runBackup } from "../../../src/core/backup/backup";
import { build, startBackupWorld, type BackupWorld } from "./world";
import { RangeDiffShareReader } from "./range-diff-reader";
import { fileSpool } from "../../helpers/record-spools";
import { seededFill, seededState } from "../../helpers/seeded-bytes";

const MiB = 2 ** 20;
let world: BackupWorld;
beforeAll(async () => {
  world = await startBackupWorld("backup-ranges");
}, 60_000);
afterAll(async () => {
  await world?.close();
});

test("1 MiB modified inside a 64 MiB file: bytes read well under its size, same result as a full read", async () => {
  const share = world.service.getShareClient(`ranges-${process.pid}`);
  await share.create();
  await build(share, { "small.txt": "s" });
  const file = share.rootDirectoryClient.getFileClient("big.bin");
  const size = 64 * MiB;
  await file.create(size);
  const block = Buffer.alloc(4 * MiB);
  // Seeded: the bytes read depend on where the content's cut points fall (see seeded-bytes.ts).
  const state = seededState(1);
  for (let at = 0; at < size; at += block.length) await file.uploadRange(seededFill(block, state), at, block.length);
  const reader = new RangeDiffShareReader(share);
  let clock = Date.UTC(2026, 1, 1);
  const backup = async (shareKey = "ranges", shareId = "ranges1") =>
    runBackup({ recordSpool: fileSpool, share: shareKey, shareId, reader, index: world.index, repository: await world.repository(), now: () => (clock += 1000), largeFileBytes: 8 * MiB, lock: world.lock });
  await backup();

  const patch = Buffer.alloc(MiB, 7);
  await file.uploadRange(patch, 13 * MiB, MiB);
  const before = reader.bytesRead;
  const s = await backup();
  expect(s).toMatchObject({ modified: 1, rangeReads: 1, fullReadReasons: {} });
  expect(reader.bytesRead - before).toBe(s.bytesRead);
  // The chunk before the change, the change, and the chunker's read-ahead (16 MiB) until it realigns.
  expect(s.bytesRead).toBeLessThanOrEqual(24 * MiB);

  const reference = await backup("ranges-ref", "ranges2");
  expect(reference.bytesRead).toBe(size + 1);
  expect(s.rootTree).toBe(reference.rootTree);
}, 120_000);

test("the previous share snapshot deleted: a full read, and the reason in the summary", async () => {
  const share = world.service.getShareClient(`ranges-gone-${process.pid}`);
  await share.create();
  const file = share.rootDirectoryClient.getFileClient("big.bin");
  const size = 12 * MiB;
  await file.create(size);
  await file.uploadRange(randomFillSync(Buffer.alloc(4 * MiB)), 0, 4 * MiB);
  const reader = new RangeDiffShareReader(share);
  let clock = Date.UTC(2026, 2, 1);
  const backup = async () =>
    runBackup({ recordSpool: fileSpool, share: "ranges-gone", shareId: "rangesgone1", reader, index: world.index, repository: await world.repository(), now: () => (clock += 1000), largeFileBytes: 8 * MiB, lock: world.lock });
  await backup();
  for await (const item of world.service.listShares({ includeSnapshots: true, prefix: share.name })) {
    if (item.name === share.name && item.snapshot) await share.withSnapshot(item.snapshot).delete();
  }
  await file.uploadRange(Buffer.alloc(MiB, 9), 5 * MiB, MiB);
  const s = await backup();
  expect(s).toMatchObject({ modified: 1, rangeReads: 0 });
  expect(s.fullReadReasons).toEqual({ "previous share snapshot is gone": 1 });
  expect(s.bytesRead).toBe(size);
}, 120_000);
