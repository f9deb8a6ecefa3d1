/**
 * The SNAPSHOT argument of `afb restore` and `afb ls`, with the source named the way `afb backup`
 * names it: `--share NAME` is the share key `<account>.<name>` of the configured Files account (a
 * share key as `afb snapshots` prints it is accepted as is), `--dir PATH` the key of that local
 * directory. Errors are findSnapshot's (they say what matched), for the first key that was tried.
 */
import { createShareServiceClient, filesCredentialsFromSettings } from "../../adapters/azure-files/client";
import type { SettingsSource } from "../../config/settings";
import type { SnapshotRef } from "../../core/repository/layout";
import { findSnapshot, type SnapshotLister } from "../../core/restore/snapshot-spec";
import { dirShareKey } from "./backup-target";

export interface SourceFlags {
  share?: string;
  dir?: string;
}

/** The share keys the flags may mean, most literal first; [] = every share. */
export function sourceKeys(flags: SourceFlags, settings: SettingsSource): string[] {
  if (flags.share !== undefined && flags.dir !== undefined) throw new Error("give at most one of --share NAME or --dir PATH");
  if (flags.dir !== undefined) return [dirShareKey(flags.dir)];
  if (flags.share === undefined) return [];
  const keys = [flags.share.toLowerCase()];
  try {
    const account = createShareServiceClient(filesCredentialsFromSettings(settings)).accountName;
    keys.push(`${account}.${flags.share}`.toLowerCase());
  } catch {
    // No Files account configured: only the literal key can match.
  }
  return keys;
}

export async function findSnapshotArg(repo: SnapshotLister, spec: string, flags: SourceFlags, settings: SettingsSource): Promise<SnapshotRef> {
  const keys = sourceKeys(flags, settings);
  if (keys.length === 0) return findSnapshot(repo, spec);
  let first: unknown;
  for (const key of keys) {
    try {
      return await findSnapshot(repo, spec, key);
    } catch (err) {
      first ??= err;
    }
  }
  throw first;
}
