/**
 * The whole app on the local stack for backupShare tests: Azurite (blob, table, queue), the File
 * emulator, cosmosdb-server, the local durable host running the app's real registrations (registerApp)
 * with services built from the stack's settings, and helpers to create a share on the emulator,
 * register it, run backupShare to completion, and back the same share up with the in-process engine
 * under another key for comparison. Call `registerAppWorld()` once at module scope.
 */
import type { ShareClient, ShareServiceClient } from "@azure/storage-file-share";
import { createShareServiceClient } from "../../../src/adapters/azure-files/client";
import { AzureShareReader } from "../../../src/adapters/azure-files/share-reader";
import { CosmosNodeIndex } from "../../../src/adapters/cosmos/node-index";
import { MemoryTelemetry } from "../../../src/adapters/memory/telemetry";
import { TableFrontierStore } from "../../../src/adapters/table/frontier-store";
import { runBackup } from "../../../src/core/backup/backup";
import type { BackupSummary } from "../../../src/core/backup/model";
import { backupInstanceId, type BackupShareInput } from "../../../src/core/registry/backup-start";
import type { BackupShareResult } from "../../../src/core/orchestration/backup-share-contract";
import { registerApp } from "../../../src/functions/app";
import { durableBackupStarter } from "../../../src/functions/backup-starter";
import { lazy } from "../../../src/functions/lazy";
import { servicesFromSettings, type AppServices } from "../../../src/functions/services";
import { DurableHost, installRecorder, listen, type FunctionRegistry, type InstanceStatus, type LocalFunctionsServer } from "../../../src/local/durable";
import { createRegisteredShare } from "../../helpers/registered-share";
import { startTestStack, testCosmosClient, type TestStack } from "../../helpers/stack";
import { fileSpool } from "../../helpers/record-spools";

export interface AppWorld {
  stack: TestStack;
  /** What the app reported to monitoring. */
  telemetry: MemoryTelemetry;
  host: DurableHost;
  server: LocalFunctionsServer;
  service: ShareServiceClient;
  services: AppServices;
  stop(): Promise<void>;
}

let registry: FunctionRegistry | undefined;
let current: AppWorld | undefined;
/** Tests may wrap the services (failure injection); undefined = the plain ones. */
export let wrapServices: ((s: AppServices) => AppServices) | undefined;
export function setServicesWrapper(w: ((s: AppServices) => AppServices) | undefined): void {
  wrapServices = w;
}

function world(): AppWorld {
  if (current === undefined) throw new Error("the app world is not started: call startAppWorld() in beforeAll");
  return current;
}

export function registerAppWorld(): FunctionRegistry {
  if (registry !== undefined) return registry;
  registry = installRecorder();
  registerApp({
    frontDoor: { shares: () => world().services.shares(), now: () => world().services.now(), starter: (c) => durableBackupStarter(c), scheduleCron: "0 */5 * * * *" },
    services: () => (wrapServices === undefined ? world().services : wrapServices(world().services)),
    frontier: lazy(() => TableFrontierStore.fromSettings((n) => world().stack.productSettings[n])),
  });
  return registry;
}

let clock = Date.UTC(2026, 5, 1);

export async function startAppWorld(): Promise<AppWorld> {
  const reg = registerAppWorld();
  const stack = await startTestStack();
  const get = (n: string) => stack.productSettings[n];
  const telemetry = new MemoryTelemetry(() => clock);
  const services = servicesFromSettings(get, { now: () => (clock += 1000), telemetry });
  const host = new DurableHost({ registry: reg, activityParallelism: 8 });
  const server = await listen(host);
  const service = createShareServiceClient({ connectionString: stack.settings.files });
  current = {
    stack, host, server, service, services, telemetry,
    stop: async () => {
      await server.close();
      await stack.stop();
      current = undefined;
    },
  };
  return current;
}

let shares = 0;

/** A new share on the emulator, registered (auth: the AFB_FILES setting). */
export async function newRegisteredShare(w: AppWorld, patterns: { include?: string[]; exclude?: string[] } = {}): Promise<{ id: string; share: ShareClient }> {
  const n = ++shares;
  return createRegisteredShare(w.service, w.services, { name: `app${n}-${process.pid}`, id: `s${n}-${process.pid}`, createdAtMs: clock, ...patterns });
}

/** Runs backupShare for `shareId` to its end. */
export async function runBackupShare(w: AppWorld, shareId: string): Promise<InstanceStatus> {
  const input: BackupShareInput = { shareId, trigger: "http", requestedAt: new Date(clock).toISOString() };
  const id = await w.host.startNew("backupShare", { instanceId: backupInstanceId(shareId), input });
  return w.host.waitForCompletion(id, 110_000);
}

export function resultOf(status: InstanceStatus): BackupShareResult {
  if (status.runtimeStatus !== "Completed") throw new Error(`backupShare ended ${status.runtimeStatus}: ${JSON.stringify(status.output)}`);
  return status.output as BackupShareResult;
}

/** The in-process engine's backup of the same share, under another key and index id (a fresh index). */
export async function engineBackup(w: AppWorld, shareName: string, key: string, indexId: string): Promise<BackupSummary> {
  const cosmos = testCosmosClient(w.stack);
  try {
    return await runBackup({
      share: key, shareId: indexId, reader: AzureShareReader.of(w.service, shareName),
      index: await CosmosNodeIndex.open({ client: cosmos, database: "afb" }), repository: await w.services.repository(), now: () => (clock += 1000), recordSpool: fileSpool,
    });
  } finally {
    cosmos.dispose();
  }
}
