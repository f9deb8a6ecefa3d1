"use strict";
var __createBinding = (this && this.__createBinding) || (Object.create ? (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    var desc = Object.getOwnPropertyDescriptor(m, k);
    if (!desc || ("get" in desc ? !m.__esModule : desc.writable || desc.configurable)) {
      desc = { enumerable: true, get: function() { return m[k]; } };
    }
    Object.defineProperty(o, k2, desc);
}) : (function(o, m, k, k2) {
    if (k2 === undefined) k2 = k;
    o[k2] = m[k];
}));
var __setModuleDefault = (this && this.__setModuleDefault) || (Object.create ? (function(o, v) {
    Object.defineProperty(o, "default", { enumerable: true, value: v });
}) : function(o, v) {
    o["default"] = v;
});
var __importStar = (this && this.__importStar) || (function () {
    var ownKeys = function(o) {
        ownKeys = Object.getOwnPropertyNames || function (o) {
            var ar = [];
            for (var k in o) if (Object.prototype.hasOwnProperty.call(o, k)) ar[ar.length] = k;
            return ar;
        };
        return ownKeys(o);
    };
    return function (mod) {
        if (mod && mod.__esModule) return mod;
        var result = {};
        if (mod != null) for (var k = ownKeys(mod), i = 0; i < k.length; i++) if (k[i] !== "default") __createBinding(result, mod, k[i]);
        __setModuleDefault(result, mod);
        return result;
    };
})();
Object.defineProperty(exports, "__esModule", { value: true });
exports.SNAPSHOT_FILE = void 0;
exports.saveCosmosSnapshot = saveCosmosSnapshot;
exports.restoreCosmosSnapshot = restoreCosmosSnapshot;
const node_fs_1 = require("node:fs");
const promises_1 = require("node:fs/promises");
const node_https_1 = require("node:https");
const node_path_1 = require("node:path");
const node_readline_1 = require("node:readline");
exports.SNAPSHOT_FILE = "snapshot.ndjson";
const PAGE = 1000;
const SYSTEM_PROPERTIES = ["_rid", "_self", "_etag", "_ts", "_attachments", "_docs", "_sprocs", "_triggers", "_udfs", "_conflicts"];
async function withClient(access, use) {
    const { CosmosClient } = await Promise.resolve().then(() => __importStar(require("@azure/cosmos")));
    const agent = new node_https_1.Agent({ ca: (0, node_fs_1.readFileSync)(access.caCert), keepAlive: true });
    const client = new CosmosClient({ endpoint: access.endpoint, key: access.key, agent });
    try {
        return await use(client);
    }
    finally {
        client.dispose();
        agent.destroy();
    }
}
function withoutSystemProperties(resource) {
    const copy = { ...resource };
    for (const p of SYSTEM_PROPERTIES)
        delete copy[p];
    return copy;
}
/** The item's partition key value for the container's key paths; undefined when the item lacks one. */
function partitionKeyOf(item, def) {
    const values = (def.partitionKey?.paths ?? []).map((path) => {
        let value = item;
        for (const segment of path.split("/").filter((p) => p !== "")) {
            value = value !== null && typeof value === "object" ? value[segment.replace(/^"|"$/g, "")] : undefined;
        }
        return value;
    });
    if (values.length === 0 || values.some((v) => v === undefined || (v !== null && typeof v === "object")))
        return undefined;
    return (values.length === 1 ? values[0] : values);
}
/** Creates the items with bulk requests (100 per request); items without a partition key one by one. */
async function createAll(target, def, items) {
    const bulk = [];
    for (const item of items) {
        const partitionKey = partitionKeyOf(item, def);
        if (partitionKey === undefined)
            await target.items.create(item);
        else
            bulk.push({ operationType: "Create", partitionKey, resourceBody: item });
    }
    if (bulk.length === 0)
        return;
    const results = await target.items.executeBulkOperations(bulk);
    const failed = results.find((r) => r.error !== undefined || (r.response !== undefined && r.response.statusCode >= 400));
    if (failed)
        throw new Error(`restoring ${def.id} failed: ${failed.error?.message ?? `status ${failed.response?.statusCode}`}`);
}
/** Writes every database, container and item to DIR/snapshot.ndjson (replacing an older snapshot). */
async function saveCosmosSnapshot(access, dir) {
    const path = (0, node_path_1.join)(dir, exports.SNAPSHOT_FILE);
    const tmp = `${path}.tmp`;
    const file = await (0, promises_1.open)(tmp, "w", 0o600);
    const write = (lines) => (lines.length === 0 ? Promise.resolve() : file.write(lines.map((l) => `${JSON.stringify(l)}\n`).join("")));
    try {
        await withClient(access, async (client) => {
            for (const db of (await client.databases.readAll().fetchAll()).resources) {
                await write([{ database: db.id }]);
                const database = client.database(db.id);
                for (const def of (await database.containers.readAll().fetchAll()).resources) {
                    await write([{ container: withoutSystemProperties(def) }]);
                    const pages = database.container(def.id).items.readAll({ maxItemCount: PAGE });
                    while (pages.hasMoreResults()) {
                        const { resources } = await pages.fetchNext();
                        await write(resources.map((item) => ({ item: withoutSystemProperties(item) })));
                    }
                }
            }
        });
    }
    catch (err) {
        await file.close();
        await (0, promises_1.rm)(tmp, { force: true });
        throw err;
    }
    await file.sync();
    await file.close();
    await (0, promises_1.rename)(tmp, path);
}
/** Loads DIR/snapshot.ndjson into the server, then deletes it; returns the number of items restored. */
async function restoreCosmosSnapshot(access, dir) {
    const path = (0, node_path_1.join)(dir, exports.SNAPSHOT_FILE);
    if (!(0, node_fs_1.existsSync)(path))
        return 0;
    let restored = 0;
    await withClient(access, async (client) => {
        let database;
        let container;
        let pending = [];
        const flush = async () => {
            if (pending.length === 0)
                return;
            if (database === undefined || container === undefined)
                throw new Error(`${path}: items before their container`);
            const target = client.database(database).container(container.id);
            const batch = pending;
            pending = [];
            await createAll(target, container, batch);
            restored += batch.length;
        };
        const lines = (0, node_readline_1.createInterface)({ input: (0, node_fs_1.createReadStream)(path, "utf8"), crlfDelay: Infinity });
        for await (const text of lines) {
            if (text.trim() === "")
                continue;
            const line = JSON.parse(text);
            if ("item" in line) {
                pending.push(line.item);
                if (pending.length >= PAGE)
                    await flush();
                continue;
            }
            await flush();
            if ("database" in line) {
                database = line.database;
                await client.databases.createIfNotExists({ id: database });
            }
            else {
                const def = line.container;
                if (database === undefined)
                    throw new Error(`${path}: a container before its database`);
                if (typeof def.id !== "string")
                    throw new Error(`${path}: a container without an id`);
                container = { ...def, id: def.id };
                await client.database(database).containers.createIfNotExists(line.container);
            }
        }
        await flush();
    });
    await (0, promises_1.rm)(path, { force: true });
    return restored;
}
//# sourceMappingURL=cosmos-snapshot.js.map