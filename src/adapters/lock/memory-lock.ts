/**
 * An in-process BackupLock: one holder per share within this process. For unit tests and for
 * callers that run several backups in one process; it does not protect against other processes (use
 * the blob lease lock for that). Same contract as the blob lease lock: a second acquire fails at once
 * with BackupLockedError naming the share; release is idempotent.
 */
import { BackupLockedError, type BackupLock, type LockHandle, type RunLock } from "../../core/backup/model";

export class MemoryBackupLock implements BackupLock, RunLock {
  private readonly held = new Set<string>();
  private readonly owners = new Map<string, string>();

  async hold(share: string, owner: string): Promise<void> {
    const current = this.owners.get(share);
    if (current === owner) return;
    if (current !== undefined || this.held.has(share)) throw new BackupLockedError(`another backup of share ${share} is running in this process; wait for it to finish`);
    this.owners.set(share, owner);
    this.held.add(share);
  }

  async release(share: string, owner: string): Promise<void> {
    if (this.owners.get(share) !== owner) return;
    this.owners.delete(share);
    this.held.delete(share);
  }

  async acquire(share: string): Promise<LockHandle> {
    if (this.held.has(share)) throw new BackupLockedError(`another backup of share ${share} is running in this process; wait for it to finish`);
    this.held.add(share);
    let released = false;
    return {
      release: async () => {
        if (released) return;
        released = true;
        this.held.delete(share);
      },
    };
  }
}
