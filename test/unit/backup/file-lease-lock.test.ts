/**
 * The lock of a local-folder repository passes the lock conformance suite, and keeps its own
 * promises across processes (two instances on one folder stand for two processes): one winner of a
 * race, an expired lease taken over, a renewed or run lease kept, a release that never frees a later
 * holder, a lock file that names its holder.
 */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileLeaseLock } from "../../../src/adapters/lock/file-lease-lock";
import { BackupError, BackupLockedError } from "../../../src/core/backup/model";
import { lockConformance } from "./lock.conformance";

const roots: string[] = [];
function freshRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "afb-file-lock-"));
  roots.push(root);
  return root;
}
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

lockConformance("FileLeaseLock", () => new FileLeaseLock(freshRoot()));

describe("FileLeaseLock across processes", () => {
  const at = (t: { now: number }) => ({ clock: () => t.now });

  test("of several backups racing for a share exactly one wins; the others name the share and the lock file", async () => {
    const root = freshRoot();
    const results = await Promise.allSettled([1, 2, 3, 4, 5].map(() => new FileLeaseLock(root).acquire("dir-racing")));
    const won = results.filter((r) => r.status === "fulfilled");
    expect(won).toHaveLength(1);
    for (const r of results) if (r.status === "rejected") {
      expect(r.reason).toBeInstanceOf(BackupLockedError);
      expect(r.reason.message).toContain(`another backup of share dir-racing is running (its lock file ${join(root, "locks", "dir-racing")} is held)`);
    }
    await (won[0] as PromiseFulfilledResult<{ release(): Promise<void> }>).value.release();
    expect(readdirSync(join(root, "locks"))).toEqual([]);
    expect(readdirSync(join(root, "tmp"))).toEqual([]);
  });

  test("a backup that died without releasing frees the share when its lease ends, not before", async () => {
    const root = freshRoot();
    const t = { now: 1_000_000 };
    const dead = await new FileLeaseLock(root, at(t)).acquire("dir-dead");
    void dead; // never released: its process died
    t.now += 59_000;
    await expect(new FileLeaseLock(root, at(t)).acquire("dir-dead")).rejects.toThrow(BackupLockedError);
    t.now += 2_000;
    const next = await new FileLeaseLock(root, at(t)).acquire("dir-dead");
    expect(JSON.parse(readFileSync(join(root, "locks", "dir-dead"), "utf8"))).toMatchObject({ expires: t.now + 60_000 });
    // The dead holder's late release leaves the new holder's lock in place.
    await dead.release();
    await expect(new FileLeaseLock(root, at(t)).acquire("dir-dead")).rejects.toThrow(BackupLockedError);
    await next.release();
    expect(existsSync(join(root, "locks", "dir-dead"))).toBe(false);
  });

  test("a running backup renews its lease, so it is not taken over", async () => {
    const root = freshRoot();
    const t = { now: 5_000_000 };
    const held = await new FileLeaseLock(root, { ...at(t), renewMs: 10 }).acquire("dir-long");
    t.now += 50_000;
    const path = join(root, "locks", "dir-long");
    for (let i = 0; i < 100 && JSON.parse(readFileSync(path, "utf8")).expires !== t.now + 60_000; i++) await new Promise((r) => setTimeout(r, 10));
    expect(JSON.parse(readFileSync(path, "utf8")).expires).toBe(t.now + 60_000);
    t.now += 30_000; // past the first lease, within the renewed one
    await expect(new FileLeaseLock(root, at(t)).acquire("dir-long")).rejects.toThrow(BackupLockedError);
    await held.release();
  });

  test("a run lock (the app's backupShare) never expires; another owner is refused a day later", async () => {
    const root = freshRoot();
    const t = { now: 9_000_000 };
    await new FileLeaseLock(root, at(t)).hold("dir-run", "instance-1");
    t.now += 86_400_000;
    await expect(new FileLeaseLock(root, at(t)).hold("dir-run", "instance-2")).rejects.toThrow(/names another owner than instance-2/);
    await expect(new FileLeaseLock(root, at(t)).acquire("dir-run")).rejects.toThrow(BackupLockedError);
    await new FileLeaseLock(root, at(t)).release("dir-run", "instance-1");
    await new FileLeaseLock(root, at(t)).hold("dir-run", "instance-2");
  });

  test("an unreadable lock file is held until someone removes it; a bad share key is refused", async () => {
    const root = freshRoot();
    const lock = new FileLeaseLock(root);
    await lock.acquire("dir-torn").then((h) => h.release());
    writeFileSync(join(root, "locks", "dir-torn"), "not json");
    await expect(lock.acquire("dir-torn")).rejects.toThrow(BackupLockedError);
    await expect(lock.acquire("../escape")).rejects.toThrow(BackupError);
    await expect(lock.acquire("../escape")).rejects.toThrow('cannot lock share key "../escape"');
  });
});
