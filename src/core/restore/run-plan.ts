/**
 * Plans a distributed restore (the Functions app's `restoreSnapshot`): one walk over the selection
 * (the engine's walk, walk.ts) that checks every name against the target's rules and, under conflict
 * `fail`, every target path (as the engine's first walk does), and cuts the work into batches written
 * to the run's documents: at most BATCH_ITEMS entries or BATCH_BYTES of file content per batch, in
 * walk (pre-)order, each with the chain of directories above its first entry (so a batch can run in
 * parallel with the batch that creates those directories), and the directories whose properties the
 * run applies at the end, in lists of DIR_LIST_ENTRIES.
 * Guarantees: nothing is written to the target; a refused selection (unsafe names, conflicts, a path
 * not in the snapshot) throws the engine's errors after the walk, naming the paths; documents hold
 * metadata only (chunk ids, sizes, properties), never file content; memory holds one batch and the
 * directories on the current path, whatever the selection's size.
 * Not guaranteed: that the target stays as checked while the run writes (as with the engine).
 */
import type { RestoreTarget, TargetEntry } from "../ports/share-writer";
import type { DirectoryNode, FileNode, NodeMetadata } from "../repository/model";
import type { ConflictPolicy } from "./conflicts";
import { RestoreConflictError, UnsafePathError } from "./errors";
import { collisionKey } from "./path-safety";
import { buildSelection, walkSelection, type SnapshotContent } from "./walk";

export const BATCH_ITEMS = 256;
export const BATCH_BYTES = 64 * 1024 * 1024;
export const DIR_LIST_ENTRIES = 1000;
const LISTED_MAX = 50;
const PROBLEMS_MAX = 50;

/** A directory's own metadata (its tree id and totals are not needed to restore it). */
export type DirMeta = NodeMetadata;

export interface PlannedDir {
  readonly path: string;
  readonly node: DirMeta;
}

export type BatchItem = { readonly kind: "dir"; readonly path: string; readonly node: DirMeta } | { readonly kind: "file"; readonly path: string; readonly node: FileNode };

/** One batch: the directories above its first item (outermost first), then its items in walk order. */
export interface BatchDoc {
  readonly context: readonly PlannedDir[];
  readonly items: readonly BatchItem[];
}

/** Directories to give their properties at the end, in walk order (apply in reverse: deepest first). */
export interface DirListDoc {
  readonly dirs: readonly PlannedDir[];
}

export interface PlanCounts {
  readonly batches: number;
  readonly dirLists: number;
  readonly files: number;
  readonly dirs: number;
  readonly bytes: number;
}

/** Where the plan's documents go (the run store); `n` counts from 0 per kind. */
export interface PlanSink {
  putBatch(n: number, doc: BatchDoc): Promise<void>;
  putDirList(n: number, doc: DirListDoc): Promise<void>;
}

export interface PlanOptions {
  readonly content: SnapshotContent;
  readonly root: DirectoryNode;
  readonly paths?: readonly string[];
  readonly target: RestoreTarget;
  readonly conflict: ConflictPolicy;
  readonly sink: PlanSink;
  /** Entries per batch (default BATCH_ITEMS; tests use small batches to exercise many of them). */
  readonly batchItems?: number;
}

type Listing = Map<string, TargetEntry> | undefined;

export function metaOf(node: NodeMetadata): DirMeta {
  return {
    fileId: node.fileId, name: node.name, creationTime: node.creationTime, lastWriteTime: node.lastWriteTime, changeTime: node.changeTime,
    lastAccessTime: node.lastAccessTime, attributes: node.attributes, permission: node.permission, userMetadata: node.userMetadata,
  };
}

const nameOf = (path: string): string => path.slice(path.lastIndexOf("/") + 1);
const parentOf = (path: string): string => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");
const under = (dir: string, path: string): boolean => dir === "" || path.startsWith(`${dir}/`);

