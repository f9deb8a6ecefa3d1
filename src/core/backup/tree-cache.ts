/**
 * Previous trees, decoded and indexed by FileId, with a small LRU in front of the repository: sealing
 * a directory reads its own previous tree (and, for files moved in, their previous parent's), never
 * more than a few at once. Also the subtree totals of a tree, which a parent's entry repeats.
 */
import type { DirectoryNode, FileNode, Tree } from "../repository/model";
import type { Repository } from "../repository/repository";

export interface IndexedTree {
  readonly parentId: string;
  readonly files: ReadonlyMap<string, FileNode>;
  readonly dirs: ReadonlyMap<string, DirectoryNode>;
}

export interface Totals {
  readonly totalFiles: number;
  readonly totalDirectories: number;
  readonly totalSize: number;
}

/** Totals of everything below a directory, from its own tree (its entries carry their subtrees' totals). */
export function totalsOf(tree: Pick<Tree, "files" | "directories">): Totals {
  let totalFiles = tree.files.length;
  let totalDirectories = tree.directories.length;
  let totalSize = 0;
  for (const f of tree.files) totalSize += f.size;
  for (const d of tree.directories) {
    totalFiles += d.totalFiles;
    totalDirectories += d.totalDirectories;
    totalSize += d.totalSize;
  }
  return { totalFiles, totalDirectories, totalSize };
}

export class TreeCache {
  private readonly entries = new Map<string, Promise<IndexedTree & { totals: Totals }>>();

  constructor(
    private readonly repository: Repository,
    private readonly capacity = 16,
  ) {}

  get(id: string): Promise<IndexedTree & { totals: Totals }> {
    let hit = this.entries.get(id);
    if (hit !== undefined) {
      this.entries.delete(id);
      this.entries.set(id, hit);
      return hit;
    }
    hit = this.repository.getTree(id).then((tree) => ({
      parentId: tree.parentId,
      files: new Map(tree.files.map((f) => [f.fileId, f])),
      dirs: new Map(tree.directories.map((d) => [d.fileId, d])),
      totals: totalsOf(tree),
    }));
    hit.catch(() => this.entries.delete(id));
    this.entries.set(id, hit);
    while (this.entries.size > this.capacity) this.entries.delete(this.entries.keys().next().value as string);
    return hit;
  }
}
