/**
 * Shared setup of the scan integration tests: a local stack with the Files emulator and
 * cosmosdb-server, a fast-retrying SDK client, the Cosmos node index, one fresh share per test, and
 * helpers to build trees through the SDK or (for big trees) straight on the emulator's disk, which the
 * emulator adopts at the next listing.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import type { CosmosClient } from "@azure/cosmos";
import type { ShareClient, ShareServiceClient } from "@azure/storage-file-share";
import { createShareServiceClient } from "../../../src/adapters/azure-files/client";
import { AzureShareReader } from "../../../src/adapters/azure-files/share-reader";
import { CosmosNodeIndex } from "../../../src/adapters/cosmos/node-index";
import { DEV_ACCOUNT_NAME } from "../../../src/local/stack";
import { startTestStack, testCosmosClient, type TestStack } from "../../helpers/stack";
import { CountingIndex, CountingReader, sync } from "../../unit/scan/helpers";

export const FAST_RETRY = { maxTries: 4, retryDelayInMs: 5, maxRetryDelayInMs: 20 };

export interface ScanWorld {
  stack: TestStack<"files" | "cosmos">;
  service: ShareServiceClient;
  cosmos: CosmosClient;
  index: CountingIndex;
  close(): Promise<void>;
}

export async function startWorld(database: string): Promise<ScanWorld> {
  const stack = await startTestStack({ services: ["files", "cosmos"] });
  const service = createShareServiceClient({ connectionString: stack.settings.files }, { retryOptions: FAST_RETRY });
  const cosmos = testCosmosClient(stack);
  const index = new CountingIndex(await CosmosNodeIndex.open({ client: cosmos, database }));
  return {
    stack,
    service,
    cosmos,
    index,
    close: async () => {
      cosmos.dispose();
      await stack.stop();
    },
  };
}

let shares = 0;
/** A new empty share, its counting reader, and its index share id. */
export async function newShare(world: ScanWorld): Promise<{ share: ShareClient; reader: CountingReader; shareId: string }> {
  const name = `share${++shares}-${process.pid}`;
  const share = world.service.getShareClient(name);
  await share.create();
  return { share, reader: new CountingReader(AzureShareReader.of(world.service, name)), shareId: `s${shares}` };
}

/** Creates `paths` through the SDK ("dir/" = directory, else a file holding the value). */
export async function build(share: ShareClient, paths: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(paths)) {
    if (path.endsWith("/")) {
      await share.getDirectoryClient(path.slice(0, -1)).create();
      continue;
    }
    const file = share.rootDirectoryClient.getFileClient(path);
    await file.create(Buffer.byteLength(content));
    if (content.length > 0) await file.uploadRange(Buffer.from(content), 0, Buffer.byteLength(content));
  }
}

/** Writes `count` small files into share directory `dir` straight on the emulator's disk. */
export function bulkFiles(world: ScanWorld, shareName: string, dir: string, count: number): void {
  const abs = join(world.stack.dataDir, "files", DEV_ACCOUNT_NAME, shareName, ...dir.split("/"));
  mkdirSync(abs, { recursive: true });
  for (let i = 0; i < count; i++) writeFileSync(join(abs, `file-${String(i).padStart(5, "0")}.txt`), `content ${i}`);
}

/** Scan and apply against the world's index. */
export function syncShare(world: ScanWorld, reader: CountingReader, shareId: string, concurrency = 1) {
  return sync({ shareId, reader, index: world.index, concurrency });
}
