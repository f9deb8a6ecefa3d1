/**
 * The contract between the `restoreSnapshot` orchestration (src/functions/orchestrations/
 * restore-snapshot.ts) and its activities: names, inputs and outputs. Everything that crosses the
 * history is ids and counts; the run's batches live in the repository container under
 * `runs/restore/<runId>/` (see src/functions/activities/restore-run.ts).
 *
 * - `restorePlan`: resolves the snapshot, checks the selection (names, and every target path under
 *   conflict `fail`), writes the batches; or refuses with the reason (nothing written). Idempotent:
 *   a plan already written is returned as it is.
 * - `restoreBatch`: restores batch `n` (directories, files); idempotent (see run-batch.ts).
 * - `restoreFinish`: applies directory properties of dir list `n` (deepest first); idempotent.
 * - `restoreCleanup`: deletes the run's documents; idempotent.
 */
import type { RestoreOutcome } from "../ports/telemetry";
import type { RestoreRequest } from "../registry/restore-request";
import type { BatchCounts } from "../restore/run-batch";

export const RESTORE_SNAPSHOT_ORCHESTRATION = "restoreSnapshot";
export const RESTORE_ACTIVITIES = {
  plan: "restorePlan",
  batch: "restoreBatch",
  finish: "restoreFinish",
  cleanup: "restoreCleanup",
} as const;

/** The orchestration's input: the checked request (snapshot already resolved to its id) and its time. */
export interface RestoreSnapshotInput {
  readonly request: RestoreRequest;
  /** ISO time of the request: names restored copies under `rename`. */
  readonly requestedAt: string;
  /** Smaller batches, waves and generations than the defaults (tests and benchmarks only). */
  readonly tuning?: RestoreTuning;
  /** State carried over continueAsNew (absent on the first execution). */
  readonly carried?: RestoreCarried;
}

export interface RestoreTuning {
  readonly batchItems?: number;
  readonly waveSize?: number;
  readonly activitiesPerGeneration?: number;
}

export interface RestoreCarried {
  readonly plan: PlanOutput;
  /** Next batch to run, then next dir list to finish (counting down from dirLists). */
  readonly nextBatch: number;
  readonly nextDirList: number;
  readonly totals: BatchCounts;
  readonly dirsFinished: number;
  readonly generation: number;
}

export interface RunActivityInput {
  readonly runId: string;
}

/** The cleanup step; `outcome` (when the run ended) is reported to monitoring. */
export interface CleanupActivityInput extends RunActivityInput {
  readonly outcome?: RestoreOutcome;
}

export interface PlanActivityInput extends RunActivityInput {
  readonly request: RestoreRequest;
  readonly batchItems?: number;
}

export interface PlanOutput {
  readonly snapshotId: string;
  readonly snapshotTime: string;
  readonly shareKey: string;
  readonly target: string;
  readonly batches: number;
  readonly dirLists: number;
  readonly files: number;
  readonly dirs: number;
  readonly bytes: number;
}

export type PlanActivityOutput = { readonly kind: "planned"; readonly plan: PlanOutput } | { readonly kind: "refused"; readonly reason: string };

export interface BatchActivityInput extends RunActivityInput {
  readonly request: RestoreRequest;
  readonly requestedAt: string;
  readonly batch: number;
}

export interface FinishActivityInput extends RunActivityInput {
  readonly request: RestoreRequest;
  readonly dirList: number;
}

export type RestorePhase = "planning" | "restoring" | "finishing" | "done" | "failed";

export interface RestoreStatus {
  readonly phase: RestorePhase;
  readonly files: number;
  readonly bytes: number;
  readonly errors: number;
  /** Planned totals (0 while planning). */
  readonly totalFiles: number;
  readonly totalBytes: number;
  readonly batchesDone: number;
  readonly batches: number;
  readonly verified: number;
}

export interface RestoreOutput {
  readonly snapshotId: string;
  readonly target: string;
  readonly files: number;
  readonly dirs: number;
  readonly bytes: number;
  readonly bytesWritten: number;
  readonly dirsCreated: number;
  readonly verified: number;
  readonly skipped: number;
  readonly overwritten: number;
  readonly renamed: number;
}
