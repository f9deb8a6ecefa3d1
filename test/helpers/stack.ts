/**
 * Test helper: a fresh local Azure stack for one test file, on ephemeral ports (jest workers never
 * collide) with a fresh temporary data folder that stop() removes. Only the services asked for start
 * (default: all). Azurite keeps its data in memory; the Files emulator and the Cosmos certificate live
 * in the temporary folder.
 *
 *   const stack = await startTestStack({ services: ["blob", "cosmos"] });
 *   afterAll(() => stack.stop());
 *   BlobServiceClient.fromConnectionString(stack.settings.blob);
 *   const cosmos = testCosmosClient(stack);          // trusts the stack's self-signed certificate
 */
import type { CosmosClient } from "@azure/cosmos";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createCosmosClient } from "../../src/adapters/cosmos/connect";
import {
  ALL_SERVICES,
  startLocalStack,
  toProductSettings,
  type FaultOptions,
  type FilesEmulatorHandle,
  type ProductSettings,
  type StackService,
  type StackSettings,
} from "../../src/local/stack";

export type { FaultOptions, ProductSettings, StackService, StackSettings };

export interface TestStackOptions<S extends StackService> {
  readonly services?: readonly S[];
  /** Faults the Files emulator injects from the start (needs "files"). */
  readonly faults?: FaultOptions;
}

export interface TestStack<S extends StackService = StackService> {
  /** One entry per service asked for: storage connection strings, and { endpoint, key, caCert } for cosmos. */
  readonly settings: Pick<StackSettings, S>;
  /** The same endpoints under the product's setting names (AFB_FILES, AFB_REPOSITORY, AFB_COSMOS__*). */
  readonly productSettings: ProductSettings;
  readonly dataDir: string;
  /** The Files emulator, when "files" runs: change its faults with files.setFaults(...). */
  readonly files?: FilesEmulatorHandle;
  /** Stops every server and removes the data folder; safe to call twice. */
  stop(): Promise<void>;
}

/** Starts the stack; see the module comment. */
export async function startTestStack<S extends StackService = StackService>(opts: TestStackOptions<S> = {}): Promise<TestStack<S>> {
  const services = opts.services ?? (ALL_SERVICES as readonly S[]);
  if (opts.faults !== undefined && !services.includes("files" as S)) throw new Error("startTestStack: faults apply to the Files emulator; add \"files\" to services");
  const dataDir = mkdtempSync(join(tmpdir(), "afb-test-stack-"));
  const ports = Object.fromEntries(services.map((s) => [s, 0]));
  let stack;
  try {
    stack = await startLocalStack({ dataDir, services, ports, inMemory: true, faults: opts.faults });
  } catch (err) {
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
  const running = stack;
  let stopping: Promise<void> | undefined;
  return {
    settings: running.settings,
    productSettings: toProductSettings(running.settings),
    dataDir,
    files: running.files,
    stop: () =>
      (stopping ??= running.stop().finally(() => rmSync(dataDir, { recursive: true, force: true }))),
  };
}

/** A CosmosClient for the stack's Cosmos endpoint, with TLS verification on (trusting its own cert). Call dispose() when done. */
export function testCosmosClient(stack: Pick<TestStack<"cosmos">, "productSettings">): CosmosClient {
  return createCosmosClient(stack.productSettings);
}
