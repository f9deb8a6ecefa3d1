/**
 * Shared setup of the backup engine's unit tests: a directory on disk read through the local-fs
 * reader (wrapped to count content reads), the in-memory node index and object store, and helpers to
 * run a backup and build files.
 */
import { mkdtemp, mkdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { dirname, join } from "node:path";
import { LocalShareReader } from "../../../src/adapters/local-fs/share-reader";
import { MemoryNodeIndex } from "../../../src/adapters/memory/node-index";
import { MemoryObjectStore } from "../../../src/adapters/memory/object-store";
import { MemoryBackupLock } from "../../../src/adapters/lock/memory-lock";
import { runBackup, type BackupOptions } from "../../../src/core/backup/backup";
import type { BackupSummary } from "../../../src/core/backup/model";
import type { NodeIndex } from "../../../src/core/ports/node-index";
import { Repository } from "../../../src/core/repository/repository";
import { CountingReader } from "../scan/helpers";
import { memorySpool } from "../../helpers/record-spools";

export interface World {
  root: string;
  reader: CountingReader;
  index: NodeIndex;
  store: MemoryObjectStore;
  lock: MemoryBackupLock;
  backup(extra?: Partial<BackupOptions>): Promise<BackupSummary>;
  write(path: string, content: string | Buffer): Promise<void>;
  close(): Promise<void>;
}

let clock = Date.UTC(2026, 0, 1);
export const tick = (): number => (clock += 1000);

export async function newWorld(prefix = "afb-backup-"): Promise<World> {
  const root = await mkdtemp(join(tmpdir(), prefix));
  const world: World = {
    root,
    reader: new CountingReader(new LocalShareReader(root)),
    index: new MemoryNodeIndex(),
    store: new MemoryObjectStore(),
    lock: new MemoryBackupLock(),
    backup: async (extra = {}) => {
      const repository = await Repository.open(world.store);
      return runBackup({ recordSpool: memorySpool, share: "local-test", shareId: "t1", reader: world.reader, index: world.index, repository, now: tick, lock: world.lock, ...extra });
    },
    write: async (path, content) => {
      await mkdir(dirname(join(root, path)), { recursive: true });
      await writeFile(join(root, path), content);
    },
    close: () => rm(root, { recursive: true, force: true }),
  };
  return world;
}

/** A full backup of `world`'s directory into a fresh index and repository: the reference result. */
export async function freshRootTree(world: World): Promise<string> {
  const repository = await Repository.open(new MemoryObjectStore());
  const s = await runBackup({ recordSpool: memorySpool, share: "local-test", shareId: "t1", reader: new LocalShareReader(world.root), index: new MemoryNodeIndex(), repository, now: tick });
  return s.rootTree;
}
