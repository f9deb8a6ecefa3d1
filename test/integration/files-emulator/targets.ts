/**
 * The targets the File service conformance suite runs against: the emulator always, and a real
 * account too when AFB_LIVE_FILES_CONNECTION_STRING is set. Chosen at load time, so `describe.each`
 * runs every shared case against each target; emulator-only cases (faults, restart, disk seeding)
 * live in their own files.
 */
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ShareServiceClient, type ShareClient, type ShareClientOptions, type StoragePipelineOptions } from "@azure/storage-file-share";
import { startFilesEmulator, type FilesEmulator } from "../../../src/local/files-emulator";

export const LIVE_ENV = "AFB_LIVE_FILES_CONNECTION_STRING";

export type ClientOptions = StoragePipelineOptions & ShareClientOptions;

export interface Target {
  readonly name: string;
  start(): Promise<void>;
  stop(): Promise<void>;
  service(options?: ClientOptions): ShareServiceClient;
  /** Creates files fast: straight to disk on the emulator, through the SDK (bounded concurrency) live. */
  seedFiles(share: string, dir: string, names: readonly string[]): Promise<void>;
}

/** Fast retries for tests: the SDK default would wait 4 s and more between tries. */
export const FAST_RETRY = { retryOptions: { maxTries: 4, retryDelayInMs: 10, maxRetryDelayInMs: 50 } };

export class EmulatorTarget implements Target {
  readonly name = "emulator";
  emulator!: FilesEmulator;
  dataDir = "";

  async start(): Promise<void> {
    this.dataDir = mkdtempSync(join(tmpdir(), "afb-files-emu-"));
    this.emulator = await startFilesEmulator({ dataDir: this.dataDir, port: 0 });
  }

  async stop(): Promise<void> {
    await this.emulator?.close();
    if (this.dataDir) rmSync(this.dataDir, { recursive: true, force: true });
  }

  service(options: ClientOptions = {}): ShareServiceClient {
    return ShareServiceClient.fromConnectionString(this.emulator.connectionString, { ...FAST_RETRY, ...options });
  }

  async seedFiles(share: string, dir: string, names: readonly string[]): Promise<void> {
    const base = join(this.dataDir, "devstoreaccount1", share, dir);
    mkdirSync(base, { recursive: true });
    for (const n of names) writeFileSync(join(base, n), n);
  }
}

export class LiveTarget implements Target {
  readonly name = "live";
  constructor(private readonly connectionString: string) {}

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  service(options: ClientOptions = {}): ShareServiceClient {
    return ShareServiceClient.fromConnectionString(this.connectionString, { ...FAST_RETRY, ...options });
  }

  async seedFiles(share: string, dir: string, names: readonly string[]): Promise<void> {
    const d = this.service().getShareClient(share).getDirectoryClient(dir);
    await d.createIfNotExists();
    let next = 0;
    const worker = async () => {
      while (next < names.length) {
        const n = names[next++];
        const body = Buffer.from(n);
        await d.getFileClient(n).uploadData(body);
      }
    };
    await Promise.all(Array.from({ length: 64 }, worker));
  }
}

/** Every target this run covers (emulator first). */
export function targets(): Target[] {
  const live = process.env[LIVE_ENV];
  return [new EmulatorTarget(), ...(live ? [new LiveTarget(live)] : [])];
}

let counter = 0;
/** A share name unique to this run and test. */
export function uniqueShare(tag: string): string {
  counter += 1;
  return `afb-${tag}-${process.pid}-${counter}-${Date.now().toString(36)}`.toLowerCase().slice(0, 63).replace(/-+$/, "");
}

/** The status and error code of a call that must fail (throws when it succeeds). */
export async function failureOf(p: Promise<unknown>): Promise<{ status?: number; code?: string }> {
  try {
    await p;
  } catch (err) {
    const e = err as { statusCode?: number; code?: string; details?: { errorCode?: string } };
    return { status: e.statusCode, code: e.details?.errorCode ?? e.code };
  }
  throw new Error("expected the call to fail");
}

/** Starts `target` and creates a fresh share on it for one describe block. */
export async function openTargetShare(target: Target, prefix: string): Promise<{ service: ShareServiceClient; share: ShareClient }> {
  await target.start();
  const service = target.service();
  const share = service.getShareClient(uniqueShare(prefix));
  await share.create();
  return { service, share };
}

/** Deletes the share (with its snapshots) and stops the target. */
export async function closeTargetShare(target: Target, share: ShareClient | undefined): Promise<void> {
  await share?.deleteIfExists({ deleteSnapshots: "include" });
  await target.stop();
}
