/**
 * Scanning a share snapshot while the live share changes, and the failures a scan meets: a missing
 * share, refused credentials, 503 storms (retried, or reported when they never end), a directory
 * deleted mid-scan. Each ends with a correct result or a clear error, never a corrupted index.
 */
import { createShareServiceClient } from "../../../src/adapters/azure-files/client";
import { AzureShareReader } from "../../../src/adapters/azure-files/share-reader";
import { ShareAccessDeniedError, ShareNotFoundError, ShareUnavailableError } from "../../../src/core/ports/share-reader";
import { scanShare, ScanError } from "../../../src/core/scan/scanner";
import { MemoryNodeIndex } from "../../../src/adapters/memory/node-index";
import { CountingReader, countsOf, dumpIndex, pathsOf } from "../../unit/scan/helpers";
import { build, FAST_RETRY, newShare, startWorld, syncShare, type ScanWorld } from "./fixture";

let world: ScanWorld;
jest.setTimeout(30_000);
beforeAll(async () => {
  world = await startWorld("errors");
}, 60_000);
afterAll(async () => {
  await world?.close();
});
afterEach(() => world.stack.files?.setFaults({}));

const TREE = { "a/": "", "a/one.txt": "1", "b/": "", "b/two.txt": "22", "b/deep/": "", "b/deep/three.txt": "333" };
const ZERO = { added: 0, modified: 0, renamed: 0, moved: 0, deleted: 0, metadataOnly: 0 };

test("a scan of a share snapshot sees the snapshot only while the live share changes", async () => {
  const { share, reader, shareId } = await newShare(world);
  await build(share, TREE);
  await syncShare(world, reader, shareId);
  const snapshot = await reader.createSnapshot();
  await build(share, { "a/new.txt": "new" });
  await share.rootDirectoryClient.getFileClient("b/two.txt").rename("a/two.txt");
  await share.rootDirectoryClient.getFileClient("b/deep/three.txt").delete();

  const atSnapshot = new CountingReader(reader.atSnapshot(snapshot));
  expect(atSnapshot.snapshot).toBe(snapshot);
  const fromSnapshot = await scanShare({ shareId, reader: atSnapshot, index: world.index, now: () => 0 });
  expect(countsOf(fromSnapshot)).toEqual(ZERO);
  expect(fromSnapshot.snapshot).toBe(snapshot);

  const live = await scanShare({ shareId, reader, index: world.index, now: () => 0 });
  expect(countsOf(live)).toEqual({ ...ZERO, added: 1, moved: 1, deleted: 1 });
  await reader.deleteSnapshot(snapshot);
  await expect(scanShare({ shareId, reader: atSnapshot, index: world.index, now: () => 0 })).rejects.toThrow(/snapshot does not exist/);
});

test("a share that does not exist is a clear error", async () => {
  const reader = AzureShareReader.of(world.service, "no-such-share");
  const err = await scanShare({ shareId: "missing", reader, index: new MemoryNodeIndex(), now: () => 0 }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ScanError);
  expect((err as ScanError).cause).toBeInstanceOf(ShareNotFoundError);
  expect((err as Error).message).toMatch(/no-such-share.*the share does not exist/);
});

test("refused credentials are a clear error that shows no key", async () => {
  const { share } = await newShare(world);
  const wrongKey = Buffer.alloc(64, 7).toString("base64");
  const cs = world.stack.settings.files.replace(/AccountKey=[^;]+/, `AccountKey=${wrongKey}`);
  const reader = AzureShareReader.of(createShareServiceClient({ connectionString: cs }, { retryOptions: FAST_RETRY }), share.name);
  const err = await scanShare({ shareId: "denied", reader, index: new MemoryNodeIndex(), now: () => 0 }).catch((e: unknown) => e);
  expect((err as ScanError).cause).toBeInstanceOf(ShareAccessDeniedError);
  expect((err as Error).message).toMatch(/access denied \(403/);
  expect((err as Error).message).not.toContain(wrongKey);
});

test("a 503 storm is retried to a correct result; one that never ends stops the scan and leaves the index as it was", async () => {
  const { share, reader, shareId } = await newShare(world);
  await build(share, TREE);
  await syncShare(world, reader, shareId);
  await share.getDirectoryClient("b/deep").rename("a/deep");
  world.stack.files?.setFaults({ serverBusyRate: 0.3, seed: 11 });
  const stormy = await scanShare({ shareId, reader, index: world.index, now: () => 0, concurrency: 4 });
  expect(countsOf(stormy)).toEqual({ ...ZERO, moved: 1 });

  world.stack.files?.setFaults({ serverBusyRate: 1 });
  const before = await dumpIndex(world.index, shareId);
  const err = await syncShare(world, reader, shareId).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ScanError);
  expect((err as ScanError).cause).toBeInstanceOf(ShareUnavailableError);
  expect((err as Error).message).toMatch(/stayed unavailable after the SDK's retries \(503/);
  expect(await dumpIndex(world.index, shareId)).toEqual(before);
});

test("a directory deleted during the scan is reported, and the index stays consistent", async () => {
  const { share, reader, shareId } = await newShare(world);
  await build(share, TREE);
  await syncShare(world, reader, shareId);
  reader.beforeList = async (path) => {
    if (path !== "b/deep") return;
    await share.rootDirectoryClient.getFileClient("b/deep/three.txt").delete();
    await share.getDirectoryClient("b/deep").delete();
  };
  const { cs } = await syncShare(world, reader, shareId);
  reader.beforeList = undefined;
  expect(cs.stats.errors).toEqual([{ path: "b/deep", message: expect.stringMatching(/vanished during the scan/) }]);
  expect(pathsOf(cs, "deleted")).toEqual(["b/deep", "b/deep/three.txt"]);
  const fresh = `${shareId}-fresh`;
  await syncShare(world, reader, fresh);
  expect(await dumpIndex(world.index, shareId)).toEqual(await dumpIndex(world.index, fresh));
});
