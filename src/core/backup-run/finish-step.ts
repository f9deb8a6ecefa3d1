/**
 * The last steps of a distributed backup, in the engine's order: the snapshot manifest (only after
 * every tree and chunk it references is durable: the content and seal steps flushed before saving
 * their outputs), then the index change set (updateIndex: crash-safe order), then share-snapshot
 * housekeeping, the lock and the run's documents. `abortStep` undoes what a failed run leaves behind:
 * a share snapshot no manifest references, the lock, the documents.
 * Guarantees: the manifest is content-addressed, so writing it again writes the same snapshot; the
 * index never learns of this run before its manifest exists.
 */
import type { NodeIndex, NodeRecord } from "../ports/node-index";
import type { ShareReader } from "../ports/share-reader";
import type { BackupStats, SnapshotManifest, UnstableFile } from "../repository/model";
import type { Repository } from "../repository/repository";
import type { ChangeSet, NodeChange } from "../scan/change-set";
import type { ScanCounts } from "../orchestration/scan-tree-contract";
import { updateIndex, type IndexUpdateResult } from "../backup/index-update";
import { PermissionCache } from "../backup/metadata";
import { BackupError, describeError, type RunLock } from "../backup/model";
import type { SealJob } from "../backup/plan";
import { rootNode, type SealedDir } from "../backup/seal";
import { dropShareSnapshot, housekeepShareSnapshots } from "../backup/source";
import { TreeCache } from "../backup/tree-cache";
import type { RunStore } from "./run-store";
import { sliceKey, type RunInfo, type SealOutput, type SealSlice, type StepCounts } from "./run-model";
import type { FreshPlan } from "./resolve-fresh";
import { emptyStats } from "../scan/stats";
import type { ResolveOutput } from "./resolve-step";

export interface ManifestOutput {
  readonly snapshotId: string;
  readonly rootTree: string;
  readonly files: number;
  readonly dirs: number;
  readonly bytes: number;
  readonly unstable: number;
}

async function sealOutputs(runs: RunStore): Promise<SealOutput[]> {
  const out: SealOutput[] = [];
  for await (const name of runs.list("seal-out")) out.push(await runs.get<SealOutput>(name));
  return out;
}

/** Writes the snapshot manifest; `totals` sums every content and seal step. */
export async function manifestStep(info: RunInfo, scanned: ScanCounts, resolved: Pick<ResolveOutput, "added" | "modified" | "deleted">, totals: StepCounts, deps: { reader: ShareReader; index: NodeIndex; repository: Repository; runs: RunStore }): Promise<ManifestOutput> {
  const saved = await deps.runs.tryGet<ManifestOutput>("manifest");
  if (saved !== undefined) return saved;
  const sealed = new Map<string, SealedDir | undefined>();
  const root = await deps.reader.getDirectory("");
  for (const out of await rootSlices(deps.runs)) for (const [id, dir] of out.sealed) if (id === root.fileId) sealed.set(id, dir ?? undefined);
  const trees = new TreeCache(deps.repository);
  const parent = info.parent === undefined ? undefined : await deps.repository.getSnapshot(info.parent);
  const rootDir = await rootNode(deps.reader, { sealed, permissions: new PermissionCache(deps.reader, deps.repository), index: deps.index, shareId: info.shareId, trees }, parent);
  const unstable: UnstableFile[] = [];
  for await (const name of deps.runs.list("unstable")) unstable.push(...(await deps.runs.get<UnstableFile[]>(name)));
  const stats: BackupStats = {
    files: rootDir.totalFiles, directories: rootDir.totalDirectories, bytes: rootDir.totalSize,
    filesNew: resolved.added, filesChanged: resolved.modified, filesUnchanged: Math.max(0, scanned.files - resolved.added - resolved.modified), filesRemoved: resolved.deleted,
    bytesRead: totals.bytesRead, bytesAdded: totals.bytesAdded, chunksAdded: totals.chunksAdded, packsWritten: totals.packsWritten,
    treesWritten: totals.treesWritten + deps.repository.stats.treesWritten,
  };
  const manifest: SnapshotManifest = {
    share: info.share, ...(info.shareSnapshot === undefined ? {} : { shareSnapshot: info.shareSnapshot }),
    time: info.started, root: rootDir, ...(info.parent === undefined ? {} : { parent: info.parent.id }),
    tags: info.tags, stats, unstableFiles: unstable,
  };
  let id: string;
  try {
    id = (await deps.repository.putSnapshot(manifest)).id;
  } catch (err) {
    throw new BackupError(`backup failed writing the snapshot manifest of ${info.share}: ${describeError(err)}`, { cause: err });
  }
  const out: ManifestOutput = { snapshotId: id, rootTree: rootDir.tree, files: stats.files, dirs: stats.directories, bytes: stats.bytes, unstable: unstable.length };
  await deps.runs.put("manifest", out);
  return out;
}

/** The outputs of the depth-0 slice (the root's), when the root was sealed this run. */
async function rootSlices(runs: RunStore): Promise<SealOutput[]> {
  const out = await runs.tryGet<SealOutput>(`seal-out/${sliceKey(0, 0)}`);
  return out === undefined ? [] : [out];
}

