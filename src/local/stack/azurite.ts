/**
 * Azurite's Blob, Queue and Table servers run in this process through their own classes (azurite 3.35
 * ships no type declarations, so this module is the one typed door to them). Guarantees: Azurite logs
 * nothing (no access log, no debug log, no telemetry), accepts the newer x-ms-version values the SDKs
 * send, persists under `dir` (or keeps everything in memory), and a server that fails to listen
 * releases every store and timer it opened so the process can still exit.
 */
import { join } from "node:path";
import type { AddressInfo } from "node:net";
import type { Server } from "node:http";
import { listenError } from "./listen-error";

/** The three Azurite services. */
export type AzuriteService = "blob" | "queue" | "table";

/** What one started Azurite service exposes. */
export interface AzuriteServer {
  readonly service: AzuriteService;
  readonly port: number;
  close(): Promise<void>;
}

export interface AzuriteServerOptions {
  readonly host: string;
  /** 0 = ephemeral. */
  readonly port: number;
  /** Workspace folder (Loki databases and extents); ignored when inMemory. */
  readonly dir?: string;
  readonly inMemory: boolean;
}

/** The part of Azurite's ServerBase this module uses. */
interface ServerBaseLike {
  readonly httpServer: Server;
  start(): Promise<void>;
  close(): Promise<void>;
  afterClose(): Promise<void>;
}

type ServerClass = new (config: unknown) => ServerBaseLike;
type ConfigClass = new (...args: unknown[]) => unknown;

interface PersistenceLocation {
  locationId: string;
  locationPath: string;
  maxConcurrency: number;
}

const AZURITE = "azurite/dist/src";

/** Azurite's request middleware reports telemetry unless told not to; this stack never phones home. */
async function disableTelemetry(): Promise<void> {
  const telemetry = (await import(`${AZURITE}/common/Telemetry`)) as { AzuriteTelemetryClient: { enableTelemetry: boolean } };
  telemetry.AzuriteTelemetryClient.enableTelemetry = false;
}

/** Loaded on demand: each service's module tree takes a noticeable part of a second to load. */
async function loadServer(service: AzuriteService): Promise<{ Server: ServerClass; Configuration: ConfigClass }> {
  const cap = service === "blob" ? "Blob" : service === "queue" ? "Queue" : "Table";
  const Server = ((await import(`${AZURITE}/${service}/${cap}Server`)) as { default: ServerClass }).default;
  const Configuration = ((await import(`${AZURITE}/${service}/${cap}Configuration`)) as { default: ConfigClass }).default;
  return { Server, Configuration };
}

/**
 * Builds the Configuration with Azurite's positional constructor arguments (their order differs between
 * Table and Blob/Queue). Access and debug logs off, loose mode and skipApiVersionCheck on.
 */
function configuration(service: AzuriteService, Configuration: ConfigClass, o: AzuriteServerOptions, memoryStore: unknown): unknown {
  const dir = o.dir ?? ".";
  const keepAlive = 5;
  const loose = true;
  const skipApiVersionCheck = true;
  const cert = "";
  const key = "";
  const pwd = "";
  const oauth = undefined;
  const disableProductStyleUrl = false;
  if (service === "table") {
    return new Configuration(o.host, o.port, keepAlive, join(dir, "__azurite_db_table__.json"), false, false, undefined, undefined,
      loose, skipApiVersionCheck, cert, key, pwd, oauth, disableProductStyleUrl, o.inMemory);
  }
  const locations: PersistenceLocation[] = [{ locationId: "Default", locationPath: join(dir, `__${service}storage__`), maxConcurrency: service === "blob" ? 10 : 1 }];
  return new Configuration(o.host, o.port, keepAlive, join(dir, `__azurite_db_${service}__.json`), join(dir, `__azurite_db_${service}_extent__.json`),
    locations, false, undefined, false, undefined, loose, skipApiVersionCheck, cert, key, pwd, oauth, disableProductStyleUrl, o.inMemory, memoryStore);
}

/**
 * Azurite's default in-memory byte store is one per process and its clean() empties it for every
 * server; each in-memory server here gets its own, freed with the server.
 */
async function privateMemoryStore(inMemory: boolean): Promise<unknown> {
  if (!inMemory) return undefined;
  const mod = (await import(`${AZURITE}/common/persistence/MemoryExtentStore`)) as {
    MemoryExtentChunkStore: new (limit?: number) => unknown;
    DEFAULT_EXTENT_MEMORY_LIMIT: number;
  };
  return new mod.MemoryExtentChunkStore(mod.DEFAULT_EXTENT_MEMORY_LIMIT);
}

/** Starts one Azurite service; a busy port rejects with an error naming the port and the service. */
export async function startAzuriteServer(service: AzuriteService, options: AzuriteServerOptions): Promise<AzuriteServer> {
  await disableTelemetry();
  const { Server, Configuration } = await loadServer(service);
  const server = new Server(configuration(service, Configuration, options, await privateMemoryStore(options.inMemory)));
  try {
    await server.start();
  } catch (err) {
    // start() has already opened the Loki databases and the GC timer; close them or the process never exits.
    await server.afterClose().catch(() => undefined);
    throw listenError(err, `Azurite ${service}`, options.host, options.port);
  }
  const port = (server.httpServer.address() as AddressInfo).port;
  return {
    service,
    port,
    close: async () => {
      const closed = new Promise<void>((resolve) => server.httpServer.once("close", () => resolve()));
      await server.close();
      await closed;
    },
  };
}
