"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.startLocalStack = startLocalStack;
/**
 * The local Azure stack in one process: Azurite (blob, queue, table), the Azure Files emulator and
 * cosmosdb-server over TLS. Guarantees: every service listens before the promise resolves; if any one
 * fails to start, the others are stopped again and the error names the failing service and port;
 * stop() closes every server and is safe to call twice. Persistence: Azurite under DIR/azurite, files
 * under DIR/files, Cosmos as a snapshot saved on a clean stop (DIR/cosmos/snapshot.ndjson). inMemory:
 * Azurite and Cosmos keep nothing on disk (the Files emulator always uses DIR/files).
 */
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const azurite_1 = require("./azurite");
const connection_strings_1 = require("./connection-strings");
const cosmos_server_1 = require("./cosmos-server");
const files_1 = require("./files");
const types_1 = require("./types");
const AZURITE_KEY = { blob: "BlobEndpoint", queue: "QueueEndpoint", table: "TableEndpoint" };
function checkPort(service, port) {
    if (!Number.isInteger(port) || port < 0 || port > 65535)
        throw new Error(`port for ${service} must be an integer from 0 to 65535, got ${port}`);
    return port;
}
async function startOne(service, host, port, dataDir, options) {
    if (service === "cosmos") {
        const cosmos = await (0, cosmos_server_1.startCosmosServer)({ host, port, certDir: (0, node_path_1.join)(dataDir, "cosmos"), persist: options.inMemory !== true });
        return { service, port: cosmos.port, setting: { endpoint: cosmos.endpoint, key: cosmos.key, caCert: cosmos.caCert }, close: cosmos.close };
    }
    if (service === "files") {
        const files = await (0, files_1.startFilesServer)({ host, port, dataDir: (0, node_path_1.join)(dataDir, "files"), faults: options.faults });
        const setting = (0, connection_strings_1.devConnectionString)({ FileEndpoint: (0, connection_strings_1.emulatorEndpoint)(host, files.port) });
        return { service, port: files.port, setting, files, close: () => files.close() };
    }
    const azuriteDir = (0, node_path_1.join)(dataDir, "azurite");
    if (options.inMemory !== true)
        (0, node_fs_1.mkdirSync)(azuriteDir, { recursive: true });
    const server = await (0, azurite_1.startAzuriteServer)(service, { host, port, dir: azuriteDir, inMemory: options.inMemory === true });
    const setting = (0, connection_strings_1.devConnectionString)({ [AZURITE_KEY[service]]: (0, connection_strings_1.emulatorEndpoint)(host, server.port) });
    return { service, port: server.port, setting, close: () => server.close() };
}
async function closeAll(started) {
    const results = await Promise.allSettled(started.map((s) => s.close()));
    const failed = results.find((r) => r.status === "rejected");
    if (failed)
        throw failed.reason;
}
/** Starts the requested servers (all by default) and resolves with their settings. */
async function startLocalStack(options) {
    const host = options.host ?? "127.0.0.1";
    const dataDir = (0, node_path_1.resolve)(options.dataDir);
    const services = [...new Set(options.services ?? types_1.ALL_SERVICES)];
    for (const s of services)
        if (!types_1.ALL_SERVICES.includes(s))
            throw new Error(`unknown stack service "${String(s)}" (known: ${types_1.ALL_SERVICES.join(", ")})`);
    const ports = services.map((s) => checkPort(s, options.ports?.[s] ?? types_1.DEFAULT_PORTS[s]));
    (0, node_fs_1.mkdirSync)(dataDir, { recursive: true });
    const results = await Promise.allSettled(services.map((s, i) => startOne(s, host, ports[i], dataDir, options)));
    const started = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
    const failure = results.find((r) => r.status === "rejected");
    if (failure) {
        await closeAll(started).catch(() => undefined);
        throw failure.reason;
    }
    const settings = Object.fromEntries(started.map((s) => [s.service, s.setting]));
    let stopping;
    return {
        settings,
        ports: Object.fromEntries(started.map((s) => [s.service, s.port])),
        dataDir,
        files: started.find((s) => s.files !== undefined)?.files,
        stop: () => (stopping ??= closeAll(started)),
    };
}
//# sourceMappingURL=local-stack.js.map