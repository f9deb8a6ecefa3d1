/**
 * Where the CLI's repository lives, and opening it. `AFB_REPOSITORY_PATH` set: a local folder
 * (DirObjectStore, with FileLeaseLock for backups), as restic's `-r PATH`; otherwise the blob container
 * of `AFB_REPOSITORY` / `AFB_REPOSITORY_CONTAINER` (BlobObjectStore, BlobLeaseLock).
 * Guarantees: an empty or missing repository is refused by openExistingRepository with `whenEmpty`,
 * before Repository.open would initialise one, so a read-only command never writes a repository config.
 */
import { resolve } from "node:path";
import { DirObjectStore } from "../../adapters/local-fs/dir-object-store";
import { FileLeaseLock } from "../../adapters/lock/file-lease-lock";
import type { SettingsSource } from "../../config/settings";
import type { BackupLock } from "../../core/backup/model";
import { CONFIG_KEY } from "../../core/repository/layout";
import type { ObjectStore } from "../../core/repository/object-store";
import { Repository } from "../../core/repository/repository";

/** The repository's store, with the call that creates its container or folder. */
export interface RepositoryStore extends ObjectStore {
  ensureContainer(): Promise<void>;
}

/** The absolute repository folder when AFB_REPOSITORY_PATH is set (relative to the current folder). */
export function repositoryPathOf(settings: SettingsSource): string | undefined {
  const path = settings("AFB_REPOSITORY_PATH");
  return path === undefined ? undefined : resolve(path);
}

export interface RepositoryBackend {
  readonly store: RepositoryStore;
  /** The lock that keeps two backups of one share apart, kept with the repository. */
  lock(): BackupLock;
}

/** The configured backend; the Blob SDK is loaded only when the repository is a container. */
export async function repositoryBackend(settings: SettingsSource): Promise<RepositoryBackend> {
  const path = repositoryPathOf(settings);
  if (path !== undefined) return { store: new DirObjectStore(path), lock: () => new FileLeaseLock(path) };
  const [{ blobObjectStore, repositoryConnectionFromSettings }, { BlobLeaseLock }] = await Promise.all([import("../../adapters/blob/connect"), import("../../adapters/lock/blob-lease-lock")]);
  const connection = repositoryConnectionFromSettings(settings);
  return { store: blobObjectStore(connection), lock: () => BlobLeaseLock.of(connection) };
}

export async function openExistingRepository(settings: SettingsSource, whenEmpty: string): Promise<Repository> {
  const { store } = await repositoryBackend(settings);
  if ((await store.head(CONFIG_KEY)) === undefined) throw new Error(whenEmpty);
  return Repository.open(store);
}
