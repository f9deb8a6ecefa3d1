/**
 * The restore engine: writes the selected part of a snapshot into a RestoreTarget.
 *
 * Order of work and what it guarantees:
 *  1. A first walk over the selected trees checks every name against the target's rules (and, under
 *     --conflict fail, lists the target's directories to find every path that exists). Any unsafe
 *     name or conflict stops the restore before a single write, naming the paths.
 *     That walk also starts loading the chunk index at its first file (SnapshotContent.warmUp).
 *  2. A second walk, over the trees the first one read (kept within a budget: tree-memo.ts), creates
 *     directories (with their properties and permission, so a directory keeps its ACL even when
 *     empty) and hands files to a bounded pool: at most `fileConcurrency` files in
 *     flight, each with at most `writeConcurrency` writes of <= maxWriteBytes; content streams from
 *     the repository (a few chunks read ahead), so memory does not grow with file size or count.
 *     Files up to 1 MiB go in batches (256 files or 8 MiB) whose chunks are read with a few range
 *     reads of their packs (chunk-batch.ts), when the content offers readChunks.
 *  3. Each file is written under a temporary name, given its properties, then its final name (the
 *     port's contract), so a file with its final name is complete: rerunning an interrupted restore
 *     with `skip` verifies such files (size, then content digest) and writes only the rest.
 *  4. Last, directory properties are applied again, deepest first (adding entries changes a
 *     directory's times), to every selected directory and every directory this run created.
 * A failure stops new work; files in flight finish or are discarded; the error is thrown.
 */
import type { RestoreProperties, RestoreTarget, TargetEntry } from "../ports/share-writer";
import type { DirectoryNode, NodeMetadata } from "../repository/model";
import { restoreStamp, type ConflictPolicy } from "./conflicts";
import { RestoreConflictError, UnsafePathError } from "./errors";
import { restoreBatch, restoreFile, type FileJob, type FileJobContext, type Listing, type RestoreResult } from "./file-job";
import { collisionKey } from "./path-safety";
import { JobPool } from "./pool";
import { TreeMemo } from "./tree-memo";
import { buildSelection, walkSelection, type SnapshotContent, type WalkEvent } from "./walk";

export interface RestoreOptions {
  readonly content: SnapshotContent;
  /** The snapshot's root directory (manifest.root). */
  readonly root: DirectoryNode;
  /** Paths from the share root to restore; none = the whole snapshot. */
  readonly paths?: readonly string[];
  readonly target: RestoreTarget;
  readonly conflict?: ConflictPolicy;
  /** Milliseconds since the epoch; names restored copies under `rename`. */
  readonly now: () => number;
  readonly fileConcurrency?: number;
  readonly writeConcurrency?: number;
  readonly onProgress?: (progress: RestoreResult) => void;
}

export type { RestoreResult };

const LISTED_MAX = 50;
/** Files up to this size are read in batches (when the content can) and written from memory. */
const SMALL_FILE = 1024 * 1024;
const BATCH_FILES = 256;
const BATCH_BYTES = 8 * 1024 * 1024;
const BATCH_PARALLEL = 4;
const PROBLEMS_MAX = 50;


function keyed(entries: readonly TargetEntry[] | undefined, target: RestoreTarget): Listing | undefined {
  if (entries === undefined) return undefined;
  return new Map(entries.map((e) => [collisionKey(e.name, target.nameRules), e]));
}

const nameOf = (path: string): string => path.slice(path.lastIndexOf("/") + 1);
const parentOf = (path: string): string => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");

/**
 * Checks names (and, for `fail`, conflicts) over the whole selection; throws before any write. Reads
 * trees through `content` (the tree memo's recording view) and warms the chunk index up at the first
 * file, so that the index loads while the rest of the trees are read.
 */
