/**
 * The step between the scan and the content: finish the scan (mergeScan, then the scanner's own
 * resolveChanges / dropStaleTrees / countChanges), plan the sealing (planSeal), and cut the work
 * into documents the fan-out activities read: content batches grouped by parent directory (so a seal
 * slice needs only the batches of its own directories) and seal slices per depth level (each naming
 * the content batches and the deeper slices it depends on).
 * Memory: this step alone holds the whole change set and the plan (bounded by the changes, not the
 * share); every later activity holds one batch or one slice. A first backup, where every file is a
 * change, is planned from the scan records one directory at a time instead (resolve-fresh.ts).
 * Guarantees: deterministic for the same records and index, so a retry rewrites the same documents.
 */
import type { NodeIndex, NodeRecord } from "../ports/node-index";
import type { ChangeSet, NodeChange } from "../scan/change-set";
import { needsContent } from "../scan/change-set";
import { countChanges, dropStaleTrees, resolveChanges } from "../scan/resolve";
import { listingsOf } from "../scan/listing-skip";
import { ScanError } from "../scan/scanner";
import type { ScanCounts } from "../orchestration/scan-tree-contract";
import { byDepth, planSeal, type SealPlan } from "../backup/plan";
import { describeError, type BackupSummary } from "../backup/model";
import { forEachLimit } from "../backup/pool";
import type { RunStore } from "./run-store";
import { mergeScan } from "./scan-step";
import { BATCH_BYTES, BATCH_FILES, MAX_SLICES, SLICE_JOBS, sliceKey, type ContentBatch, type RunInfo, type SealSlice } from "./run-model";
import { resolveFresh } from "./resolve-fresh";


export interface ResolveOutput extends Pick<BackupSummary, "added" | "modified" | "renamed" | "moved" | "deleted" | "metadataOnly"> {
  readonly contentBatches: number;
  /** Deepest first. */
  readonly levels: readonly { readonly depth: number; readonly slices: number; readonly dirs: number }[];
  readonly filesToRead: number;
  readonly bytesToRead: number;
  readonly errors: readonly { readonly path: string; readonly message: string }[];
}

/** Content batches, in the order of the jobs (deepest first), each holding files of few directories. */
function contentBatches(plan: SealPlan, toRead: readonly NodeChange[]): { batches: ContentBatch[]; batchesOf: Map<string, number[]> } {
  const byParent = new Map<string, NodeChange[]>();
  for (const c of toRead) {
    const list = byParent.get(c.node.parentFileId);
    if (list === undefined) byParent.set(c.node.parentFileId, [c]);
    else list.push(c);
  }
  const batches: ContentBatch[] = [];
  const batchesOf = new Map<string, number[]>();
  let current: NodeChange[] = [];
  let bytes = 0;
  const cut = () => {
    if (current.length === 0) return;
    const oldTrees = new Map<string, string>();
    for (const c of current) {
      const prev = c.previous?.parentFileId;
      const tree = prev === undefined ? undefined : plan.oldTreeOf.get(prev);
      if (prev !== undefined && tree !== undefined) oldTrees.set(prev, tree);
    }
    batches.push({ changes: current, oldTrees: [...oldTrees] });
    current = [];
    bytes = 0;
  };
  for (const job of plan.jobs) {
    for (const c of byParent.get(job.fileId) ?? []) {
      if (current.length >= BATCH_FILES || (current.length > 0 && bytes + c.node.size > BATCH_BYTES)) cut();
      current.push(c);
      bytes += c.node.size;
      const list = batchesOf.get(job.fileId) ?? [];
      if (list[list.length - 1] !== batches.length) list.push(batches.length);
      batchesOf.set(job.fileId, list);
    }
    byParent.delete(job.fileId);
  }
  cut();
  if (byParent.size > 0) throw new ScanError(`internal: ${byParent.size} directories hold files to read but are not planned for sealing`);
  return { batches, batchesOf };
}

