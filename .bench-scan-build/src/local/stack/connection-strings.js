"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.DEV_COSMOS_KEY = exports.DEV_ACCOUNT_KEY = exports.DEV_ACCOUNT_NAME = void 0;
exports.emulatorEndpoint = emulatorEndpoint;
exports.devConnectionString = devConnectionString;
exports.endpointsOf = endpointsOf;
/**
 * The local stack's well-known development accounts and the connection strings the Azure SDKs accept
 * for them. Guarantees: every string is complete (protocol, account, key, endpoint) and ends with `;`,
 * the form @azure/storage-blob, -queue, -file-share and @azure/data-tables all parse. These keys are
 * public emulator keys, documented by Microsoft; they still never go into logs (redact handles them).
 */
const hosts_1 = require("./hosts");
/** Azurite's and the Files emulator's well-known development account. */
exports.DEV_ACCOUNT_NAME = "devstoreaccount1";
exports.DEV_ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
/** The Cosmos DB emulator's well-known key (cosmosdb-server does not check it, the SDK needs one). */
exports.DEV_COSMOS_KEY = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";
/** `http://host:port/devstoreaccount1`: path-style, the form the SDKs use for emulators. */
function emulatorEndpoint(host, port) {
    return `http://${(0, hosts_1.urlHost)((0, hosts_1.clientHost)(host))}:${port}/${exports.DEV_ACCOUNT_NAME}`;
}
/** A connection string for the development account with the given endpoints. */
function devConnectionString(endpoints) {
    const parts = [`DefaultEndpointsProtocol=http`, `AccountName=${exports.DEV_ACCOUNT_NAME}`, `AccountKey=${exports.DEV_ACCOUNT_KEY}`];
    for (const key of ["BlobEndpoint", "QueueEndpoint", "TableEndpoint", "FileEndpoint"]) {
        const url = endpoints[key];
        if (url !== undefined)
            parts.push(`${key}=${url}`);
    }
    return `${parts.join(";")};`;
}
/** The endpoint URLs a connection string names, by key (no secrets: keys and SAS are skipped). */
function endpointsOf(connectionString) {
    const out = {};
    for (const part of connectionString.split(";")) {
        const eq = part.indexOf("=");
        if (eq < 0)
            continue;
        const key = part.slice(0, eq).trim();
        if (key === "BlobEndpoint" || key === "QueueEndpoint" || key === "TableEndpoint" || key === "FileEndpoint") {
            out[key] = part.slice(eq + 1).trim();
        }
    }
    return out;
}
//# sourceMappingURL=connection-strings.js.map