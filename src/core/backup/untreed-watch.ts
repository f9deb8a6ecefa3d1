/**
 * A NodeIndex decorator the backup scans through: it passes every call on unchanged and remembers the
 * directory records it hands out that carry no tree id. The scan reads every indexed directory's
 * record anyway (with its parent's children, or by key below a skipped listing), so this finds
 * directories whose tree id was dropped (by `afb index sync`, by an
 * interrupted index update, by a directory left inconsistent by a live source) at no extra cost.
 * Memory: bounded by the number of such directories.
 */
import type { IndexOp, NodeIndex, NodeKey, NodeRecord, WriteResult } from "../ports/node-index";

export class UntreedWatch implements NodeIndex {
  readonly untreed = new Map<string, NodeRecord>();

  constructor(private readonly inner: NodeIndex) {}

  get description(): string {
    return this.inner.description;
  }

  async *listChildren(shareId: string, parentFileId: string): AsyncIterable<NodeRecord> {
    for await (const r of this.inner.listChildren(shareId, parentFileId)) {
      if (r.kind === "dir" && r.treeId === undefined) this.untreed.set(r.fileId, r);
      yield r;
    }
  }

  get listSealedChildren(): NodeIndex["listSealedChildren"] {
    // Its records all carry a tree id: nothing to watch. Absent when the inner index lacks it.
    return this.inner.listSealedChildren?.bind(this.inner);
  }

  async get(shareId: string, key: NodeKey): Promise<NodeRecord | undefined> {
    const r = await this.inner.get(shareId, key);
    if (r?.kind === "dir" && r.treeId === undefined) this.untreed.set(r.fileId, r);
    return r;
  }

  findByFileId(shareId: string, fileId: string): Promise<NodeRecord[]> {
    return this.inner.findByFileId(shareId, fileId);
  }

  write(shareId: string, ops: readonly IndexOp[]): Promise<WriteResult> {
    return this.inner.write(shareId, ops);
  }
}
