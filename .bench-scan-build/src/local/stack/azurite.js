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
exports.startAzuriteServer = startAzuriteServer;
/**
 * Azurite's Blob, Queue and Table servers run in this process through their own classes (azurite 3.35
 * ships no type declarations, so this module is the one typed door to them). Guarantees: Azurite logs
 * nothing (no access log, no debug log, no telemetry), accepts the newer x-ms-version values the SDKs
 * send, persists under `dir` (or keeps everything in memory), and a server that fails to listen
 * releases every store and timer it opened so the process can still exit.
 */
const node_path_1 = require("node:path");
const listen_error_1 = require("./listen-error");
const AZURITE = "azurite/dist/src";
/** Azurite's request middleware reports telemetry unless told not to; this stack never phones home. */
async function disableTelemetry() {
    const telemetry = (await Promise.resolve(`${`${AZURITE}/common/Telemetry`}`).then(s => __importStar(require(s))));
    telemetry.AzuriteTelemetryClient.enableTelemetry = false;
}
/** Loaded on demand: each service's module tree takes a noticeable part of a second to load. */
async function loadServer(service) {
    const cap = service === "blob" ? "Blob" : service === "queue" ? "Queue" : "Table";
    const Server = (await Promise.resolve(`${`${AZURITE}/${service}/${cap}Server`}`).then(s => __importStar(require(s)))).default;
    const Configuration = (await Promise.resolve(`${`${AZURITE}/${service}/${cap}Configuration`}`).then(s => __importStar(require(s)))).default;
    return { Server, Configuration };
}
/**
 * Builds the Configuration with Azurite's positional constructor arguments (their order differs between
 * Table and Blob/Queue). Access and debug logs off, loose mode and skipApiVersionCheck on.
 */
function configuration(service, Configuration, o, memoryStore) {
    const dir = o.dir ?? ".";
    const keepAlive = 5;
    const loose = true;
    const skipApiVersionCheck = true;
    const cert = "";
    const key = "";
    const pwd = "";
    const oauth = undefined;
    const disableProductStyleUrl = false;
    if (service === "table") {
        return new Configuration(o.host, o.port, keepAlive, (0, node_path_1.join)(dir, "__azurite_db_table__.json"), false, false, undefined, undefined, loose, skipApiVersionCheck, cert, key, pwd, oauth, disableProductStyleUrl, o.inMemory);
    }
    const locations = [{ locationId: "Default", locationPath: (0, node_path_1.join)(dir, `__${service}storage__`), maxConcurrency: service === "blob" ? 10 : 1 }];
    return new Configuration(o.host, o.port, keepAlive, (0, node_path_1.join)(dir, `__azurite_db_${service}__.json`), (0, node_path_1.join)(dir, `__azurite_db_${service}_extent__.json`), locations, false, undefined, false, undefined, loose, skipApiVersionCheck, cert, key, pwd, oauth, disableProductStyleUrl, o.inMemory, memoryStore);
}
/**
 * Azurite's default in-memory byte store is one per process and its clean() empties it for every
 * server; each in-memory server here gets its own, freed with the server.
 */
async function privateMemoryStore(inMemory) {
    if (!inMemory)
        return undefined;
    const mod = (await Promise.resolve(`${`${AZURITE}/common/persistence/MemoryExtentStore`}`).then(s => __importStar(require(s))));
    return new mod.MemoryExtentChunkStore(mod.DEFAULT_EXTENT_MEMORY_LIMIT);
}
/** Starts one Azurite service; a busy port rejects with an error naming the port and the service. */
async function startAzuriteServer(service, options) {
    await disableTelemetry();
    const { Server, Configuration } = await loadServer(service);
    const server = new Server(configuration(service, Configuration, options, await privateMemoryStore(options.inMemory)));
    try {
        await server.start();
    }
    catch (err) {
        // start() has already opened the Loki databases and the GC timer; close them or the process never exits.
        await server.afterClose().catch(() => undefined);
        throw (0, listen_error_1.listenError)(err, `Azurite ${service}`, options.host, options.port);
    }
    const port = server.httpServer.address().port;
    return {
        service,
        port,
        close: async () => {
            const closed = new Promise((resolve) => server.httpServer.once("close", () => resolve()));
            await server.close();
            await closed;
        },
    };
}
//# sourceMappingURL=azurite.js.map