/**
 * The `restoreSnapshot` orchestration: plan (resolve the snapshot, check the selection, write the
 * batches to the run's documents) -> batches by fan-out in waves of WAVE_SIZE -> directory properties,
 * dir lists from the last to the first (deepest first overall) -> cleanup of the run's documents.
 * A refused plan (unknown snapshot, path not in the snapshot, unsafe names, conflicts under `fail`)
 * fails the orchestration with the reason before anything is written; a failed batch fails it with
 * the batch's reason after cleaning up the run's documents (what was written stays: rerun with
 * conflict `skip` to finish it).
 * History bound: each execution schedules at most ACTIVITIES_PER_GENERATION activities, then
 * continues as new carrying only counts and cursors. An activity costs 2 events (scheduled,
 * completed), each failed attempt about 4 more (failed, timer created, timer fired, scheduled again;
 * 4 attempts at most), each wave 2 (orchestrator started/completed): at most
 * 400 x (2 + 3 x 4) + 2 x 400 / WAVE_SIZE + a few = about 5,700 events in the worst case, ~850 without retries.
 * Inputs and outputs are ids and counts; custom status { phase, files, bytes, errors, ... } per wave.
 * Deterministic: no clock, no randomness, no I/O (lint-enforced); the run id is the instance id.
 */
import * as df from "durable-functions";
import type { OrchestrationContext, OrchestrationHandler, Task } from "durable-functions";
import {
  RESTORE_ACTIVITIES as A,
  RESTORE_SNAPSHOT_ORCHESTRATION,
  type BatchActivityInput,
  type FinishActivityInput,
  type PlanActivityInput,
  type PlanActivityOutput,
  type RestoreCarried,
  type RestoreOutput,
  type RestorePhase,
  type RestoreSnapshotInput,
  type RestoreStatus,
  type CleanupActivityInput,
} from "../../core/orchestration/restore-snapshot-contract";
import { addBatchCounts, ZERO_BATCH_COUNTS, type BatchCounts } from "../../core/restore/run-batch";
import { transientRetry } from "./retry";

/** Batches restored at once. */
export const WAVE_SIZE = 16;
/** Activities one execution schedules before it continues as new (see the history bound above). */
export const ACTIVITIES_PER_GENERATION = 400;

function tuned(value: number | undefined, fallback: number, what: string): number {
  const v = value ?? fallback;
  if (!Number.isInteger(v) || v < 1 || v > fallback) throw new Error(`restoreSnapshot: tuning.${what} must be an integer from 1 to ${fallback}, got ${v}`);
  return v;
}

