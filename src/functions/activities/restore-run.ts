/**
 * The activities of `restoreSnapshot` (contract: src/core/orchestration/restore-snapshot-contract.ts):
 * thin adapters from the orchestration's small inputs to the restore engine's planned run
 * (src/core/restore/run-plan.ts, run-batch.ts) with the app's services.
 *
 * The run's documents live in the repository container (AppServices.store()):
 *   runs/restore/<runId>/batch-<n>.json   one batch: directories above it, then <= 256 entries / 64 MiB
 *   runs/restore/<runId>/dirs-<n>.json    <= 1000 directories whose properties the run applies last
 *   runs/restore/<runId>/plan.json        the plan's counts, written LAST (a plan is complete iff it exists)
 * Idempotent: a retried plan returns plan.json when it exists, else re-walks and rewrites the same
 * documents; batches and dir lists are idempotent (run-batch.ts); cleanup deletes what is left.
 * A refused request (unknown share or snapshot, a path not in the snapshot, unsafe names, conflicts
 * under `fail`) is returned as `refused` with the reason rather than thrown, so the host does not
 * retry what cannot succeed.
 */
import * as df from "durable-functions";
import { RESTORE_ACTIVITIES as A, type BatchActivityInput, type FinishActivityInput, type PlanActivityInput, type PlanActivityOutput, type PlanOutput, type CleanupActivityInput } from "../../core/orchestration/restore-snapshot-contract";
import type { RestoreTarget } from "../../core/ports/share-writer";
import { ShareNotFoundError } from "../../core/ports/share-registry";
import { redact } from "../../core/redact";
import { targetOf, type RestoreRequest } from "../../core/registry/restore-request";
import { readAll, listAll, type ObjectStore } from "../../core/repository/object-store";
import type { Repository } from "../../core/repository/repository";
import { repositoryContent } from "../../core/restore/chunk-batch";
import { restoreStamp } from "../../core/restore/conflicts";
import { RestoreConflictError, SelectionNotFoundError, SnapshotSpecError, UnsafePathError } from "../../core/restore/errors";
import { finalizeDirectories, runPlannedBatch, type BatchCounts } from "../../core/restore/run-batch";
import { planRestoreRun, type BatchDoc, type DirListDoc } from "../../core/restore/run-plan";
import { findSnapshot } from "../../core/restore/snapshot-spec";
import type { SnapshotContent } from "../../core/restore/walk";
import type { AppServices } from "../services";

export const RESTORE_RUNS_PREFIX = "runs/restore/";
const RUN_ID = /^[A-Za-z0-9][A-Za-z0-9.-]{0,120}$/;

function runPrefix(runId: unknown): string {
  if (typeof runId !== "string" || !RUN_ID.test(runId)) throw new Error(`restore activity: runId must be 1-121 letters, digits, '.' or '-', got ${JSON.stringify(runId)}`);
  return `${RESTORE_RUNS_PREFIX}${runId}/`;
}

const batchKey = (runId: string, n: number) => `${runPrefix(runId)}batch-${n}.json`;
const dirListKey = (runId: string, n: number) => `${runPrefix(runId)}dirs-${n}.json`;
const planKey = (runId: string) => `${runPrefix(runId)}plan.json`;

async function putJson(store: ObjectStore, key: string, value: unknown): Promise<void> {
  await store.put(key, Buffer.from(JSON.stringify(value)));
}

async function getJson<T>(store: ObjectStore, key: string): Promise<T | undefined> {
  if ((await store.head(key)) === undefined) return undefined;
  return JSON.parse((await readAll(store, key)).toString("utf8")) as T;
}

/** What a run's activities share in one worker: the repository (its chunk index warm) and the target. */
interface OpenRun {
  readonly repository: Repository;
  readonly content: SnapshotContent;
  readonly target: RestoreTarget;
}

/** A small per-worker cache of open runs (a run's batches land on the same workers many times). */
class OpenRuns {
  private readonly runs = new Map<string, Promise<OpenRun>>();
  constructor(private readonly services: () => AppServices, private readonly max = 8) {}

  get(runId: string, request: RestoreRequest): Promise<OpenRun> {
    let run = this.runs.get(runId);
    if (run === undefined) {
      run = this.open(request);
      run.catch(() => this.runs.delete(runId));
      this.runs.set(runId, run);
      if (this.runs.size > this.max) this.runs.delete(this.runs.keys().next().value as string);
    }
    return run;
  }

