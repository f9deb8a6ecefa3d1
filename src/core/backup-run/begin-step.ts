/**
 * The first step of a distributed backup: take the share's run lock in the orchestration's name,
 * find the parent snapshot, rebuild the index from it when the index was lost (as runBackup does),
 * snapshot the share, classify the root, and save the run's `run` document.
 * Guarantees: idempotent — a retried call finds the saved run (or the share snapshot it already
 * created) and creates nothing twice; the lock is held by the orchestration until finish or abort.
 */
import type { NodeIndex } from "../ports/node-index";
import type { ShareReader } from "../ports/share-reader";
import type { Repository } from "../repository/repository";
import { indexNeedsRebuild } from "../backup/backup";
import { rebuildIndex } from "../backup/index-rebuild";
import type { RunLock } from "../backup/model";
import { openSource } from "../backup/source";
import type { RunStore } from "./run-store";
import type { RunInfo } from "./run-model";
import { classifyRoot } from "./scan-step";

export interface BeginInput {
  readonly runId: string;
  readonly owner: string;
  readonly share: string;
  readonly shareId: string;
  readonly tags?: readonly string[];
  readonly keepShareSnapshots?: number;
  readonly largeFileBytes?: number;
}

export interface BeginDeps {
  /** The live share. */
  readonly reader: ShareReader;
  readonly index: NodeIndex;
  readonly repository: Repository;
  readonly lock: RunLock;
  readonly runs: RunStore;
  readonly now: () => number;
}

export interface BeginOutput {
  readonly rootToken: string;
  readonly shareSnapshot: string | null;
  readonly indexRebuilt: boolean;
}

type SavedRun = RunInfo & { readonly rootToken: string };

/** Starts the run; see the module comment. */
export async function beginStep(input: BeginInput, deps: BeginDeps): Promise<BeginOutput> {
  const saved = await deps.runs.tryGet<SavedRun>("run");
  if (saved !== undefined) return { rootToken: saved.rootToken, shareSnapshot: saved.shareSnapshot ?? null, indexRebuilt: saved.indexRebuilt };
  await deps.lock.hold(input.share, input.owner);
  const started = (await deps.runs.tryGet<{ started: number }>("started"))?.started ?? deps.now();
  await deps.runs.put("started", { started });
  const latest = await deps.repository.latestSnapshot(input.share);
  const parentRef = latest?.ref;
  const parent = latest?.manifest;
  let indexRebuilt = false;
  if (await indexNeedsRebuild(deps.index, input.shareId, deps.repository, parent)) {
    await rebuildIndex(deps.repository, deps.index, input.shareId, parent);
    indexRebuilt = true;
  }
  let shareSnapshot = (await deps.runs.tryGet<{ id: string | null }>("share-snapshot"))?.id;
  let reader: ShareReader;
  if (shareSnapshot === undefined) {
    const source = await openSource(deps.reader);
    shareSnapshot = source.shareSnapshot ?? null;
    await deps.runs.put("share-snapshot", { id: shareSnapshot });
    reader = source.reader;
  } else reader = shareSnapshot === null ? deps.reader : deps.reader.atSnapshot(shareSnapshot);
  const root = await classifyRoot({ shareId: input.shareId }, reader, deps.index, deps.runs);
  // As the scanner: a share whose root the index lacks and that it holds nothing of needs no child queries.
  const fresh = !root.rootIndexed && deps.index.hasShare !== undefined && !(await deps.index.hasShare(input.shareId));
  const info: RunInfo = {
    runId: input.runId, share: input.share, shareId: input.shareId, owner: input.owner,
    ...(shareSnapshot === null ? {} : { shareSnapshot }),
    ...(parentRef === undefined ? {} : { parent: parentRef, parentRoot: parent?.root.tree }),
    ...(parent?.shareSnapshot === undefined ? {} : { parentShareSnapshot: parent.shareSnapshot }),
    started, tags: input.tags ?? [], indexRebuilt, fresh,
    keepShareSnapshots: input.keepShareSnapshots ?? 1,
    ...(input.largeFileBytes === undefined ? {} : { largeFileBytes: input.largeFileBytes }),
  };
  await deps.runs.put("run", { ...info, rootToken: root.token } satisfies SavedRun);
  return { rootToken: root.token, shareSnapshot, indexRebuilt };
}

/** The run's saved info (every step after begin reads it). */
export function runInfo(runs: RunStore): Promise<RunInfo> {
  return runs.get<RunInfo>("run");
}

/** The reader a step reads from: the run's share snapshot, or the live share when read live. */
export function runReader(info: RunInfo, live: ShareReader): ShareReader {
  return info.shareSnapshot === undefined ? live : live.atSnapshot(info.shareSnapshot);
}
