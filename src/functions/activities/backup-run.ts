/**
 * The activities of `backupShare` and the `listDirectory` activity of its scan: thin adapters from
 * the orchestration's small inputs to the distributed backup steps in src/core/backup-run, with the
 * app's services (registry, repository, index, lock). Each validates its input, opens what it needs
 * (the run's info and the share are cached per worker: a scan calls listDirectory once per directory)
 * and returns counts. Every step is idempotent (see its module), so the host's retries are safe.
 */
import * as df from "durable-functions";
import { assertRunId, RunStore } from "../../core/backup-run/run-store";
import { beginStep, runInfo, runReader } from "../../core/backup-run/begin-step";
import { listDirectoryStep } from "../../core/backup-run/scan-step";
import { resolveStep } from "../../core/backup-run/resolve-step";
import { contentStep } from "../../core/backup-run/content-step";
import { sealStep } from "../../core/backup-run/seal-step";
import { abortStep, finishStep, indexStep, manifestStep } from "../../core/backup-run/finish-step";
import type { RunInfo } from "../../core/backup-run/run-model";
import { BACKUP_ACTIVITIES as A, type AbortActivityInput, type BeginActivityInput, type ContentActivityInput, type FinishActivityInput, type ManifestActivityInput, type ResolveActivityInput, type SealActivityInput } from "../../core/orchestration/backup-share-contract";
import { LIST_DIRECTORY_ACTIVITY, type ListDirectoryInput } from "../../core/orchestration/scan-tree-contract";
import type { FrontierStore } from "../../core/ports/frontier-store";
import type { ShareReader } from "../../core/ports/share-reader";
import type { BackupOutcome, Telemetry } from "../../core/ports/telemetry";
import type { AppServices, OpenedShare } from "../services";

/** A tiny per-worker cache (runs and shares are few at a time; entries are cheap to rebuild). */
class Recent<T> {
  private readonly items = new Map<string, Promise<T>>();
  constructor(private readonly max = 16) {}

  get(key: string, build: () => Promise<T>): Promise<T> {
    let item = this.items.get(key);
    if (item === undefined) {
      item = build();
      item.catch(() => this.items.delete(key));
      this.items.set(key, item);
      if (this.items.size > this.max) this.items.delete(this.items.keys().next().value as string);
    }
    return item;
  }
}

interface OpenRun {
  readonly store: RunStore;
  readonly info: RunInfo;
  readonly share: OpenedShare;
  readonly reader: ShareReader;
}

const TRIGGERS = new Set<BackupOutcome["trigger"]>(["schedule", "http", "queue", "cli"]);

function triggerOf(trigger: string): BackupOutcome["trigger"] {
  return TRIGGERS.has(trigger as BackupOutcome["trigger"]) ? (trigger as BackupOutcome["trigger"]) : "http";
}

/** Reports a finished backup and sends it before the activity returns (telemetry never throws). */
async function report(telemetry: Telemetry, outcome: BackupOutcome): Promise<void> {
  telemetry.backupFinished(outcome);
  await telemetry.flush();
}

function need(value: unknown, what: string, activity: string): void {
  if (value === undefined || value === null) throw new Error(`${activity} needs ${what}`);
}

/**
 * Registers the activities. `frontier` is the scan's FrontierStore: finish and abort clear the run's
 * entries there (the scan left it empty of work, but its claim records remain).
 */
