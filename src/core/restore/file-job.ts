/**
 * One file of a restore: the conflict decision (from the listing of its directory taken when the
 * restore entered it), then the write (temporary name, content, properties, final name: the port's
 * contract) or, under skip, the proof that the file already there is the snapshot's. Small files are
 * read in batches (chunk-batch.ts) and written from memory; others stream from the repository.
 */
import { contentDigest } from "../chunking/content-hash";
import type { RestoreProperties, RestoreTarget, TargetEntry } from "../ports/share-writer";
import { TargetExistsError, UnsafeTargetError } from "../ports/share-writer";
import { RepositoryCorruptError } from "../repository/errors";
import type { FileNode, HexHash, NodeMetadata } from "../repository/model";
import { readWindows } from "./chunk-batch";
import { renamedName, type ConflictPolicy } from "./conflicts";
import { RestoreConflictError } from "./errors";
import { collisionKey } from "./path-safety";
import { JobPool } from "./pool";
import { matchesFile } from "./verify";
import type { SnapshotContent } from "./walk";
import { writeContent } from "./write-content";

export interface RestoreResult {
  /** Files written, their bytes, and the bytes actually sent (zero ranges stay sparse). */
  files: number;
  bytes: number;
  bytesWritten: number;
  directoriesCreated: number;
  /** Under skip: files already there with the snapshot's size and digest. */
  verified: number;
  /** Under skip: existing files that differ, left alone (the first 10,000). */
  skipped: string[];
  /** Under overwrite: files replaced. */
  overwritten: number;
  /** Under rename: where the restored copies went. */
  renamed: { path: string; as: string }[];
}

/** A directory's entries in the target, by collision key. */
export type Listing = Map<string, TargetEntry>;

export interface FileJob {
  readonly path: string;
  readonly node: FileNode;
  readonly listing: Listing;
}

export interface FileJobContext {
  readonly content: SnapshotContent;
  readonly target: RestoreTarget;
  readonly policy: ConflictPolicy;
  /** restoreStamp() of the restore's start, for `rename`. */
  readonly stamp: string;
  readonly writeConcurrency: number;
  readonly result: RestoreResult;
  propsOf(n: NodeMetadata): Promise<RestoreProperties>;
  readonly onProgress?: (progress: RestoreResult) => void;
}

interface Decision {
  readonly job: FileJob;
  readonly finalPath: string;
  readonly replace: boolean;
}

/** Where the file goes, or undefined when nothing is to be written (skip). */
async function decide(ctx: FileJobContext, job: FileJob): Promise<Decision | undefined> {
  const { path, node, listing } = job;
  const existing = listing.get(collisionKey(node.name, ctx.target.nameRules));
  if (existing === undefined) return { job, finalPath: path, replace: false };
  const dir = path.slice(0, path.length - node.name.length);
  switch (ctx.policy) {
    case "fail":
      throw new RestoreConflictError([path], 1, ctx.target.description);
    case "skip": {
      // The existing name, which may differ in case from the snapshot's on a case-insensitive target.
      if (existing.kind === "file" && existing.size === node.size && (await matchesFile(ctx.target.readFile(dir + existing.name), node))) ctx.result.verified++;
      else if (ctx.result.skipped.length < 10_000) ctx.result.skipped.push(path);
      ctx.onProgress?.(ctx.result);
      return undefined;
    }
    case "overwrite":
      if (existing.kind !== "file") throw new UnsafeTargetError(`cannot overwrite ${JSON.stringify(path)} in ${ctx.target.description}: it is ${existing.kind === "dir" ? "a directory" : "a symbolic link or a special file"}`);
      return { job, finalPath: path, replace: true };
    case "rename": {
      const name = renamedName(node.name, ctx.stamp, new Set(listing.keys()), ctx.target.nameRules);
      listing.set(collisionKey(name, ctx.target.nameRules), { name, kind: "file", size: node.size });
      ctx.result.renamed.push({ path, as: dir + name });
      return { job, finalPath: dir + name, replace: false };
    }
  }
}

/** The chunk list must add up to the file's size and digest, or the snapshot is damaged. */
function checkContent(path: string, node: FileNode): void {
  let total = 0;
  for (const c of node.chunks) total += c.length;
  const digest = contentDigest(node.chunks.map((c) => Buffer.from(c.id, "hex"))).toString("hex");
  if (total !== node.size || digest !== node.digest) throw new RepositoryCorruptError(`${path}: its chunk list does not match its size or digest`);
}

async function write(ctx: FileJobContext, d: Decision, source: () => AsyncIterable<Uint8Array>): Promise<void> {
  const { path, node } = d.job;
  const props = await ctx.propsOf(node);
  const sink = await ctx.target.beginFile(d.finalPath, node.size);
  try {
    const w = await writeContent(source(), sink, ctx.target.maxWriteBytes, ctx.writeConcurrency);
    if (w.size !== node.size) throw new RepositoryCorruptError(`${path}: its chunks hold ${w.size} bytes, the snapshot says ${node.size}`);
    await sink.complete(props, d.replace);
    ctx.result.bytesWritten += w.written;
  } catch (err) {
    await sink.discard().catch(() => undefined);
    if (err instanceof TargetExistsError && ctx.policy !== "overwrite") throw new RestoreConflictError([d.finalPath], 1, ctx.target.description);
    throw err;
  }
  if (d.replace) ctx.result.overwritten++;
  ctx.result.files++;
  ctx.result.bytes += node.size;
  ctx.onProgress?.(ctx.result);
}

/** Restores one file, streaming its content from the repository. */
export async function restoreFile(ctx: FileJobContext, job: FileJob): Promise<void> {
  checkContent(job.path, job.node);
  const d = await decide(ctx, job);
  if (d === undefined) return;
  const readChunks = ctx.content.readChunks?.bind(ctx.content);
  await write(ctx, d, () => (readChunks !== undefined ? readWindows(readChunks, job.node.chunks) : ctx.content.readFile(job.node.chunks)));
}

async function* fromMemory(chunks: readonly Buffer[]): AsyncGenerator<Buffer> {
  yield* chunks;
}

/** Restores small files together: one batched read of the chunks of those to write, then the writes. */
export async function restoreBatch(ctx: FileJobContext, jobs: readonly FileJob[], parallel: number): Promise<void> {
  const readChunks = ctx.content.readChunks;
  if (readChunks === undefined) throw new Error("restoreBatch needs SnapshotContent.readChunks");
  for (const j of jobs) checkContent(j.path, j.node);
  const decided: Decision[] = [];
  await JobPool.forEach(jobs, parallel, async (j) => {
    const d = await decide(ctx, j);
    if (d !== undefined) decided.push(d);
  });
  const chunks: Map<HexHash, readonly Buffer[]> = await readChunks.call(ctx.content, decided.flatMap((d) => d.job.node.chunks.map((c) => c.id)));
  await JobPool.forEach(decided, parallel, (d) => write(ctx, d, () => fromMemory(d.job.node.chunks.flatMap((c) => chunks.get(c.id) as readonly Buffer[]))));
}
