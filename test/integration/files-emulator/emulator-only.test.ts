/**
 * What only the emulator can be asked to do: survive a restart with FileIds, properties, permissions
 * and snapshots intact; adopt files written straight to disk; inject 503 ServerBusy, connection resets
 * and latency (deterministically, by seed) so the SDK's retry policy is exercised; take faults from
 * options, AFB_EMULATOR_FAULTS or its admin endpoint.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { request } from "node:http";
import { join } from "node:path";
import { FileSystemAttributes, ShareServiceClient } from "@azure/storage-file-share";
import { startFilesEmulator } from "../../../src/local/files-emulator";
import { FaultInjector, parseFaultSpec } from "../../../src/local/files-emulator/faults";
import { EmulatorTarget, uniqueShare } from "./targets";

const RETRY = { retryOptions: { maxTries: 10, retryDelayInMs: 10, maxRetryDelayInMs: 50 } };

describe("File emulator: restart and adoption", () => {
  const target = new EmulatorTarget();
  beforeAll(() => target.start());
  afterAll(() => target.stop());

  test("FileIds, SMB properties, permissions and snapshots survive a restart", async () => {
    const share = target.service().getShareClient(uniqueShare("restart"));
    await share.create({ metadata: { kept: "yes" } });
    const dir = share.getDirectoryClient("d");
    await dir.create();
    const file = dir.getFileClient("f.txt");
    await file.create(5, { fileAttributes: FileSystemAttributes.parse("Hidden") });
    await file.uploadRange(Buffer.from("first"), 0, 5);
    await file.rename("d/renamed.txt");
    const key = (await share.createPermission("O:BAG:SYD:(A;;FA;;;SY)")).filePermissionKey as string;
    const snapshot = (await share.createSnapshot()).snapshot as string;
    await dir.getFileClient("renamed.txt").uploadRange(Buffer.from("after"), 0, 5);
    const before = await dir.getFileClient("renamed.txt").getProperties();

    await target.emulator.close();
    target.emulator = await startFilesEmulator({ dataDir: target.dataDir, port: 0 });
    const again = target.service().getShareClient(share.name);
    const after = await again.getDirectoryClient("d").getFileClient("renamed.txt").getProperties();
    expect(after.fileId).toBe(before.fileId);
    expect(after.fileParentId).toBe(before.fileParentId);
    expect(after.fileAttributes).toContain("Hidden");
    expect(after.fileCreatedOn?.toISOString()).toBe(before.fileCreatedOn?.toISOString());
    expect(after.etag).toBe(before.etag);
    expect((await again.getProperties()).metadata).toEqual({ kept: "yes" });
    expect((await again.getPermission(key)).permission).toBe("O:BAG:SYD:(A;;FA;;;SY)");
    const old = again.withSnapshot(snapshot).getDirectoryClient("d").getFileClient("renamed.txt");
    expect((await old.downloadToBuffer()).toString()).toBe("first");
    expect((await again.getDirectoryClient("d").getFileClient("renamed.txt").getRangeListDiff(snapshot)).ranges).toEqual([{ start: 0, end: 4 }]);
  });

  test("files written straight to disk are adopted with FileIds that stay stable", async () => {
    const share = target.service().getShareClient(uniqueShare("adopt"));
    await share.create();
    const base = join(target.dataDir, "devstoreaccount1", share.name);
    mkdirSync(join(base, "seeded", "deeper"), { recursive: true });
    writeFileSync(join(base, "seeded", "one.txt"), "one");
    writeFileSync(join(base, "seeded", "deeper", "two.txt"), "two!");
    const seen = new Map<string, string>();
    for await (const e of share.getDirectoryClient("seeded").listFilesAndDirectories()) seen.set(e.name, e.fileId as string);
    expect([...seen.keys()].sort()).toEqual(["deeper", "one.txt"]);
    const two = share.getDirectoryClient("seeded/deeper").getFileClient("two.txt");
    expect((await two.downloadToBuffer()).toString()).toBe("two!");
    const twoId = (await two.getProperties()).fileId;
    writeFileSync(join(base, "seeded", "three.txt"), "3");
    const later: string[] = [];
    for await (const e of share.getDirectoryClient("seeded").listFilesAndDirectories()) later.push(e.name);
    expect(later.sort()).toEqual(["deeper", "one.txt", "three.txt"]);

    await target.emulator.close();
    target.emulator = await startFilesEmulator({ dataDir: target.dataDir, port: 0 });
    const again = target.service().getShareClient(share.name);
    expect((await again.getDirectoryClient("seeded").getFileClient("one.txt").getProperties()).fileId).toBe(seen.get("one.txt"));
    expect((await again.getDirectoryClient("seeded/deeper").getFileClient("two.txt").getProperties()).fileId).toBe(twoId);
  });
});

describe("File emulator: concurrent readers never re-adopt what a writer is changing", () => {
  const target = new EmulatorTarget();
  beforeAll(() => target.start());
  afterAll(() => target.stop());

  test("creates, renames and deletes racing with listings keep one record per name and stable FileIds", async () => {
    const share = target.service().getShareClient(uniqueShare("race"));
    await share.create();
    const dir = share.getDirectoryClient("race");
    await dir.create();
    let stop = false;
    const listings: string[][] = [];
    const lister = (async () => {
      while (!stop) {
        const names: string[] = [];
        for await (const e of dir.listFilesAndDirectories()) names.push(e.name);
        listings.push(names);
      }
    })();
    const ids = new Map<string, string>();
    await Promise.all(Array.from({ length: 40 }, async (_, i) => {
      const sub = dir.getDirectoryClient(`d${i}`);
      await sub.create();
      ids.set(`f${i}`, (await sub.getFileClient(`f${i}`).create(1)).fileId as string);
      await sub.rename(`race/moved-${i}`);
      if (i % 4 === 0) {
        await share.getDirectoryClient(`race/moved-${i}`).getFileClient(`f${i}`).delete();
        await share.getDirectoryClient(`race/moved-${i}`).delete();
      }
    }));
    stop = true;
    await lister;
    for (const names of listings) expect(new Set(names).size).toBe(names.length);
    const final: string[] = [];
    for await (const e of dir.listFilesAndDirectories()) final.push(e.name);
    expect(final.sort()).toEqual(Array.from({ length: 40 }, (_, i) => i).filter((i) => i % 4 !== 0).map((i) => `moved-${i}`).sort());
    for (let i = 1; i < 40; i += 4) {
      expect((await share.getDirectoryClient(`race/moved-${i}`).getFileClient(`f${i}`).getProperties()).fileId).toBe(ids.get(`f${i}`));
    }
  });
});

describe("File emulator: fault injection", () => {
  const target = new EmulatorTarget();
  beforeAll(() => target.start());
  afterEach(() => target.emulator.setFaults({}));
  afterAll(() => target.stop());

  test("503 ServerBusy is sent as Azure sends it, and the SDK retries through it", async () => {
    const share = target.service().getShareClient(uniqueShare("busy"));
    await share.create();
    target.emulator.setFaults({ serverBusyRate: 1 });
    const once = ShareServiceClient.fromConnectionString(target.emulator.connectionString, { retryOptions: { maxTries: 1 } });
    await expect(once.getShareClient(share.name).getProperties()).rejects.toMatchObject({ statusCode: 503, code: "ServerBusy" });
    target.emulator.setFaults({ serverBusyRate: 0.4, seed: 7 });
    const retrying = ShareServiceClient.fromConnectionString(target.emulator.connectionString, RETRY).getShareClient(share.name);
    const file = retrying.getDirectoryClient("").getFileClient("busy.bin");
    const data = Buffer.alloc(256 * 1024, 9);
    await file.create(data.length);
    for (let off = 0; off < data.length; off += 32 * 1024) await file.uploadRange(data.subarray(off, off + 32 * 1024), off, 32 * 1024);
    expect((await file.downloadToBuffer()).equals(data)).toBe(true);
    const listed: string[] = [];
    for await (const e of retrying.getDirectoryClient("").listFilesAndDirectories()) listed.push(e.name);
    expect(listed).toEqual(["busy.bin"]);
  });

  test("connection resets are retried by the SDK (reads, writes and listings)", async () => {
    const share = target.service().getShareClient(uniqueShare("reset"));
    await share.create();
    target.emulator.setFaults({ resetRate: 1 });
    const once = ShareServiceClient.fromConnectionString(target.emulator.connectionString, { retryOptions: { maxTries: 1 } });
    await expect(once.getShareClient(share.name).getProperties()).rejects.toMatchObject({ code: expect.stringMatching(/ECONNRESET|socket hang up|REQUEST_SEND_ERROR/) });
    target.emulator.setFaults({ resetRate: 0.3, latencyMs: 2, seed: 11 });
    const retrying = ShareServiceClient.fromConnectionString(target.emulator.connectionString, RETRY).getShareClient(share.name);
    const dir = retrying.getDirectoryClient("r");
    await dir.createIfNotExists();
    for (let i = 0; i < 10; i++) {
      const f = dir.getFileClient(`f${i}`);
      await f.create(4);
      await f.uploadRange(Buffer.from(`f${i}..`.slice(0, 4)), 0, 4);
    }
    const names: string[] = [];
    for await (const e of dir.listFilesAndDirectories()) names.push(e.name);
    expect(names.length).toBe(10);
    expect((await dir.getFileClient("f3").downloadToBuffer()).toString()).toBe("f3..");
  });

  test("faults come from the admin endpoint and from AFB_EMULATOR_FAULTS, and are seeded", async () => {
    const url = new URL(target.emulator.url);
    const status = await new Promise<number>((resolve, reject) => {
      const req = request({ host: url.hostname, port: url.port, method: "PUT", path: "/.emulator/faults?busy=1" }, (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      });
      req.on("error", reject);
      req.end();
    });
    expect(status).toBe(200);
    const once = ShareServiceClient.fromConnectionString(target.emulator.connectionString, { retryOptions: { maxTries: 1 } });
    await expect(once.getProperties()).rejects.toMatchObject({ statusCode: 503 });

    const saved = process.env.AFB_EMULATOR_FAULTS;
    process.env.AFB_EMULATOR_FAULTS = "busy=1,latency=1";
    const fromEnv = await startFilesEmulator({ dataDir: join(target.dataDir, "env"), port: 0 });
    if (saved === undefined) delete process.env.AFB_EMULATOR_FAULTS;
    else process.env.AFB_EMULATOR_FAULTS = saved;
    try {
      const c = ShareServiceClient.fromConnectionString(fromEnv.connectionString, { retryOptions: { maxTries: 1 } });
      await expect(c.getProperties()).rejects.toMatchObject({ statusCode: 503, code: "ServerBusy" });
    } finally {
      await fromEnv.close();
    }

    expect(parseFaultSpec("busy=0.1,latency=5,reset=0.05,seed=3")).toEqual({ serverBusyRate: 0.1, latencyMs: 5, resetRate: 0.05, seed: 3 });
    expect(() => parseFaultSpec("busy=lots")).toThrow(/busy/);
    expect(() => parseFaultSpec("explode=1")).toThrow(/explode/);
    expect(() => new FaultInjector({ serverBusyRate: 2 })).toThrow(/serverBusyRate/);
    const draw = (seed: number) => {
      const f = new FaultInjector({ serverBusyRate: 0.3, resetRate: 0.2, seed });
      return Array.from({ length: 50 }, () => f.next());
    };
    expect(draw(5)).toEqual(draw(5));
    expect(draw(5)).not.toEqual(draw(6));
    expect(draw(5)).toContain("busy");
    expect(draw(5)).toContain("reset");
  });
});