/** Applies the change set to the index, with the fingerprints and tree ids of this run. */
export async function indexStep(info: RunInfo, deps: { index: NodeIndex; runs: RunStore }): Promise<IndexUpdateResult> {
  if ((await deps.runs.tryGet("manifest")) === undefined) throw new BackupError(`backup run ${info.runId}: the index is updated only after the manifest is written`);
  const doc = await deps.runs.get<{ changeSet: ChangeSet; jobs: SealJob[] } | FreshPlan>("changeset");
  if ("fresh" in doc) return indexFresh(info, doc, deps);
  const sealed = new Map<string, SealedDir | undefined>();
  const fills = new Map<string, NodeRecord | string>();
  const extraJobs: SealJob[] = [];
  const unstable = new Set<string>();
  for (const out of await sealOutputs(deps.runs)) {
    for (const [id, dir] of out.sealed) sealed.set(id, dir ?? undefined);
    for (const [id, fill] of out.fills) fills.set(id, fill);
    extraJobs.push(...out.extraJobs);
  }
  for await (const name of deps.runs.list("unstable")) for (const u of await deps.runs.get<{ fileId: string }[]>(name)) unstable.add(u.fileId);
  const live = new Map<string, NodeChange>();
  for (const c of doc.changeSet.changes) if (!c.kinds.includes("deleted")) live.set(c.node.fileId, c);
  const plan = { jobs: [...doc.jobs, ...extraJobs], live, byParent: new Map(), leftParent: new Map(), oldTreeOf: new Map() };
  return updateIndex(deps.index, { changeSet: doc.changeSet, plan, sealed, fills, unstable });
}

/**
 * The index step of a fresh run (resolve-fresh.ts), one seal slice at a time, deepest level first:
 * each slice's directories' children with their fingerprints and tree ids (updateIndex, so the same
 * records and the same order within a slice), then the root. A directory's record is in its
 * parent's slice, a level above its children's, so its listing digest lands after them.
 * Memory: one slice's changes and fingerprints, and the tree ids of the level below (its child slices).
 */
async function indexFresh(info: RunInfo, plan: FreshPlan, deps: { index: NodeIndex; runs: RunStore }): Promise<IndexUpdateResult> {
  const total = { invalidated: 0, upserts: 0, deletes: 0 };
  const apply = async (changes: readonly NodeChange[], jobs: readonly SealJob[], sealed: Map<string, SealedDir | undefined>, fills: Map<string, NodeRecord | string>, unstable: Set<string>) => {
    // updateIndex writes one record per FileId: a FileId listed in two directories of the slice
    // (hard links) is written once per round, under each of its parents.
    const rounds: NodeChange[][] = [];
    const seen = new Map<string, number>();
    for (const c of changes) {
      const n = seen.get(c.node.fileId) ?? 0;
      seen.set(c.node.fileId, n + 1);
      (rounds[n] ??= []).push(c);
    }
    for (const round of rounds) {
      const live = new Map(round.map((c) => [c.node.fileId, c]));
      const changeSet: ChangeSet = { shareId: info.shareId, snapshot: info.shareSnapshot, changes: round, staleTrees: [], stats: emptyStats() };
      const r = await updateIndex(deps.index, { changeSet, plan: { jobs, live, byParent: new Map(), leftParent: new Map(), oldTreeOf: new Map() }, sealed, fills, unstable });
      total.invalidated += r.invalidated;
      total.upserts += r.upserts;
      total.deletes += r.deletes;
    }
  };
  const rootId = plan.root.node.fileId;
  let root: SealedDir | undefined;
  let below = new Map<string, SealOutput["sealed"]>();
  for (const keys of plan.levels) {
    const level = new Map<string, SealOutput["sealed"]>();
    for (const key of keys) {
      const slice = await deps.runs.get<SealSlice>(`seal/${key}`);
      const out = await deps.runs.get<SealOutput>(`seal-out/${key}`);
      level.set(key, out.sealed);
      const sealed = new Map<string, SealedDir | undefined>();
      for (const child of slice.childSlices) for (const [id, dir] of below.get(child) ?? (await deps.runs.get<SealOutput>(`seal-out/${child}`)).sealed) sealed.set(id, dir ?? undefined);
      for (const [id, dir] of out.sealed) sealed.set(id, dir ?? undefined);
      if (sealed.has(rootId)) root = sealed.get(rootId);
      const unstable = new Set(out.unstable.map((u) => u.fileId));
      for (const n of slice.contentBatches) for (const u of (await deps.runs.tryGet<UnstableFile[]>(`unstable/content-${n}`)) ?? []) unstable.add(u.fileId);
      await apply(slice.byParent.flatMap(([, changes]) => changes), [...slice.jobs, ...out.extraJobs], sealed, new Map(out.fills), unstable);
    }
    below = level;
  }
  await apply([plan.root], [], new Map([[rootId, root]]), new Map(), new Set());
  return total;
}

/** Housekeeping, the lock and the run's documents, once the index holds the run. */
export async function finishStep(info: RunInfo, deps: { live: ShareReader; lock: RunLock; runs: RunStore }): Promise<{ shareSnapshotsDeleted: number }> {
  const shareSnapshotsDeleted = await housekeepShareSnapshots(deps.live, info.keepShareSnapshots, info.shareSnapshot, info.parentShareSnapshot);
  await deps.lock.release(info.share, info.owner);
  await deps.runs.deleteAll();
  return { shareSnapshotsDeleted };
}

/** After a failure: drops an unrecorded share snapshot, releases the lock, deletes the run's documents. */
export async function abortStep(share: string, owner: string, deps: { live: ShareReader; lock: RunLock; runs: RunStore }): Promise<{ shareSnapshotDropped: boolean }> {
  let dropped = false;
  const recorded = (await deps.runs.tryGet("manifest")) !== undefined;
  const snapshot = (await deps.runs.tryGet<{ id: string | null }>("share-snapshot"))?.id;
  if (!recorded && typeof snapshot === "string") dropped = await dropShareSnapshot(deps.live, snapshot).catch(() => false);
  await deps.lock.release(share, owner);
  await deps.runs.deleteAll();
  return { shareSnapshotDropped: dropped };
}
