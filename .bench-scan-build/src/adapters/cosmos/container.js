"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.NODES_INDEXING_POLICY = exports.PARTITION_KEY_PATH = exports.NODES_CONTAINER = void 0;
exports.ensureNodesContainer = ensureNodesContainer;
const node_index_1 = require("../../core/ports/node-index");
const errors_1 = require("./errors");
exports.NODES_CONTAINER = "nodes";
exports.PARTITION_KEY_PATH = "/parentId";
exports.NODES_INDEXING_POLICY = {
    indexingMode: "consistent",
    automatic: true,
    includedPaths: [{ path: "/parentId/?" }],
    excludedPaths: [{ path: "/*" }, { path: '/"_etag"/?' }],
};
/** The container of the node index in `database`, created with its policy when missing. */
async function ensureNodesContainer(client, database, containerId = exports.NODES_CONTAINER) {
    try {
        const { database: db } = await client.databases.createIfNotExists({ id: database });
        const { container, resource } = await db.containers.createIfNotExists({
            id: containerId,
            partitionKey: { paths: [exports.PARTITION_KEY_PATH] },
            indexingPolicy: exports.NODES_INDEXING_POLICY,
        });
        const paths = resource?.partitionKey?.paths;
        if (paths !== undefined && (paths.length !== 1 || paths[0] !== exports.PARTITION_KEY_PATH)) {
            throw new node_index_1.IndexError(`Cosmos DB container ${database}/${containerId} exists with partition key ${paths.join(",")}; the node index needs ${exports.PARTITION_KEY_PATH}: use another AFB_COSMOS_DATABASE`);
        }
        return container;
    }
    catch (err) {
        throw (0, errors_1.translateCosmosError)(err, `opening container ${database}/${containerId}`);
    }
}
//# sourceMappingURL=container.js.map