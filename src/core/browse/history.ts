/**
 * Every version of one file across the snapshots of a share, newest name first, following renames
 * and moves (of the file or of a directory above it) by FileId: going back one snapshot at a time,
 * only the trees on the file's path are read, and none below a directory whose tree id did not change
 * (file-trail.ts); a move to another directory falls back to the diff of the pair (diff.ts: unchanged
 * subtrees are skipped, so the cost follows what changed). A path whose FileId changed (deleted and
 * re-created, or saved by an editor through a rename) continues as the same history, marked
 * "replaced". The history starts where the file was added (or at the oldest snapshot).
 */
import type { SnapshotRef } from "../repository/layout";
import type { DirectoryNode, HexHash, SnapshotManifest, Tree } from "../repository/model";
import { SelectionNotFoundError } from "../restore/errors";
import { parseSelectionPath } from "../restore/path-safety";
import { diffSnapshots } from "./diff";
import { locate, pathOf, stepBack, TreeCache, type Located } from "./file-trail";

export type VersionEvent = "added" | "modified" | "unchanged" | "metadata" | "renamed" | "moved" | "replaced";

export interface FileVersion {
  readonly snapshot: SnapshotRef;
  readonly path: string;
  readonly fileId: string;
  readonly size: number;
  readonly digest: HexHash;
  /** Microseconds since the epoch. */
  readonly lastWriteTime: number;
  /** How this version differs from the one before it (oldest: "added"). */
  readonly event: VersionEvent;
}

export interface HistorySource {
  listSnapshots(share: string): AsyncIterable<SnapshotRef>;
  getSnapshot(ref: SnapshotRef): Promise<SnapshotManifest>;
  getTree(id: HexHash): Promise<Tree>;
}

type Found = Omit<FileVersion, "event">;

/** Where `path` (in the newer snapshot) was in the older one, or undefined when it was added since. */
function pathBefore(d: Awaited<ReturnType<typeof diffSnapshots>>, path: string): string | undefined {
  for (const m of [...d.renamed, ...d.moved]) {
    if (m.type === "file" && m.to === path) return m.from;
    if (m.type === "dir" && path.startsWith(`${m.to}/`)) return m.from + path.slice(m.to.length);
  }
  if (d.added.some((a) => a.path === path || (a.type === "dir" && path.startsWith(`${a.path}/`)))) return undefined;
  return path;
}

export interface HistoryOptions {
  /** Receives the number of trees read from the repository (tests, diagnostics). */
  readonly onTreeReads?: (reads: number) => void;
}

export async function fileHistory(repo: HistorySource, share: string, path: string, o: HistoryOptions = {}): Promise<FileVersion[]> {
  const refs: SnapshotRef[] = [];
  for await (const ref of repo.listSnapshots(share)) refs.push(ref);
  refs.sort((a, b) => a.time - b.time);
  const roots = new Map<string, Promise<DirectoryNode>>();
  const root = (i: number) => roots.get(refs[i].key) ?? roots.set(refs[i].key, repo.getSnapshot(refs[i]).then((m) => m.root)).get(refs[i].key)!;
  const trees = new TreeCache(repo);
  parseSelectionPath(path);

  const newestFirst: { at: number; where: Located }[] = [];
  let i = refs.length - 1;
  let current: Located | undefined;
  for (; i >= 0 && current === undefined; i--) current = await locate(trees, await root(i), path);
  if (current === undefined) throw new SelectionNotFoundError(path);
  newestFirst.push({ at: i + 1, where: current });
  for (; i >= 0; i--) {
    const olderRoot = await root(i);
    let older: Located | "unknown" | undefined = await stepBack(trees, current, olderRoot);
    if (older === "unknown") {
      // Moved to another directory, or added: the diff of the two snapshots says which.
      const before = pathBefore(await diffSnapshots(trees, olderRoot, await root(newestFirst[newestFirst.length - 1].at)), pathOf(current));
      older = before === undefined ? undefined : await locate(trees, olderRoot, before);
    }
    if (older === undefined) break;
    newestFirst.push({ at: i, where: older });
    current = older;
  }
  o.onTreeReads?.(trees.reads);

  const out: FileVersion[] = [];
  let before: Found | undefined;
  for (const { at, where } of newestFirst.reverse()) {
    const n = where.file;
    const v: Found = { snapshot: refs[at], path: pathOf(where), fileId: n.fileId, size: n.size, digest: n.digest, lastWriteTime: n.lastWriteTime };
    let event: VersionEvent = "added";
    if (before !== undefined) {
      const moved = before.path !== v.path;
      const dirOf = (p: string) => p.slice(0, Math.max(0, p.lastIndexOf("/")));
      if (before.fileId !== v.fileId) event = "replaced";
      else if (moved) event = dirOf(before.path) === dirOf(v.path) ? "renamed" : "moved";
      else if (before.digest !== v.digest || before.size !== v.size) event = "modified";
      else event = before.lastWriteTime !== v.lastWriteTime ? "metadata" : "unchanged";
    }
    out.push({ ...v, event });
    before = v;
  }
  return out;
}
