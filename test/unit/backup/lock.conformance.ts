/**
 * The BackupLock conformance suite: every adapter (in-memory, blob lease) runs it. One holder per
 * share, a clear error naming the share for the second, independent shares, idempotent release.
 */
import { BackupLockedError, type BackupLock, type RunLock } from "../../../src/core/backup/model";

let next = 0;
const share = () => `conf-${process.pid}-${++next}`;

export function lockConformance(name: string, make: () => (BackupLock & RunLock) | Promise<BackupLock & RunLock>): void {
  describe(`${name} (RunLock conformance)`, () => {
    test("an owner holds the share across calls; others and CLI backups are refused until it releases", async () => {
      const lock = await make();
      const s = share();
      await lock.hold(s, "backup-a");
      await lock.hold(s, "backup-a");
      await expect(lock.hold(s, "backup-b")).rejects.toThrow(BackupLockedError);
      await expect(lock.acquire(s)).rejects.toThrow(new RegExp(`another backup of share ${s} is running`));
      await lock.release(s, "backup-b");
      await expect(lock.acquire(s)).rejects.toThrow(BackupLockedError);
      await lock.release(s, "backup-a");
      await lock.release(s, "backup-a");
      const cli = await lock.acquire(s);
      await expect(lock.hold(s, "backup-a")).rejects.toThrow(BackupLockedError);
      await cli.release();
      await lock.hold(s, "backup-b");
      await lock.release(s, "backup-b");
    });
  });

  describe(`${name} (BackupLock conformance)`, () => {
    test("a second acquire of a held share fails naming it; after release it succeeds", async () => {
      const lock = await make();
      const s = share();
      const held = await lock.acquire(s);
      await expect(lock.acquire(s)).rejects.toThrow(BackupLockedError);
      await expect(lock.acquire(s)).rejects.toThrow(new RegExp(`another backup of share ${s} is running`));
      await held.release();
      const again = await lock.acquire(s);
      await again.release();
    });

    test("different shares are independent", async () => {
      const lock = await make();
      const a = await lock.acquire(share());
      const b = await lock.acquire(share());
      await a.release();
      await b.release();
    });

    test("release is idempotent and does not free a later holder", async () => {
      const lock = await make();
      const s = share();
      const first = await lock.acquire(s);
      await first.release();
      const second = await lock.acquire(s);
      await first.release();
      await expect(lock.acquire(s)).rejects.toThrow(BackupLockedError);
      await second.release();
    });
  });
}