export function registerBackupActivities(services: () => AppServices, frontier?: () => Promise<FrontierStore>): void {
  const runs = new Recent<OpenRun>(64);
  const shares = new Recent<OpenedShare>(16);
  const openShare = (shareId: string) => shares.get(shareId, () => services().openShare(shareId));
  const storeOf = async (runId: unknown) => {
    assertRunId(runId);
    return new RunStore(await services().store(), runId);
  };
  /** A run after begin: its store, info, registered share and the reader of its share snapshot (cached per worker). */
  const openRun = (runId: unknown): Promise<OpenRun> => {
    assertRunId(runId);
    return runs.get(runId, async () => {
      const store = await storeOf(runId);
      const [info, source] = await Promise.all([runInfo(store), store.get<{ registryId: string }>("source")]);
      const share = await openShare(source.registryId);
      return { store, info, share, reader: runReader(info, share.reader) };
    });
  };

  const stepDeps = async (run: OpenRun) => ({ reader: run.reader, index: await services().index(), repository: await services().repository(), runs: run.store });

  df.app.activity(A.begin, {
    handler: async (input: BeginActivityInput) => {
      need(input?.shareId, "shareId", A.begin);
      const store = await storeOf(input.runId);
      const s = services();
      const share = await openShare(input.shareId);
      await store.put("source", { registryId: input.shareId });
      const begun = await beginStep({ runId: input.runId, owner: input.owner, share: share.key, shareId: share.indexId }, {
        reader: share.reader, index: await s.index(), repository: await s.repository(), lock: await s.lock(), runs: store, now: s.now,
      });
      return { ...begun, share: share.key };
    },
  });

  df.app.activity(LIST_DIRECTORY_ACTIVITY, {
    handler: async (input: ListDirectoryInput) => {
      need(input?.dirId, "dirId", LIST_DIRECTORY_ACTIVITY);
      const run = await openRun(input.scanId);
      return listDirectoryStep(run.info, input.dirId, run.reader, await services().index(), run.store);
    },
  });

  df.app.activity(A.resolve, {
    handler: async (input: ResolveActivityInput) => {
      need(input?.scanned, "scanned", A.resolve);
      const run = await openRun(input.runId);
      return resolveStep(run.info, run.store, await services().index(), input.scanned);
    },
  });

  df.app.activity(A.content, {
    handler: async (input: ContentActivityInput) => {
      if (!Number.isInteger(input?.batch) || input.batch < 0) throw new Error(`${A.content} needs batch (a whole number)`);
      const run = await openRun(input.runId);
      return contentStep(run.info, input.batch, await stepDeps(run));
    },
  });

  df.app.activity(A.seal, {
    handler: async (input: SealActivityInput) => {
      need(input?.slice, "slice", A.seal);
      const run = await openRun(input.runId);
      return sealStep(run.info, input.slice, await stepDeps(run));
    },
  });

  df.app.activity(A.manifest, {
    handler: async (input: ManifestActivityInput) => {
      need(input?.totals, "totals", A.manifest);
      const run = await openRun(input.runId);
      return manifestStep(run.info, input.scanned, input.resolved, input.totals, await stepDeps(run));
    },
  });

  df.app.activity(A.index, {
    handler: async (input: { runId: string }) => {
      const run = await openRun(input?.runId);
      return indexStep(run.info, { index: await services().index(), runs: run.store });
    },
  });

  df.app.activity(A.finish, {
    handler: async (input: FinishActivityInput) => {
      need(input?.summary, "summary", A.finish);
      const run = await openRun(input.runId);
      const done = await finishStep(run.info, { live: run.share.reader, lock: await services().lock(), runs: run.store });
      if (frontier !== undefined) await (await frontier()).clear(input.runId);
      const r = input.summary;
      await report(services().telemetry, {
        shareId: input.shareId, share: run.info.share, instanceId: run.info.owner, trigger: triggerOf(input.trigger), status: "succeeded",
        durationMs: r.durationMs, files: r.files, dirs: r.dirs, bytesScanned: r.bytesScanned, bytesRead: r.bytesRead, bytesNew: r.bytesNew,
        renamed: r.renamed, moved: r.moved, deleted: r.deleted, errors: r.errors, snapshotId: r.snapshotId, schedule: run.share.share.schedule,
      });
      return done;
    },
  });

  df.app.activity(A.abort, {
    handler: async (input: AbortActivityInput) => {
      need(input?.shareId, "shareId", A.abort);
      const share = await openShare(input.shareId);
      const aborted = await abortStep(share.key, input.owner, { live: share.reader, lock: await services().lock(), runs: await storeOf(input.runId) });
      if (frontier !== undefined) await (await frontier()).clear(input.runId);
      await report(services().telemetry, {
        shareId: input.shareId, share: share.key, instanceId: input.owner, trigger: triggerOf(input.trigger), status: "failed",
        durationMs: input.durationMs, errors: 1, phase: input.phase, failure: input.reason, schedule: share.share.schedule,
      });
      return aborted;
    },
  });
}
