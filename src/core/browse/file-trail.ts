/**
 * Follows one file from a snapshot to the one before it by reading only the trees on its path.
 * A located file carries its chain: the directory nodes from the root down to its parent. Stepping
 * back descends the older snapshot along that chain, by name first (as diff.ts matches entries), and
 * stops reading as soon as a directory's tree id equals the newer one's: trees are content-addressed,
 * so the rest of the path and the file are the same (an unchanged snapshot costs no tree read). A
 * directory or the file renamed within its directory is followed by FileId in the tree already read.
 * Only when that fails (a move to another directory, or the file was added) does the step answer
 * "unknown", and the caller falls back to a tree diff (whose cost follows the size of the change).
 * Guarantees: the answer is the one the diff would give; at most one tree read per directory on the
 * path per step, through a small cache by tree id.
 */
import type { DirectoryNode, FileNode, HexHash, Tree } from "../repository/model";
import { parseSelectionPath } from "../restore/path-safety";

/** A file found in one snapshot, with the directories that lead to it. */
export interface Located {
  /** Root first, then each directory on the path; the file is in the tree of the last one. */
  readonly dirs: readonly DirectoryNode[];
  /** Names from the root: one per directory after the root, then the file's. */
  readonly names: readonly string[];
  readonly file: FileNode;
}

export const pathOf = (l: Located): string => l.names.join("/");

const CACHED_TREES = 64;

/** Trees through a small LRU cache by id; `reads` counts what went to the repository. */
export class TreeCache {
  private readonly trees = new Map<HexHash, Promise<Tree>>();
  reads = 0;
  constructor(private readonly content: { getTree(id: HexHash): Promise<Tree> }) {}

  getTree(id: HexHash): Promise<Tree> {
    const hit = this.trees.get(id);
    if (hit !== undefined) {
      this.trees.delete(id);
      this.trees.set(id, hit);
      return hit;
    }
    this.reads++;
    const loading = this.content.getTree(id);
    loading.catch(() => this.trees.delete(id));
    this.trees.set(id, loading);
    if (this.trees.size > CACHED_TREES) this.trees.delete(this.trees.keys().next().value as HexHash);
    return loading;
  }
}

/** The file at `path` below `root`, or undefined when there is none (or it is a directory). */
export async function locate(trees: TreeCache, root: DirectoryNode, path: string): Promise<Located | undefined> {
  const names = parseSelectionPath(path);
  if (names.length === 0) return undefined;
  const dirs: DirectoryNode[] = [root];
  for (const [i, name] of names.entries()) {
    const tree = await trees.getTree(dirs[dirs.length - 1].tree);
    if (i === names.length - 1) {
      const file = tree.files.find((f) => f.name === name);
      return file === undefined ? undefined : { dirs, names, file };
    }
    const d = tree.directories.find((x) => x.name === name);
    if (d === undefined) return undefined;
    dirs.push(d);
  }
  return undefined;
}

/**
 * Where `newer` was in the snapshot whose root is `olderRoot`: the located file, or "unknown" when it
 * is not on the same path, nor renamed within one of its directories (moved elsewhere, or added).
 */
export async function stepBack(trees: TreeCache, newer: Located, olderRoot: DirectoryNode): Promise<Located | "unknown"> {
  const dirs: DirectoryNode[] = [olderRoot];
  const names: string[] = [];
  const depth = newer.dirs.length;
  for (let j = 0; j < depth; j++) {
    const here = dirs[j];
    if (here.tree === newer.dirs[j].tree) {
      return { dirs: [...dirs, ...newer.dirs.slice(j + 1)], names: [...names, ...newer.names.slice(j)], file: newer.file };
    }
    const tree = await trees.getTree(here.tree);
    const name = newer.names[j];
    if (j < depth - 1) {
      const want = newer.dirs[j + 1];
      const byName = tree.directories.find((d) => d.name === name);
      const d = byName ?? (await renamedHere(trees, newer.dirs[j], tree.directories, want.fileId, "directories"));
      if (d === undefined) return "unknown";
      dirs.push(d);
      names.push(d.name);
      continue;
    }
    const byName = tree.files.find((f) => f.name === name);
    const f = byName ?? (await renamedHere(trees, newer.dirs[j], tree.files, newer.file.fileId, "files"));
    if (f === undefined) return "unknown";
    return { dirs, names: [...names, f.name], file: f };
  }
  return "unknown";
}

/**
 * The older entry with `fileId` whose name the newer directory no longer has: what the diff pairs
 * as a rename (an entry whose name still exists in the newer directory is matched by name there).
 */
async function renamedHere<N extends { readonly name: string; readonly fileId: string }>(trees: TreeCache, newerDir: DirectoryNode, older: readonly N[], fileId: string, kind: "files" | "directories"): Promise<N | undefined> {
  const candidate = older.find((e) => e.fileId === fileId);
  if (candidate === undefined) return undefined;
  const newerTree = await trees.getTree(newerDir.tree);
  const list: readonly { name: string }[] = kind === "files" ? newerTree.files : newerTree.directories;
  return list.some((e) => e.name === candidate.name) ? undefined : candidate;
}
