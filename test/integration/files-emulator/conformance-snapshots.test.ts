/**
 * File service conformance, part 2: share snapshots (create, list, read through `sharesnapshot`,
 * read-only, isolated from later writes, deletes and renames) and Get Ranges, including the
 * `prevsharesnapshot` diff between two snapshots and between a snapshot and the live file.
 */
import type { ShareClient, ShareServiceClient } from "@azure/storage-file-share";
import { closeTargetShare, failureOf, openTargetShare, targets, uniqueShare, type Target } from "./targets";

const KIB = 1024;

describe.each(targets())("File service conformance (snapshots, ranges) against $name", (target: Target) => {
  let service: ShareServiceClient;
  let share: ShareClient;

  beforeAll(async () => {
    ({ service, share } = await openTargetShare(target, "snap"));
  });
  afterAll(() => closeTargetShare(target, share));

  test("a snapshot is listed, readable through sharesnapshot, read-only, and isolated from later changes", async () => {
    const dir = share.getDirectoryClient("docs");
    await dir.create();
    const f = dir.getFileClient("a.txt");
    await f.create(6);
    await f.uploadRange(Buffer.from("before"), 0, 6);
    const g = dir.getFileClient("gone.txt");
    await g.create(4);
    await g.uploadRange(Buffer.from("gone"), 0, 4);
    const r = dir.getFileClient("renamed.txt");
    await r.create(3);
    await r.uploadRange(Buffer.from("ren"), 0, 3);
    const ids = { a: (await f.getProperties()).fileId, dir: (await dir.getProperties()).fileId };
    const { snapshot } = await share.createSnapshot({ metadata: { tag: "one" } });
    expect(snapshot).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}\.\d{7}Z$/);

    await f.uploadRange(Buffer.from("AFTER!"), 0, 6);
    await g.delete();
    await r.rename("docs/moved.txt");
    await dir.getFileClient("new.txt").create(1);

    const snap = share.withSnapshot(snapshot as string);
    const sdir = snap.getDirectoryClient("docs");
    expect((await sdir.getFileClient("a.txt").downloadToBuffer()).toString()).toBe("before");
    expect((await sdir.getFileClient("gone.txt").downloadToBuffer()).toString()).toBe("gone");
    expect((await sdir.getFileClient("renamed.txt").downloadToBuffer()).toString()).toBe("ren");
    expect((await f.downloadToBuffer()).toString()).toBe("AFTER!");
    const props = await sdir.getFileClient("a.txt").getProperties();
    expect(props.fileId).toBe(ids.a);
    expect(props.contentLength).toBe(6);
    expect((await sdir.getProperties()).fileId).toBe(ids.dir);
    const names: string[] = [];
    for await (const item of sdir.listFilesAndDirectories()) names.push(item.name);
    expect(names.sort()).toEqual(["a.txt", "gone.txt", "renamed.txt"]);
    expect((await sdir.getFileClient("a.txt").getRangeList()).rangeList).toEqual([{ start: 0, end: 5 }]);

    expect(await failureOf(sdir.getFileClient("a.txt").uploadRange(Buffer.from("x"), 0, 1))).toEqual({ status: 400, code: "ShareSnapshotOperationNotSupported" });
    expect(await failureOf(sdir.getFileClient("x.txt").create(1))).toEqual({ status: 400, code: "ShareSnapshotOperationNotSupported" });
    expect(await failureOf(sdir.getFileClient("a.txt").delete())).toEqual({ status: 400, code: "ShareSnapshotOperationNotSupported" });
    expect(await failureOf(share.withSnapshot("2001-01-01T00:00:00.0000000Z").getProperties())).toMatchObject({ status: 404, code: "ShareSnapshotNotFound" });

    const listed = [];
    for await (const s of service.listShares({ prefix: share.name, includeSnapshots: true, includeMetadata: true })) listed.push(s);
    const snapItem = listed.find((s) => s.snapshot === snapshot);
    expect(snapItem?.metadata).toEqual({ tag: "one" });
    expect(listed.some((s) => s.name === share.name && s.snapshot === undefined)).toBe(true);
    expect((await snap.getProperties()).metadata).toEqual({ tag: "one" });
  });

  test("Get Ranges diff is exact between two snapshots and between a snapshot and the live file", async () => {
    const f = share.getDirectoryClient("").getFileClient("ranges.bin");
    await f.create(64 * KIB);
    await f.uploadRange(Buffer.alloc(8 * KIB, 1), 0, 8 * KIB);
    await f.uploadRange(Buffer.alloc(8 * KIB, 2), 32 * KIB, 8 * KIB);
    const s1 = (await share.createSnapshot()).snapshot as string;
    await f.uploadRange(Buffer.alloc(4 * KIB, 3), 16 * KIB, 4 * KIB);
    await f.clearRange(32 * KIB, 4 * KIB);
    const s2 = (await share.createSnapshot()).snapshot as string;
    await f.uploadRange(Buffer.alloc(4 * KIB, 4), 48 * KIB, 4 * KIB);

    const between = await share.withSnapshot(s2).getDirectoryClient("").getFileClient("ranges.bin").getRangeListDiff(s1);
    expect(between.ranges).toEqual([{ start: 16 * KIB, end: 20 * KIB - 1 }]);
    expect(between.clearRanges).toEqual([{ start: 32 * KIB, end: 36 * KIB - 1 }]);

    const sinceS2 = await f.getRangeListDiff(s2);
    expect(sinceS2.ranges).toEqual([{ start: 48 * KIB, end: 52 * KIB - 1 }]);
    expect(sinceS2.clearRanges ?? []).toEqual([]);

    const sinceS1 = await f.getRangeListDiff(s1);
    expect(sinceS1.ranges).toEqual([{ start: 16 * KIB, end: 20 * KIB - 1 }, { start: 48 * KIB, end: 52 * KIB - 1 }]);
    expect(sinceS1.clearRanges).toEqual([{ start: 32 * KIB, end: 36 * KIB - 1 }]);

    const inS2 = await share.withSnapshot(s2).getDirectoryClient("").getFileClient("ranges.bin").getRangeList();
    expect(inS2.rangeList).toEqual([{ start: 0, end: 8 * KIB - 1 }, { start: 16 * KIB, end: 20 * KIB - 1 }, { start: 36 * KIB, end: 40 * KIB - 1 }]);
    const s1Bytes = await share.withSnapshot(s1).getDirectoryClient("").getFileClient("ranges.bin").downloadToBuffer();
    expect(s1Bytes.subarray(16 * KIB, 20 * KIB).equals(Buffer.alloc(4 * KIB))).toBe(true);
    expect(s1Bytes.subarray(32 * KIB, 40 * KIB).equals(Buffer.alloc(8 * KIB, 2))).toBe(true);
  });

  test("a snapshot taken while writes are in flight holds whole ranges, and the diff covers every later change", async () => {
    const BLOCK = 64 * KIB;
    const BLOCKS = 48;
    const f = share.getDirectoryClient("").getFileClient("inflight.bin");
    await f.create(BLOCK * BLOCKS);
    await f.uploadData(Buffer.alloc(BLOCK * BLOCKS, 1));
    let next = 0;
    let snapshot = "";
    const writer = async () => {
      while (next < BLOCKS) {
        const i = next++;
        if (i === BLOCKS / 2) snapshot = (await share.createSnapshot()).snapshot as string;
        await f.uploadRange(Buffer.alloc(BLOCK, 2), i * BLOCK, BLOCK);
      }
    };
    await Promise.all(Array.from({ length: 6 }, writer));
    const live = await f.downloadToBuffer();
    expect(live.equals(Buffer.alloc(BLOCK * BLOCKS, 2))).toBe(true);
    const old = await share.withSnapshot(snapshot).getDirectoryClient("").getFileClient("inflight.bin").downloadToBuffer();
    const diff = (await f.getRangeListDiff(snapshot)).ranges ?? [];
    for (let i = 0; i < BLOCKS; i++) {
      const block = old.subarray(i * BLOCK, (i + 1) * BLOCK);
      const value = block[0];
      expect(block.equals(Buffer.alloc(BLOCK, value))).toBe(true);
      if (value === 1) expect(diff.some((r) => r.start <= i * BLOCK && r.end >= (i + 1) * BLOCK - 1)).toBe(true);
    }
  });

  test("deleting a share with snapshots needs deleteSnapshots: include; a snapshot can be deleted alone", async () => {
    const s = service.getShareClient(uniqueShare("snapdel"));
    await s.create();
    await s.getDirectoryClient("").getFileClient("x").create(1);
    const a = (await s.createSnapshot()).snapshot as string;
    const b = (await s.createSnapshot()).snapshot as string;
    expect(a < b).toBe(true);
    expect(await failureOf(s.delete())).toEqual({ status: 409, code: "ShareHasSnapshots" });
    await s.withSnapshot(a).delete();
    expect(await failureOf(s.withSnapshot(a).getProperties())).toMatchObject({ status: 404 });
    expect((await s.withSnapshot(b).getDirectoryClient("").getFileClient("x").getProperties()).contentLength).toBe(1);
    await s.delete({ deleteSnapshots: "include" });
    expect(await s.exists()).toBe(false);
  });
});
