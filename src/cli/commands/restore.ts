/**
 * `afb restore SNAPSHOT [PATH...] (--to-share NAME[/DIR] | --to-dir PATH) [--conflict P] [--json]`:
 * restores a whole snapshot, folders or single files (paths from the share root, any number) into a
 * share (the original or another, created if missing; optionally below a folder) or a local
 * directory. SNAPSHOT is a snapshot id or a unique prefix of it, or `latest` with --share KEY.
 * Guarantees: stdout carries only the result (one JSON object with --json); stderr names the
 * environment and the target (never a secret); nothing is written when a path is unsafe for the
 * target or, under the default --conflict fail, when any target path exists.
 */
import { InvalidArgumentError, type Command } from "commander";
import { openExistingRepository } from "./open-repository";
import { createShareServiceClient, filesCredentialsFromSettings } from "../../adapters/azure-files/client";
import { AzureRestoreTarget } from "../../adapters/azure-files/share-writer";
import { LocalRestoreTarget } from "../../adapters/local-fs/restore-target";
import type { RestoreTarget } from "../../core/ports/share-writer";
import { parseConflictPolicy, type ConflictPolicy } from "../../core/restore/conflicts";
import { nameProblem } from "../../core/restore/path-safety";
import { repositoryContent } from "../../core/restore/chunk-batch";
import { restoreSnapshot, type RestoreResult } from "../../core/restore/restorer";
import { paceGcForStreaming } from "../../config/gc-pacing";
import { resolveEnvironment } from "../../local/stack";
import { findSnapshotArg } from "./snapshot-arg";

export interface RestoreFlags {
  toShare?: string;
  toDir?: string;
  share?: string;
  dir?: string;
  conflict?: ConflictPolicy;
  json?: boolean;
  concurrency?: number;
}

const SHARE_NAME = /^(?=.{3,63}$)[a-z0-9]+(-[a-z0-9]+)*$/;

function positive(value: string): number {
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < 1 || n > 256) throw new InvalidArgumentError(`must be an integer from 1 to 256 (got "${value}")`);
  return n;
}

function conflictOption(value: string): ConflictPolicy {
  try {
    return parseConflictPolicy(value);
  } catch (err) {
    throw new InvalidArgumentError((err as Error).message.replace(/^--conflict /, ""));
  }
}

/** "share/dir/sub" -> share name and folder, both checked. */
export function parseShareTarget(raw: string): { share: string; folder: string } {
  const [share, ...rest] = raw.split("/");
  if (!SHARE_NAME.test(share)) throw new Error(`--to-share: ${JSON.stringify(share)} is not a share name (3-63 lowercase letters, digits and single hyphens)`);
  const segments = rest.filter((s) => s !== "");
  for (const s of segments) {
    const why = nameProblem(s, "smb");
    if (why !== undefined) throw new Error(`--to-share: folder ${JSON.stringify(rest.join("/"))} has ${why}`);
  }
  return { share, folder: segments.join("/") };
}

const bytes = (n: number) => (n < 1024 ? `${n} B` : n < 2 ** 20 ? `${(n / 1024).toFixed(1)} KiB` : n < 2 ** 30 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${(n / 2 ** 30).toFixed(2)} GiB`);

function table(r: RestoreResult, seconds: number): string {
  const rows: Array<[string, string]> = [
    ["files", `${r.files} (${bytes(r.bytes)}, ${bytes(r.bytesWritten)} sent, the rest sparse)`],
    ["directories", `${r.directoriesCreated} created`],
    ["verified", `${r.verified} already restored (size and digest match)`],
    ["skipped", `${r.skipped.length} (exist with other content)`],
    ["overwritten", String(r.overwritten)],
    ["renamed", String(r.renamed.length)],
    ["time", `${seconds.toFixed(1)} s`],
  ];
  return rows.map(([k, v]) => `${k.padEnd(12)} ${v}`).join("\n") + "\n";
}

export async function runRestore(snapshot: string, paths: readonly string[], flags: RestoreFlags): Promise<void> {
  if ((flags.toShare === undefined) === (flags.toDir === undefined)) throw new Error("give exactly one of --to-share NAME[/DIR] or --to-dir PATH");
  const shareTarget = flags.toShare !== undefined ? parseShareTarget(flags.toShare) : undefined;
  paceGcForStreaming();
  const err = (text: string) => process.stderr.write(text);
  const env = await resolveEnvironment({ services: shareTarget || flags.share !== undefined ? ["blob", "files"] : ["blob"] });
  try {
    err(`afb: environment: ${env.description}\n`);
    const repo = await openExistingRepository(env.lookup, "the repository is empty: there is no backup to restore (run `afb backup` first)");
    const ref = await findSnapshotArg(repo, snapshot, flags, env.lookup);
    const manifest = await repo.getSnapshot(ref);
    let target: RestoreTarget;
    if (shareTarget !== undefined) {
      const service = createShareServiceClient(filesCredentialsFromSettings(env.lookup));
      const opened = await AzureRestoreTarget.open(service, shareTarget.share, shareTarget.folder);
      if (opened.createdShare) err(`afb: created share ${shareTarget.share}\n`);
      target = opened.target;
    } else target = await LocalRestoreTarget.open(flags.toDir as string);
    err(`afb: restoring snapshot ${ref.id.slice(0, 12)} of ${ref.share} (${new Date(ref.time).toISOString()})${paths.length ? `, ${paths.length} path(s),` : ""} to ${target.description}\n`);
    const started = Date.now();
    const tty = process.stderr.isTTY === true;
    let last = 0;
    const result = await restoreSnapshot({
      content: repositoryContent(repo),
      root: manifest.root,
      paths,
      target,
      conflict: flags.conflict ?? "fail",
      now: () => Date.now(),
      fileConcurrency: flags.concurrency,
      onProgress: tty
        ? (r) => {
            if (Date.now() - last < 250) return;
            last = Date.now();
            err(`\rrestoring: ${r.files} files, ${bytes(r.bytes)}, ${r.verified} verified`);
          }
        : undefined,
    });
    if (tty) err("\n");
    for (const p of result.skipped) err(`afb: skipped ${p}: it exists with other content\n`);
    const seconds = (Date.now() - started) / 1000;
    if (flags.json) process.stdout.write(JSON.stringify({ snapshot: ref.id, share: ref.share, target: target.description, ...result, seconds }) + "\n");
    else process.stdout.write(table(result, seconds));
  } finally {
    await env.stop();
  }
}

export function registerRestore(program: Command): void {
  program
    .command("restore")
    .description("Restore a snapshot, or some folders and files of it, to a share or a local directory.")
    .argument("<snapshot>", "snapshot id (or a unique prefix), or `latest` with --share")
    .argument("[paths...]", "files or folders to restore, from the share root (default: everything)")
    .option("--to-share <name[/dir]>", "restore into this share (created if missing), optionally below a folder")
    .option("--to-dir <path>", "restore into this local directory (created if missing)")
    .option("--share <name>", "the backed-up share (as `afb backup --share`) the snapshot belongs to; needed with `latest`")
    .option("--dir <path>", "or the backed-up local directory (as `afb backup --dir`)")
    .option("--conflict <policy>", "when a file exists: fail (default, checked before writing), skip, overwrite or rename", conflictOption)
    .option("--json", "print one JSON object with the counts")
    .option("--concurrency <n>", "files in flight (default 8)", positive)
    .action((snapshot: string, paths: string[], flags: RestoreFlags) => runRestore(snapshot, paths, flags));
}
