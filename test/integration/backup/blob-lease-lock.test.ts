/** The blob lease BackupLock against Azurite, through the real SDK: the lock conformance suite. */
import { BlobServiceClient } from "@azure/storage-blob";
import { repositoryConnectionFromSettings } from "../../../src/adapters/blob/connect";
import { BlobLeaseLock } from "../../../src/adapters/lock/blob-lease-lock";
import { startTestStack, type TestStack } from "../../helpers/stack";
import { lockConformance } from "../../unit/backup/lock.conformance";

let stack: TestStack<"blob">;
beforeAll(async () => {
  stack = await startTestStack({ services: ["blob"] });
}, 60_000);
afterAll(() => stack?.stop());

lockConformance("BlobLeaseLock", () => BlobLeaseLock.of(repositoryConnectionFromSettings((name) => stack.productSettings[name])));

describe("BlobLeaseLock on Azurite", () => {
  const lockOn = (container: string) =>
    BlobLeaseLock.of(repositoryConnectionFromSettings((name) => (name === "AFB_REPOSITORY_CONTAINER" ? container : stack.productSettings[name])));

  test("creates the container and the lock blob on the first backup, then takes the lease of the existing blob", async () => {
    const container = `lock-fresh-${process.pid}`;
    const lock = lockOn(container);
    const first = await lock.acquire("share-1");
    const service = BlobServiceClient.fromConnectionString(stack.productSettings.AFB_REPOSITORY!);
    const blob = service.getContainerClient(container).getBlockBlobClient("locks/share-1");
    expect((await blob.getProperties()).leaseState).toBe("leased");
    await first.release();
    expect((await blob.getProperties()).leaseState).toBe("available");

    const second = await lockOn(container).acquire("share-1");
    expect((await blob.getProperties()).leaseState).toBe("leased");
    await expect(lock.acquire("share-1")).rejects.toThrow(/another backup of share share-1 is running/);
    await second.release();
    await service.getContainerClient(container).delete();
  });

  test("a failure other than a held lease names the share and carries no secret", async () => {
    const wrongKey = Buffer.from("wrong key of 32 bytes, not used!").toString("base64");
    const lock = BlobLeaseLock.of({ kind: "connectionString", connectionString: stack.productSettings.AFB_REPOSITORY!.replace(/AccountKey=[^;]+/, `AccountKey=${wrongKey}`), container: "lock-badkey" });
    const err = await lock.acquire("share-2").then(() => undefined, (e: Error) => e);
    expect(err?.message).toMatch(/cannot (take the lock of share share-2|create the lock blob locks\/share-2)/);
    expect(err?.message).not.toContain(wrongKey);
    expect(err?.message).not.toMatch(/AccountKey/);
  });
});
