/**
 * `afb stats [SNAPSHOT] [--share NAME | --dir PATH] [--json]`: with a snapshot, its files, directories,
 * logical size, distinct chunks and their bytes, and dedup ratio (from its trees); without, the
 * repository's snapshots, logical size, packs, stored size and dedup ratio (from blob names and
 * manifests). Guarantees: stdout carries only the result (one JSON object with --json).
 */
import type { Command } from "commander";
import { openExistingRepository } from "./open-repository";
import { repositoryStats, snapshotStats } from "../../core/browse/stats";
import { resolveEnvironment } from "../../local/stack";
import { findSnapshotArg, type SourceFlags } from "./snapshot-arg";

interface StatsFlags extends SourceFlags {
  json?: boolean;
}

const bytes = (n: number) => (n < 1024 ? `${n} B` : n < 2 ** 20 ? `${(n / 1024).toFixed(1)} KiB` : n < 2 ** 30 ? `${(n / 2 ** 20).toFixed(1)} MiB` : `${(n / 2 ** 30).toFixed(2)} GiB`);

export async function runStats(snapshot: string | undefined, flags: StatsFlags): Promise<void> {
  const env = await resolveEnvironment({ services: flags.share !== undefined ? ["blob", "files"] : ["blob"] });
  try {
    process.stderr.write(`afb: environment: ${env.description}\n`);
    const repo = await openExistingRepository(env.lookup, "the repository is empty (run `afb backup` first)");
    let result: Record<string, number | string>;
    let rows: Array<[string, string]>;
    if (snapshot !== undefined) {
      const ref = await findSnapshotArg(repo, snapshot, flags, env.lookup);
      const s = await snapshotStats(repo, (await repo.getSnapshot(ref)).root);
      result = { snapshot: ref.id, share: ref.share, ...s };
      rows = [["snapshot", `${ref.id.slice(0, 16)} (${ref.share})`], ["files", String(s.files)], ["directories", String(s.directories)], ["logical size", bytes(s.logicalBytes)], ["chunks", `${s.chunks} (${bytes(s.chunkBytes)})`], ["dedup ratio", s.dedupRatio.toFixed(2)]];
    } else {
      const s = await repositoryStats(repo);
      result = { ...s };
      rows = [["snapshots", `${s.snapshots} of ${s.shares} share(s)`], ["logical size", bytes(s.logicalBytes)], ["packs", String(s.packs)], ["stored size", bytes(s.storedBytes)], ["dedup ratio", s.dedupRatio.toFixed(2)]];
    }
    process.stdout.write(flags.json ? JSON.stringify(result) + "\n" : rows.map(([k, v]) => `${k.padEnd(13)} ${v}`).join("\n") + "\n");
  } finally {
    await env.stop();
  }
}

export function registerStats(program: Command): void {
  program
    .command("stats")
    .description("Sizes and dedup ratio of a snapshot, or of the whole repository.")
    .argument("[snapshot]", "snapshot id (or a unique prefix), or `latest` with --share/--dir; none = the repository")
    .option("--share <name>", "the backed-up share (as `afb backup --share`) the snapshot belongs to")
    .option("--dir <path>", "or the backed-up local directory (as `afb backup --dir`)")
    .option("--json", "print one JSON object")
    .action((snapshot: string | undefined, flags: StatsFlags) => runStats(snapshot, flags));
}
