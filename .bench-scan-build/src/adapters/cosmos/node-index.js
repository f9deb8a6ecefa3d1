"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CosmosNodeIndex = void 0;
const node_index_1 = require("../../core/ports/node-index");
const container_1 = require("./container");
const errors_1 = require("./errors");
const bulk_writer_1 = require("./bulk-writer");
const node_document_1 = require("./node-document");
const PROJECTION = "SELECT c.id, c.parentId, c.n, c.v, c.t FROM c";
class CosmosNodeIndex {
    container;
    pageSize;
    retry;
    description;
    constructor(container, database, pageSize, retry) {
        this.container = container;
        this.pageSize = pageSize;
        this.retry = retry;
        this.description = `Cosmos DB node index ${database}/${container.id}`;
    }
    /** Opens the index, creating its database and container when missing. */
    static async open(options) {
        const container = await (0, container_1.ensureNodesContainer)(options.client, options.database, options.container ?? container_1.NODES_CONTAINER);
        return new CosmosNodeIndex(container, options.database, options.pageSize ?? 1000, options.retry ?? {});
    }
    async *listChildren(shareId, parentFileId) {
        (0, node_index_1.assertShareId)(shareId);
        const pk = (0, node_document_1.partitionOf)(shareId, parentFileId);
        // The filter repeats the partition key: Cosmos serves it from the /parentId index, and
        // cosmosdb-server ignores the partitionKey option of queries without it.
        const query = { query: `${PROJECTION} WHERE c.parentId = @pk`, parameters: [{ name: "@pk", value: pk }] };
        const iterator = this.container.items.query(query, { partitionKey: pk, maxItemCount: this.pageSize });
        while (true) {
            let page;
            try {
                if (!iterator.hasMoreResults())
                    return;
                page = await iterator.fetchNext();
            }
            catch (err) {
                throw (0, errors_1.translateCosmosError)(err, `listing the children of ${pk}`);
            }
            for (const doc of page.resources)
                yield (0, node_document_1.fromDocument)(doc);
            if (page.continuationToken === undefined && !iterator.hasMoreResults())
                return;
        }
    }
    async get(shareId, key) {
        (0, node_index_1.assertShareId)(shareId);
        const pk = (0, node_document_1.partitionOf)(shareId, key.parentFileId);
        try {
            const { resource } = await this.container.item((0, node_document_1.encodeFileId)(key.fileId), pk).read();
            return resource === undefined ? undefined : (0, node_document_1.fromDocument)(resource);
        }
        catch (err) {
            if ((0, errors_1.statusOf)(err) === 404)
                return undefined;
            throw (0, errors_1.translateCosmosError)(err, `reading node ${key.fileId} in ${pk}`);
        }
    }
    async findByFileId(shareId, fileId) {
        (0, node_index_1.assertShareId)(shareId);
        const query = {
            query: `${PROJECTION} WHERE c.id = @id AND STARTSWITH(c.parentId, @share)`,
            parameters: [
                { name: "@id", value: (0, node_document_1.encodeFileId)(fileId) },
                { name: "@share", value: `${shareId}:` },
            ],
        };
        try {
            const { resources } = await this.container.items.query(query).fetchAll();
            return resources.map(node_document_1.fromDocument);
        }
        catch (err) {
            throw (0, errors_1.translateCosmosError)(err, `looking up FileId ${fileId} across the share ${shareId}`);
        }
    }
    async write(shareId, ops) {
        (0, node_index_1.assertShareId)(shareId);
        for (const op of ops)
            if (op.op === "upsert")
                (0, node_index_1.assertNodeRecord)(op.node);
        const inputs = ops.map((op) => op.op === "upsert"
            ? { operationType: "Upsert", partitionKey: (0, node_document_1.partitionOf)(shareId, op.node.parentFileId), resourceBody: (0, node_document_1.toDocument)(shareId, op.node) }
            : { operationType: "Delete", id: (0, node_document_1.encodeFileId)(op.fileId), partitionKey: (0, node_document_1.partitionOf)(shareId, op.parentFileId) });
        const statuses = await (0, bulk_writer_1.bulkWrite)(this.container, inputs, this.retry);
        let upserts = 0;
        let deletes = 0;
        statuses.forEach((status, k) => {
            const op = ops[k];
            const ok = (status >= 200 && status < 300) || (op.op === "delete" && status === 404);
            if (!ok) {
                const what = op.op === "upsert" ? `upserting ${JSON.stringify(op.node.name)} (FileId ${op.node.fileId})` : `deleting FileId ${op.fileId}`;
                throw (0, errors_1.translateCosmosError)({ statusCode: status, message: `the bulk operation ended with status ${status}` }, what);
            }
            if (op.op === "upsert")
                upserts++;
            else
                deletes++;
        });
        return { upserts, deletes };
    }
}
exports.CosmosNodeIndex = CosmosNodeIndex;
//# sourceMappingURL=node-index.js.map