/**
 * What changed between two snapshots, computed from their trees: subtrees with the same tree id are
 * skipped without reading them (Merkle), so the cost follows the size of the change, not of the share.
 * Entries are matched by name first; then entries that disappeared from one place and appeared in
 * another with the same FileId are a rename (same directory) or a move (another directory), for
 * files and for whole directories (a moved directory is one entry, and what changed inside it is
 * reported under its new path). A directory that really was added or removed is expanded so that a
 * file moved out of it is still found.
 */
import type { DirectoryNode, FileNode, HexHash, NodeMetadata, Tree } from "../repository/model";
import { childPath } from "../restore/path-safety";

export type EntryType = "file" | "dir";

export interface DiffEntry {
  readonly path: string;
  readonly type: EntryType;
  readonly size: number;
}

export interface SnapshotDiff {
  readonly added: DiffEntry[];
  readonly removed: DiffEntry[];
  /** Content changed (size or digest). */
  readonly modified: { path: string; sizeBefore: number; sizeAfter: number }[];
  /** Same content, other attributes, times, permission or user metadata. */
  readonly metadataOnly: { path: string; type: EntryType; changed: string[] }[];
  readonly renamed: { from: string; to: string; type: EntryType }[];
  readonly moved: { from: string; to: string; type: EntryType }[];
}

type Content = { getTree(id: HexHash): Promise<Tree> };
interface Loose<N> {
  readonly path: string;
  readonly node: N;
}

const parent = (path: string) => (path.includes("/") ? path.slice(0, path.lastIndexOf("/")) : "");

function metadataChanges(a: NodeMetadata, b: NodeMetadata): string[] {
  const out: string[] = [];
  if (a.attributes !== b.attributes) out.push("attributes");
  if (a.creationTime !== b.creationTime) out.push("creationTime");
  if (a.lastWriteTime !== b.lastWriteTime) out.push("lastWriteTime");
  if (a.permission !== b.permission) out.push("permission");
  if (JSON.stringify(a.userMetadata) !== JSON.stringify(b.userMetadata)) out.push("userMetadata");
  return out;
}

export async function diffSnapshots(content: Content, before: DirectoryNode, after: DirectoryNode): Promise<SnapshotDiff> {
  const diff: SnapshotDiff = { added: [], removed: [], modified: [], metadataOnly: [], renamed: [], moved: [] };
  const gone = { files: [] as Loose<FileNode>[], dirs: new Map<string, Loose<DirectoryNode>>() };
  const came = { files: [] as Loose<FileNode>[], dirs: new Map<string, Loose<DirectoryNode>>() };

  const compareFiles = (path: string, a: FileNode, b: FileNode) => {
    if (a.size !== b.size || a.digest !== b.digest) diff.modified.push({ path, sizeBefore: a.size, sizeAfter: b.size });
    else {
      const changed = metadataChanges(a, b);
      if (changed.length > 0) diff.metadataOnly.push({ path, type: "file", changed });
    }
  };

  const compare = async (pathA: string, a: DirectoryNode, pathB: string, b: DirectoryNode): Promise<void> => {
    if (pathB !== "") {
      const changed = metadataChanges(a, b);
      if (changed.length > 0) diff.metadataOnly.push({ path: pathB, type: "dir", changed });
    }
    if (a.tree === b.tree) return;
    const [ta, tb] = await Promise.all([content.getTree(a.tree), content.getTree(b.tree)]);
    const filesB = new Map(tb.files.map((f) => [f.name, f]));
    for (const f of ta.files) {
      const other = filesB.get(f.name);
      if (other === undefined) gone.files.push({ path: childPath(pathA, f.name), node: f });
      else compareFiles(childPath(pathB, f.name), f, other);
      filesB.delete(f.name);
    }
    for (const f of filesB.values()) came.files.push({ path: childPath(pathB, f.name), node: f });
    const dirsB = new Map(tb.directories.map((d) => [d.name, d]));
    for (const d of ta.directories) {
      const other = dirsB.get(d.name);
      dirsB.delete(d.name);
      if (other === undefined) gone.dirs.set(d.fileId, { path: childPath(pathA, d.name), node: d });
      else await compare(childPath(pathA, d.name), d, childPath(pathB, d.name), other);
    }
    for (const d of dirsB.values()) came.dirs.set(d.fileId, { path: childPath(pathB, d.name), node: d });
  };

  const pair = (from: string, to: string, type: EntryType) => (parent(from) === parent(to) ? diff.renamed : diff.moved).push({ from, to, type });
  /** Expands a directory that has no counterpart: its entries go back into the pools. */
  const expand = async (d: Loose<DirectoryNode>, pool: typeof gone, out: DiffEntry[]) => {
    out.push({ path: d.path, type: "dir", size: d.node.totalSize });
    const t = await content.getTree(d.node.tree);
    for (const f of t.files) pool.files.push({ path: childPath(d.path, f.name), node: f });
    for (const s of t.directories) pool.dirs.set(s.fileId, { path: childPath(d.path, s.name), node: s });
  };

  await compare("", before, "", after);
  for (;;) {
    const matched = [...gone.dirs.keys()].filter((id) => came.dirs.has(id));
    for (const id of matched) {
      const a = gone.dirs.get(id)!;
      const b = came.dirs.get(id)!;
      gone.dirs.delete(id);
      came.dirs.delete(id);
      pair(a.path, b.path, "dir");
      await compare(a.path, a.node, b.path, b.node);
    }
    if (matched.length > 0) continue;
    if (gone.dirs.size === 0 && came.dirs.size === 0) break;
    // No directory pairs up any more: expand the rest, whose subdirectories may.
    for (const [id, d] of [...gone.dirs]) {
      gone.dirs.delete(id);
      await expand(d, gone, diff.removed);
    }
    for (const [id, d] of [...came.dirs]) {
      came.dirs.delete(id);
      await expand(d, came, diff.added);
    }
  }

  const cameById = new Map(came.files.map((f) => [f.node.fileId, f]));
  for (const g of gone.files) {
    const c = cameById.get(g.node.fileId);
    if (c === undefined) {
      diff.removed.push({ path: g.path, type: "file", size: g.node.size });
      continue;
    }
    cameById.delete(g.node.fileId);
    pair(g.path, c.path, "file");
    compareFiles(c.path, g.node, c.node);
  }
  for (const c of cameById.values()) diff.added.push({ path: c.path, type: "file", size: c.node.size });
  for (const list of [diff.added, diff.removed]) list.sort((x, y) => (x.path < y.path ? -1 : x.path > y.path ? 1 : 0));
  return diff;
}
