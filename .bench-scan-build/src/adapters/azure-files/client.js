"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.createShareServiceClient = createShareServiceClient;
exports.filesCredentialsFromSettings = filesCredentialsFromSettings;
/**
 * Builds the ShareServiceClient of the share to back up, from settings or explicit credentials:
 * a connection string (account key or SAS), a URL with a SAS, an account name and key, or a token
 * credential (managed identity, developer login). With a token the SDK must send the backup request
 * intent (`fileRequestIntent: "backup"`), or Azure refuses data access; it is always set here.
 * Guarantees: errors name the setting that is missing or wrong, never its value.
 */
const storage_file_share_1 = require("@azure/storage-file-share");
const identity_1 = require("@azure/identity");
function options(extra) {
    // Names ending in "." are legal on SMB; without this the SDK would trim the dot and address another file.
    return { allowTrailingDot: true, fileRequestIntent: "backup", ...(extra.retryOptions ? { retryOptions: extra.retryOptions } : {}) };
}
function checkedUrl(url, what) {
    try {
        const u = new URL(url);
        if (u.search !== "")
            throw new Error("has a query");
        return url.replace(/\/+$/, "");
    }
    catch {
        throw new Error(`${what} must be the Files endpoint URL without a query (https://<account>.file.core.windows.net)`);
    }
}
/** A service client for `creds`. */
function createShareServiceClient(creds, extra = {}) {
    if ("connectionString" in creds) {
        try {
            return storage_file_share_1.ShareServiceClient.fromConnectionString(creds.connectionString, options(extra));
        }
        catch (err) {
            throw new Error("the Files connection string is malformed (expected FileEndpoint=...;AccountName=...;AccountKey=... or ...;SharedAccessSignature=...)", { cause: err });
        }
    }
    const url = checkedUrl(creds.url, "the Files URL");
    if ("sasToken" in creds)
        return new storage_file_share_1.ShareServiceClient(`${url}?${creds.sasToken.replace(/^\?/, "")}`, undefined, options(extra));
    if ("accountKey" in creds)
        return new storage_file_share_1.ShareServiceClient(url, new storage_file_share_1.StorageSharedKeyCredential(creds.accountName, creds.accountKey), options(extra));
    return new storage_file_share_1.ShareServiceClient(url, creds.credential, options(extra));
}
/** The credentials the AFB_FILES* settings describe (see src/config/settings.ts). */
function filesCredentialsFromSettings(get) {
    const cs = get("AFB_FILES");
    if (cs !== undefined)
        return { connectionString: cs };
    const url = get("AFB_FILES__serviceUri");
    if (url === undefined)
        throw new Error("no Files account configured: set AFB_FILES (a connection string) or AFB_FILES__serviceUri, or run `afb stack up`");
    const kind = get("AFB_FILES__credential");
    const clientId = get("AFB_FILES__clientId");
    if (kind !== undefined && kind.toLowerCase() !== "managedidentity")
        throw new Error(`AFB_FILES__credential must be "managedidentity" (got "${kind}")`);
    const credential = kind !== undefined
        ? clientId !== undefined
            ? new identity_1.ManagedIdentityCredential(clientId)
            : new identity_1.ManagedIdentityCredential()
        : new identity_1.DefaultAzureCredential(clientId !== undefined ? { managedIdentityClientId: clientId } : {});
    return { url: checkedUrl(url, "AFB_FILES__serviceUri"), credential };
}
//# sourceMappingURL=client.js.map