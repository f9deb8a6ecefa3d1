/**
 * `afb history (--share NAME | --dir PATH) FILE [--json]`: every version of one file across the
 * snapshots of a share, following renames and moves by FileId (core/browse/history.ts: each step back
 * reads only the trees on the file's path whose ids changed, not every snapshot in full). FILE is its
 * path in the newest snapshot that has it. Guarantees: stdout carries only the result.
 */
import type { Command } from "commander";
import { openExistingRepository } from "./open-repository";
import { fileHistory } from "../../core/browse/history";
import { resolveEnvironment } from "../../local/stack";
import { sourceKeys, type SourceFlags } from "./snapshot-arg";

interface HistoryFlags extends SourceFlags {
  json?: boolean;
}

// eslint-disable-next-line no-control-regex -- control characters are what must not reach a terminal raw
const shown = (path: string) => (/[\u0000-\u001f\u007f]/.test(path) ? JSON.stringify(path) : path);

export async function runHistory(path: string, flags: HistoryFlags): Promise<void> {
  if ((flags.share === undefined) === (flags.dir === undefined)) throw new Error("give exactly one of --share NAME or --dir PATH: whose file?");
  const env = await resolveEnvironment({ services: flags.share !== undefined ? ["blob", "files"] : ["blob"] });
  try {
    process.stderr.write(`afb: environment: ${env.description}\n`);
    const repo = await openExistingRepository(env.lookup, "the repository is empty (run `afb backup` first)");
    let share: string | undefined;
    for (const key of sourceKeys(flags, env.lookup)) {
      let any = false;
      try {
        for await (const _ of repo.listSnapshots(key)) {
          any = true;
          break;
        }
      } catch {
        continue;
      }
      if (any) {
        share = key;
        break;
      }
    }
    if (share === undefined) throw new Error(`there is no snapshot of ${flags.share !== undefined ? `share ${flags.share}` : `directory ${flags.dir}`}`);
    const versions = await fileHistory(repo, share, path);
    if (flags.json) {
      const rows = versions.map((v) => ({ snapshot: v.snapshot.id, time: new Date(v.snapshot.time).toISOString(), path: v.path, event: v.event, size: v.size, digest: v.digest, fileId: v.fileId, lastWriteTime: new Date(Math.floor(v.lastWriteTime / 1000)).toISOString() }));
      process.stdout.write(JSON.stringify(rows) + "\n");
      return;
    }
    const lines = versions.map((v) => `${v.snapshot.id.slice(0, 12)} ${new Date(v.snapshot.time).toISOString()} ${v.event.padEnd(9)} ${String(v.size).padStart(12)} ${shown(v.path)}`);
    process.stdout.write(lines.join("\n") + "\n");
  } finally {
    await env.stop();
  }
}

export function registerHistory(program: Command): void {
  program
    .command("history")
    .description("Every version of one file across the snapshots of a share, following renames and moves.")
    .argument("<file>", "the file's path (in the newest snapshot that has it), from the share root")
    .option("--share <name>", "the backed-up share (as `afb backup --share`)")
    .option("--dir <path>", "or the backed-up local directory (as `afb backup --dir`)")
    .option("--json", "print one JSON array")
    .action((file: string, flags: HistoryFlags) => runHistory(file, flags));
}
