/**
 * Shared setup of the backup integration tests: a local stack (File emulator, Azurite blob,
 * cosmosdb-server) with the real SDKs, the Cosmos node index, the blob repository and lease lock, and
 * a fresh share per test whose reader counts content reads.
 */
import type { CosmosClient } from "@azure/cosmos";
import type { ShareClient, ShareServiceClient } from "@azure/storage-file-share";
import { createShareServiceClient } from "../../../src/adapters/azure-files/client";
import { AzureShareReader } from "../../../src/adapters/azure-files/share-reader";
import { blobObjectStore, repositoryConnectionFromSettings } from "../../../src/adapters/blob/connect";
import { CosmosNodeIndex } from "../../../src/adapters/cosmos/node-index";
import { BlobLeaseLock } from "../../../src/adapters/lock/blob-lease-lock";
import { runBackup, type BackupOptions } from "../../../src/core/backup/backup";
import type { BackupSummary } from "../../../src/core/backup/model";
import { Repository } from "../../../src/core/repository/repository";
import { startTestStack, testCosmosClient, type TestStack } from "../../helpers/stack";
import { CountingIndex, CountingReader } from "../../unit/scan/helpers";
import { fileSpool } from "../../helpers/record-spools";

export const FAST_RETRY = { maxTries: 4, retryDelayInMs: 5, maxRetryDelayInMs: 20 };

export interface BackupWorld {
  stack: TestStack<"files" | "blob" | "cosmos">;
  service: ShareServiceClient;
  cosmos: CosmosClient;
  index: CountingIndex;
  repository(): Promise<Repository>;
  lock: BlobLeaseLock;
  close(): Promise<void>;
}

export async function startBackupWorld(database: string): Promise<BackupWorld> {
  const stack = await startTestStack({ services: ["files", "blob", "cosmos"] });
  const service = createShareServiceClient({ connectionString: stack.settings.files }, { retryOptions: FAST_RETRY });
  const cosmos = testCosmosClient(stack);
  const index = new CountingIndex(await CosmosNodeIndex.open({ client: cosmos, database }));
  const connection = repositoryConnectionFromSettings((name) => stack.productSettings[name]);
  const store = blobObjectStore(connection);
  await store.ensureContainer();
  return {
    stack, service, cosmos, index,
    repository: () => Repository.open(store),
    lock: BlobLeaseLock.of(connection),
    close: async () => {
      cosmos.dispose();
      await stack.stop();
    },
  };
}

let shares = 0;
let clock = Date.UTC(2026, 0, 1);

export interface ShareUnderTest {
  share: ShareClient;
  reader: CountingReader;
  backup(extra?: Partial<BackupOptions>): Promise<BackupSummary>;
}

/** A new empty share and a `backup` bound to it (share key and index id unique per share). */
export async function newShare(world: BackupWorld): Promise<ShareUnderTest> {
  const n = ++shares;
  const name = `bshare${n}-${process.pid}`;
  const share = world.service.getShareClient(name);
  await share.create();
  const reader = new CountingReader(AzureShareReader.of(world.service, name));
  return {
    share,
    reader,
    backup: async (extra = {}) =>
      runBackup({ recordSpool: fileSpool, share: `dev.${name}`, shareId: `b${n}-${process.pid}`, reader, index: world.index, repository: await world.repository(), lock: world.lock, now: () => (clock += 1000), concurrency: { listings: 4, reads: 4 }, ...extra }),
  };
}

/** Creates `paths` through the SDK ("dir/" = directory, else a file holding the value). */
export async function build(share: ShareClient, paths: Record<string, string | Buffer>): Promise<void> {
  for (const [path, content] of Object.entries(paths)) {
    if (path.endsWith("/")) {
      await share.getDirectoryClient(path.slice(0, -1)).create();
      continue;
    }
    const data = typeof content === "string" ? Buffer.from(content) : content;
    const file = share.rootDirectoryClient.getFileClient(path);
    await file.create(data.length);
    if (data.length > 0) await file.uploadRange(data, 0, data.length);
  }
}

/** Every file of a snapshot as path -> size, walked from its root tree. */
export async function filesOf(repository: Repository, rootTree: string): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  const stack: Array<[string, string]> = [[rootTree, ""]];
  while (stack.length > 0) {
    const [id, path] = stack.pop()!;
    const tree = await repository.getTree(id);
    for (const f of tree.files) out[path + f.name] = f.size;
    for (const d of tree.directories) stack.push([d.tree, `${path}${d.name}/`]);
  }
  return out;
}
