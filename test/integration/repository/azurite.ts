/**
 * Azurite (blob only, in memory, on an ephemeral port) for the repository's integration tests, and
 * a BlobObjectStore on a fresh container of it, built from settings the way the product builds it.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { startLocalStack } from "../../../src/local/stack/local-stack";
import { blobObjectStore, repositoryConnectionFromSettings } from "../../../src/adapters/blob/connect";
import type { BlobObjectStore } from "../../../src/adapters/blob/blob-object-store";

export interface BlobFixture {
  readonly connectionString: string;
  /** A store on a new container (created) of this Azurite. */
  newStore(container: string): Promise<BlobObjectStore>;
  stop(): Promise<void>;
}

export async function startAzuriteBlob(): Promise<BlobFixture> {
  const dataDir = mkdtempSync(join(tmpdir(), "afb-repo-it-"));
  const stack = await startLocalStack({ dataDir, services: ["blob"], ports: { blob: 0 }, inMemory: true });
  const connectionString = stack.settings.blob;
  return {
    connectionString,
    async newStore(container) {
      const settings: Record<string, string> = { AFB_REPOSITORY: connectionString, AFB_REPOSITORY_CONTAINER: container };
      const store = blobObjectStore(repositoryConnectionFromSettings((name) => settings[name]), { retryOptions: { maxTries: 2, retryDelayInMs: 10 } });
      await store.ensureContainer();
      return store;
    },
    async stop() {
      await stack.stop();
      rmSync(dataDir, { recursive: true, force: true });
    },
  };
}
