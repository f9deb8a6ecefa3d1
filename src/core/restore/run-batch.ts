/**
 * Runs one batch of a planned restore (run-plan.ts) with the engine's file jobs (file-job.ts), and
 * applies directory properties at the end of a run. A batch first makes sure the directories above
 * it exist (another batch of the same wave may be creating them: creating an existing directory is
 * not an error), then creates its directories and writes its files, small ones in batched reads.
 * Idempotent: running a batch again changes nothing twice. A file already at its final path (or, under
 * `rename`, at the name the run gives its copy) with the snapshot's size and content digest counts as
 * verified and is not written again, whatever the policy; under `fail` (checked over the whole
 * selection by the plan) the batch runs with `skip` semantics and only a file that exists with OTHER
 * content (someone wrote it since the plan) stops the run, naming it.
 * Returns counts only.
 */
import type { RestoreProperties, RestoreTarget, TargetEntry } from "../ports/share-writer";
import type { FileNode, NodeMetadata } from "../repository/model";
import { renamedName, type ConflictPolicy } from "./conflicts";
import { RestoreConflictError } from "./errors";
import { restoreBatch, restoreFile, type FileJob, type FileJobContext, type Listing, type RestoreResult } from "./file-job";
import { collisionKey } from "./path-safety";
import { JobPool } from "./pool";
import type { BatchDoc, DirListDoc } from "./run-plan";
import { matchesFile } from "./verify";
import type { SnapshotContent } from "./walk";

const SMALL_FILE = 1024 * 1024;
const SMALL_GROUP_FILES = 256;
const SMALL_GROUP_BYTES = 8 * 1024 * 1024;
const FILE_CONCURRENCY = 8;
const BATCH_PARALLEL = 4;

export interface BatchCounts {
  files: number;
  bytes: number;
  bytesWritten: number;
  dirsCreated: number;
  verified: number;
  skipped: number;
  overwritten: number;
  renamed: number;
}

export const ZERO_BATCH_COUNTS: BatchCounts = { files: 0, bytes: 0, bytesWritten: 0, dirsCreated: 0, verified: 0, skipped: 0, overwritten: 0, renamed: 0 };

export function addBatchCounts(a: BatchCounts, b: BatchCounts): BatchCounts {
  return {
    files: a.files + b.files, bytes: a.bytes + b.bytes, bytesWritten: a.bytesWritten + b.bytesWritten, dirsCreated: a.dirsCreated + b.dirsCreated,
    verified: a.verified + b.verified, skipped: a.skipped + b.skipped, overwritten: a.overwritten + b.overwritten, renamed: a.renamed + b.renamed,
  };
}

export interface BatchRunOptions {
  readonly content: SnapshotContent;
  readonly target: RestoreTarget;
  readonly conflict: ConflictPolicy;
  /** restoreStamp() of the run (the same for every batch and every retry). */
  readonly stamp: string;
  readonly writeConcurrency?: number;
}

/** Properties of a node, the SDDL read once per descriptor. */
export function propertiesReader(content: SnapshotContent): (n: NodeMetadata) => Promise<RestoreProperties> {
  const sddl = new Map<string, Promise<string>>();
  return async (n) => {
    let permission: RestoreProperties["permission"];
    if (n.permission !== undefined) {
      let text = sddl.get(n.permission);
      if (text === undefined) {
        text = content.getSddl(n.permission);
        text.catch(() => sddl.delete(n.permission as string));
        sddl.set(n.permission, text);
      }
      permission = { id: n.permission, sddl: await text };
    }
    return { attributes: n.attributes, creationTime: n.creationTime, lastWriteTime: n.lastWriteTime, lastAccessTime: n.lastAccessTime, permission, userMetadata: n.userMetadata };
  };
}

const dirOf = (path: string): string => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");
const prefixOf = (path: string, name: string): string => path.slice(0, path.length - name.length);

/** True when `entry` holds exactly `node`'s content (size first, then the digest of its bytes). */
async function holds(target: RestoreTarget, path: string, entry: TargetEntry | undefined, node: FileNode): Promise<boolean> {
  return entry !== undefined && entry.kind === "file" && entry.size === node.size && (await matchesFile(target.readFile(path), node));
}

