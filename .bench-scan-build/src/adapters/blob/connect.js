"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.repositoryConnectionFromSettings = repositoryConnectionFromSettings;
exports.blobObjectStore = blobObjectStore;
/**
 * Builds the repository's BlobObjectStore from settings, the way the Functions app names them:
 * AFB_REPOSITORY (a connection string; local stack, or accounts with keys) or, identity-based,
 * AFB_REPOSITORY__blobServiceUri with AFB_REPOSITORY__credential=managedidentity (and
 * AFB_REPOSITORY__clientId for a user-assigned identity; without __credential the
 * DefaultAzureCredential chain is used, e.g. `az login` on a workstation). The container comes from
 * AFB_REPOSITORY_CONTAINER (default afb-repository). Errors name the setting, never its value.
 */
const identity_1 = require("@azure/identity");
const storage_blob_1 = require("@azure/storage-blob");
const settings_1 = require("../../config/settings");
const blob_object_store_1 = require("./blob-object-store");
const CONTAINER_NAME = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;
/** Reads and checks the repository settings. */
function repositoryConnectionFromSettings(get) {
    const container = get("AFB_REPOSITORY_CONTAINER") ?? settings_1.DEFAULTS.repositoryContainer;
    if (!CONTAINER_NAME.test(container)) {
        throw new Error(`AFB_REPOSITORY_CONTAINER must be 3-63 lowercase letters, digits and single hyphens, got ${JSON.stringify(container)}`);
    }
    const connectionString = get("AFB_REPOSITORY");
    if (connectionString !== undefined)
        return { kind: "connectionString", connectionString, container };
    const serviceUri = get("AFB_REPOSITORY__blobServiceUri");
    if (serviceUri === undefined)
        throw new Error("the repository is not configured: set AFB_REPOSITORY or AFB_REPOSITORY__blobServiceUri");
    if (!/^https?:\/\/[^\s?#]+$/.test(serviceUri))
        throw new Error("AFB_REPOSITORY__blobServiceUri must be an http(s) URL without a query string");
    const kind = get("AFB_REPOSITORY__credential");
    const clientId = get("AFB_REPOSITORY__clientId");
    let credential;
    if (kind === undefined)
        credential = new identity_1.DefaultAzureCredential(clientId === undefined ? {} : { managedIdentityClientId: clientId });
    else if (kind.toLowerCase() === "managedidentity")
        credential = clientId === undefined ? new identity_1.ManagedIdentityCredential() : new identity_1.ManagedIdentityCredential({ clientId });
    else
        throw new Error(`AFB_REPOSITORY__credential must be 'managedidentity' (or unset), got ${JSON.stringify(kind)}`);
    return { kind: "identity", serviceUri, credential, container };
}
/** The store over the configured container; `pipeline` lets tests shorten the SDK's retry delays. */
function blobObjectStore(connection, pipeline = {}) {
    let service;
    if (connection.kind === "connectionString") {
        try {
            service = storage_blob_1.BlobServiceClient.fromConnectionString(connection.connectionString, pipeline);
        }
        catch (err) {
            throw new Error("AFB_REPOSITORY is not a valid blob connection string", { cause: err });
        }
    }
    else {
        service = new storage_blob_1.BlobServiceClient(connection.serviceUri, connection.credential, pipeline);
    }
    return new blob_object_store_1.BlobObjectStore(service.getContainerClient(connection.container));
}
//# sourceMappingURL=connect.js.map