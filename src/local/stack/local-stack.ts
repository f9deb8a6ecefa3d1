/**
 * The local Azure stack in one process: Azurite (blob, queue, table), the Azure Files emulator and
 * cosmosdb-server over TLS. Guarantees: every service listens before the promise resolves; if any one
 * fails to start, the others are stopped again and the error names the failing service and port;
 * stop() closes every server and is safe to call twice. Persistence: Azurite under DIR/azurite, files
 * under DIR/files, Cosmos as a snapshot saved on a clean stop (DIR/cosmos/snapshot.ndjson). inMemory:
 * Azurite and Cosmos keep nothing on disk (the Files emulator always uses DIR/files).
 */
import { mkdirSync } from "node:fs";
import { join, resolve } from "node:path";
import { startAzuriteServer, type AzuriteService } from "./azurite";
import { devConnectionString, emulatorEndpoint } from "./connection-strings";
import { startCosmosServer } from "./cosmos-server";
import { startFilesServer, type FaultOptions, type FilesEmulatorHandle } from "./files";
import { ALL_SERVICES, DEFAULT_PORTS, type StackService, type StackSettings } from "./types";

export interface LocalStackOptions<S extends StackService = StackService> {
  /** Root of the stack's data: DIR/azurite, DIR/files, DIR/cosmos (certificate). */
  readonly dataDir: string;
  /** Bind address (default 127.0.0.1). */
  readonly host?: string;
  /** Per-service port; 0 = ephemeral. Unset = the service's usual port. */
  readonly ports?: Partial<Record<StackService, number>>;
  /** Which servers to run (default: all). */
  readonly services?: readonly S[];
  /** Keep Azurite's and Cosmos's data in memory only, nothing saved on stop (tests). */
  readonly inMemory?: boolean;
  /** Faults the Files emulator injects from the start. */
  readonly faults?: FaultOptions;
}

/** A running stack. `settings` holds exactly the services asked for. */
export interface LocalStack<S extends StackService = StackService> {
  readonly settings: Pick<StackSettings, S>;
  readonly ports: Readonly<Record<S, number>>;
  readonly dataDir: string;
  /** The Files emulator, when "files" runs (for fault injection in tests). */
  readonly files?: FilesEmulatorHandle;
  stop(): Promise<void>;
}

interface Started {
  readonly service: StackService;
  readonly port: number;
  readonly setting: string | StackSettings["cosmos"];
  readonly files?: FilesEmulatorHandle;
  close(): Promise<void>;
}

const AZURITE_KEY = { blob: "BlobEndpoint", queue: "QueueEndpoint", table: "TableEndpoint" } as const;

function checkPort(service: StackService, port: number): number {
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`port for ${service} must be an integer from 0 to 65535, got ${port}`);
  return port;
}

async function startOne(service: StackService, host: string, port: number, dataDir: string, options: LocalStackOptions): Promise<Started> {
  if (service === "cosmos") {
    const cosmos = await startCosmosServer({ host, port, dir: join(dataDir, "cosmos"), persist: options.inMemory !== true });
    return { service, port: cosmos.port, setting: { endpoint: cosmos.endpoint, key: cosmos.key, caCert: cosmos.caCert }, close: cosmos.close };
  }
  if (service === "files") {
    const files = await startFilesServer({ host, port, dataDir: join(dataDir, "files"), faults: options.faults });
    const setting = devConnectionString({ FileEndpoint: emulatorEndpoint(host, files.port) });
    return { service, port: files.port, setting, files, close: () => files.close() };
  }
  const azuriteDir = join(dataDir, "azurite");
  if (options.inMemory !== true) mkdirSync(azuriteDir, { recursive: true });
  const server = await startAzuriteServer(service as AzuriteService, { host, port, dir: azuriteDir, inMemory: options.inMemory === true });
  const setting = devConnectionString({ [AZURITE_KEY[service]]: emulatorEndpoint(host, server.port) });
  return { service, port: server.port, setting, close: () => server.close() };
}

async function closeAll(started: readonly Started[]): Promise<void> {
  const results = await Promise.allSettled(started.map((s) => s.close()));
  const failed = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failed) throw failed.reason;
}

/** Starts the requested servers (all by default) and resolves with their settings. */
export async function startLocalStack<S extends StackService = StackService>(options: LocalStackOptions<S>): Promise<LocalStack<S>> {
  const host = options.host ?? "127.0.0.1";
  const dataDir = resolve(options.dataDir);
  const services = [...new Set(options.services ?? (ALL_SERVICES as readonly S[]))];
  for (const s of services) if (!ALL_SERVICES.includes(s)) throw new Error(`unknown stack service "${String(s)}" (known: ${ALL_SERVICES.join(", ")})`);
  const ports = services.map((s) => checkPort(s, options.ports?.[s] ?? DEFAULT_PORTS[s]));
  mkdirSync(dataDir, { recursive: true });

  const results = await Promise.allSettled(services.map((s, i) => startOne(s, host, ports[i], dataDir, options as LocalStackOptions)));
  const started = results.flatMap((r) => (r.status === "fulfilled" ? [r.value] : []));
  const failure = results.find((r): r is PromiseRejectedResult => r.status === "rejected");
  if (failure) {
    await closeAll(started).catch(() => undefined);
    throw failure.reason;
  }

  const settings = Object.fromEntries(started.map((s) => [s.service, s.setting])) as unknown as Pick<StackSettings, S>;
  let stopping: Promise<void> | undefined;
  return {
    settings,
    ports: Object.fromEntries(started.map((s) => [s.service, s.port])) as Record<S, number>,
    dataDir,
    files: started.find((s) => s.files !== undefined)?.files,
    stop: () => (stopping ??= closeAll(started)),
  };
}
