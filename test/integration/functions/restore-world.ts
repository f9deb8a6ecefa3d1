/**
 * The restore side of the app on the local stack for integration tests: Azurite (blob, table, queue),
 * the File emulator, the local durable host with its HTTP API running the app's real front door
 * (with services, so the snapshot and restore routes and restore queue messages are on) and the real
 * `restoreSnapshot` orchestration with its activities, over services built from the stack's settings
 * by servicesFromSettings. Backups are made by the engine (runBackup) under the registered share's
 * key, so the app finds them as its own. Call `registerRestoreWorld()` once at module scope.
 */
import type { ShareClient, ShareServiceClient } from "@azure/storage-file-share";
import { QueueServiceClient } from "@azure/storage-queue";
import { createShareServiceClient } from "../../../src/adapters/azure-files/client";
import { MemoryNodeIndex } from "../../../src/adapters/memory/node-index";
import { runBackup } from "../../../src/core/backup/backup";
import type { BackupSummary } from "../../../src/core/backup/model";
import { durableBackupStarter } from "../../../src/functions/backup-starter";
import { registerFrontDoor } from "../../../src/functions/front-door";
import { registerRestoreFunctions } from "../../../src/functions/restore";
import { MemoryTelemetry } from "../../../src/adapters/memory/telemetry";
import { servicesFromSettings, type AppServices } from "../../../src/functions/services";
import { DurableHost, QueuePump, installRecorder, invokeHttp, listen, type FunctionRegistry, type InstanceStatus, type LocalFunctionsServer, type LocalHttpResponse } from "../../../src/local/durable";
import { createRegisteredShare } from "../../helpers/registered-share";
import { startTestStack, type TestStack } from "../../helpers/stack";
import { fileSpool } from "../../helpers/record-spools";

export interface RestoreAppWorld {
  stack: TestStack<"blob" | "table" | "queue" | "files">;
  host: DurableHost;
  server: LocalFunctionsServer;
  service: ShareServiceClient;
  services: AppServices;
  /** What the app reported to monitoring. */
  telemetry: MemoryTelemetry;
  queues: QueueServiceClient;
  pump: QueuePump;
  logs: string[];
  stop(): Promise<void>;
}

let registry: FunctionRegistry | undefined;
let current: RestoreAppWorld | undefined;
let clock = Date.UTC(2026, 10, 28, 6, 0, 0);

function world(): RestoreAppWorld {
  if (current === undefined) throw new Error("the restore world is not started: call startRestoreAppWorld() in beforeAll");
  return current;
}

export function registerRestoreWorld(): FunctionRegistry {
  if (registry !== undefined) return registry;
  registry = installRecorder();
  const services = () => world().services;
  registerFrontDoor({ shares: () => services().shares(), now: () => services().now(), starter: (c) => durableBackupStarter(c), scheduleCron: "0 */5 * * * *", services });
  registerRestoreFunctions(services);
  return registry;
}

export async function startRestoreAppWorld(): Promise<RestoreAppWorld> {
  const reg = registerRestoreWorld();
  const stack = await startTestStack({ services: ["blob", "table", "queue", "files"] });
  const telemetry = new MemoryTelemetry(() => clock);
  const services = servicesFromSettings((n) => stack.productSettings[n], { now: () => (clock += 1000), telemetry });
  const logs: string[] = [];
  const host = new DurableHost({ registry: reg, activityParallelism: 8, log: (level, fn, args) => logs.push(`${level} ${fn}: ${args.map(String).join(" ")}`) });
  const server = await listen(host);
  const queues = QueueServiceClient.fromConnectionString(stack.settings.queue);
  await queues.getQueueClient("backup-requests").createIfNotExists();
  current = {
    stack, host, server, services, telemetry, queues, logs,
    service: createShareServiceClient({ connectionString: stack.settings.files }),
    pump: new QueuePump(host, { queueService: queues }),
    stop: async () => {
      await server.close();
      await stack.stop();
      current = undefined;
    },
  };
  return current;
}

let shares = 0;

/** A new share on the emulator, registered under `id` (auth: the AFB_FILES setting). */
export async function newRegisteredShare(w: RestoreAppWorld): Promise<{ id: string; share: ShareClient }> {
  const n = ++shares;
  return createRegisteredShare(w.service, w.services, { name: `rsrc${n}-${process.pid}`, id: `r${n}-${process.pid}`, createdAtMs: clock });
}

/** A backup of the registered share by the engine, filed under the key the app uses for it. */
export async function backupNow(w: RestoreAppWorld, shareId: string): Promise<BackupSummary> {
  const opened = await w.services.openShare(shareId);
  return runBackup({ recordSpool: fileSpool, share: opened.key, shareId: opened.indexId, reader: opened.reader, index: new MemoryNodeIndex(), repository: await w.services.repository(), now: () => (clock += 1000) });
}

export const post = (w: RestoreAppWorld, path: string, body?: unknown): Promise<LocalHttpResponse> =>
  invokeHttp(w.host, { method: "POST", path, ...(body === undefined ? {} : { body: typeof body === "string" ? body : JSON.stringify(body) }) });
export const get = (w: RestoreAppWorld, path: string): Promise<LocalHttpResponse> => invokeHttp(w.host, { method: "GET", path });

/** Polls GET /api/operations/{id} until the operation ended; returns the last view. */
export async function pollOperation(w: RestoreAppWorld, instanceId: string, timeoutMs = 45_000): Promise<Record<string, unknown>> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const res = await get(w, `/api/operations/${instanceId}`);
    if (res.status !== 200) throw new Error(`GET /api/operations/${instanceId}: ${res.status} ${res.text()}`);
    const view = res.json() as Record<string, unknown>;
    if (["completed", "failed", "terminated"].includes(String(view.phase))) return view;
    if (Date.now() > until) throw new Error(`operation ${instanceId} did not end within ${timeoutMs} ms: ${JSON.stringify(view)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

export async function waitFor(w: RestoreAppWorld, instanceId: string): Promise<InstanceStatus> {
  return w.host.waitForCompletion(instanceId, 45_000);
}
