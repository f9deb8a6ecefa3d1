/**
 * Where a backup reads from: a share snapshot created for it (Azure Files), or the live source when
 * the reader has no snapshots (a local directory; recorded in the manifest by the absence of a share
 * snapshot). Also the housekeeping of share snapshots once a backup is safely recorded: keep the
 * latest one (default: a changed-range read needs it) or none.
 */
import { PathNotFoundError, ShareNotFoundError, ShareUnsupportedError, type ShareReader } from "../ports/share-reader";
import { BackupError, describeError } from "./model";

export interface Source {
  readonly reader: ShareReader;
  /** The share snapshot read from; undefined when read live. */
  readonly shareSnapshot: string | undefined;
}

/** Snapshots the share, or falls back to reading it live when the backend has no snapshots. */
export async function openSource(live: ShareReader): Promise<Source> {
  let id: string;
  try {
    id = await live.createSnapshot();
  } catch (err) {
    if (err instanceof ShareUnsupportedError) return { reader: live, shareSnapshot: undefined };
    throw new BackupError(`backup failed creating a share snapshot of ${live.description}: ${describeError(err)}`, { cause: err });
  }
  return { reader: live.atSnapshot(id), shareSnapshot: id };
}

/** Deletes a share snapshot; one already gone counts as deleted. */
export async function dropShareSnapshot(live: ShareReader, snapshot: string): Promise<boolean> {
  try {
    await live.deleteSnapshot(snapshot);
    return true;
  } catch (err) {
    if (err instanceof ShareNotFoundError || err instanceof PathNotFoundError) return false;
    throw new BackupError(`backup failed deleting share snapshot ${snapshot} of ${live.description}: ${describeError(err)}`, { cause: err });
  }
}

/**
 * Housekeeping after a recorded backup: with keep = 1 the parent's share snapshot goes (the new one
 * stays); with keep = 0 the new one goes too. Returns how many were deleted.
 */
export async function housekeepShareSnapshots(live: ShareReader, keep: number, current: string | undefined, parent: string | undefined): Promise<number> {
  if (keep !== 0 && keep !== 1) throw new BackupError(`the number of share snapshots to keep must be 0 or 1, got ${keep}`);
  let deleted = 0;
  if (parent !== undefined && parent !== current && (await dropShareSnapshot(live, parent))) deleted++;
  if (current !== undefined && keep === 0 && (await dropShareSnapshot(live, current))) deleted++;
  return deleted;
}
