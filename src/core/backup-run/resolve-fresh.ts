/**
 * `resolveStep` for a share the index has never seen (RunInfo.fresh): nothing can be moved, renamed
 * or deleted, every listed node is added, so the scan records need no merging. They are read twice,
 * one directory at a time: first to learn the directories, then, slice by slice in job order, to
 * write each seal slice with its directories' children and the content batches of their files (a
 * slice's batches hold its own directories' files only, so sealing it reads nothing else). The run's
 * `changeset` document names the slices and the root, never the directories or the files.
 * Memory: a few hundred bytes per directory of the share (its seal job, slice and parent) and one
 * slice of directory records, never one entry per file.
 * Guarantees: the same content batches' files, seal jobs and slices' children as resolveStep would
 * plan for the same records, so the snapshot's trees are the same (tested side by side); hard links
 * (one FileId listed in two directories) are kept under both names, as the engine's first pass does;
 * deterministic for the same records, so a retry rewrites the same documents.
 */
import type { NodeChange } from "../scan/change-set";
import { ROOT_PARENT } from "../scan/scanner";
import type { Sighting } from "../scan/scan-state";
import type { SealJob } from "../backup/plan";
import { byDepth } from "../backup/plan";
import type { RunStore } from "./run-store";
import { scanRecordName } from "./scan-step";
import { BATCH_BYTES, BATCH_FILES, MAX_SLICES, SLICE_JOBS, sliceKey, type ContentBatch, type DirRecord, type RunInfo, type SealSlice } from "./run-model";
import type { ResolveOutput } from "./resolve-step";
import { BackupError } from "../backup/model";

/** Scan records read in parallel (each pass still handles them in name order). */
const READ_AHEAD = 16;

/** What the index step of a fresh run reads instead of a change set. */
export interface FreshPlan {
  readonly fresh: true;
  /** The root as a change under ROOT_PARENT (its record is written last, with its tree id). */
  readonly root: NodeChange;
  /** Seal slice keys per level, deepest first. */
  readonly levels: readonly (readonly string[])[];
}

/** Every scan record of the run, in name order, at most READ_AHEAD read ahead. */
async function* records(runs: RunStore, names: readonly string[]): AsyncGenerator<DirRecord> {
  const pending: Promise<DirRecord | undefined>[] = [];
  let next = 0;
  while (next < names.length || pending.length > 0) {
    while (next < names.length && pending.length < READ_AHEAD) {
      const read = runs.tryGet<DirRecord>(names[next++]);
      // Observed now: if the caller stops early (a failure), reads still in flight fail quietly.
      read.catch(() => undefined);
      pending.push(read);
    }
    const r = await (pending.shift() as Promise<DirRecord | undefined>);
    if (r !== undefined) yield r;
  }
}

const added = (s: Sighting): NodeChange => ({ kinds: ["added"], node: s.record, path: s.path, depth: s.depth });

/** Plans a fresh run from its scan records; see the module comment. */
export async function resolveFresh(info: RunInfo, runs: RunStore): Promise<ResolveOutput> {
  const names: string[] = [];
  for await (const name of runs.list("scan")) names.push(name);
  names.sort();

  // Pass 1: directories, node counts, vanished directories.
  const dirs = new Map<string, SealJob>();
  const vanished = new Set<string>();
  const errors: { path: string; message: string }[] = [];
  let root: NodeChange | undefined;
  let nodes = 0;
  for await (const r of records(runs, names)) {
    if (r.vanished !== undefined) {
      vanished.add(r.fileId);
      errors.push({ path: r.path, message: r.vanished.message });
    }
    for (const s of r.appeared) {
      nodes++;
      if (s.record.kind !== "dir") continue;
      dirs.set(s.record.fileId, { fileId: s.record.fileId, parentFileId: r.fileId, path: s.path, depth: s.depth, indexed: undefined, oldTreeId: undefined });
      if (r.fileId === ROOT_PARENT) root = added(s);
    }
  }
  if (root === undefined) throw new BackupError(`backup run ${info.runId}: no scan record holds the root of ${info.share}`);
  // A directory that vanished between its parent's listing and its own is not in the snapshot.
  for (const id of vanished) dirs.delete(id);
  nodes -= vanished.size;

  let files = 0;
  let bytes = 0;
  let batch: NodeChange[] = [];
  let batchBytes = 0;
  let batchCount = 0;
  const cut = async () => {
    if (batch.length === 0) return;
    await runs.put(`content/${batchCount++}`, { changes: batch, oldTrees: [] } satisfies ContentBatch);
    batch = [];
    batchBytes = 0;
  };

  // Pass 2: the seal slices, level by level, deepest first, each with its directories' children and
  // the content batches of their files (a vanished directory's record lists nothing).
  const jobs = [...dirs.values()].sort((a, b) => b.depth - a.depth || (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const childrenOf = new Map<string, string[]>();
  for (const job of jobs) {
    const list = childrenOf.get(job.parentFileId) ?? [];
    list.push(job.fileId);
    childrenOf.set(job.parentFileId, list);
  }
  const sliceOf = new Map<string, string>();
  const levels: { depth: number; slices: number; dirs: number }[] = [];
  const levelKeys: string[][] = [];
  for (const level of byDepth(jobs)) {
    const size = Math.max(SLICE_JOBS, Math.ceil(level.length / Math.max(1, Math.floor(MAX_SLICES / 8))));
    const count = Math.ceil(level.length / size);
    const depth = level[0].depth;
    levels.push({ depth, slices: count, dirs: level.length });
    const keys: string[] = [];
    for (let s = 0; s < count; s++) {
      const key = sliceKey(depth, s);
      keys.push(key);
      const sliceJobs = level.slice(s * size, (s + 1) * size);
      const byParent: [string, NodeChange[]][] = [];
      const firstBatch = batchCount;
      const childSlices = new Set<string>();
      for (const job of sliceJobs) sliceOf.set(job.fileId, key);
      for await (const r of records(runs, sliceJobs.map((j) => scanRecordName(j.fileId)))) {
        const changes = r.appeared.filter((sighting) => !vanished.has(sighting.record.fileId)).map(added);
        if (changes.length > 0) byParent.push([r.fileId, changes]);
        for (const c of changes) {
          if (c.node.kind !== "file") continue;
          if (batch.length >= BATCH_FILES || (batch.length > 0 && batchBytes + c.node.size > BATCH_BYTES)) await cut();
          batch.push(c);
          batchBytes += c.node.size;
          files++;
          bytes += c.node.size;
        }
      }
      await cut();
      const contentBatches = Array.from({ length: batchCount - firstBatch }, (_, i) => firstBatch + i);
      for (const job of sliceJobs) {
        for (const child of childrenOf.get(job.fileId) ?? []) {
          const cs = sliceOf.get(child);
          if (cs !== undefined) childSlices.add(cs);
        }
      }
      const slice: SealSlice = { jobs: sliceJobs, byParent, leftParent: [], oldTreeOf: [], contentBatches, childSlices: [...childSlices] };
      await runs.put(`seal/${key}`, slice);
    }
    levelKeys.push(keys);
  }
  await runs.put("changeset", { fresh: true, root, levels: levelKeys } satisfies FreshPlan);
  return {
    contentBatches: batchCount, levels,
    added: nodes, modified: 0, renamed: 0, moved: 0, deleted: 0, metadataOnly: 0,
    filesToRead: files, bytesToRead: bytes, errors,
  };
}
