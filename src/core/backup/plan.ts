/**
 * Which directories a backup seals, found without walking the share a second time: the directories
 * whose children changed, the directories that have no tree id in the index (new ones, and any whose
 * id was dropped), moved directories (a tree records its parent), and every ancestor of those up to the root (a child's new tree id changes its
 * parent's tree). Every other directory keeps the tree id its index document holds.
 * Ancestors that did not change are looked up in the index (one FileId lookup each, memoized), so the
 * cost is bounded by the changes times the depth, never by the size of the share.
 * Guarantees: jobs come deepest first; a job's path is its path in the share being backed up.
 */
import type { NodeIndex, NodeRecord } from "../ports/node-index";
import type { ChangeSet, NodeChange } from "../scan/change-set";
import { childPath } from "../scan/records";
import { ROOT_PARENT } from "../scan/scanner";
import { BackupError } from "./model";

/** One directory to seal. */
export interface SealJob {
  readonly fileId: string;
  readonly parentFileId: string;
  readonly path: string;
  /** Root = 0. */
  readonly depth: number;
  /** The index's record of the directory before this backup (where it is filed now), if any. */
  readonly indexed: NodeRecord | undefined;
  /** Its tree before this backup: unchanged files reuse their chunk lists from it. */
  readonly oldTreeId: string | undefined;
}

export interface SealPlan {
  /** Deepest first. */
  readonly jobs: readonly SealJob[];
  /** Surviving changes by their (new) parent. */
  readonly byParent: ReadonlyMap<string, readonly NodeChange[]>;
  /** FileIds that left a parent (deleted or moved away), by that parent. */
  readonly leftParent: ReadonlyMap<string, ReadonlySet<string>>;
  /** Surviving changes by FileId. */
  readonly live: ReadonlyMap<string, NodeChange>;
  /** Tree ids directories had before this backup, where known (changed, stale, deleted, planned). */
  readonly oldTreeOf: ReadonlyMap<string, string>;
}

function push<K, V>(map: Map<K, V[]>, key: K, value: V): void {
  const list = map.get(key);
  if (list === undefined) map.set(key, [value]);
  else list.push(value);
}

/**
 * Plans the sealing for `changeSet`. `untreed` holds the index records of directories without a tree
 * id that the scan came across (see UntreedWatch).
 */
export async function planSeal(changeSet: ChangeSet, untreed: ReadonlyMap<string, NodeRecord>, index: NodeIndex): Promise<SealPlan> {
  const live = new Map<string, NodeChange>();
  const deleted = new Set<string>();
  const byParent = new Map<string, NodeChange[]>();
  const leftParent = new Map<string, Set<string>>();
  const oldTreeOf = new Map<string, string>();
  const base = new Set<string>();
  for (const c of changeSet.changes) {
    const isDeleted = c.kinds.includes("deleted");
    if (c.previous?.kind === "dir" && c.previous.treeId !== undefined) oldTreeOf.set(c.previous.fileId, c.previous.treeId);
    if (isDeleted) deleted.add(c.node.fileId);
    else {
      live.set(c.node.fileId, c);
      push(byParent, c.node.parentFileId, c);
      base.add(c.node.parentFileId);
      // A moved directory's own tree names its parent: it is re-sealed (one tree; its subtrees stay).
      const moved = c.previous !== undefined && c.previous.parentFileId !== c.node.parentFileId;
      if (c.node.kind === "dir" && (c.node.treeId === undefined || moved)) base.add(c.node.fileId);
    }
    const prev = c.previous;
    if (prev !== undefined && (isDeleted || prev.parentFileId !== c.node.parentFileId)) {
      let set = leftParent.get(prev.parentFileId);
      if (set === undefined) leftParent.set(prev.parentFileId, (set = new Set()));
      set.add(prev.fileId);
      base.add(prev.parentFileId);
    }
  }
  const stale = new Map<string, NodeRecord>();
  for (const r of changeSet.staleTrees) {
    stale.set(r.fileId, r);
    if (r.treeId !== undefined) oldTreeOf.set(r.fileId, r.treeId);
  }
  for (const r of untreed.values()) base.add(r.fileId);
  for (const id of deleted) base.delete(id);
  base.delete(ROOT_PARENT);

  const resolved = new Map<string, Promise<SealJob>>();
  const resolve = (fileId: string): Promise<SealJob> => {
    let job = resolved.get(fileId);
    if (job === undefined) {
      job = resolveOne(fileId);
      resolved.set(fileId, job);
    }
    return job;
  };
  const resolveOne = async (fileId: string): Promise<SealJob> => {
    const change = live.get(fileId);
    if (change !== undefined) {
      return jobOf(change.node, change.path, change.previous, change.previous?.treeId);
    }
    const record = stale.get(fileId) ?? untreed.get(fileId) ?? (await findAlive(index, changeSet.shareId, fileId, deleted));
    if (record === undefined) throw new BackupError(`directory with FileId ${fileId} is in neither the change set nor the node index ${index.description}`);
    const path = record.parentFileId === ROOT_PARENT ? "" : childPath((await resolve(record.parentFileId)).path, record.name);
    return jobOf(record, path, record, record.treeId);
  };

  const jobs = new Map<string, SealJob>();
  for (const start of base) {
    let id = start;
    while (id !== ROOT_PARENT && !jobs.has(id)) {
      const job = await resolve(id);
      jobs.set(id, job);
      id = job.parentFileId;
    }
  }
  for (const job of jobs.values()) if (job.oldTreeId !== undefined) oldTreeOf.set(job.fileId, job.oldTreeId);
  const sorted = [...jobs.values()].sort((a, b) => b.depth - a.depth);
  return { jobs: sorted, byParent, leftParent, live, oldTreeOf };
}

function jobOf(record: NodeRecord, path: string, indexed: NodeRecord | undefined, oldTreeId: string | undefined): SealJob {
  if (record.kind !== "dir") throw new BackupError(`${JSON.stringify(path)} is a file where the index expects a directory`);
  return { fileId: record.fileId, parentFileId: record.parentFileId, path, depth: path === "" ? 0 : path.split("/").length, indexed, oldTreeId };
}

async function findAlive(index: NodeIndex, shareId: string, fileId: string, deleted: ReadonlySet<string>): Promise<NodeRecord | undefined> {
  const found = await index.findByFileId(shareId, fileId);
  return found.find((r) => r.kind === "dir" && !deleted.has(r.parentFileId)) ?? found[0];
}

/** Jobs (deepest first) cut into levels of equal depth: a level starts once the deeper one is sealed. */
export function byDepth<T extends { depth: number }>(jobs: readonly T[]): T[][] {
  const levels: T[][] = [];
  for (const job of jobs) {
    const last = levels[levels.length - 1];
    if (last !== undefined && last[0].depth === job.depth) last.push(job);
    else levels.push([job]);
  }
  return levels;
}
