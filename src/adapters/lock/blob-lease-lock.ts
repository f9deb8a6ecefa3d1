/**
 * The BackupLock over Blob Storage: one empty blob per share, `locks/<share>`, in the repository
 * container, held with a 60-second blob lease renewed every 15 seconds while the backup runs. A second
 * backup of the same share (from any process or machine) finds the lease taken and fails at once with
 * BackupLockedError; a backup that died without releasing frees the share when its lease expires
 * (within a minute). SDK errors are translated here, once, with secrets redacted.
 */
import { BlobServiceClient, type BlobLeaseClient, type ContainerClient } from "@azure/storage-blob";
import type { BlobRepositoryConnection } from "../blob/connect";
import { createHash } from "node:crypto";
import { BackupError, BackupLockedError, type BackupLock, type LockHandle, type RunLock } from "../../core/backup/model";
import { redact } from "../../core/redact";
import { renewingHandle } from "./renewing-handle";

export const LOCKS_PREFIX = "locks/";
const LEASE_SECONDS = 60;
const RENEW_MS = 15_000;

function statusOf(err: unknown): number | undefined {
  return (err as { statusCode?: number } | null)?.statusCode;
}

function failure(what: string, err: unknown): BackupError {
  return new BackupError(`${what}: ${redact(err instanceof Error ? err.message : String(err))}`, { cause: err });
}

/** The lease id of a run lock's owner: a GUID derived from the owner's name (same owner, same id). */
export function leaseIdOf(owner: string): string {
  const h = createHash("sha256").update(owner, "utf8").digest("hex");
  return `${h.slice(0, 8)}-${h.slice(8, 12)}-4${h.slice(13, 16)}-8${h.slice(17, 20)}-${h.slice(20, 32)}`;
}

export class BlobLeaseLock implements BackupLock, RunLock {
  constructor(
    private readonly container: ContainerClient,
    private readonly renewMs = RENEW_MS,
  ) {}

  /** The lock over the repository container of `connection`. */
  static of(connection: BlobRepositoryConnection): BlobLeaseLock {
    const service = connection.kind === "connectionString" ? BlobServiceClient.fromConnectionString(connection.connectionString) : new BlobServiceClient(connection.serviceUri, connection.credential);
    return new BlobLeaseLock(service.getContainerClient(connection.container));
  }

  /** The run lock: an infinite lease whose id is derived from `owner` (see RunLock). */
  async hold(share: string, owner: string): Promise<void> {
    await this.lease(share, leaseIdOf(owner), -1, `another backup of share ${share} is running (the lock blob ${LOCKS_PREFIX}${share} is leased by another owner than ${owner})`);
  }

  async release(share: string, owner: string): Promise<void> {
    const blob = this.container.getBlockBlobClient(LOCKS_PREFIX + share);
    try {
      await blob.getBlobLeaseClient(leaseIdOf(owner)).releaseLease();
    } catch (err) {
      // 409: not leased, or leased by someone else; 404: no lock blob. Either way this owner holds nothing.
      if (statusOf(err) === 409 || statusOf(err) === 404) return;
      throw failure(`cannot release the lock of share ${share}`, err);
    }
  }

  /**
   * Takes a lease of `seconds` (-1: infinite) on the share's lock blob. The blob exists from the
   * second backup on, so the lease is tried first, one request where creating the container and the
   * blob first took three; only a missing blob (404) creates them. A held lease is BackupLockedError
   * saying `locked`.
   */
  private async lease(share: string, leaseId: string | undefined, seconds: number, locked: string): Promise<BlobLeaseClient> {
    const blob = this.container.getBlockBlobClient(LOCKS_PREFIX + share);
    const lease = blob.getBlobLeaseClient(leaseId);
    try {
      try {
        await lease.acquireLease(seconds);
      } catch (err) {
        if (statusOf(err) !== 404) throw err;
        await this.createLockBlob(share);
        await lease.acquireLease(seconds);
      }
    } catch (err) {
      if (err instanceof BackupError) throw err;
      if (statusOf(err) === 409) throw new BackupLockedError(locked, { cause: err });
      throw failure(`cannot take the lock of share ${share}`, err);
    }
    return lease;
  }

  private async createLockBlob(share: string): Promise<void> {
    const blob = this.container.getBlockBlobClient(LOCKS_PREFIX + share);
    try {
      await this.container.createIfNotExists();
      await blob.upload("", 0, { conditions: { ifNoneMatch: "*" } });
    } catch (err) {
      // 409: the lock blob exists; 412: it exists and is leased. Both are expected.
      if (statusOf(err) !== 409 && statusOf(err) !== 412) throw failure(`cannot create the lock blob ${LOCKS_PREFIX}${share}`, err);
    }
  }

  async acquire(share: string): Promise<LockHandle> {
    const lease = await this.lease(
      share,
      undefined,
      LEASE_SECONDS,
      `another backup of share ${share} is running (the lock blob ${LOCKS_PREFIX}${share} is leased); wait for it to finish (a CLI backup that died frees it within ${LEASE_SECONDS} s; the app's backupShare holds it until that orchestration ends)`,
    );
    return renewingHandle(
      async () => void (await lease.renewLease()),
      this.renewMs,
      async (lost) => {
        try {
          await lease.releaseLease();
        } catch (err) {
          if (lost === undefined) throw failure(`cannot release the lock of share ${share}`, err);
        }
      },
    );
  }
}
