/**
 * Opens the configured repository for the commands that read backups (restore, ls, diff, stats, find,
 * history, check). Guarantees: an empty or missing repository is refused with `whenEmpty`, before
 * Repository.open would initialise one, so a read-only command never writes a repository config.
 */
import { blobObjectStore, repositoryConnectionFromSettings } from "../../adapters/blob/connect";
import type { SettingsSource } from "../../config/settings";
import { CONFIG_KEY } from "../../core/repository/layout";
import { Repository } from "../../core/repository/repository";

export async function openExistingRepository(settings: SettingsSource, whenEmpty: string): Promise<Repository> {
  const store = blobObjectStore(repositoryConnectionFromSettings(settings));
  if ((await store.head(CONFIG_KEY)) === undefined) throw new Error(whenEmpty);
  return Repository.open(store);
}
