/**
 * An in-memory NodeIndex for unit tests and dry runs. It passes the same conformance suite as the
 * Cosmos adapter (test/unit/scan/node-index.conformance.ts): one map per partition, records copied in
 * and out so callers cannot alter what is stored. Nothing survives the process.
 */
import { assertNodeRecord, assertShareId, type IndexOp, type NodeIndex, type NodeKey, type NodeRecord, type WriteResult } from "../../core/ports/node-index";

export class MemoryNodeIndex implements NodeIndex {
  readonly description = "in-memory node index";
  private readonly partitions = new Map<string, Map<string, NodeRecord>>();

  private partition(shareId: string, parentFileId: string): string {
    assertShareId(shareId);
    return `${shareId}:${parentFileId}`;
  }

  async *listChildren(shareId: string, parentFileId: string): AsyncIterable<NodeRecord> {
    const part = this.partitions.get(this.partition(shareId, parentFileId));
    if (part === undefined) return;
    for (const r of [...part.values()]) yield { ...r };
  }

  async *listSealedChildren(shareId: string, parentFileId: string): AsyncIterable<NodeRecord> {
    for await (const r of this.listChildren(shareId, parentFileId)) if (r.kind === "dir" && r.treeId !== undefined) yield r;
  }

  async get(shareId: string, key: NodeKey): Promise<NodeRecord | undefined> {
    const r = this.partitions.get(this.partition(shareId, key.parentFileId))?.get(key.fileId);
    return r === undefined ? undefined : { ...r };
  }

  async findByFileId(shareId: string, fileId: string): Promise<NodeRecord[]> {
    const prefix = this.partition(shareId, "");
    const out: NodeRecord[] = [];
    for (const [key, part] of this.partitions) {
      const r = key.startsWith(prefix) ? part.get(fileId) : undefined;
      if (r !== undefined) out.push({ ...r });
    }
    return out;
  }

  async hasShare(shareId: string): Promise<boolean> {
    const prefix = this.partition(shareId, "");
    for (const key of this.partitions.keys()) if (key.startsWith(prefix)) return true;
    return false;
  }

  async write(shareId: string, ops: readonly IndexOp[]): Promise<WriteResult> {
    assertShareId(shareId);
    for (const op of ops) if (op.op === "upsert") assertNodeRecord(op.node);
    let upserts = 0;
    let deletes = 0;
    for (const op of ops) {
      if (op.op === "upsert") {
        const key = this.partition(shareId, op.node.parentFileId);
        const part = this.partitions.get(key) ?? new Map<string, NodeRecord>();
        part.set(op.node.fileId, { ...op.node });
        this.partitions.set(key, part);
        upserts++;
      } else {
        const key = this.partition(shareId, op.parentFileId);
        const part = this.partitions.get(key);
        part?.delete(op.fileId);
        if (part?.size === 0) this.partitions.delete(key);
        deletes++;
      }
    }
    return { upserts, deletes };
  }
}