/** Runs one planned batch; see the module comment. */
export async function runPlannedBatch(o: BatchRunOptions, doc: BatchDoc): Promise<BatchCounts> {
  const target = o.target;
  const rules = target.nameRules;
  const propsOf = propertiesReader(o.content);
  const policy: ConflictPolicy = o.conflict === "fail" ? "skip" : o.conflict;
  const result: RestoreResult = { files: 0, bytes: 0, bytesWritten: 0, directoriesCreated: 0, verified: 0, skipped: [], overwritten: 0, renamed: [] };
  const listings = new Map<string, Listing>();
  const enter = async (path: string, node: NodeMetadata): Promise<void> => {
    const created = await target.makeDirectory(path, await propsOf(node));
    if (created) result.directoriesCreated++;
    const entries = created ? [] : ((await target.list(path)) ?? []);
    listings.set(path, new Map(entries.map((e) => [collisionKey(e.name, rules), e])));
  };
  for (const d of doc.context) await enter(d.path, d.node);

  const jobs: FileJob[] = [];
  for (const item of doc.items) {
    if (item.kind === "dir") {
      await enter(item.path, item.node);
      continue;
    }
    const dir = dirOf(item.path);
    let listing = listings.get(dir);
    if (listing === undefined) {
      // The share or folder root of the target: it exists (the target was opened).
      listing = new Map(((await target.list(dir)) ?? []).map((e) => [collisionKey(e.name, rules), e]));
      listings.set(dir, listing);
    }
    jobs.push({ path: item.path, node: item.node, listing });
  }

  // Idempotence under overwrite and rename: a file this run already wrote is verified, not written again.
  let pending = jobs;
  if (policy === "overwrite" || policy === "rename") {
    pending = [];
    await JobPool.forEach(jobs, FILE_CONCURRENCY, async (job) => {
      const prefix = prefixOf(job.path, job.node.name);
      const at = job.listing.get(collisionKey(job.node.name, rules));
      if (await holds(target, prefix + (at?.name ?? job.node.name), at, job.node)) {
        result.verified++;
        return;
      }
      if (policy === "rename" && at !== undefined) {
        const copy = renamedName(job.node.name, o.stamp, new Set(), rules);
        const there = job.listing.get(collisionKey(copy, rules));
        if (await holds(target, prefix + (there?.name ?? copy), there, job.node)) {
          result.verified++;
          return;
        }
      }
      pending.push(job);
    });
    pending.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  }

  const ctx: FileJobContext = { content: o.content, target, policy, stamp: o.stamp, writeConcurrency: o.writeConcurrency ?? 4, result, propsOf };
  const batchable = o.content.readChunks !== undefined;
  const pool = new JobPool(FILE_CONCURRENCY);
  let group: FileJob[] = [];
  let groupBytes = 0;
  const flush = async () => {
    const g = group;
    group = [];
    groupBytes = 0;
    if (g.length > 0) await pool.add(() => restoreBatch(ctx, g, BATCH_PARALLEL));
  };
  try {
    for (const job of pending) {
      if (!batchable || job.node.size > SMALL_FILE) {
        await pool.add(() => restoreFile(ctx, job));
        continue;
      }
      group.push(job);
      groupBytes += job.node.size;
      if (group.length >= SMALL_GROUP_FILES || groupBytes >= SMALL_GROUP_BYTES) await flush();
    }
    await flush();
  } catch (err) {
    await pool.drain().catch(() => undefined);
    throw err;
  }
  await pool.drain();
  if (o.conflict === "fail" && result.skipped.length > 0) throw new RestoreConflictError(result.skipped.slice(0, 50), result.skipped.length, target.description);
  return {
    files: result.files, bytes: result.bytes, bytesWritten: result.bytesWritten, dirsCreated: result.directoriesCreated, verified: result.verified,
    skipped: result.skipped.length, overwritten: result.overwritten, renamed: result.renamed.length,
  };
}

/** Applies the properties of a list's directories, last first (children after their parents in walk order). */
export async function finalizeDirectories(content: SnapshotContent, target: RestoreTarget, doc: DirListDoc): Promise<number> {
  const propsOf = propertiesReader(content);
  for (let i = doc.dirs.length - 1; i >= 0; i--) await target.setDirectoryProperties(doc.dirs[i].path, await propsOf(doc.dirs[i].node));
  return doc.dirs.length;
}
