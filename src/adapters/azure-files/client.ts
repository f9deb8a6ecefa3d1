/**
 * Builds the ShareServiceClient of the share to back up, from settings or explicit credentials:
 * a connection string (account key or SAS), a URL with a SAS, an account name and key, or a token
 * credential (managed identity, developer login). With a token the SDK must send the backup request
 * intent (`fileRequestIntent: "backup"`), or Azure refuses data access; it is always set here.
 * Guarantees: errors name the setting that is missing or wrong, never its value.
 */
import { ShareServiceClient, StorageSharedKeyCredential, type ShareClientOptions } from "@azure/storage-file-share";
import type { TokenCredential } from "@azure/identity";
import type { SettingsSource } from "../../config/settings";
import { lazyCredential } from "../identity/credential";

/** How to reach the Files account. */
export type FilesCredentials =
  | { readonly connectionString: string }
  | { readonly url: string; readonly sasToken: string }
  | { readonly url: string; readonly accountName: string; readonly accountKey: string }
  | { readonly url: string; readonly credential: TokenCredential };

/** Retry tuning (tests shorten the SDK's 4 s base delay). */
export interface FilesClientOptions {
  readonly retryOptions?: ShareClientOptions["retryOptions"];
}

function options(extra: FilesClientOptions): ShareClientOptions {
  // Names ending in "." are legal on SMB; without this the SDK would trim the dot and address another file.
  return { allowTrailingDot: true, fileRequestIntent: "backup", ...(extra.retryOptions ? { retryOptions: extra.retryOptions } : {}) };
}

function checkedUrl(url: string, what: string): string {
  try {
    const u = new URL(url);
    if (u.search !== "") throw new Error("has a query");
    return url.replace(/\/+$/, "");
  } catch {
    throw new Error(`${what} must be the Files endpoint URL without a query (https://<account>.file.core.windows.net)`);
  }
}

/** A service client for `creds`. */
export function createShareServiceClient(creds: FilesCredentials, extra: FilesClientOptions = {}): ShareServiceClient {
  if ("connectionString" in creds) {
    try {
      return ShareServiceClient.fromConnectionString(creds.connectionString, options(extra));
    } catch (err) {
      throw new Error("the Files connection string is malformed (expected FileEndpoint=...;AccountName=...;AccountKey=... or ...;SharedAccessSignature=...)", { cause: err });
    }
  }
  const url = checkedUrl(creds.url, "the Files URL");
  if ("sasToken" in creds) return new ShareServiceClient(`${url}?${creds.sasToken.replace(/^\?/, "")}`, undefined, options(extra));
  if ("accountKey" in creds) return new ShareServiceClient(url, new StorageSharedKeyCredential(creds.accountName, creds.accountKey), options(extra));
  return new ShareServiceClient(url, creds.credential, options(extra));
}

/** The credentials the AFB_FILES* settings describe (see src/config/settings.ts). */
export function filesCredentialsFromSettings(get: SettingsSource): FilesCredentials {
  const cs = get("AFB_FILES");
  if (cs !== undefined) return { connectionString: cs };
  const url = get("AFB_FILES__serviceUri");
  if (url === undefined) throw new Error("no Files account configured: set AFB_FILES (a connection string) or AFB_FILES__serviceUri, or run `afb stack up`");
  const kind = get("AFB_FILES__credential");
  const clientId = get("AFB_FILES__clientId");
  if (kind !== undefined && kind.toLowerCase() !== "managedidentity") throw new Error(`AFB_FILES__credential must be "managedidentity" (got "${kind}")`);
  const credential = lazyCredential({ kind: kind !== undefined ? "managed" : "default", clientId });
  return { url: checkedUrl(url, "AFB_FILES__serviceUri"), credential };
}
