/**
 * The demo's Functions app: the embedded local stack (all services, in a temporary folder removed at
 * the end), the app's real functions registered with the local durable host, and thin helpers to call
 * its HTTP routes, fire its timer and follow an operation through GET /api/operations/{id}.
 * The front door's clock can be moved forward (`advance`) so the schedule timer finds a share due.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ShareServiceClient } from "@azure/storage-file-share";
import { TableFrontierStore } from "../../adapters/table/frontier-store";
import { systemClock } from "../../config/clock";
import { registerApp } from "../../functions/app";
import { durableBackupStarter } from "../../functions/backup-starter";
import { lazy } from "../../functions/lazy";
import { servicesFromSettings, type AppServices } from "../../functions/services";
import { DurableHost, fireTimer, installRecorder, invokeHttp, listen, type LocalFunctionsServer } from "../durable";
import { startLocalStack, toProductSettings, type LocalStack } from "../stack";

export interface DemoApp {
  readonly stack: LocalStack;
  readonly host: DurableHost;
  readonly services: AppServices;
  readonly files: ShareServiceClient;
  call(method: string, path: string, body?: unknown): Promise<{ status: number; body: Record<string, unknown> }>;
  /** Polls GET /api/operations/{id} until it ends; `onProgress` sees each new phase/progress. */
  follow(instanceId: string, onProgress: (view: Record<string, unknown>) => void): Promise<Record<string, unknown>>;
  advance(ms: number): void;
  tick(): Promise<void>;
  stop(): Promise<void>;
}

export async function startDemoApp(): Promise<DemoApp> {
  const dataDir = mkdtempSync(join(tmpdir(), "afb-demo-"));
  let stack: LocalStack | undefined;
  let server: LocalFunctionsServer | undefined;
  try {
    stack = await startLocalStack({ dataDir, inMemory: true, ports: { blob: 0, queue: 0, table: 0, files: 0, cosmos: 0 } });
    const settings = toProductSettings(stack.settings);
    const get = (name: string) => settings[name];
    let offset = 0;
    const now = () => systemClock() + offset;
    const services = servicesFromSettings(get, { now });
    const registry = installRecorder();
    registerApp({
      frontDoor: { shares: () => services.shares(), now, starter: (c) => durableBackupStarter(c), scheduleCron: "0 */5 * * * *" },
      services: () => services,
      frontier: lazy(() => TableFrontierStore.fromSettings(get)),
    });
    const host = new DurableHost({ registry, activityParallelism: 8 });
    server = await listen(host);
    const running = stack;
    const listening = server;
    const call: DemoApp["call"] = async (method, path, body) => {
      const res = await invokeHttp(host, { method, path, ...(body === undefined ? {} : { body: JSON.stringify(body), headers: { "content-type": "application/json" } }) });
      const text = res.text();
      let parsed: Record<string, unknown> = {};
      try {
        parsed = text === "" ? {} : (JSON.parse(text) as Record<string, unknown>);
      } catch {
        parsed = { text };
      }
      return { status: res.status, body: parsed };
    };
    return {
      stack: running, host, services, files: ShareServiceClient.fromConnectionString(running.settings.files),
      call,
      async follow(instanceId, onProgress) {
        let last = "";
        for (;;) {
          const res = await call("GET", `/api/operations/${encodeURIComponent(instanceId)}`);
          const seen = JSON.stringify([res.body.phase, res.body.progress]);
          if (seen !== last) {
            last = seen;
            onProgress(res.body);
          }
          if (["Completed", "Failed", "Terminated", "Canceled"].includes(String(res.body.runtimeStatus))) return res.body;
          await new Promise((r) => setTimeout(r, 150));
        }
      },
      advance: (ms) => (offset += ms),
      tick: () => fireTimer(host, "scheduleBackups"),
      async stop() {
        await listening.close();
        await running.stop();
        rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await server?.close();
    await stack?.stop();
    rmSync(dataDir, { recursive: true, force: true });
    throw err;
  }
}
