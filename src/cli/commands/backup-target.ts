/**
 * Plumbing `afb backup`, `afb snapshots` and `afb index rebuild` share: resolve the environment (explicit
 * settings -> running `afb stack up` -> embedded stack), then open what a backup of one share needs:
 * its reader, the node index (Cosmos), the repository (Blob, or AFB_REPOSITORY_PATH's folder), the
 * share lock (a blob lease, or a lock file in that folder), the share key snapshots are filed under
 * and the share's index id. Says on stderr which environment is used (names only, never secrets).
 * Share keys: `<account>.<share>` for an Azure share; `dir-<16 hex of SHA-256 of the absolute path>`
 * for a local directory (the same directory always maps to the same key).
 */
import { createHash } from "node:crypto";
import { resolve } from "node:path";
import { createCosmosClient } from "../../adapters/cosmos/connect";
import { CosmosNodeIndex } from "../../adapters/cosmos/node-index";
import { LocalShareReader } from "../../adapters/local-fs/share-reader";
import { DEFAULTS } from "../../config/settings";
import type { BackupLock } from "../../core/backup/model";
import type { NodeIndex } from "../../core/ports/node-index";
import type { ShareReader } from "../../core/ports/share-reader";
import { Repository } from "../../core/repository/repository";
import { shareIdOf } from "../../core/scan/share-id";
import { resolveEnvironment, type ResolvedEnvironment } from "../../local/stack/resolve-environment";
import { repositoryBackend } from "./open-repository";

export interface TargetFlags {
  share?: string;
  dir?: string;
}

export interface BackupTarget {
  readonly env: ResolvedEnvironment;
  readonly repository: Repository;
  readonly lock: BackupLock;
  /** Present when a share or directory was named. */
  readonly share?: { readonly reader: ShareReader; readonly key: string; readonly shareId: string };
  /** The node index, when asked for. */
  readonly index?: NodeIndex;
  close(): Promise<void>;
}

/** Throws unless at most one (or, with `required`, exactly one) of --share and --dir is given. */
export function checkTarget(flags: TargetFlags, required: boolean): void {
  if (flags.share !== undefined && flags.dir !== undefined) throw new Error("give only one of --share NAME or --dir PATH");
  if (required && flags.share === undefined && flags.dir === undefined) throw new Error("give one of --share NAME or --dir PATH");
}

/** The share key of a local directory. */
export function dirShareKey(path: string): string {
  return `dir-${createHash("sha256").update(resolve(path), "utf8").digest("hex").slice(0, 16)}`;
}

/** Waits for all of `tasks`; on a failure, still waits for the others (nothing left running) and throws the first failure. */
async function allOrFirstError<T extends readonly unknown[]>(tasks: { [K in keyof T]: Promise<T[K]> }): Promise<T> {
  const settled = await Promise.allSettled(tasks);
  for (const s of settled) if (s.status === "rejected") throw s.reason;
  return settled.map((s) => (s as PromiseFulfilledResult<unknown>).value) as unknown as T;
}

/** Opens the target; see the module comment. `withIndex` also opens the node index. */
export async function openTarget(flags: TargetFlags, withIndex: boolean): Promise<BackupTarget> {
  const services = flags.share !== undefined ? (["files", "blob", "cosmos"] as const) : withIndex ? (["blob", "cosmos"] as const) : (["blob"] as const);
  const env = await resolveEnvironment({ services });
  let cosmos: ReturnType<typeof createCosmosClient> | undefined;
  try {
    process.stderr.write(`afb: environment: ${env.description}\n`);
    const backend = await repositoryBackend(env.lookup);
    const store = backend.store;
    if (withIndex) cosmos = createCosmosClient(env.lookup);
    const client = cosmos;
    // The repository and the node index are independent: opened together, a start waits for the slower.
    const [repository, index] = await allOrFirstError([
      store.ensureContainer().then(() => Repository.open(store)),
      client === undefined ? Promise.resolve(undefined) : CosmosNodeIndex.open({ client, database: env.lookup("AFB_COSMOS_DATABASE") ?? DEFAULTS.cosmosDatabase }),
    ] as const);
    const lock = backend.lock();
    let share: BackupTarget["share"];
    if (flags.dir !== undefined) {
      share = { reader: new LocalShareReader(flags.dir), key: dirShareKey(flags.dir), shareId: shareIdOf(`local:${resolve(flags.dir)}`) };
    } else if (flags.share !== undefined) {
      // The Files SDK is loaded only for shares: a --dir backup does not pay for it at every start.
      const { createShareServiceClient, filesCredentialsFromSettings } = await import("../../adapters/azure-files/client");
      const { AzureShareReader } = await import("../../adapters/azure-files/share-reader");
      const service = createShareServiceClient(filesCredentialsFromSettings(env.lookup));
      const location = `${service.url.split("?")[0].replace(/\/+$/, "")}/${flags.share}`;
      share = { reader: AzureShareReader.of(service, flags.share), key: `${service.accountName}.${flags.share}`.toLowerCase(), shareId: shareIdOf(location) };
    }
    const opened = cosmos;
    return {
      env, repository, lock, share, index,
      close: async () => {
        opened?.dispose();
        await env.stop();
      },
    };
  } catch (err) {
    cosmos?.dispose();
    await env.stop();
    throw err;
  }
}
