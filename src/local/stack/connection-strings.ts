/**
 * The local stack's well-known development accounts and the connection strings the Azure SDKs accept
 * for them. Guarantees: every string is complete (protocol, account, key, endpoint) and ends with `;`,
 * the form @azure/storage-blob, -queue, -file-share and @azure/data-tables all parse. These keys are
 * public emulator keys, documented by Microsoft; they still never go into logs (redact handles them).
 */
import { clientHost, urlHost } from "./hosts";

/** Azurite's and the Files emulator's well-known development account. */
export const DEV_ACCOUNT_NAME = "devstoreaccount1";
export const DEV_ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";

/** The Cosmos DB emulator's well-known key (cosmosdb-server does not check it, the SDK needs one). */
export const DEV_COSMOS_KEY = "C2y6yDjf5/R+ob0N8A7Cgv30VRDJIWEHLM+4QDU5DE2nQ9nDuVTqobD4b8mGGyPMbIZnqyMsEcaGQy67XIw/Jw==";

/** Which endpoint key of a storage connection string a service uses. */
export type StorageEndpointKey = "BlobEndpoint" | "QueueEndpoint" | "TableEndpoint" | "FileEndpoint";

/** `http://host:port/devstoreaccount1`: path-style, the form the SDKs use for emulators. */
export function emulatorEndpoint(host: string, port: number): string {
  return `http://${urlHost(clientHost(host))}:${port}/${DEV_ACCOUNT_NAME}`;
}

/** A connection string for the development account with the given endpoints. */
export function devConnectionString(endpoints: Partial<Record<StorageEndpointKey, string>>): string {
  const parts = [`DefaultEndpointsProtocol=http`, `AccountName=${DEV_ACCOUNT_NAME}`, `AccountKey=${DEV_ACCOUNT_KEY}`];
  for (const key of ["BlobEndpoint", "QueueEndpoint", "TableEndpoint", "FileEndpoint"] as const) {
    const url = endpoints[key];
    if (url !== undefined) parts.push(`${key}=${url}`);
  }
  return `${parts.join(";")};`;
}

/** The endpoint URLs a connection string names, by key (no secrets: keys and SAS are skipped). */
export function endpointsOf(connectionString: string): Partial<Record<StorageEndpointKey, string>> {
  const out: Partial<Record<StorageEndpointKey, string>> = {};
  for (const part of connectionString.split(";")) {
    const eq = part.indexOf("=");
    if (eq < 0) continue;
    const key = part.slice(0, eq).trim();
    if (key === "BlobEndpoint" || key === "QueueEndpoint" || key === "TableEndpoint" || key === "FileEndpoint") {
      out[key] = part.slice(eq + 1).trim();
    }
  }
  return out;
}
