/**
 * The last step of a backup: the change set goes to the node index, with the fingerprints of the
 * content now stored and the tree ids of the directories now sealed. Runs only after the snapshot
 * manifest is written, so the index never claims what the repository does not hold.
 *
 * Order, and why it is crash-safe (bulks are not atomic; any prefix of this sequence may land):
 *  1. Every directory about to get a new tree id first loses its old one. Without this, a crash
 *     could leave a parent with its old tree id over children already updated; the next scan would
 *     find nothing changed and reuse the parent's old tree, silently missing the changes.
 *  2. The deletes of the change set, deepest first (applyChangeSet's order).
 *  3. Every upsert: changed nodes (with fingerprints and tree ids), unchanged directories with their
 *     new tree ids, unchanged files with a fingerprint they lacked; a directory's listing digest
 *     (recorded with a consistent tree id only) only after every record without one, deepest first,
 *     so no digest ever stands for children not yet written (the scan skips their records when
 *     the listing matches it); last, unchanged directories that only lacked their digest.
 * After a crash anywhere, a directory without a tree id is re-sealed by the next backup (the scan
 * reports it), and a node not yet written is found changed again; content already stored is found
 * by dedup, so rerunning costs listings and index writes, not uploads.
 * Files reported unstable keep their previous record (or none), so their content is read next time.
 */
import type { IndexOp, NodeIndex, NodeRecord } from "../ports/node-index";
import { deleteGroups, withoutTree, type ChangeSet } from "../scan/change-set";
import type { SealPlan } from "./plan";
import { withTree, type SealedDir } from "./seal";

/** Upserts handed to the index per write call (each call is split into bulks of 100 by the adapter). */
export const UPSERT_SLICE = 2_000;

export interface IndexUpdate {
  readonly changeSet: ChangeSet;
  readonly plan: SealPlan;
  readonly sealed: ReadonlyMap<string, SealedDir | undefined>;
  /** A changed node's new fingerprint, or an unchanged node's record with its fingerprint. */
  readonly fills: ReadonlyMap<string, NodeRecord | string>;
  readonly unstable: ReadonlySet<string>;
}

export interface IndexUpdateResult {
  readonly invalidated: number;
  readonly upserts: number;
  readonly deletes: number;
}

/** The steps of the module comment. */
export async function updateIndex(index: NodeIndex, u: IndexUpdate): Promise<IndexUpdateResult> {
  const shareId = u.changeSet.shareId;
  const invalidate: IndexOp[] = [];
  for (const job of u.plan.jobs) if (job.indexed?.treeId !== undefined) invalidate.push({ op: "upsert", node: withoutTree(job.indexed) });
  let upserts = 0;
  let deletes = 0;
  if (invalidate.length > 0) upserts += (await index.write(shareId, invalidate)).upserts;
  for (const group of deleteGroups(u.changeSet)) deletes += (await index.write(shareId, group)).deletes;

  const ops = new Map<string, NodeRecord>();
  for (const c of u.changeSet.changes) {
    if (c.kinds.includes("deleted")) continue;
    const id = c.node.fileId;
    if (c.node.kind === "file" && u.unstable.has(id)) continue;
    const fill = u.fills.get(id);
    let node = typeof fill === "string" ? { ...c.node, fingerprint: fill } : (fill ?? c.node);
    if (c.node.kind === "dir" && u.sealed.has(id)) {
      if (u.sealed.get(id) === undefined) continue;
      node = withTree(node, u.sealed.get(id));
    }
    ops.set(id, node);
  }
  const depthOf = new Map<string, number>();
  for (const job of u.plan.jobs) {
    depthOf.set(job.fileId, job.depth);
    if (ops.has(job.fileId) || u.plan.live.has(job.fileId) || job.indexed === undefined) continue;
    const sealed = u.sealed.get(job.fileId);
    if (sealed === undefined) continue;
    ops.set(job.fileId, withTree(job.indexed, sealed));
  }
  for (const [id, record] of u.fills) if (typeof record !== "string" && !ops.has(id) && !u.plan.live.has(id) && !u.unstable.has(id)) ops.set(id, record);
  const listingFills: NodeRecord[] = [];
  for (const record of u.changeSet.listingFills ?? []) if (!ops.has(record.fileId) && !depthOf.has(record.fileId)) listingFills.push(record);

  // Step 3: records without a listing digest, then those with one, deepest first, so that a digest
  // lands only once every child record it stands for has; last the digests of unchanged directories.
  const plain: NodeRecord[] = [];
  const byDepth = new Map<number, NodeRecord[]>();
  for (const node of ops.values()) {
    if (node.listing === undefined) plain.push(node);
    else {
      const depth = depthOf.get(node.fileId) ?? -1; // unknown: last, which is always safe
      const level = byDepth.get(depth);
      if (level === undefined) byDepth.set(depth, [node]);
      else level.push(node);
    }
  }
  const waves = [plain, ...[...byDepth].sort((a, b) => b[0] - a[0]).map(([, level]) => level), listingFills];
  for (const wave of waves) {
    // In slices, so the adapter's request bodies exist for one slice at a time, not for the whole
    // change set (a first backup upserts every node); within a wave the upserts are independent.
    for (let i = 0; i < wave.length; i += UPSERT_SLICE) {
      const r = await index.write(shareId, wave.slice(i, i + UPSERT_SLICE).map((node): IndexOp => ({ op: "upsert", node })));
      upserts += r.upserts;
      deletes += r.deletes;
    }
  }
  return { invalidated: invalidate.length, upserts, deletes };
}
