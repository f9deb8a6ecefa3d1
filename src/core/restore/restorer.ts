/**
 * The restore engine: writes the selected part of a snapshot into a RestoreTarget.
 *
 * Order of work and what it guarantees:
 *  1. A first walk over the selected trees checks every name against the target's rules (and, under
 *     --conflict fail, lists the target's directories to find every path that exists). Any unsafe
 *     name or conflict stops the restore before a single write, naming the paths.
 *  2. A second walk creates directories (with their properties and permission, so a directory keeps
 *     its ACL even when empty) and hands files to a bounded pool: at most `fileConcurrency` files in
 *     flight, each with at most `writeConcurrency` writes of <= maxWriteBytes; content streams from
 *     the repository (a few chunks read ahead), so memory does not grow with file size or count.
 *  3. Each file is written under a temporary name, given its properties, then its final name (the
 *     port's contract), so a file with its final name is complete: rerunning an interrupted restore
 *     with `skip` verifies such files (size, then content digest) and writes only the rest.
 *  4. Last, directory properties are applied again, deepest first (adding entries changes a
 *     directory's times), to every selected directory and every directory this run created.
 * A failure stops new work; files in flight finish or are discarded; the error is thrown.
 */
import type { RestoreProperties, RestoreTarget, TargetEntry } from "../ports/share-writer";
import { TargetExistsError, UnsafeTargetError } from "../ports/share-writer";
import { contentDigest } from "../chunking/content-hash";
import type { DirectoryNode, FileNode, NodeMetadata } from "../repository/model";
import { RepositoryCorruptError } from "../repository/errors";
import { renamedName, restoreStamp, type ConflictPolicy } from "./conflicts";
import { RestoreConflictError, UnsafePathError } from "./errors";
import { collisionKey } from "./path-safety";
import { JobPool } from "./pool";
import { matchesFile } from "./verify";
import { buildSelection, walkSelection, type SnapshotContent, type WalkEvent } from "./walk";
import { writeContent } from "./write-content";

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

export interface RestoreResult {
  /** Files written, their bytes, and the bytes actually sent (zero ranges stay sparse). */
  files: number;
  bytes: number;
  bytesWritten: number;
  directoriesCreated: number;
  /** Under skip: files already there with the snapshot's size and digest. */
  verified: number;
  /** Under skip: existing files that differ, left alone. */
  skipped: string[];
  /** Under overwrite: files replaced. */
  overwritten: number;
  /** Under rename: where the restored copies went. */
  renamed: { path: string; as: string }[];
}

const LISTED_MAX = 50;
const PROBLEMS_MAX = 50;

type Listing = Map<string, TargetEntry>;

function keyed(entries: readonly TargetEntry[] | undefined, target: RestoreTarget): Listing | undefined {
  if (entries === undefined) return undefined;
  return new Map(entries.map((e) => [collisionKey(e.name, target.nameRules), e]));
}

const nameOf = (path: string): string => path.slice(path.lastIndexOf("/") + 1);
const parentOf = (path: string): string => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");

/** Checks names (and, for `fail`, conflicts) over the whole selection; throws before any write. */
async function preflight(o: RestoreOptions, policy: ConflictPolicy): Promise<void> {
  const problems: { path: string; problem: string }[] = [];
  let problemCount = 0;
  const conflicts: string[] = [];
  let conflictCount = 0;
  const listings = new Map<string, Listing | undefined>();
  const conflict = (path: string, what: string) => {
    if (conflicts.length < LISTED_MAX) conflicts.push(`${path}${what}`);
    conflictCount++;
  };
  const events = walkSelection(o.content, o.root, buildSelection(o.paths ?? []), o.target.nameRules, (path, problem) => {
    if (problems.length < PROBLEMS_MAX) problems.push({ path, problem });
    problemCount++;
  });
  for await (const ev of events) {
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

  await preflight(o, policy);

  const writeConcurrency = o.writeConcurrency ?? 4;
  const restoreFile = async (path: string, node: FileNode, listing: Listing): Promise<void> => {
    let finalPath = path;
    let replace = false;
    const key = collisionKey(node.name, target.nameRules);
    const existing = listing.get(key);
    if (existing !== undefined) {
      if (policy === "fail") throw new RestoreConflictError([path], 1, target.description);
      if (policy === "skip") {
        // The existing name, which may differ in case from the snapshot's on a case-insensitive target.
        const there = path.slice(0, path.length - node.name.length) + existing.name;
        if (existing.kind === "file" && existing.size === node.size && (await matchesFile(target.readFile(there), node))) result.verified++;
        else if (result.skipped.length < 10_000) result.skipped.push(path);
        o.onProgress?.(result);
        return;
      }
      if (policy === "overwrite") {
        if (existing.kind !== "file") throw new UnsafeTargetError(`cannot overwrite ${JSON.stringify(path)} in ${target.description}: it is ${existing.kind === "dir" ? "a directory" : "a symbolic link or a special file"}`);
        replace = true;
      } else {
        const name = renamedName(node.name, stamp, new Set(listing.keys()), target.nameRules);
        listing.set(collisionKey(name, target.nameRules), { name, kind: "file", size: node.size });
        finalPath = path.slice(0, path.length - node.name.length) + name;
        result.renamed.push({ path, as: finalPath });
      }
    }
    checkContent(path, node);
    const props = await propsOf(node);
    const sink = await target.beginFile(finalPath, node.size);
    try {
      const w = await writeContent(o.content.readFile(node.chunks), sink, target.maxWriteBytes, writeConcurrency);
      if (w.size !== node.size) throw new RepositoryCorruptError(`${path}: its chunks hold ${w.size} bytes, the snapshot says ${node.size}`);
      await sink.complete(props, replace);
      result.bytesWritten += w.written;
    } catch (err) {
      await sink.discard().catch(() => undefined);
      if (err instanceof TargetExistsError && policy !== "overwrite") throw new RestoreConflictError([finalPath], 1, target.description);
      throw err;
    }
    if (replace) result.overwritten++;
    result.files++;
    result.bytes += node.size;
    o.onProgress?.(result);
  };

  const pool = new JobPool(o.fileConcurrency ?? 8);
  const finalize: { path: string; props: RestoreProperties }[] = [];
  let listing: Listing = new Map();
  const onEvent = async (ev: WalkEvent): Promise<void> => {
    if (ev.kind === "file") {
      const here = listing;
      return pool.add(() => restoreFile(ev.path, ev.node, here));
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
  try {
    for await (const ev of walkSelection(o.content, o.root, buildSelection(o.paths ?? []), target.nameRules)) {
      await onEvent(ev);
    }
  } catch (err) {
    await pool.drain().catch(() => undefined);
    throw err;
  }
  await pool.drain();
  for (let i = finalize.length - 1; i >= 0; i--) await target.setDirectoryProperties(finalize[i].path, finalize[i].props);
  return result;
}

/** The chunk list must add up to the file's size and digest, or the snapshot is damaged. */
function checkContent(path: string, node: FileNode): void {
  let total = 0;
  for (const c of node.chunks) total += c.length;
  const digest = contentDigest(node.chunks.map((c) => Buffer.from(c.id, "hex"))).toString("hex");
  if (total !== node.size || digest !== node.digest) throw new RepositoryCorruptError(`${path}: its chunk list does not match its size or digest`);
}
