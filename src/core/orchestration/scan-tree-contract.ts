/**
 * The contract between the scan orchestrations (src/functions/orchestrations/scan-tree.ts) and the
 * activities they call: names, inputs and outputs. Everything that crosses the orchestration history
 * is ids and counts, never listings: a directory listing, its diff against the node index and the
 * change records it produces stay in the activity and the stores it writes.
 *
 * - `listDirectory` lists ONE directory of the scan's share snapshot (all pages), diffs it against the
 *   index, stores its change records outside the history, and returns the ids of its child
 *   directories and counts. It must be idempotent: a retried call stores nothing twice.
 * - `scanFrontier` keeps the directories still to list (a FrontierStore): `push` adds the children a
 *   wave found under a key, `claim` hands a wave its batch under a key; both are idempotent per key.
 */

export const SCAN_TREE_ORCHESTRATION = "scanTree";
export const SCAN_WAVE_ORCHESTRATION = "scanWave";
export const LIST_DIRECTORY_ACTIVITY = "listDirectory";
export const SCAN_FRONTIER_ACTIVITY = "scanFrontier";

export interface ListDirectoryInput {
  /** The scan (the activity finds the share, its snapshot and where to store changes from it). */
  readonly scanId: string;
  /**
   * The directory's token: whatever the activity needs to list it, as the activity itself produced
   * it in `childDirIds` (the root's is the scan's rootDirId). The orchestrations never parse it.
   * Azure Files lists by path while the index files by FileId, so a real token carries both, e.g.
   * `<fileId>:<path>` (the Table frontier accepts tokens of up to 8,192 characters).
   */
  readonly dirId: string;
}

/** Counts of one listing, summed along the way into the scan's progress. */
export interface ScanCounts {
  readonly dirs: number;
  readonly files: number;
  readonly bytes: number;
  /** Change records stored for this directory (added, modified, renamed, moved, deleted...). */
  readonly changes: number;
  /** Directories that could not be listed (vanished during the scan). */
  readonly errors: number;
}

export interface ListDirectoryOutput extends ScanCounts {
  readonly childDirIds: readonly string[];
}

export type FrontierRequest =
  | { readonly op: "push"; readonly scanId: string; readonly key: string; readonly dirIds: readonly string[] }
  | { readonly op: "claim"; readonly scanId: string; readonly key: string; readonly max: number };

/** push: ids added (0 for a repeated key); claim: the batch. */
export type FrontierResponse = { readonly pushed: number } | { readonly dirIds: readonly string[] };

/** Activity names, overridable so tests and benchmarks can register cheap stand-ins. */
export interface ScanActivityNames {
  readonly listDirectory: string;
  readonly frontier: string;
}

export const DEFAULT_SCAN_ACTIVITIES: ScanActivityNames = { listDirectory: LIST_DIRECTORY_ACTIVITY, frontier: SCAN_FRONTIER_ACTIVITY };

export interface ScanTreeInput {
  readonly scanId: string;
  readonly rootDirId: string;
  /** Directories one wave sub-orchestration lists (default 1000; its history holds about 2 events per directory). */
  readonly waveSize?: number;
  /** Waves run in parallel per round (default 4). */
  readonly parallelWaves?: number;
  /** Rounds per generation before continueAsNew (default 25). */
  readonly roundsPerGeneration?: number;
  readonly activities?: ScanActivityNames;
  /** Carried across continueAsNew; absent on the first start. */
  readonly carried?: ScanProgress;
}

export interface ScanProgress extends ScanCounts {
  /** Directories listed so far. */
  readonly listed: number;
  readonly rounds: number;
  readonly generation: number;
}

export interface ScanWaveInput {
  readonly scanId: string;
  readonly key: string;
  readonly max: number;
  readonly activities: ScanActivityNames;
}

export interface ScanWaveOutput extends ScanCounts {
  readonly listed: number;
  readonly pushed: number;
}

/** The scan orchestration's custom status (what the portal and GET /api/operations show). */
export interface ScanStatus extends ScanProgress {
  readonly phase: "scanning" | "done";
}

export const ZERO_COUNTS: ScanCounts = { dirs: 0, files: 0, bytes: 0, changes: 0, errors: 0 };

export function addCounts<T extends ScanCounts>(into: T, more: ScanCounts): T {
  return { ...into, dirs: into.dirs + more.dirs, files: into.files + more.files, bytes: into.bytes + more.bytes, changes: into.changes + more.changes, errors: into.errors + more.errors };
}
