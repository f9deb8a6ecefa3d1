/**
 * What the app's activities work with, composed once per process from settings: the share registry,
 * the repository (Blob), the node index (Cosmos), the lock, and a registered share opened for reading
 * (its live share) or as a restore target. Each piece is built lazily on first use and cached; a
 * piece that failed to build is built again on the next call (a transient outage at start-up does not
 * poison the worker). Tests build AppServices over the local stack with the same function.
 * Share keys and index ids are the ones `afb backup --share` uses for the same share, so the CLI and
 * the app file snapshots under one key and share one index and one lock.
 */
import { ShareServiceClient } from "@azure/storage-file-share";
import { ManagedIdentityCredential } from "@azure/identity";
import { createShareServiceClient, filesCredentialsFromSettings, type FilesCredentials } from "../adapters/azure-files/client";
import { AzureShareReader } from "../adapters/azure-files/share-reader";
import { AzureRestoreTarget } from "../adapters/azure-files/share-writer";
import { blobObjectStore, repositoryConnectionFromSettings } from "../adapters/blob/connect";
import { createCosmosClient } from "../adapters/cosmos/connect";
import { CosmosNodeIndex } from "../adapters/cosmos/node-index";
import { BlobLeaseLock } from "../adapters/lock/blob-lease-lock";
import { TableShareRegistry } from "../adapters/table/share-registry";
import { DEFAULTS, type SettingsSource } from "../config/settings";
import { FilteredShareReader } from "../core/backup/filtered-reader";
import type { NodeIndex } from "../core/ports/node-index";
import type { ShareReader } from "../core/ports/share-reader";
import type { RestoreTarget } from "../core/ports/share-writer";
import type { ShareRegistry } from "../core/ports/share-registry";
import { ShareNotFoundError } from "../core/ports/share-registry";
import type { Share } from "../core/registry/share";
import type { ObjectStore } from "../core/repository/object-store";
import { Repository } from "../core/repository/repository";
import { shareIdOf } from "../core/scan/share-id";
import { systemClock } from "../config/clock";
import { lazy } from "./lazy";
import { telemetryFromSettings } from "../adapters/app-insights/telemetry";
import type { Telemetry } from "../core/ports/telemetry";

/** A registered share, opened: how the repository and the index file it, and how to reach it. */
export interface OpenedShare {
  readonly share: Share;
  /** The repository's share key (`<account>.<share>`), as `afb backup --share` files it. */
  readonly key: string;
  /** The node index's share id (a hash of the share's URL), as `afb backup --share` uses it. */
  readonly indexId: string;
  /** The live share as its include/exclude patterns select it; snapshots are taken from it (`reader.atSnapshot`). */
  readonly reader: ShareReader;
  /** A restore target on a share of the same account (created when missing), under `dir`. */
  restoreTarget(shareName: string, dir?: string): Promise<RestoreTarget>;
}

export interface AppServices {
  readonly now: () => number;
  shares(): Promise<ShareRegistry>;
  /** The repository container's object store (the repository and the backup runs' state live there). */
  store(): Promise<ObjectStore>;
  /** A Repository over store(); one per call, so each activity flushes only its own packs. */
  repository(): Promise<Repository>;
  index(): Promise<NodeIndex>;
  lock(): Promise<BlobLeaseLock>;
  /** The registered share `shareId`; ShareNotFoundError when it is not registered. */
  openShare(shareId: string): Promise<OpenedShare>;
  /** Where finished backups and restores are reported (Application Insights; nothing when not configured). */
  readonly telemetry: Telemetry;
}

/** The Files credentials a registration names: an app setting's connection string, or the managed identity. */
export function filesCredentialsOf(share: Share, get: SettingsSource): FilesCredentials {
  if (share.auth.mode === "connectionstring-setting") {
    const setting = share.auth.setting;
    const cs = get(setting);
    if (cs === undefined) throw new Error(`share ${share.id} reads its connection string from the app setting ${setting}, which is not set`);
    if (setting !== "AFB_FILES") return { connectionString: cs };
    return filesCredentialsFromSettings(get);
  }
  const url = /^https?:\/\//i.test(share.account) ? share.account : `https://${share.account}.file.core.windows.net`;
  const clientId = share.auth.clientId ?? get("AFB_FILES__clientId");
  return { url, credential: clientId === undefined ? new ManagedIdentityCredential() : new ManagedIdentityCredential({ clientId }) };
}

/** The key and index id `afb backup --share` gives the share `name` of `service`. */
export function shareIdentity(service: ShareServiceClient, name: string): { key: string; indexId: string } {
  const location = `${service.url.split("?")[0].replace(/\/+$/, "")}/${name}`;
  return { key: `${service.accountName}.${name}`.toLowerCase(), indexId: shareIdOf(location) };
}

export interface ServicesOptions {
  readonly now?: () => number;
  readonly telemetry?: Telemetry;
}

/** The services the deployed app (and the local driver) use, from settings. */
export function servicesFromSettings(get: SettingsSource, options: ServicesOptions = {}): AppServices {
  const connection = () => repositoryConnectionFromSettings(get);
  const store = lazy(async () => {
    const s = blobObjectStore(connection());
    await s.ensureContainer();
    return s;
  });
  const shares = lazy(() => TableShareRegistry.fromSettings(get));
  const index = lazy(() => CosmosNodeIndex.open({ client: createCosmosClient(get), database: get("AFB_COSMOS_DATABASE") ?? DEFAULTS.cosmosDatabase }));
  const lock = lazy(() => BlobLeaseLock.of(connection()));
  return {
    now: options.now ?? systemClock,
    shares,
    store,
    repository: async () => Repository.open(await store()),
    index,
    lock,
    telemetry: options.telemetry ?? telemetryFromSettings(get),
    async openShare(shareId: string): Promise<OpenedShare> {
      const share = await (await shares()).get(shareId);
      if (share === undefined) throw new ShareNotFoundError(shareId);
      const service = createShareServiceClient(filesCredentialsOf(share, get));
      const { key, indexId } = shareIdentity(service, share.shareName);
      return {
        share, key, indexId,
        reader: FilteredShareReader.of(AzureShareReader.of(service, share.shareName), share),
        restoreTarget: async (shareName, dir) => (await AzureRestoreTarget.open(service, shareName, dir ?? "")).target,
      };
    },
  };
}