  private async open(request: RestoreRequest): Promise<OpenRun> {
    const services = this.services();
    const opened = await services.openShare(request.shareId);
    const where = targetOf(request.target, opened.share.shareName);
    const repository = await services.repository();
    return { repository, content: repositoryContent(repository), target: await opened.restoreTarget(where.share, where.dir) };
  }
}

function refusal(err: unknown): string | undefined {
  const refused = err instanceof SnapshotSpecError || err instanceof SelectionNotFoundError || err instanceof UnsafePathError || err instanceof RestoreConflictError || err instanceof ShareNotFoundError;
  return refused ? redact(err.message) : undefined;
}

async function deleteRun(store: ObjectStore, runId: string): Promise<number> {
  let deleted = 0;
  const keys: string[] = [];
  for await (const item of listAll(store, runPrefix(runId))) keys.push(item.key);
  // plan.json last: until it is gone, a retried plan would not re-walk a half-deleted run.
  keys.sort((a, b) => Number(a.endsWith("/plan.json")) - Number(b.endsWith("/plan.json")));
  for (const key of keys) if (await store.delete(key)) deleted++;
  return deleted;
}

export function restoreActivities(services: () => AppServices) {
  const runs = new OpenRuns(services);
  return {
    async plan(input: PlanActivityInput): Promise<PlanActivityOutput> {
      const store = await services().store();
      const existing = await getJson<PlanOutput>(store, planKey(input.runId));
      if (existing !== undefined) return { kind: "planned", plan: existing };
      const request = input.request;
      try {
        const run = await runs.get(input.runId, request);
        const opened = await services().openShare(request.shareId);
        const ref = await findSnapshot(run.repository, request.snapshot, opened.key);
        const manifest = await run.repository.getSnapshot(ref);
        const counts = await planRestoreRun({
          content: run.content, root: manifest.root, paths: request.paths, target: run.target, conflict: request.conflict ?? "fail", batchItems: input.batchItems,
          sink: {
            putBatch: (n: number, doc: BatchDoc) => putJson(store, batchKey(input.runId, n), doc),
            putDirList: (n: number, doc: DirListDoc) => putJson(store, dirListKey(input.runId, n), doc),
          },
        });
        const plan: PlanOutput = { snapshotId: ref.id, snapshotTime: new Date(ref.time).toISOString(), shareKey: ref.share, target: run.target.description, ...counts };
        await putJson(store, planKey(input.runId), plan);
        return { kind: "planned", plan };
      } catch (err) {
        const reason = refusal(err);
        if (reason === undefined) throw err;
        await deleteRun(store, input.runId);
        return { kind: "refused", reason };
      }
    },

    async batch(input: BatchActivityInput): Promise<BatchCounts> {
      const store = await services().store();
      const doc = await getJson<BatchDoc>(store, batchKey(input.runId, input.batch));
      if (doc === undefined) throw new Error(`restore run ${input.runId}: batch ${input.batch} is missing (was the run cleaned up?)`);
      const run = await runs.get(input.runId, input.request);
      const requested = Date.parse(input.requestedAt);
      if (!Number.isFinite(requested)) throw new Error(`restore run ${input.runId}: requestedAt must be an ISO time`);
      return runPlannedBatch({ content: run.content, target: run.target, conflict: input.request.conflict ?? "fail", stamp: restoreStamp(requested) }, doc);
    },

    async finish(input: FinishActivityInput): Promise<number> {
      const store = await services().store();
      const doc = await getJson<DirListDoc>(store, dirListKey(input.runId, input.dirList));
      if (doc === undefined) throw new Error(`restore run ${input.runId}: directory list ${input.dirList} is missing (was the run cleaned up?)`);
      const run = await runs.get(input.runId, input.request);
      return finalizeDirectories(run.content, run.target, doc);
    },

    async cleanup(input: CleanupActivityInput): Promise<number> {
      const deleted = await deleteRun(await services().store(), input.runId);
      if (input.outcome !== undefined) {
        const telemetry = services().telemetry;
        telemetry.restoreFinished(input.outcome);
        await telemetry.flush();
      }
      return deleted;
    },
  };
}

/** Registers the restore activities with the app's services (call from the app's entry point). */
export function registerRestoreActivities(services: () => AppServices): void {
  const a = restoreActivities(services);
  df.app.activity(A.plan, { handler: (input: PlanActivityInput) => a.plan(input) });
  df.app.activity(A.batch, { handler: (input: BatchActivityInput) => a.batch(input) });
  df.app.activity(A.finish, { handler: (input: FinishActivityInput) => a.finish(input) });
  df.app.activity(A.cleanup, { handler: (input: CleanupActivityInput) => a.cleanup(input) });
}
