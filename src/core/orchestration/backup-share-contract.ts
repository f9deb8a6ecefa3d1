/**
 * The contract between the `backupShare` orchestration and its activities: names, inputs, outputs.
 * Only ids and counts cross the history; the run's state lives in its RunStore (src/core/backup-run).
 */
import type { BackupSummary } from "../backup/model";
import type { StepCounts } from "../backup-run/run-model";
import type { ResolveOutput } from "../backup-run/resolve-step";
import type { ScanCounts } from "./scan-tree-contract";

export const BACKUP_ACTIVITIES = {
  begin: "backupBegin",
  resolve: "backupResolve",
  content: "backupContent",
  seal: "backupSeal",
  manifest: "backupManifest",
  index: "backupIndex",
  finish: "backupFinish",
  abort: "backupAbort",
} as const;

export const BACKUP_CONTENT_ORCHESTRATION = "backupContentBatches";
export const BACKUP_SEAL_ORCHESTRATION = "backupSealLevel";

export interface BeginActivityInput {
  readonly runId: string;
  /** The registered share's id. */
  readonly shareId: string;
  /** The orchestration instance that holds the share's lock. */
  readonly owner: string;
}

export interface BeginActivityOutput {
  readonly rootToken: string;
  readonly share: string;
  readonly shareSnapshot: string | null;
  readonly indexRebuilt: boolean;
}

export interface ResolveActivityInput {
  readonly runId: string;
  readonly scanned: ScanCounts;
}

export interface ContentActivityInput {
  readonly runId: string;
  readonly batch: number;
}

/** A sub-orchestration's share of the content batches: [from, to). */
export interface ContentBatchesInput {
  readonly runId: string;
  readonly from: number;
  readonly to: number;
}

export interface SealActivityInput {
  readonly runId: string;
  readonly slice: string;
}

/** One level of the sealing: its slices d<depth>-s0 ... s<slices-1>. */
export interface SealLevelInput {
  readonly runId: string;
  readonly depth: number;
  readonly slices: number;
}

export interface ManifestActivityInput {
  readonly runId: string;
  readonly scanned: ScanCounts;
  readonly resolved: Omit<ResolveOutput, "levels" | "errors">;
  readonly totals: StepCounts;
}

export interface FinishActivityInput {
  readonly runId: string;
  readonly shareId: string;
  readonly trigger: string;
  /** The summary the orchestration returns (telemetry reports it). */
  readonly summary: BackupShareResult;
}

export interface AbortActivityInput {
  readonly runId: string;
  readonly shareId: string;
  readonly owner: string;
  readonly trigger: string;
  readonly phase: string;
  readonly reason: string;
  readonly durationMs: number;
}

/** The orchestration's custom status. */
export interface BackupShareStatus {
  readonly phase: "snapshot" | "scan" | "plan" | "content" | "trees" | "manifest" | "index" | "cleanup" | "done" | "failed";
  readonly dirs: number;
  readonly files: number;
  readonly bytes: number;
  readonly errors: number;
  /** During the scan: the scan sub-orchestration, whose custom status holds the live counts. */
  readonly scanInstance?: string;
  readonly filesToRead?: number;
  readonly bytesToRead?: number;
  readonly bytesRead?: number;
  readonly dirsToSeal?: number;
  readonly dirsSealed?: number;
}

/**
 * The orchestration's output: `afb backup --json`'s summary, with counts where the CLI lists (unstable
 * files, scan errors) so that no file list crosses the history.
 */
export interface BackupShareResult extends Omit<BackupSummary, "unstable" | "fullReadReasons" | "shareSnapshotsDeleted"> {
  readonly unstable: number;
  readonly errors: number;
}
