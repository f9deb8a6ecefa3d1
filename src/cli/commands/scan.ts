/**
 * `afb scan (--share NAME | --dir PATH) [--snapshot ID] [--json]`: what changed in a share since the
 * node index was last updated, without changing anything. Also the shared plumbing of `afb index sync`
 * (index-sync.ts). Guarantees: stdout carries only the result (one JSON object with --json); stderr
 * says which environment and index were used (names, never secrets) and, on a TTY, a progress line.
 */
import { InvalidArgumentError, type Command } from "commander";
import { resolve } from "node:path";
import { createShareServiceClient, filesCredentialsFromSettings } from "../../adapters/azure-files/client";
import { AzureShareReader } from "../../adapters/azure-files/share-reader";
import { createCosmosClient } from "../../adapters/cosmos/connect";
import { CosmosNodeIndex } from "../../adapters/cosmos/node-index";
import { LocalShareReader } from "../../adapters/local-fs/share-reader";
import { DEFAULTS } from "../../config/settings";
import type { ShareReader } from "../../core/ports/share-reader";
import { applyChangeSet, type ChangeSet } from "../../core/scan/change-set";
import { scanShare } from "../../core/scan/scanner";
import { shareIdOf } from "../../core/scan/share-id";
import type { ScanStats } from "../../core/scan/stats";
import { resolveEnvironment } from "../../local/stack";
import type { WriteResult } from "../../core/ports/node-index";

export interface ScanFlags {
  share?: string;
  dir?: string;
  snapshot?: string;
  json?: boolean;
  concurrency?: number;
}

function positive(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 256) throw new InvalidArgumentError(`must be an integer from 1 to 256 (got "${value}")`);
  return n;
}

/** Adds the options `scan` and `index sync` share. */
export function scanOptions(cmd: Command): Command {
  return cmd
    .option("--share <name>", "a share of the Files account the environment resolves to")
    .option("--dir <path>", "a directory on disk instead (e.g. a mounted share)")
    .option("--json", "print one JSON object with the counts")
    .option("--concurrency <n>", "directory listings in flight (default 8)", positive);
}

function checkTarget(flags: ScanFlags): void {
  if ((flags.share === undefined) === (flags.dir === undefined)) throw new Error("give exactly one of --share NAME or --dir PATH");
  if (flags.dir !== undefined && flags.snapshot !== undefined) throw new Error("--snapshot needs --share: a local directory has no share snapshots");
}

const bytes = (n: number) => (n < 1024 ? `${n} B` : n < 2 ** 20 ? `${(n / 1024).toFixed(1)} KiB` : n < 2 ** 30 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${(n / 2 ** 30).toFixed(2)} GiB`);

function progressLine(s: ScanStats): string {
  return `\rscanning: ${s.dirs} dirs, ${s.files} files, ${bytes(s.bytes)}`;
}

function table(cs: ChangeSet, applied: WriteResult | undefined): string {
  const s = cs.stats;
  const rows: Array<[string, string]> = [
    ["share id", cs.shareId + (cs.snapshot ? ` (snapshot ${cs.snapshot})` : "")],
    ["files", `${s.files} (${bytes(s.bytes)})`],
    ["dirs", String(s.dirs)],
    ["added", String(s.added)],
    ["modified", String(s.modified)],
    ["metadata only", String(s.metadataOnly)],
    ["renamed", String(s.renamed)],
    ["moved", String(s.moved)],
    ["deleted", String(s.deleted)],
    ["to read", bytes(s.candidateBytes)],
    ["errors", String(s.errors.length)],
  ];
  if (applied !== undefined) rows.push(["index writes", `${applied.upserts} upserts, ${applied.deletes} deletes`]);
  return rows.map(([k, v]) => `${k.padEnd(14)} ${v}`).join("\n") + "\n";
}

/** Scans (and with `apply`, writes the changes to the index); prints the result. */
export async function runScan(flags: ScanFlags, apply: boolean): Promise<void> {
  checkTarget(flags);
  const err = (text: string) => process.stderr.write(text);
  const env = await resolveEnvironment({ services: flags.dir !== undefined ? ["cosmos"] : ["files", "cosmos"] });
  let cosmos;
  try {
    err(`afb: environment: ${env.description}\n`);
    let reader: ShareReader;
    let location: string;
    if (flags.dir !== undefined) {
      reader = new LocalShareReader(flags.dir);
      location = `local:${resolve(flags.dir)}`;
    } else {
      const service = createShareServiceClient(filesCredentialsFromSettings(env.lookup));
      reader = AzureShareReader.of(service, flags.share as string, flags.snapshot);
      location = `${service.url.split("?")[0].replace(/\/+$/, "")}/${flags.share}`;
    }
    cosmos = createCosmosClient(env.lookup);
    const index = await CosmosNodeIndex.open({ client: cosmos, database: env.lookup("AFB_COSMOS_DATABASE") ?? DEFAULTS.cosmosDatabase });
    const shareId = shareIdOf(location);
    err(`afb: ${apply ? "syncing" : "scanning"} ${reader.description} against ${index.description} (share id ${shareId})\n`);
    const tty = process.stderr.isTTY === true;
    const cs = await scanShare({
      shareId,
      reader,
      index,
      now: () => Date.now(),
      concurrency: flags.concurrency,
      progressIntervalMs: 250,
      onProgress: tty ? (s) => err(progressLine(s)) : undefined,
    });
    if (tty) err("\n");
    const applied = apply ? await applyChangeSet(index, cs) : undefined;
    for (const p of cs.stats.errors) err(`afb: ${p.path}: ${p.message}\n`);
    if (flags.json) {
      const { errors, ...counts } = cs.stats;
      process.stdout.write(JSON.stringify({ shareId, snapshot: cs.snapshot ?? null, ...counts, errors, ...(applied ? { applied } : {}) }) + "\n");
    } else process.stdout.write(table(cs, applied));
  } finally {
    cosmos?.dispose();
    await env.stop();
  }
}

export function registerScan(program: Command): void {
  scanOptions(program.command("scan").description("Report what changed in a share since the node index was last updated (changes nothing)."))
    .option("--snapshot <id>", "scan this share snapshot instead of the live share")
    .action((flags: ScanFlags) => runScan(flags, false));
}
