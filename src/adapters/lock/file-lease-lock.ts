/**
 * The BackupLock and RunLock of a local-directory repository (`AFB_REPOSITORY_PATH`): one file per
 * share, `<root>/locks/<share>`, holding its owner and when its lease ends, like the blob lease of the
 * Blob repository (60 s, renewed every 15 s while a CLI backup runs; a run lock never expires).
 * Guarantees:
 *  - a lock file is created whole or not at all (written under `<root>/tmp/`, then link(2), which fails
 *    when the name exists), so of two backups racing for a share exactly one wins, even from two
 *    machines sharing the folder;
 *  - a backup that died without releasing frees the share when its lease ends: the next one moves the
 *    expired file aside (rename(2): of several, one succeeds) and checks it moved the file it judged
 *    expired before taking the share;
 *  - release removes the file only while it still names this holder.
 * It needs hard links: on a file system without them (some network mounts) a backup fails with an
 * error naming the lock file, rather than taking a lock that two machines could both believe held.
 */
import { hostname } from "node:os";
import { link, mkdir, readFile, rename, unlink } from "node:fs/promises";
import { join } from "node:path";
import { systemClock, type Clock } from "../../config/clock";
import { BackupError, BackupLockedError, type BackupLock, type LockHandle, type RunLock } from "../../core/backup/model";
import { writeDurableTemp } from "../local-fs/temp-file";
import { renewingHandle } from "./renewing-handle";

const LEASE_MS = 60_000;
const RENEW_MS = 15_000;

interface LockRecord {
  readonly owner: string;
  /** Milliseconds since the epoch; null: held until released. */
  readonly expires: number | null;
}

const codeOf = (err: unknown): string => (err as NodeJS.ErrnoException | null)?.code ?? "";

export interface FileLeaseLockOptions {
  readonly clock?: Clock;
  readonly renewMs?: number;
}

export class FileLeaseLock implements BackupLock, RunLock {
  private readonly clock: Clock;
  private readonly renewMs: number;
  private counter = 0;

  constructor(
    readonly root: string,
    options: FileLeaseLockOptions = {},
  ) {
    this.clock = options.clock ?? systemClock;
    this.renewMs = options.renewMs ?? RENEW_MS;
  }

  async hold(share: string, owner: string): Promise<void> {
    const current = await this.read(share);
    if (current?.owner === owner) return;
    await this.take(share, { owner, expires: null }, `another backup of share ${share} is running (its lock file ${this.pathOf(share)} names another owner than ${owner})`);
  }

  async release(share: string, owner: string): Promise<void> {
    await this.removeIfOwned(share, owner);
  }

  async acquire(share: string): Promise<LockHandle> {
    const owner = `cli:${hostname()}:${process.pid}:${++this.counter}:${this.clock()}`;
    const locked = `another backup of share ${share} is running (its lock file ${this.pathOf(share)} is held); wait for it to finish (a CLI backup that died frees it within ${LEASE_MS / 1000} s)`;
    await this.take(share, { owner, expires: this.clock() + LEASE_MS }, locked);
    return renewingHandle(() => this.renew(share, owner), this.renewMs, () => this.removeIfOwned(share, owner));
  }

  private pathOf(share: string): string {
    if (!/^[a-z0-9][a-z0-9.-]*$/.test(share)) throw new BackupError(`cannot lock share key ${JSON.stringify(share)}: use lowercase letters, digits, '.' and '-'`);
    return join(this.root, "locks", share);
  }

  /** Creates the lock file, taking over an expired one once; BackupLockedError saying `locked` otherwise. */
  private async take(share: string, record: LockRecord, locked: string): Promise<void> {
    const path = this.pathOf(share);
    for (let attempt = 0; attempt < 2; attempt++) {
      if (await this.create(path, record)) return;
      const current = await this.read(share);
      if (current === undefined) continue; // released meanwhile
      if (current.expires === null || current.expires > this.clock()) break;
      if (!(await this.moveAsideIfSame(path, current))) break;
    }
    throw new BackupLockedError(locked);
  }

  /** Writes `record` as a new file at `path`; false when the file exists. */
  private async create(path: string, record: LockRecord): Promise<boolean> {
    const temp = await this.writeTemp(record);
    try {
      await mkdir(join(this.root, "locks"), { recursive: true });
      await link(temp, path);
      return true;
    } catch (err) {
      if (codeOf(err) === "EEXIST") return false;
      throw failure(`cannot create the lock file ${path}`, err);
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  /** Moves the expired lock file aside; false (and the file put back) when it was not `expired` any more. */
  private async moveAsideIfSame(path: string, expired: LockRecord): Promise<boolean> {
    // The host too: rename(2) replaces, and two machines' processes may share a pid.
    const aside = join(this.root, "tmp", `stale-${hostname()}-${process.pid}-${++this.counter}`);
    try {
      await rename(path, aside);
    } catch (err) {
      if (codeOf(err) === "ENOENT") return true; // another backup moved it first; try to create
      throw failure(`cannot take over the expired lock file ${path}`, err);
    }
    const moved = parse(await readFile(aside, "utf8").catch(() => ""));
    if (moved?.owner === expired.owner && moved.expires === expired.expires) {
      await unlink(aside).catch(() => undefined);
      return true;
    }
    // A fresh lock was taken between our read and our rename: give it back.
    await link(aside, path).catch(() => undefined);
    await unlink(aside).catch(() => undefined);
    return false;
  }

  private async renew(share: string, owner: string): Promise<void> {
    const current = await this.read(share);
    if (current?.owner !== owner) return; // lost: taken over after our lease ran out
    const temp = await this.writeTemp({ owner, expires: this.clock() + LEASE_MS });
    await rename(temp, this.pathOf(share)).catch(async (err: unknown) => {
      await unlink(temp).catch(() => undefined);
      throw err;
    });
  }

  private async removeIfOwned(share: string, owner: string): Promise<void> {
    const current = await this.read(share);
    if (current?.owner !== owner) return;
    try {
      await unlink(this.pathOf(share));
    } catch (err) {
      if (codeOf(err) !== "ENOENT") throw failure(`cannot release the lock of share ${share}`, err);
    }
  }

  private async read(share: string): Promise<LockRecord | undefined> {
    const path = this.pathOf(share);
    try {
      return parse(await readFile(path, "utf8")) ?? { owner: "(unreadable lock file)", expires: null };
    } catch (err) {
      if (codeOf(err) === "ENOENT") return undefined;
      throw failure(`cannot read the lock file ${path}`, err);
    }
  }

  private async writeTemp(record: LockRecord): Promise<string> {
    const dir = join(this.root, "tmp");
    try {
      return await writeDurableTemp(dir, "lock-", JSON.stringify(record), 0o644);
    } catch (err) {
      throw failure(`cannot write a lock file in ${dir}`, err);
    }
  }
}

function parse(text: string): LockRecord | undefined {
  try {
    const v = JSON.parse(text) as Partial<LockRecord>;
    if (typeof v.owner === "string" && (v.expires === null || typeof v.expires === "number")) return { owner: v.owner, expires: v.expires };
  } catch {
    // an empty or torn file (never written by this module, which links whole files) reads as unknown
  }
  return undefined;
}

function failure(what: string, err: unknown): BackupError {
  return new BackupError(`${what}: ${codeOf(err) || (err instanceof Error ? err.message : String(err))}`, { cause: err });
}