/** Walks, checks and writes the plan; see the module comment. */
export async function planRestoreRun(o: PlanOptions): Promise<PlanCounts> {
  const rules = o.target.nameRules;
  const problems: { path: string; problem: string }[] = [];
  let problemCount = 0;
  const conflicts: string[] = [];
  let conflictCount = 0;
  const listings = new Map<string, Listing>();
  const keyed = (entries: TargetEntry[] | undefined): Listing => (entries === undefined ? undefined : new Map(entries.map((e) => [collisionKey(e.name, rules), e])));
  const conflict = (path: string, what: string) => {
    if (conflicts.length < LISTED_MAX) conflicts.push(`${path}${what}`);
    conflictCount++;
  };

  let stack: PlannedDir[] = [];
  let batch: BatchItem[] = [];
  let context: PlannedDir[] = [];
  let batchBytes = 0;
  let dirList: PlannedDir[] = [];
  const counts = { batches: 0, dirLists: 0, files: 0, dirs: 0, bytes: 0 };
  const batchItems = o.batchItems ?? BATCH_ITEMS;
  if (!Number.isInteger(batchItems) || batchItems < 1 || batchItems > BATCH_ITEMS) throw new Error(`batchItems must be an integer from 1 to ${BATCH_ITEMS}, got ${batchItems}`);
  const refused = () => problemCount > 0 || conflictCount > 0;
  const flushBatch = async () => {
    if (batch.length > 0 && !refused()) await o.sink.putBatch(counts.batches++, { context, items: batch });
    batch = [];
    batchBytes = 0;
  };
  const add = async (item: BatchItem, size: number) => {
    if (batch.length > 0 && (batch.length >= batchItems || batchBytes + size > BATCH_BYTES)) await flushBatch();
    if (batch.length === 0) context = stack.filter((d) => d.path !== "" && d.path !== item.path);
    batch.push(item);
    batchBytes += size;
  };
  const finalize = async (dir: PlannedDir) => {
    dirList.push(dir);
    if (dirList.length >= DIR_LIST_ENTRIES) {
      if (!refused()) await o.sink.putDirList(counts.dirLists++, { dirs: dirList });
      dirList = [];
    }
  };

  const events = walkSelection(o.content, o.root, buildSelection(o.paths ?? []), rules, (path, problem) => {
    if (problems.length < PROBLEMS_MAX) problems.push({ path, problem });
    problemCount++;
  });
  for await (const ev of events) {
    if (ev.kind === "file") {
      if (o.conflict === "fail" && listings.get(ev.dir)?.get(collisionKey(ev.node.name, rules)) !== undefined) conflict(ev.path, "");
      counts.files++;
      counts.bytes += ev.node.size;
      await add({ kind: "file", path: ev.path, node: ev.node }, ev.node.size);
      continue;
    }
    const dir: PlannedDir = { path: ev.path, node: metaOf(ev.node) };
    stack = stack.filter((d) => under(d.path, ev.path));
    stack.push(dir);
    let there: TargetEntry | undefined;
    if (ev.path === "") {
      if (o.conflict === "fail") listings.set("", keyed(await o.target.list("")));
    } else {
      counts.dirs++;
      if (o.conflict === "fail") {
        for (const p of listings.keys()) if (!under(p, ev.path)) listings.delete(p);
        there = listings.get(parentOf(ev.path))?.get(collisionKey(nameOf(ev.path), rules));
        if (there !== undefined && there.kind !== "dir") conflict(ev.path, ` (a ${there.kind === "file" ? "file" : "non-directory"} is where this directory goes)`);
        listings.set(ev.path, there?.kind === "dir" ? keyed(await o.target.list(ev.path)) : undefined);
      } else if (!ev.selected) there = await o.target.stat(ev.path);
      await add({ kind: "dir", path: ev.path, node: dir.node }, 0);
    }
    // The engine gives properties to every selected directory and to every directory the run creates.
    if (ev.selected || (ev.path !== "" && there === undefined)) await finalize(dir);
  }
  if (problemCount > 0) throw new UnsafePathError(problems, problemCount);
  if (conflictCount > 0) throw new RestoreConflictError(conflicts, conflictCount, o.target.description);
  await flushBatch();
  if (dirList.length > 0) await o.sink.putDirList(counts.dirLists++, { dirs: dirList });
  return counts;
}
