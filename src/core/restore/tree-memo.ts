/**
 * Lets the restore's second walk reuse the trees its first walk (the preflight) read, instead of
 * reading and decoding every tree of the selection twice. Trees are content-addressed and immutable,
 * so a kept tree is exactly what a second read would return. Memory is bounded: trees are kept, in
 * walk order, only until they hold `budget` entries (files + subdirectories) in all; the rest are read
 * again as before. The second walk visits trees in the same order and takes each kept tree once per
 * time the first walk read it, so memory shrinks as it goes.
 */
import type { HexHash, Tree } from "../repository/model";
import type { SnapshotContent } from "./walk";

/** Entries (files + subdirectories) kept by default: a few tens of megabytes of decoded trees at most. */
export const TREE_MEMO_ENTRIES = 25_000;

interface Kept {
  readonly tree: Tree;
  uses: number;
}

export class TreeMemo {
  private readonly kept = new Map<HexHash, Kept>();
  private entries = 0;

  constructor(
    private readonly content: SnapshotContent,
    private readonly budget = TREE_MEMO_ENTRIES,
  ) {
    if (!Number.isInteger(budget) || budget < 0) throw new Error(`the tree memo budget must be a non-negative integer, got ${budget}`);
  }

  /** Entries currently kept (for tests). */
  get size(): number {
    return this.entries;
  }

  /** The content the first walk reads through: every tree read is kept while the budget allows. */
  get recording(): SnapshotContent {
    return this.view(async (id) => {
      const known = this.kept.get(id);
      if (known !== undefined) {
        known.uses++;
        return known.tree;
      }
      const tree = await this.content.getTree(id);
      // Read twice at once (read-ahead of two folders with the same tree): one more use of the kept copy.
      const meanwhile = this.kept.get(id);
      if (meanwhile !== undefined) {
        meanwhile.uses++;
        return tree;
      }
      const n = tree.files.length + tree.directories.length;
      if (this.entries + n <= this.budget) {
        this.kept.set(id, { tree, uses: 1 });
        this.entries += n;
      }
      return tree;
    });
  }

  /** The content the second walk reads through: a kept tree is handed out and then let go. */
  get replaying(): SnapshotContent {
    return this.view(async (id) => {
      const known = this.kept.get(id);
      if (known === undefined) return this.content.getTree(id);
      if (--known.uses === 0) {
        this.kept.delete(id);
        this.entries -= known.tree.files.length + known.tree.directories.length;
      }
      return known.tree;
    });
  }

  private view(getTree: (id: HexHash) => Promise<Tree>): SnapshotContent {
    const c = this.content;
    const view: SnapshotContent = {
      getTree,
      readFile: (chunks) => c.readFile(chunks),
      getSddl: (id) => c.getSddl(id),
    };
    if (c.readChunks !== undefined) view.readChunks = (ids) => c.readChunks!(ids);
    if (c.warmUp !== undefined) view.warmUp = (id) => c.warmUp!(id);
    return view;
  }
}
