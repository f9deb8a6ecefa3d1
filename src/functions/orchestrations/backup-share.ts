/**
 * The `backupShare` orchestration: begin (lock, parent, share snapshot, root) -> the scanTree
 * sub-orchestration (one listDirectory per directory, fan-out, bounded history) -> resolve (finish
 * the scan, plan) -> content batches by fan-out (sub-orchestrations of at most BATCHES_PER_SUB
 * batches each) -> seal level by level from the deepest (one activity per slice, a level at a time)
 * (a sub-orchestration per level) -> manifest -> index -> finish (share-snapshot housekeeping, lock, run state). Any failure runs
 * `backupAbort` (drops an unrecorded share snapshot, releases the lock) and fails the orchestration
 * with the reason; the repository stays consistent (nothing references what was not written) and a
 * rerun starts over, finding stored content by dedup.
 * History: about 2 events per activity or sub-orchestration it calls; the scan, the content batches
 * and each level's seal slices live in their own instances (a level has at most ~250 slices, a
 * content sub-orchestration 1,000 batches), so this one holds about 20 + 2 x (levels + content
 * sub-orchestrations) events.
 * Deterministic: no clock but currentUtcDateTime, no I/O (lint-enforced).
 */
import * as df from "durable-functions";
import { transientRetry } from "./retry";
import type { OrchestrationContext, OrchestrationHandler, Task } from "durable-functions";
import { BACKUP_SHARE_ORCHESTRATION, type BackupShareInput } from "../../core/registry/backup-start";
import {
  BACKUP_ACTIVITIES as A,
  BACKUP_CONTENT_ORCHESTRATION,
  BACKUP_SEAL_ORCHESTRATION,
  type AbortActivityInput,
  type BackupShareResult,
  type BackupShareStatus,
  type BeginActivityOutput,
  type ContentBatchesInput,
  type FinishActivityInput,
  type ManifestActivityInput,
  type SealLevelInput,
} from "../../core/orchestration/backup-share-contract";
import { SCAN_TREE_ORCHESTRATION, type ScanStatus, type ScanTreeInput } from "../../core/orchestration/scan-tree-contract";
import { ZERO_STEP, addSteps, sliceKey, type StepCounts } from "../../core/backup-run/run-model";
import type { ResolveOutput } from "../../core/backup-run/resolve-step";
import type { ManifestOutput } from "../../core/backup-run/finish-step";

/** Content batches one sub-orchestration runs (about 2 history events each). */
export const BATCHES_PER_SUB = 1000;
/** Content sub-orchestrations in flight at once. */
const PARALLEL_SUBS = 4;

/**
 * A run id from the instance, the request time and the orchestration's start time: the same on every
 * replay, and different for two runs of the same instance id even when one of the clocks stands still.
 */
export function runIdOf(instanceId: string, requestedAt: string, start: Date): string {
  const requested = Date.parse(requestedAt);
  if (!Number.isFinite(requested)) throw new Error(`backupShare: requestedAt must be an ISO 8601 time, got ${JSON.stringify(requestedAt)}`);
  const stamp = (d: Date) => d.toISOString().replace(/[-:.TZ]/g, "");
  return `${instanceId}-${stamp(new Date(requested))}-${stamp(start)}`;
}

function reasonOf(err: unknown): string {
  return err instanceof Error ? err.message : String(err);
}

