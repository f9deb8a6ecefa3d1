/**
 * Azurite (blob only) for the repository's integration tests, through the shared test stack, and a
 * BlobObjectStore on a fresh container of it, built from the product's settings exactly as the
 * Functions app builds it (AFB_REPOSITORY + AFB_REPOSITORY_CONTAINER).
 */
import { startTestStack } from "../../helpers/stack";
import { blobObjectStore, repositoryConnectionFromSettings } from "../../../src/adapters/blob/connect";
import type { BlobObjectStore } from "../../../src/adapters/blob/blob-object-store";

export interface BlobFixture {
  readonly connectionString: string;
  /** A store on a new container (created) of this Azurite. */
  newStore(container: string): Promise<BlobObjectStore>;
  stop(): Promise<void>;
}

export async function startAzuriteBlob(): Promise<BlobFixture> {
  const stack = await startTestStack({ services: ["blob"] });
  const connectionString = stack.productSettings.AFB_REPOSITORY;
  return {
    connectionString,
    async newStore(container) {
      const settings: Record<string, string> = { ...stack.productSettings, AFB_REPOSITORY_CONTAINER: container };
      const store = blobObjectStore(repositoryConnectionFromSettings((name) => settings[name]), { retryOptions: { maxTries: 2, retryDelayInMs: 10 } });
      await store.ensureContainer();
      return store;
    },
    stop: () => stack.stop(),
  };
}