/** The target as monitoring names it, before the plan resolved it. */
function describeTarget(request: RestoreSnapshotInput["request"]): string {
  const t = request.target as { share?: string; dir?: string; sameShare?: boolean };
  return `${t.sameShare === true ? request.shareId : (t.share ?? "?")}${t.dir === undefined ? "" : `/${t.dir}`}`;
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export const restoreSnapshotOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<RestoreSnapshotInput>();
  if (typeof input?.request?.shareId !== "string" || typeof input.requestedAt !== "string") throw new Error("restoreSnapshot needs { request, requestedAt }");
  const runId = context.df.instanceId;
  const retry = transientRetry();
  const request = input.request;
  const waveSize = tuned(input.tuning?.waveSize, WAVE_SIZE, "waveSize");
  const perGeneration = tuned(input.tuning?.activitiesPerGeneration, ACTIVITIES_PER_GENERATION, "activitiesPerGeneration");
  let carried: RestoreCarried | undefined = input.carried;
  /** Since the request, across continueAsNew generations (replay-safe: the orchestration's clock). */
  const elapsed = () => Math.max(0, context.df.currentUtcDateTime.getTime() - Date.parse(input.requestedAt));
  const status = (phase: RestorePhase, c: RestoreCarried | undefined, errors = 0): RestoreStatus => ({
    phase, files: c?.totals.files ?? 0, bytes: c?.totals.bytes ?? 0, errors, totalFiles: c?.plan.files ?? 0, totalBytes: c?.plan.bytes ?? 0,
    batchesDone: c?.nextBatch ?? 0, batches: c?.plan.batches ?? 0, verified: c?.totals.verified ?? 0,
  });

  if (carried === undefined) {
    context.df.setCustomStatus(status("planning", undefined));
    const planInput: PlanActivityInput = { runId, request, batchItems: input.tuning?.batchItems };
    const planned: PlanActivityOutput = yield context.df.callActivityWithRetry(A.plan, retry, planInput);
    if (planned.kind === "refused") {
      const refused: CleanupActivityInput = { runId, outcome: { snapshotId: request.snapshot, target: describeTarget(request), instanceId: runId, status: "failed", durationMs: elapsed(), errors: 1, failure: planned.reason } };
      yield context.df.callActivityWithRetry(A.cleanup, retry, refused);
      // Only now: a client that sees "failed" must find the run ended (nothing runs after this).
      context.df.setCustomStatus(status("failed", undefined, 1));
      throw new Error(`restore of share ${request.shareId} refused: ${planned.reason}`);
    }
    carried = { plan: planned.plan, nextBatch: 0, nextDirList: planned.plan.dirLists, totals: ZERO_BATCH_COUNTS, dirsFinished: 0, generation: 0 };
  }
  let c: RestoreCarried = carried;
  let budget = perGeneration;
  try {
    while (c.nextBatch < c.plan.batches && budget > 0) {
      context.df.setCustomStatus(status("restoring", c));
      const tasks: Task[] = [];
      const end = Math.min(c.plan.batches, c.nextBatch + waveSize, c.nextBatch + budget);
      for (let n = c.nextBatch; n < end; n++) {
        const batch: BatchActivityInput = { runId, request, requestedAt: input.requestedAt, batch: n };
        tasks.push(context.df.callActivityWithRetry(A.batch, retry, batch));
      }
      const results: BatchCounts[] = yield context.df.Task.all(tasks);
      budget -= tasks.length;
      c = { ...c, nextBatch: end, totals: results.reduce(addBatchCounts, c.totals) };
    }
    while (c.nextBatch >= c.plan.batches && c.nextDirList > 0 && budget > 0) {
      context.df.setCustomStatus(status("finishing", c));
      const finish: FinishActivityInput = { runId, request, dirList: c.nextDirList - 1 };
      const finished: number = yield context.df.callActivityWithRetry(A.finish, retry, finish);
      budget--;
      c = { ...c, nextDirList: c.nextDirList - 1, dirsFinished: c.dirsFinished + finished };
    }
  } catch (err) {
    const failed: CleanupActivityInput = {
      runId, outcome: { snapshotId: c.plan.snapshotId, target: c.plan.target, instanceId: runId, status: "failed", durationMs: elapsed(), files: c.totals.files, bytes: c.totals.bytes, errors: 1, failure: reasonOf(err) },
    };
    yield context.df.callActivityWithRetry(A.cleanup, retry, failed);
    context.df.setCustomStatus(status("failed", c, 1));
    throw new Error(`restore of share ${request.shareId} failed: ${reasonOf(err)}`);
  }
  if (c.nextBatch < c.plan.batches || c.nextDirList > 0) {
    const next: RestoreSnapshotInput = { ...input, carried: { ...c, generation: c.generation + 1 } };
    context.df.continueAsNew(next);
    return undefined;
  }
  const t = c.totals;
  const succeeded: CleanupActivityInput = { runId, outcome: { snapshotId: c.plan.snapshotId, target: c.plan.target, instanceId: runId, status: "succeeded", durationMs: elapsed(), files: t.files, bytes: t.bytes, errors: 0 } };
  yield context.df.callActivityWithRetry(A.cleanup, retry, succeeded);
  context.df.setCustomStatus(status("done", c));
  const output: RestoreOutput = {
    snapshotId: c.plan.snapshotId, target: c.plan.target, files: t.files, dirs: c.plan.dirs, bytes: t.bytes, bytesWritten: t.bytesWritten,
    dirsCreated: t.dirsCreated, verified: t.verified, skipped: t.skipped, overwritten: t.overwritten, renamed: t.renamed,
  };
  return output;
};

/** Registers restoreSnapshot (its activities: registerRestoreActivities). */
export function registerRestoreOrchestration(): void {
  df.app.orchestration(RESTORE_SNAPSHOT_ORCHESTRATION, restoreSnapshotOrchestrator);
}
