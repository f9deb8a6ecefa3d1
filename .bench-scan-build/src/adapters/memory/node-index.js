"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MemoryNodeIndex = void 0;
/**
 * An in-memory NodeIndex for unit tests and dry runs. It passes the same conformance suite as the
 * Cosmos adapter (test/unit/scan/node-index.conformance.ts): one map per partition, records copied in
 * and out so callers cannot alter what is stored. Nothing survives the process.
 */
const node_index_1 = require("../../core/ports/node-index");
class MemoryNodeIndex {
    description = "in-memory node index";
    partitions = new Map();
    partition(shareId, parentFileId) {
        (0, node_index_1.assertShareId)(shareId);
        return `${shareId}:${parentFileId}`;
    }
    async *listChildren(shareId, parentFileId) {
        const part = this.partitions.get(this.partition(shareId, parentFileId));
        if (part === undefined)
            return;
        for (const r of [...part.values()])
            yield { ...r };
    }
    async get(shareId, key) {
        const r = this.partitions.get(this.partition(shareId, key.parentFileId))?.get(key.fileId);
        return r === undefined ? undefined : { ...r };
    }
    async findByFileId(shareId, fileId) {
        const prefix = this.partition(shareId, "");
        const out = [];
        for (const [key, part] of this.partitions) {
            const r = key.startsWith(prefix) ? part.get(fileId) : undefined;
            if (r !== undefined)
                out.push({ ...r });
        }
        return out;
    }
    async write(shareId, ops) {
        (0, node_index_1.assertShareId)(shareId);
        for (const op of ops)
            if (op.op === "upsert")
                (0, node_index_1.assertNodeRecord)(op.node);
        let upserts = 0;
        let deletes = 0;
        for (const op of ops) {
            if (op.op === "upsert") {
                const key = this.partition(shareId, op.node.parentFileId);
                const part = this.partitions.get(key) ?? new Map();
                part.set(op.node.fileId, { ...op.node });
                this.partitions.set(key, part);
                upserts++;
            }
            else {
                const key = this.partition(shareId, op.parentFileId);
                const part = this.partitions.get(key);
                part?.delete(op.fileId);
                if (part?.size === 0)
                    this.partitions.delete(key);
                deletes++;
            }
        }
        return { upserts, deletes };
    }
}
exports.MemoryNodeIndex = MemoryNodeIndex;
//# sourceMappingURL=node-index.js.map