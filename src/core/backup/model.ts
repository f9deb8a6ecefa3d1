/**
 * The backup engine's vocabulary: its phases (in the order they run), the hooks a caller can inject
 * between them (progress, crash tests), the summary a backup returns, and its errors.
 * Guarantees: a phase hook runs after its phase completed and before the next one starts, so a hook
 * that throws leaves exactly the state of a process that died at that boundary.
 */
import type { DirectoryNode, UnstableFile } from "../repository/model";
import type { ScanStats } from "../scan/stats";

/** Phases in order; "content" stores file content, "trees" seals directories, "index" updates the node index. */
export const BACKUP_PHASES = ["lock", "snapshot", "scan", "content", "trees", "manifest", "index", "cleanup"] as const;
export type BackupPhase = (typeof BACKUP_PHASES)[number];

/** Live counters; `onProgress` receives a copy. */
export interface BackupProgress {
  phase: BackupPhase;
  /** Entries listed by the scan so far. */
  files: number;
  dirs: number;
  /** Files whose content was stored so far, of `filesToRead`. */
  filesRead: number;
  filesToRead: number;
  /** Content bytes read so far, of `bytesToRead`. */
  bytesRead: number;
  bytesToRead: number;
  /** Directories sealed so far, of `dirsToSeal`. */
  dirsSealed: number;
  dirsToSeal: number;
}

/** What one backup did: the object `afb backup --json` prints. */
export interface BackupSummary {
  readonly snapshotId: string;
  readonly share: string;
  /** The share snapshot the backup read from; null when a local directory was read live. */
  readonly shareSnapshot: string | null;
  readonly rootTree: string;
  readonly files: number;
  readonly dirs: number;
  /** Sum of the sizes of every file in the snapshot. */
  readonly bytesScanned: number;
  /** Content bytes actually read from the share. */
  readonly bytesRead: number;
  /** Bytes of chunks new to the repository (after dedup). */
  readonly bytesNew: number;
  readonly chunksNew: number;
  readonly packsWritten: number;
  readonly treesWritten: number;
  readonly added: number;
  readonly modified: number;
  readonly renamed: number;
  readonly moved: number;
  readonly deleted: number;
  readonly metadataOnly: number;
  /** Ranged reads of changed regions (changed-range reads of large files). */
  readonly rangeReads: number;
  /** Why large modified files were read whole instead of by changed ranges (reason -> count). */
  readonly fullReadReasons: Readonly<Record<string, number>>;
  /** Files that changed or vanished while they were read (live sources): never stored torn. */
  readonly unstable: readonly UnstableFile[];
  /** True when the node index was rebuilt from the latest snapshot before the scan. */
  readonly indexRebuilt: boolean;
  /** Share snapshots deleted by housekeeping. */
  readonly shareSnapshotsDeleted: number;
  readonly durationMs: number;
}

/**
 * What one pass over the share produced before the manifest: the root entry, the counts a scan
 * reports, and the index update to run once the manifest is written.
 */
export interface SealedPass {
  readonly root: DirectoryNode;
  readonly stats: ScanStats;
  readonly unstable: UnstableFile[];
  readonly rangeReads: number;
  readonly fullReadReasons: Record<string, number>;
  /** Applies the pass to the node index (after the manifest only). */
  writeIndex(): Promise<void>;
  /** Frees what the pass kept for the index update; safe to call twice. */
  dispose(): Promise<void>;
}

/** A backup that could not finish; the message names the file (or directory) and the operation. */
export class BackupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Another backup of the same share holds the lock. */
export class BackupLockedError extends BackupError {}

/** A held lock; `release` is safe to call twice. */
export interface LockHandle {
  release(): Promise<void>;
}

/** The port that keeps two backups of one share from running at once (a blob lease in production). */
export interface BackupLock {
  /** Takes the lock of `share` or throws BackupLockedError naming it. */
  acquire(share: string): Promise<LockHandle>;
}

/**
 * The lock of a backup that spans several processes (a durable orchestration's activities): held in
 * the name of an owner (the orchestration instance) until released, with no process renewing it.
 * `hold` is idempotent for the same owner (a retried or replayed activity takes it again) and throws
 * BackupLockedError for any other holder; `release` by the owner is idempotent. An owner that dies
 * without releasing keeps the share locked for other owners until the same owner runs again and
 * releases it (the app's orchestrations run under a fixed instance id per share, so the next run does).
 */
export interface RunLock {
  hold(share: string, owner: string): Promise<void>;
  release(share: string, owner: string): Promise<void>;
}

/** Message of an unknown thrown value. */
export function describeError(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}