/** The seal slices of every level, with what each depends on. */
function sealSlices(plan: SealPlan, batchesOf: ReadonlyMap<string, number[]>): { slices: Map<string, SealSlice>; levels: { depth: number; slices: number; dirs: number }[] } {
  const sliceOf = new Map<string, string>();
  const levels: { depth: number; slices: number; dirs: number }[] = [];
  const slices = new Map<string, SealSlice>();
  const childrenOf = new Map<string, string[]>();
  for (const job of plan.jobs) {
    const list = childrenOf.get(job.parentFileId) ?? [];
    list.push(job.fileId);
    childrenOf.set(job.parentFileId, list);
  }
  for (const level of byDepth(plan.jobs)) {
    const size = Math.max(SLICE_JOBS, Math.ceil(level.length / Math.max(1, Math.floor(MAX_SLICES / 8))));
    const count = Math.ceil(level.length / size);
    const depth = level[0].depth;
    levels.push({ depth, slices: count, dirs: level.length });
    for (let s = 0; s < count; s++) {
      const jobs = level.slice(s * size, (s + 1) * size);
      const key = sliceKey(depth, s);
      const byParent: [string, readonly NodeChange[]][] = [];
      const leftParent: [string, string[]][] = [];
      const oldTreeOf = new Map<string, string>();
      const batches = new Set<number>();
      const childSlices = new Set<string>();
      for (const job of jobs) {
        sliceOf.set(job.fileId, key);
        const changes = plan.byParent.get(job.fileId);
        if (changes !== undefined) {
          byParent.push([job.fileId, changes]);
          for (const c of changes) {
            const prev = c.previous?.parentFileId;
            const tree = prev === undefined ? undefined : plan.oldTreeOf.get(prev);
            if (prev !== undefined && tree !== undefined) oldTreeOf.set(prev, tree);
          }
        }
        const left = plan.leftParent.get(job.fileId);
        if (left !== undefined) leftParent.push([job.fileId, [...left]]);
        for (const b of batchesOf.get(job.fileId) ?? []) batches.add(b);
        for (const child of childrenOf.get(job.fileId) ?? []) {
          const cs = sliceOf.get(child);
          if (cs !== undefined) childSlices.add(cs);
        }
      }
      slices.set(key, { jobs, byParent, leftParent, oldTreeOf: [...oldTreeOf], contentBatches: [...batches], childSlices: [...childSlices] });
    }
  }
  return { slices, levels };
}

/** Finishes the scan and writes the run's plan; see the module comment (a fresh share: resolve-fresh.ts). */
export async function resolveStep(info: RunInfo, runs: RunStore, index: NodeIndex, scanned: ScanCounts): Promise<ResolveOutput> {
  if (info.fresh) return resolveFresh(info, runs);
  const { state, untreed } = await mergeScan(runs);
  let changes: NodeChange[];
  try {
    changes = await resolveChanges(state, index, info.shareId);
  } catch (err) {
    throw new ScanError(`scan of ${info.share} failed while reading deleted subtrees from the index: ${describeError(err)}`, { cause: err });
  }
  const staleTrees = dropStaleTrees(changes, state.dirty);
  Object.assign(state.stats, { files: scanned.files, dirs: scanned.dirs, bytes: scanned.bytes });
  countChanges(state.stats, changes);
  const changeSet: ChangeSet = { shareId: info.shareId, snapshot: info.shareSnapshot, changes, staleTrees, stats: state.stats, ...listingsOf(state) };
  const plan = await planSeal(changeSet, untreed, index);
  const toRead = changes.filter(needsContent);
  const { batches, batchesOf } = contentBatches(plan, toRead);
  const { slices, levels } = sealSlices(plan, batchesOf);

  await runs.put("changeset", { changeSet, jobs: plan.jobs, untreed: [...untreed.values()] satisfies NodeRecord[] });
  const docs: [string, unknown][] = [...batches.map((b, i): [string, unknown] => [`content/${i}`, b]), ...[...slices].map(([key, slice]): [string, unknown] => [`seal/${key}`, slice])];
  await forEachLimit(docs, 16, ([name, doc]) => runs.put(name, doc));
  const s = state.stats;
  return {
    contentBatches: batches.length, levels,
    added: s.added, modified: s.modified, renamed: s.renamed, moved: s.moved, deleted: s.deleted, metadataOnly: s.metadataOnly,
    filesToRead: toRead.length, bytesToRead: toRead.reduce((n, c) => n + c.node.size, 0), errors: s.errors,
  };
}
