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
exports.startCosmosServer = startCosmosServer;
const certificate_1 = require("./certificate");
const listen_error_1 = require("./listen-error");
const hosts_1 = require("./hosts");
const connection_strings_1 = require("./connection-strings");
const cosmos_snapshot_1 = require("./cosmos-snapshot");
/** Starts cosmosdb-server; resolves once it listens. */
async function startCosmosServer(options) {
    const tls = await (0, certificate_1.ensureCertificate)(options.certDir, (0, hosts_1.clientHost)(options.host));
    const { createHttpsServer } = await Promise.resolve().then(() => __importStar(require("@vercel/cosmosdb-server")));
    // keepAlive: cosmosdb-server otherwise answers "Connection: close", and a TLS handshake per request
    // makes every Cosmos call several times slower.
    const server = createHttpsServer({ cert: tls.cert, key: tls.key, keepAlive: true });
    try {
        await new Promise((resolve, reject) => {
            server.once("error", reject);
            server.listen(options.port, options.host, () => {
                server.off("error", reject);
                resolve();
            });
        });
    }
    catch (err) {
        throw (0, listen_error_1.listenError)(err, "cosmosdb-server (Cosmos DB)", options.host, options.port);
    }
    const port = server.address().port;
    const access = { endpoint: `https://${(0, hosts_1.urlHost)((0, hosts_1.clientHost)(options.host))}:${port}/`, key: connection_strings_1.DEV_COSMOS_KEY, caCert: tls.certPath };
    const closeServer = () => new Promise((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        // The SDK keeps connections alive; without this close() would wait for the client to hang up.
        server.closeAllConnections();
    });
    if (options.persist) {
        try {
            await (0, cosmos_snapshot_1.restoreCosmosSnapshot)(access, options.certDir);
        }
        catch (err) {
            await closeServer();
            throw new Error(`cannot load the Cosmos snapshot ${options.certDir}/${cosmos_snapshot_1.SNAPSHOT_FILE} (${err.message}); delete that file to start with an empty Cosmos account`, { cause: err });
        }
    }
    return {
        port,
        ...access,
        close: async () => {
            try {
                if (options.persist)
                    await (0, cosmos_snapshot_1.saveCosmosSnapshot)(access, options.certDir);
            }
            finally {
                await closeServer();
            }
        },
    };
}
//# sourceMappingURL=cosmos-server.js.map