/**
 * Builds the repository's BlobObjectStore from settings, the way the Functions app names them:
 * AFB_REPOSITORY (a connection string; local stack, or accounts with keys) or, identity-based,
 * AFB_REPOSITORY__blobServiceUri with AFB_REPOSITORY__credential=managedidentity (and
 * AFB_REPOSITORY__clientId for a user-assigned identity; without __credential the
 * DefaultAzureCredential chain is used, e.g. `az login` on a workstation). The container comes from
 * AFB_REPOSITORY_CONTAINER (default afb-repository). Errors name the setting, never its value.
 */
import type { TokenCredential } from "@azure/identity";
import { credentialFromSettings } from "../identity/credential";
import { BlobServiceClient, type StoragePipelineOptions } from "@azure/storage-blob";
import { DEFAULTS, type SettingsSource } from "../../config/settings";
import { BlobObjectStore } from "./blob-object-store";

export type BlobRepositoryConnection =
  | { readonly kind: "connectionString"; readonly connectionString: string; readonly container: string }
  | { readonly kind: "identity"; readonly serviceUri: string; readonly credential: TokenCredential; readonly container: string };

const CONTAINER_NAME = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;

/** Reads and checks the repository settings. */
export function repositoryConnectionFromSettings(get: SettingsSource): BlobRepositoryConnection {
  const container = get("AFB_REPOSITORY_CONTAINER") ?? DEFAULTS.repositoryContainer;
  if (!CONTAINER_NAME.test(container)) {
    throw new Error(`AFB_REPOSITORY_CONTAINER must be 3-63 lowercase letters, digits and single hyphens, got ${JSON.stringify(container)}`);
  }
  const connectionString = get("AFB_REPOSITORY");
  if (connectionString !== undefined) return { kind: "connectionString", connectionString, container };
  const serviceUri = get("AFB_REPOSITORY__blobServiceUri");
  if (serviceUri === undefined) throw new Error("the repository is not configured: set AFB_REPOSITORY or AFB_REPOSITORY__blobServiceUri");
  if (!/^https?:\/\/[^\s?#]+$/.test(serviceUri)) throw new Error("AFB_REPOSITORY__blobServiceUri must be an http(s) URL without a query string");
  const credential = credentialFromSettings(get, "AFB_REPOSITORY");
  return { kind: "identity", serviceUri, credential, container };
}

/** The store over the configured container; `pipeline` lets tests shorten the SDK's retry delays. */
export function blobObjectStore(connection: BlobRepositoryConnection, pipeline: StoragePipelineOptions = {}): BlobObjectStore {
  let service: BlobServiceClient;
  if (connection.kind === "connectionString") {
    try {
      service = BlobServiceClient.fromConnectionString(connection.connectionString, pipeline);
    } catch (err) {
      throw new Error("AFB_REPOSITORY is not a valid blob connection string", { cause: err });
    }
  } else {
    service = new BlobServiceClient(connection.serviceUri, connection.credential, pipeline);
  }
  return new BlobObjectStore(service.getContainerClient(connection.container));
}
