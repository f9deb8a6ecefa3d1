/**
 * Finds the snapshot a user names: its id (64 hex digits, as `afb snapshots` prints it, or any unique
 * prefix of at least 4 digits), or `latest` (the newest snapshot of the share given with it). Listing
 * reads only blob names, never a manifest. Errors say what matched: nothing, or which ones.
 */
import type { SnapshotRef } from "../repository/layout";
import { SnapshotSpecError } from "./errors";

export interface SnapshotLister {
  listSnapshots(share?: string): AsyncIterable<SnapshotRef>;
}

const SHOWN = 5;

export async function findSnapshot(repo: SnapshotLister, spec: string, share?: string): Promise<SnapshotRef> {
  const where = share === undefined ? "the repository" : `share ${share}`;
  if (spec.toLowerCase() === "latest") {
    if (share === undefined) throw new SnapshotSpecError("`latest` needs --share NAME (or --dir PATH): which share's newest snapshot?");
    let newest: SnapshotRef | undefined;
    for await (const ref of repo.listSnapshots(share)) if (newest === undefined || ref.time >= newest.time) newest = ref;
    if (newest === undefined) throw new SnapshotSpecError(`there is no snapshot of ${where}`);
    return newest;
  }
  const prefix = spec.toLowerCase();
  if (!/^[0-9a-f]{4,64}$/.test(prefix)) throw new SnapshotSpecError(`snapshot ${JSON.stringify(spec)} is neither "latest" nor a snapshot id (4 to 64 hex digits)`);
  const matches: SnapshotRef[] = [];
  for await (const ref of repo.listSnapshots(share)) if (ref.id.startsWith(prefix)) matches.push(ref);
  if (matches.length === 0) throw new SnapshotSpecError(`no snapshot in ${where} has an id starting with ${prefix}`);
  if (matches.length > 1) {
    const shown = matches.slice(0, SHOWN).map((m) => `${m.share} ${new Date(m.time).toISOString()} ${m.id}`);
    throw new SnapshotSpecError(`${matches.length} snapshots have ids starting with ${prefix}; give more digits:\n  ${shown.join("\n  ")}`);
  }
  return matches[0];
}
