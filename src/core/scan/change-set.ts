/**
 * The result of a scan: what changed since the index was last written, as small records (never file
 * content), and how to apply it to the index. The backup applies it only after the content it
 * describes is stored, so the index never claims a state the repository does not hold.
 * Guarantees of `applyChangeSet`: directories whose tree id went stale lose it (and their listing
 * digest) first, then deletes run, deepest first, then upserts; a crash or a failed
 * bulk at any point leaves an index that a new scan reads correctly (a deleted directory is removed
 * only after its subtree; a moved node is removed from its old parent before it is filed under the
 * new one, so a FileId is never filed twice, and a node missing after a crash is simply found again
 * as added with its subtree intact, because the subtree is filed under its own FileId).
 */
import type { IndexOp, NodeIndex, NodeRecord, WriteResult } from "../ports/node-index";
import type { ScanStats } from "./stats";

/** How an entry changed. A renamed or moved file can also be modified; metadataOnly excludes the others. */
export type ChangeKind = "added" | "modified" | "metadataOnly" | "renamed" | "moved" | "deleted";

/** One changed node. */
export interface NodeChange {
  readonly kinds: readonly ChangeKind[];
  /** Path at the time of the scan (for a deleted node: where it was). */
  readonly path: string;
  /** The record to write; for a deleted node, the record to remove. */
  readonly node: NodeRecord;
  /** The record the index held, when there was one (renamed, moved, modified, metadataOnly, deleted). */
  readonly previous?: NodeRecord;
  /** Depth of the previous location (root = 0): deletes run deepest first. */
  readonly depth: number;
}

/** Everything a scan found; bounded by the number of changes, not by the size of the share. */
export interface ChangeSet {
  readonly shareId: string;
  readonly snapshot: string | undefined;
  readonly changes: readonly NodeChange[];
  /** Unchanged directories whose children changed and that had a tree id: the id no longer describes them. */
  readonly staleTrees: readonly NodeRecord[];
  readonly stats: ScanStats;
  /**
   * Unchanged directories with a tree id whose record lacked the digest of their listing, the record
   * with it (absent from change sets of older runs). Directories sealed this run get theirs from the seal.
   */
  readonly listingFills?: readonly NodeRecord[];
}

/** True when the backup must read this file's content (new, or size/last-write changed). */
export function needsContent(change: NodeChange): boolean {
  return change.node.kind === "file" && (change.kinds.includes("added") || change.kinds.includes("modified"));
}

/** The deletes of a change set, grouped by depth, deepest group first. */
export function deleteGroups(changeSet: ChangeSet): IndexOp[][] {
  const byDepth = new Map<number, IndexOp[]>();
  for (const c of changeSet.changes) {
    const gone = c.kinds.includes("deleted") ? c.node : c.kinds.includes("moved") ? c.previous : undefined;
    if (gone === undefined) continue;
    const group = byDepth.get(c.depth) ?? [];
    group.push({ op: "delete", parentFileId: gone.parentFileId, fileId: gone.fileId });
    byDepth.set(c.depth, group);
  }
  return [...byDepth.entries()].sort((a, b) => b[0] - a[0]).map(([, ops]) => ops);
}

/** A directory record without its tree id and listing digest: the two are recorded together or not at all. */
export function withoutTree(node: NodeRecord): NodeRecord {
  const { treeId: _tree, listing: _listing, ...rest } = node;
  return rest;
}

/**
 * Directories whose tree id no longer describes them (stale trees, and changed directories whose
 * children changed), as records without it: written before anything else, so that no crash leaves a
 * tree id or listing digest over children already updated.
 */
export function invalidationOps(changeSet: ChangeSet): IndexOp[] {
  const ops: IndexOp[] = changeSet.staleTrees.map((dir) => ({ op: "upsert", node: withoutTree(dir) }));
  for (const c of changeSet.changes) {
    const prev = c.previous;
    if (c.node.kind !== "dir" || c.kinds.includes("deleted") || prev?.treeId === undefined || c.node.treeId !== undefined) continue;
    if (prev.parentFileId === c.node.parentFileId) ops.push({ op: "upsert", node: withoutTree(prev) });
  }
  return ops;
}

/** The upserts of a change set: every surviving changed node (its new record). */
export function upsertOps(changeSet: ChangeSet): IndexOp[] {
  const ops: IndexOp[] = [];
  for (const c of changeSet.changes) if (!c.kinds.includes("deleted")) ops.push({ op: "upsert", node: c.node });
  return ops;
}

/** Writes a change set to the index in crash-safe order (see the module comment). */
export async function applyChangeSet(index: NodeIndex, changeSet: ChangeSet): Promise<WriteResult> {
  let upserts = 0;
  let deletes = 0;
  const add = (r: WriteResult) => {
    upserts += r.upserts;
    deletes += r.deletes;
  };
  const invalidate = invalidationOps(changeSet);
  if (invalidate.length > 0) add(await index.write(changeSet.shareId, invalidate));
  for (const group of deleteGroups(changeSet)) add(await index.write(changeSet.shareId, group));
  const ops = upsertOps(changeSet);
  if (ops.length > 0) add(await index.write(changeSet.shareId, ops));
  return { upserts, deletes };
}