async function preflight(o: RestoreOptions, policy: ConflictPolicy, content: SnapshotContent): Promise<void> {
  const problems: { path: string; problem: string }[] = [];
  let problemCount = 0;
  const conflicts: string[] = [];
  let conflictCount = 0;
  const listings = new Map<string, Listing | undefined>();
  const conflict = (path: string, what: string) => {
    if (conflicts.length < LISTED_MAX) conflicts.push(`${path}${what}`);
    conflictCount++;
  };
  let warming = o.content.warmUp === undefined;
  const events = walkSelection(content, o.root, buildSelection(o.paths ?? []), o.target.nameRules, (path, problem) => {
    if (problems.length < PROBLEMS_MAX) problems.push({ path, problem });
    problemCount++;
  });
  for await (const ev of events) {
    if (!warming && ev.kind === "file" && ev.node.chunks.length > 0) {
      warming = true;
      o.content.warmUp!(ev.node.chunks[0].id).catch(() => undefined);
    }
    if (policy !== "fail") continue;
    const key = collisionKey(nameOf(ev.path), o.target.nameRules);
    if (ev.kind === "dir") {
      for (const p of listings.keys()) if (!(p === "" || ev.path.startsWith(`${p}/`))) listings.delete(p);
      if (ev.path === "") {
        listings.set("", keyed(await o.target.list(""), o.target));
        continue;
      }
      const there = listings.get(parentOf(ev.path))?.get(key);
      if (there !== undefined && there.kind !== "dir") conflict(ev.path, ` (a ${there.kind === "file" ? "file" : "non-directory"} is where this directory goes)`);
      listings.set(ev.path, there?.kind === "dir" ? keyed(await o.target.list(ev.path), o.target) : undefined);
    } else if (listings.get(ev.dir)?.get(key) !== undefined) conflict(ev.path, "");
  }
  if (problemCount > 0) throw new UnsafePathError(problems, problemCount);
  if (conflictCount > 0) throw new RestoreConflictError(conflicts, conflictCount, o.target.description);
}

/** Restores the selection; see the module comment. */
export async function restoreSnapshot(o: RestoreOptions): Promise<RestoreResult> {
  const policy = o.conflict ?? "fail";
  const target = o.target;
  const result: RestoreResult = { files: 0, bytes: 0, bytesWritten: 0, directoriesCreated: 0, verified: 0, skipped: [], overwritten: 0, renamed: [] };
  const stamp = restoreStamp(o.now());
  const sddl = new Map<string, Promise<string>>();
  const propsOf = async (n: NodeMetadata): Promise<RestoreProperties> => {
    let permission: RestoreProperties["permission"];
    if (n.permission !== undefined) {
      let text = sddl.get(n.permission);
      if (text === undefined) sddl.set(n.permission, (text = o.content.getSddl(n.permission)));
      permission = { id: n.permission, sddl: await text };
    }
    return { attributes: n.attributes, creationTime: n.creationTime, lastWriteTime: n.lastWriteTime, lastAccessTime: n.lastAccessTime, permission, userMetadata: n.userMetadata };
  };

  const trees = new TreeMemo(o.content);
  await preflight(o, policy, trees.recording);

  const ctx: FileJobContext = { content: o.content, target, policy, stamp, writeConcurrency: o.writeConcurrency ?? 4, result, propsOf, onProgress: o.onProgress };
  const batchable = o.content.readChunks !== undefined;
  let batch: FileJob[] = [];
  let batchBytes = 0;
  const pool = new JobPool(o.fileConcurrency ?? 8);
  const finalize: { path: string; props: RestoreProperties }[] = [];
  let listing: Listing = new Map();
  const onEvent = async (ev: WalkEvent): Promise<void> => {
    if (ev.kind === "file") {
      const job: FileJob = { path: ev.path, node: ev.node, listing };
      if (!batchable || ev.node.size > SMALL_FILE) return pool.add(() => restoreFile(ctx, job));
      batch.push(job);
      batchBytes += ev.node.size;
      if (batch.length >= BATCH_FILES || batchBytes >= BATCH_BYTES) await flushBatch();
      return;
    }
    const props = await propsOf(ev.node);
    let created = false;
    if (ev.path !== "") {
      created = await target.makeDirectory(ev.path, props);
      if (created) result.directoriesCreated++;
    }
    listing = created ? new Map() : (keyed(await target.list(ev.path), target) ?? new Map());
    if (created || ev.selected) finalize.push({ path: ev.path, props });
  };
  const flushBatch = async (): Promise<void> => {
    const jobs = batch;
    batch = [];
    batchBytes = 0;
    if (jobs.length > 0) await pool.add(() => restoreBatch(ctx, jobs, BATCH_PARALLEL));
  };
  try {
    for await (const ev of walkSelection(trees.replaying, o.root, buildSelection(o.paths ?? []), target.nameRules)) {
      await onEvent(ev);
    }
    await flushBatch();
  } catch (err) {
    await pool.drain().catch(() => undefined);
    throw err;
  }
  await pool.drain();
  for (let i = finalize.length - 1; i >= 0; i--) await target.setDirectoryProperties(finalize[i].path, finalize[i].props);
  return result;
}
