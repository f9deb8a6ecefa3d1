"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createCosmosClient = createCosmosClient;
/**
 * Builds the CosmosClient of the node index from the AFB_COSMOS__* settings: an account key (local
 * stack), or the app's managed identity (`AFB_COSMOS__credential=managedidentity`, optional
 * `__clientId`), or else DefaultAzureCredential (a developer's `az login`). When `AFB_COSMOS__caCert`
 * names a PEM file, that certificate is trusted for this client only, through its own https agent:
 * TLS verification stays on and nothing process-wide changes. Guarantees: a missing or malformed
 * setting fails with the setting's name and never with its value.
 */
const cosmos_1 = require("@azure/cosmos");
const identity_1 = require("@azure/identity");
const node_fs_1 = require("node:fs");
const node_https_1 = require("node:https");
const node_path_1 = require("node:path");
function lookup(input) {
    if (typeof input === "function")
        return input;
    return (name) => {
        const v = input[name];
        return v === undefined || v === "" ? undefined : v;
    };
}
function credentialFrom(get) {
    const key = get("AFB_COSMOS__key");
    const kind = get("AFB_COSMOS__credential");
    const clientId = get("AFB_COSMOS__clientId");
    if (kind !== undefined) {
        if (kind.toLowerCase() !== "managedidentity") {
            throw new Error(`AFB_COSMOS__credential must be "managedidentity" (got "${kind}")`);
        }
        return { aadCredentials: clientId !== undefined ? new identity_1.ManagedIdentityCredential(clientId) : new identity_1.ManagedIdentityCredential() };
    }
    if (key !== undefined)
        return { key };
    return { aadCredentials: new identity_1.DefaultAzureCredential(clientId !== undefined ? { managedIdentityClientId: clientId } : {}) };
}
function agentFor(caCert, cwd) {
    if (caCert === undefined)
        return undefined;
    const path = (0, node_path_1.isAbsolute)(caCert) ? caCert : (0, node_path_1.resolve)(cwd, caCert);
    let ca;
    try {
        ca = (0, node_fs_1.readFileSync)(path);
    }
    catch (err) {
        throw new Error(`AFB_COSMOS__caCert: cannot read the certificate file ${path} (${err.code ?? "error"})`, { cause: err });
    }
    return new node_https_1.Agent({ ca, keepAlive: true });
}
/** A CosmosClient for the account AFB_COSMOS__accountEndpoint names. */
function createCosmosClient(settings, options = {}) {
    const get = lookup(settings);
    const endpoint = get("AFB_COSMOS__accountEndpoint");
    if (endpoint === undefined) {
        throw new Error("AFB_COSMOS__accountEndpoint is not set: give the Cosmos DB account endpoint (https://<account>.documents.azure.com:443/), or run `afb stack up` for a local one");
    }
    let url;
    try {
        url = new URL(endpoint);
    }
    catch {
        throw new Error("AFB_COSMOS__accountEndpoint is not a valid URL (expected https://<account>.documents.azure.com:443/)");
    }
    if (url.protocol !== "https:")
        throw new Error(`AFB_COSMOS__accountEndpoint must be an https URL (got ${url.protocol}//${url.host})`);
    const agent = agentFor(get("AFB_COSMOS__caCert"), options.cwd ?? process.cwd());
    return new cosmos_1.CosmosClient({ endpoint, ...credentialFrom(get), ...(agent !== undefined ? { agent } : {}) });
}
//# sourceMappingURL=connect.js.map