export const backupShareOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<BackupShareInput>();
  if (typeof input?.shareId !== "string") throw new Error("backupShare needs { shareId, trigger, requestedAt }");
  const owner = context.df.instanceId;
  const start = context.df.currentUtcDateTime;
  const runId = runIdOf(owner, input.requestedAt, start);
  const retry = transientRetry();
  let status: BackupShareStatus = { phase: "snapshot", dirs: 0, files: 0, bytes: 0, errors: 0 };
  const set = (next: Partial<BackupShareStatus>) => {
    status = { ...status, ...next };
    context.df.setCustomStatus(status);
  };
  const elapsed = () => context.df.currentUtcDateTime.getTime() - start.getTime();
  set({});
  try {
    const begun: BeginActivityOutput = yield context.df.callActivityWithRetry(A.begin, retry, { runId, shareId: input.shareId, owner });

    const scanInstance = `${runId}-scan`;
    set({ phase: "scan", scanInstance });
    const scanInput: ScanTreeInput = { scanId: runId, rootDirId: begun.rootToken };
    const scanned: ScanStatus = yield context.df.callSubOrchestrator(SCAN_TREE_ORCHESTRATION, scanInput, scanInstance);
    set({ phase: "plan", dirs: scanned.dirs, files: scanned.files, bytes: scanned.bytes, errors: scanned.errors });
    const counts = { dirs: scanned.dirs, files: scanned.files, bytes: scanned.bytes, changes: scanned.changes, errors: scanned.errors };
    const resolved: ResolveOutput = yield context.df.callActivityWithRetry(A.resolve, retry, { runId, scanned: counts });

    set({ phase: "content", filesToRead: resolved.filesToRead, bytesToRead: resolved.bytesToRead, bytesRead: 0 });
    let totals: StepCounts = ZERO_STEP;
    for (let first = 0; first < resolved.contentBatches; first += BATCHES_PER_SUB * PARALLEL_SUBS) {
      const subs: Task[] = [];
      for (let from = first; from < Math.min(resolved.contentBatches, first + BATCHES_PER_SUB * PARALLEL_SUBS); from += BATCHES_PER_SUB) {
        const sub: ContentBatchesInput = { runId, from, to: Math.min(resolved.contentBatches, from + BATCHES_PER_SUB) };
        subs.push(context.df.callSubOrchestrator(BACKUP_CONTENT_ORCHESTRATION, sub, `${runId}-content-${from}`));
      }
      const results: StepCounts[] = yield context.df.Task.all(subs);
      for (const r of results) totals = addSteps(totals, r);
      set({ bytesRead: totals.bytesRead });
    }

    const dirsToSeal = resolved.levels.reduce((n, l) => n + l.dirs, 0);
    set({ phase: "trees", dirsToSeal, dirsSealed: 0 });
    let dirsSealed = 0;
    for (const level of resolved.levels) {
      const sealLevel: SealLevelInput = { runId, depth: level.depth, slices: level.slices };
      const sealed: StepCounts = yield context.df.callSubOrchestrator(BACKUP_SEAL_ORCHESTRATION, sealLevel, `${runId}-seal-${level.depth}`);
      totals = addSteps(totals, sealed);
      dirsSealed += level.dirs;
      set({ dirsSealed, bytesRead: totals.bytesRead });
    }

    set({ phase: "manifest" });
    const { levels: _levels, errors: scanErrors, ...resolvedCounts } = resolved;
    const manifestInput: ManifestActivityInput = { runId, scanned: counts, resolved: resolvedCounts, totals };
    const manifest: ManifestOutput = yield context.df.callActivityWithRetry(A.manifest, retry, manifestInput);

    set({ phase: "index" });
    yield context.df.callActivityWithRetry(A.index, retry, { runId });

    set({ phase: "cleanup" });
    const summary: BackupShareResult = {
      snapshotId: manifest.snapshotId, share: begun.share, shareSnapshot: begun.shareSnapshot, rootTree: manifest.rootTree,
      files: manifest.files, dirs: manifest.dirs, bytesScanned: manifest.bytes, bytesRead: totals.bytesRead, bytesNew: totals.bytesAdded,
      chunksNew: totals.chunksAdded, packsWritten: totals.packsWritten, treesWritten: totals.treesWritten,
      added: resolved.added, modified: resolved.modified, renamed: resolved.renamed, moved: resolved.moved, deleted: resolved.deleted,
      metadataOnly: resolved.metadataOnly, rangeReads: totals.rangeReads, unstable: manifest.unstable, errors: scanErrors.length,
      indexRebuilt: begun.indexRebuilt, durationMs: elapsed(),
    };
    const finish: FinishActivityInput = { runId, shareId: input.shareId, trigger: input.trigger, summary };
    yield context.df.callActivityWithRetry(A.finish, retry, finish);
    set({ phase: "done" });
    return summary;
  } catch (err) {
    const failedIn = status.phase;
    const abort: AbortActivityInput = { runId, shareId: input.shareId, owner, trigger: input.trigger, phase: failedIn, reason: reasonOf(err), durationMs: elapsed() };
    yield context.df.callActivityWithRetry(A.abort, retry, abort);
    // Only now: a client that sees "failed" must find the share unlocked and the run cleaned up.
    set({ phase: "failed" });
    throw new Error(`backup of share ${input.shareId} failed during ${failedIn}: ${reasonOf(err)}`);
  }
};

/** Runs content batches [from, to) in parallel and sums their counts. */
export const backupContentOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<ContentBatchesInput>();
  const retry = transientRetry();
  const tasks: Task[] = [];
  for (let batch = input.from; batch < input.to; batch++) tasks.push(context.df.callActivityWithRetry(A.content, retry, { runId: input.runId, batch }));
  const results: StepCounts[] = yield context.df.Task.all(tasks);
  return results.reduce(addSteps, ZERO_STEP);
};

/** Seals the slices of one level in parallel and sums their counts. */
export const backupSealLevelOrchestrator: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<SealLevelInput>();
  const retry = transientRetry();
  const tasks: Task[] = [];
  for (let s = 0; s < input.slices; s++) tasks.push(context.df.callActivityWithRetry(A.seal, retry, { runId: input.runId, slice: sliceKey(input.depth, s) }));
  const results: StepCounts[] = yield context.df.Task.all(tasks);
  return results.reduce(addSteps, ZERO_STEP);
};

/** Registers backupShare and its content and seal sub-orchestrations. */
export function registerBackupShareOrchestrations(): void {
  df.app.orchestration(BACKUP_SHARE_ORCHESTRATION, backupShareOrchestrator);
  df.app.orchestration(BACKUP_CONTENT_ORCHESTRATION, backupContentOrchestrator);
  df.app.orchestration(BACKUP_SEAL_ORCHESTRATION, backupSealLevelOrchestrator);
}
