/**
 * Every version of one file across the snapshots of a share, newest name first, following renames
 * and moves (of the file or of a directory above it) by FileId: going back one snapshot at a time,
 * the diff of each pair (diff.ts: unchanged subtrees are skipped, so the cost follows what changed)
 * says where the file was before. A path whose FileId changed (deleted and re-created, or saved by an
 * editor through a rename) continues as the same history, marked "replaced". The history starts where
 * the file was added (or at the oldest snapshot).
 */
import type { SnapshotRef } from "../repository/layout";
import type { HexHash, SnapshotManifest, Tree } from "../repository/model";
import { SelectionNotFoundError } from "../restore/errors";
import { diffSnapshots } from "./diff";
import { resolvePath } from "./resolve-path";

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

export async function fileHistory(repo: HistorySource, share: string, path: string): Promise<FileVersion[]> {
  const refs: SnapshotRef[] = [];
  for await (const ref of repo.listSnapshots(share)) refs.push(ref);
  refs.sort((a, b) => a.time - b.time);
  const manifests = new Map<string, Promise<SnapshotManifest>>();
  const manifest = (ref: SnapshotRef) => manifests.get(ref.key) ?? manifests.set(ref.key, repo.getSnapshot(ref)).get(ref.key)!;
  const find = async (i: number, p: string): Promise<Found | undefined> => {
    const found = await resolvePath(repo, (await manifest(refs[i])).root, p).catch((err: unknown) => {
      if (err instanceof SelectionNotFoundError) return undefined;
      throw err;
    });
    if (found?.kind !== "file") return undefined;
    const n = found.node;
    return { snapshot: refs[i], path: found.path, fileId: n.fileId, size: n.size, digest: n.digest, lastWriteTime: n.lastWriteTime };
  };

  const newestFirst: Found[] = [];
  let i = refs.length - 1;
  let current: Found | undefined;
  for (; i >= 0 && current === undefined; i--) current = await find(i, path);
  if (current === undefined) throw new SelectionNotFoundError(path);
  newestFirst.push(current);
  for (; i >= 0; i--) {
    const older = pathBefore(await diffSnapshots(repo, (await manifest(refs[i])).root, (await manifest(current.snapshot)).root), current.path);
    const version = older === undefined ? undefined : await find(i, older);
    if (version === undefined) break;
    newestFirst.push(version);
    current = version;
  }

  const out: FileVersion[] = [];
  let before: Found | undefined;
  for (const v of newestFirst.reverse()) {
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
