/**
 * Builds the CosmosClient of the node index from the AFB_COSMOS__* settings: an account key (local
 * stack), or the app's managed identity (`AFB_COSMOS__credential=managedidentity`, optional
 * `__clientId`), or else DefaultAzureCredential (a developer's `az login`). When `AFB_COSMOS__caCert`
 * names a PEM file, that certificate is trusted for this client only, through its own https agent:
 * TLS verification stays on and nothing process-wide changes. Guarantees: a missing or malformed
 * setting fails with the setting's name and never with its value.
 */
import { CosmosClient } from "@azure/cosmos";
import type { TokenCredential } from "@azure/identity";
import { readFileSync } from "node:fs";
import { Agent } from "node:https";
import { isAbsolute, resolve } from "node:path";
import type { SettingsSource } from "../../config/settings";
import { lazyCredential } from "../identity/credential";

/** The settings, as a lookup (settingsSource()) or as a plain name -> value record. */
export type CosmosSettingsInput = SettingsSource | Readonly<Record<string, string | undefined>>;

export interface CosmosConnectOptions {
  /** Folder a relative AFB_COSMOS__caCert is resolved against (default: the current folder). */
  readonly cwd?: string;
}

function lookup(input: CosmosSettingsInput): (name: string) => string | undefined {
  if (typeof input === "function") return input;
  return (name) => {
    const v = input[name];
    return v === undefined || v === "" ? undefined : v;
  };
}

function credentialFrom(get: (name: string) => string | undefined): { key: string } | { aadCredentials: TokenCredential } {
  const key = get("AFB_COSMOS__key");
  const kind = get("AFB_COSMOS__credential");
  const clientId = get("AFB_COSMOS__clientId");
  if (kind !== undefined) {
    if (kind.toLowerCase() !== "managedidentity") {
      throw new Error(`AFB_COSMOS__credential must be "managedidentity" (got "${kind}")`);
    }
    return { aadCredentials: lazyCredential({ kind: "managed", clientId }) };
  }
  if (key !== undefined) return { key };
  return { aadCredentials: lazyCredential({ kind: "default", clientId }) };
}

function agentFor(caCert: string | undefined, cwd: string): Agent | undefined {
  if (caCert === undefined) return undefined;
  const path = isAbsolute(caCert) ? caCert : resolve(cwd, caCert);
  let ca: Buffer;
  try {
    ca = readFileSync(path);
  } catch (err) {
    throw new Error(`AFB_COSMOS__caCert: cannot read the certificate file ${path} (${(err as NodeJS.ErrnoException).code ?? "error"})`, { cause: err });
  }
  return new Agent({ ca, keepAlive: true });
}

/** A CosmosClient for the account AFB_COSMOS__accountEndpoint names. */
export function createCosmosClient(settings: CosmosSettingsInput, options: CosmosConnectOptions = {}): CosmosClient {
  const get = lookup(settings);
  const endpoint = get("AFB_COSMOS__accountEndpoint");
  if (endpoint === undefined) {
    throw new Error("AFB_COSMOS__accountEndpoint is not set: give the Cosmos DB account endpoint (https://<account>.documents.azure.com:443/), or run `afb stack up` for a local one");
  }
  let url: URL;
  try {
    url = new URL(endpoint);
  } catch {
    throw new Error("AFB_COSMOS__accountEndpoint is not a valid URL (expected https://<account>.documents.azure.com:443/)");
  }
  if (url.protocol !== "https:") throw new Error(`AFB_COSMOS__accountEndpoint must be an https URL (got ${url.protocol}//${url.host})`);
  const agent = agentFor(get("AFB_COSMOS__caCert"), options.cwd ?? process.cwd());
  return new CosmosClient({ endpoint, ...credentialFrom(get), ...(agent !== undefined ? { agent } : {}) });
}
