/**
 * `afb backup (--share NAME | --dir PATH) [--tag T]... [--json]`: one backup of a share (from a share
 * snapshot) or of a local directory (read live), through the environment every command resolves
 * (explicit settings -> running `afb stack up` -> embedded stack, its data under .afb/stack).
 * Guarantees: stdout carries only the result (one JSON object with --json, else a summary table);
 * stderr names the environment and shows progress on a TTY; two backups of one share never run at
 * once (the second fails naming the share).
 */
import { tmpdir } from "node:os";
import { InvalidArgumentError, type Command } from "commander";
import { FileRecordSpool } from "../../adapters/local-fs/record-spool";
import { paceGcForBackup } from "../../config/gc-pacing";
import { runBackup } from "../../core/backup/backup";
import type { BackupSummary } from "../../core/backup/model";
import { checkTarget, openTarget, type TargetFlags } from "./backup-target";
import { formatBytes, progressView } from "./backup-progress";

interface BackupFlags extends TargetFlags {
  tag: string[];
  json?: boolean;
  readConcurrency?: number;
  listConcurrency?: number;
  keepShareSnapshots?: number;
}

function count(min: number, max: number) {
  return (value: string): number => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n < min || n > max) throw new InvalidArgumentError(`must be an integer from ${min} to ${max} (got "${value}")`);
    return n;
  };
}

function tag(value: string, previous: string[]): string[] {
  if (!/^[\x21-\x7e]{1,128}$/.test(value)) throw new InvalidArgumentError(`a tag is 1-128 printable characters without spaces (got ${JSON.stringify(value)})`);
  return [...previous, value];
}

/** The summary table printed without --json. */
export function summaryTable(s: BackupSummary): string {
  const rows: Array<[string, string]> = [
    ["snapshot", s.snapshotId.slice(0, 16)],
    ["share", s.share + (s.shareSnapshot === null ? " (read live)" : ` (share snapshot ${s.shareSnapshot})`)],
    ["files", `${s.files} (${formatBytes(s.bytesScanned)})`],
    ["dirs", String(s.dirs)],
    ["added", String(s.added)],
    ["modified", String(s.modified)],
    ["renamed", String(s.renamed)],
    ["moved", String(s.moved)],
    ["deleted", String(s.deleted)],
    ["bytes read", formatBytes(s.bytesRead)],
    ["bytes new", `${formatBytes(s.bytesNew)} in ${s.chunksNew} chunks, ${s.packsWritten} packs`],
    ["trees written", String(s.treesWritten)],
    ["unstable", String(s.unstable.length)],
    ["duration", `${(s.durationMs / 1000).toFixed(1)} s`],
  ];
  if (s.indexRebuilt) rows.push(["index", "rebuilt from the latest snapshot"]);
  return rows.map(([k, v]) => `${k.padEnd(14)} ${v}`).join("\n") + "\n";
}

async function backup(flags: BackupFlags): Promise<void> {
  checkTarget(flags, true);
  paceGcForBackup();
  const target = await openTarget(flags, true);
  const view = flags.json ? progressView({ isTTY: false } as NodeJS.WriteStream) : progressView();
  try {
    const share = target.share!;
    process.stderr.write(`afb: backing up ${share.reader.description} as ${share.key} (index ${target.index!.description})\n`);
    const summary = await runBackup({
      share: share.key,
      shareId: share.shareId,
      reader: share.reader,
      index: target.index!,
      repository: target.repository,
      recordSpool: () => FileRecordSpool.create(tmpdir()),
      lock: target.lock,
      now: () => Date.now(),
      tags: flags.tag,
      concurrency: { reads: flags.readConcurrency, listings: flags.listConcurrency },
      keepShareSnapshots: flags.keepShareSnapshots,
      progressIntervalMs: 200,
      onProgress: (p) => view.update(p),
    });
    view.stop();
    for (const u of summary.unstable) process.stderr.write(`afb: ${u.path}: ${u.reason} while it was read; not in this snapshot (the next backup takes it)\n`);
    process.stdout.write(flags.json ? JSON.stringify(summary) + "\n" : summaryTable(summary));
  } finally {
    view.stop();
    await target.close();
  }
}

export function registerBackup(program: Command): void {
  program
    .command("backup")
    .description("Back up a share (from a share snapshot) or a local directory (read live) into the repository.")
    .option("--share <name>", "a share of the Files account the environment resolves to")
    .option("--dir <path>", "a directory on disk instead (e.g. a mounted share)")
    .option("--tag <tag>", "a tag to record in the snapshot (repeatable)", tag, [])
    .option("--json", "print one JSON object with the summary")
    .option("--read-concurrency <n>", "files over 1 MiB read at once; 4x as many smaller ones (default 8)", count(1, 256))
    .option("--list-concurrency <n>", "directory listings in flight (default 8)", count(1, 256))
    .option("--keep-share-snapshots <n>", "share snapshots kept after the backup: 1 (default, the latest) or 0", count(0, 1))
    .action((flags: BackupFlags) => backup(flags));
}
