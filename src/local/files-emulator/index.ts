/**
 * The Azure Files emulator: an HTTP server speaking the File service REST API closely enough that
 * @azure/storage-file-share cannot tell it from Azure for what this product uses (shares, snapshots,
 * directories, files, ranges, permissions, rename, SharedKey and SAS auth, Azure's error codes).
 * Data lives in real directories and files under DIR/<account>/<share>/ (it survives restarts and large
 * files stream); FileIds, SMB properties, metadata and snapshots live in a sidecar beside them.
 * Faults (latency, 503 ServerBusy, connection resets) are off unless set by options, by
 * AFB_EMULATOR_FAULTS or by `PUT /.emulator/faults?busy=..&latency=..&reset=..&seed=..`.
 */
import { mkdirSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import { FaultInjector, parseFaultSpec, type FaultOptions } from "./faults";
import { FilesServer } from "./server";
import { AccountStore } from "./store/account";
import { systemClock, TickSource } from "./time";

export type { FaultOptions } from "./faults";

export interface FilesEmulatorOptions {
  dataDir: string;
  /** default 127.0.0.1 */
  host?: string;
  /** 0 = ephemeral; default 10004 */
  port?: number;
  /** default devstoreaccount1 */
  accountName?: string;
  /** default: the well-known development storage key */
  accountKey?: string;
  faults?: FaultOptions;
}

export interface FilesEmulator {
  readonly port: number;
  /** http://host:port/account */
  readonly url: string;
  /** DefaultEndpointsProtocol=http;AccountName=..;AccountKey=..;FileEndpoint=<url>; */
  readonly connectionString: string;
  setFaults(f: FaultOptions): void;
  close(): Promise<void>;
}

export const DEV_ACCOUNT_NAME = "devstoreaccount1";
export const DEV_ACCOUNT_KEY = "Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==";
export const DEFAULT_PORT = 10004;
/** Environment variable with the default fault spec, e.g. `busy=0.1,latency=5,reset=0.05,seed=7`. */
export const FAULTS_ENV = "AFB_EMULATOR_FAULTS";

function faultsFrom(options: FilesEmulatorOptions): FaultOptions {
  if (options.faults) return options.faults;
  const spec = process.env[FAULTS_ENV];
  if (spec === undefined || spec.trim() === "") return {};
  try {
    return parseFaultSpec(spec);
  } catch (err) {
    throw new Error(`${FAULTS_ENV}: ${(err as Error).message}`);
  }
}

function validate(options: FilesEmulatorOptions): void {
  if (!options || typeof options.dataDir !== "string" || options.dataDir === "") throw new Error("startFilesEmulator: dataDir is required");
  const account = options.accountName ?? DEV_ACCOUNT_NAME;
  if (!/^[a-z0-9]{3,24}$/.test(account)) throw new Error(`startFilesEmulator: accountName '${account}' must be 3-24 lowercase letters or digits`);
  const key = options.accountKey ?? DEV_ACCOUNT_KEY;
  if (!/^[A-Za-z0-9+/]+={0,2}$/.test(key)) throw new Error("startFilesEmulator: accountKey must be base64");
  const port = options.port ?? DEFAULT_PORT;
  if (!Number.isInteger(port) || port < 0 || port > 65535) throw new Error(`startFilesEmulator: port ${port} is not a TCP port`);
}

export async function startFilesEmulator(options: FilesEmulatorOptions): Promise<FilesEmulator> {
  validate(options);
  const host = options.host ?? "127.0.0.1";
  const accountName = options.accountName ?? DEV_ACCOUNT_NAME;
  const accountKey = options.accountKey ?? DEV_ACCOUNT_KEY;
  mkdirSync(options.dataDir, { recursive: true });
  const ticks = new TickSource(systemClock);
  const account = new AccountStore(options.dataDir, accountName, ticks);
  const faults = new FaultInjector(faultsFrom(options));
  const env = { account, ticks, url: "" };
  const files = new FilesServer(env, { accountName, key: Buffer.from(accountKey, "base64") }, faults, (err) => {
    process.stderr.write(`files-emulator: unexpected error: ${(err as Error)?.stack ?? String(err)}\n`);
  });
  const server: Server = createServer(files.listener);
  // Longer than the SDK's idle sockets live, so a kept-alive request never meets a closing socket.
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once("error", reject);
    server.listen(options.port ?? DEFAULT_PORT, host, () => {
      server.off("error", reject);
      resolve();
    });
  });
  const port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(":") ? `[${host}]` : host}:${port}/${accountName}`;
  env.url = url;
  return {
    port,
    url,
    connectionString: `DefaultEndpointsProtocol=http;AccountName=${accountName};AccountKey=${accountKey};FileEndpoint=${url};`,
    setFaults: (f) => faults.set(f),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((err) => (err ? reject(err) : resolve()));
        server.closeAllConnections();
      }),
  };
}
