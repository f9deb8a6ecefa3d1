/**
 * The front door on the local stack for integration tests: Azurite (table + queue), the local durable
 * host with its HTTP API (the library's real DurableClient), the app's real functions registered by
 * registerFrontDoor() over the Table Storage registry, an adjustable clock, and a STAND-IN `backupShare`
 * orchestration (tests only) that stays running until it receives the `finish` event, so 409s and
 * "skipped while running" can be observed. Call `registerWorld()` once at module scope.
 */
import { QueueServiceClient } from "@azure/storage-queue";
import * as df from "durable-functions";
import type { OrchestrationContext, OrchestrationHandler } from "durable-functions";
import { TableShareRegistry } from "../../../src/adapters/table/share-registry";
import type { BackupShareInput } from "../../../src/core/registry/backup-start";
import { durableBackupStarter } from "../../../src/functions/backup-starter";
import { lazy, registerFrontDoor, type FrontDoorDeps } from "../../../src/functions/front-door";
import { DurableHost, QueuePump, installRecorder, listen, type FunctionRegistry, type LocalFunctionsServer } from "../../../src/local/durable";
import { startTestStack, type TestStack } from "../../helpers/stack";

export interface World {
  stack: TestStack<"table" | "queue">;
  host: DurableHost;
  server: LocalFunctionsServer;
  shares: TableShareRegistry;
  queues: QueueServiceClient;
  pump: QueuePump;
  logs: string[];
  /** The clock the functions read (ms since the epoch); tests move it. */
  now: number;
  stop(): Promise<void>;
}

let registry: FunctionRegistry | undefined;
let current: World | undefined;

function world(): World {
  if (current === undefined) throw new Error("the test world is not started: call startWorld() in beforeAll");
  return current;
}

/** The stand-in: custom status like a real backup's, output or failure on the `finish` event. */
const standInBackup: OrchestrationHandler = function* (context: OrchestrationContext) {
  const input = context.df.getInput<BackupShareInput>();
  context.df.setCustomStatus({ phase: "backing up", dirs: 2, files: 10, bytes: 1234, errors: 0 });
  const finish: unknown = yield context.df.waitForExternalEvent("finish");
  if (finish === "fail") throw new Error(`stand-in backup of ${input.shareId} failed on request`);
  context.df.setCustomStatus({ phase: "done", dirs: 4, files: 20, bytes: 4321, errors: 0 });
  return { shareId: input.shareId, trigger: input.trigger, scheduledFor: input.scheduledFor ?? null, files: 20 };
};

/** Registers the front door (deps read the world lazily) and the stand-in; once per test file. */
export function registerWorld(): FunctionRegistry {
  if (registry !== undefined) return registry;
  registry = installRecorder();
  const deps: FrontDoorDeps = {
    shares: lazy(async () => world().shares),
    now: () => world().now,
    starter: (client) => durableBackupStarter(client),
    scheduleCron: "0 */5 * * * *",
  };
  registerFrontDoor(deps);
  df.app.orchestration("backupShare", standInBackup);
  return registry;
}

export async function startWorld(): Promise<World> {
  const reg = registerWorld();
  const stack = await startTestStack({ services: ["table", "queue"] });
  const logs: string[] = [];
  const host = new DurableHost({ registry: reg, log: (level, fn, args) => logs.push(`${level} ${fn}: ${args.map(String).join(" ")}`) });
  const server = await listen(host);
  const queues = QueueServiceClient.fromConnectionString(stack.settings.queue);
  await queues.getQueueClient("backup-requests").createIfNotExists();
  const shares = TableShareRegistry.fromSettings((name) => (name === "AFB_REPOSITORY" ? stack.productSettings.AFB_REPOSITORY : undefined));
  current = {
    stack,
    host,
    server,
    shares,
    queues,
    pump: new QueuePump(host, { queueService: queues }),
    logs,
    now: Date.parse("2026-03-01T10:03:00.000Z"),
    stop: async () => {
      await server.close();
      await stack.stop();
    },
  };
  return current;
}

/** A registration body for POST /api/shares. */
export function registration(id: string, extra: Record<string, unknown> = {}): Record<string, unknown> {
  return { id, account: "https://contoso.file.core.windows.net", shareName: `data-${id.replace(/\./g, "-")}`, auth: { mode: "managedidentity" }, schedule: "0 2 * * *", ...extra };
}
