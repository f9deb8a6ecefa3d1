/**
 * `afb check [--read-data | --read-data-subset PCT] [--json]`: verifies the repository's structure
 * (packs, chunk index, every snapshot's trees, permissions and chunks) and, with read-data, re-hashes
 * every chunk (or those of a random PCT% of the packs). Guarantees: exit code 1 when anything is
 * wrong, each problem naming the object and the snapshots and files affected; stdout carries only the
 * result (one JSON object with --json).
 */
import { InvalidArgumentError, type Command } from "commander";
import { openExistingRepository } from "./open-repository";
import { checkRepository } from "../../core/check/check";
import { resolveEnvironment } from "../../local/stack";

interface CheckFlags {
  readData?: boolean;
  readDataSubset?: number;
  json?: boolean;
}

function percent(value: string): number {
  const n = Number(value.replace(/%$/, ""));
  if (!Number.isFinite(n) || n <= 0 || n > 100) throw new InvalidArgumentError(`must be a percentage above 0 and at most 100 (got "${value}")`);
  return n;
}

export async function runCheck(flags: CheckFlags): Promise<void> {
  if (flags.readData && flags.readDataSubset !== undefined) throw new Error("give at most one of --read-data and --read-data-subset");
  const env = await resolveEnvironment({ services: ["blob"] });
  try {
    process.stderr.write(`afb: environment: ${env.description}\n`);
    const repo = await openExistingRepository(env.lookup, "the repository is empty: nothing to check (run `afb backup` first)");
    const fraction = flags.readData ? 1 : flags.readDataSubset !== undefined ? flags.readDataSubset / 100 : 0;
    const report = await checkRepository(repo, { readDataFraction: fraction, random: Math.random });
    if (flags.json) process.stdout.write(JSON.stringify(report) + "\n");
    else {
      const summary = `${report.snapshots} snapshot(s), ${report.trees} tree(s), ${report.packs} pack(s) with ${report.chunks} chunk(s)${report.packsRead > 0 ? `, ${report.packsRead} pack(s) re-hashed` : ""}: `;
      process.stdout.write(summary + (report.problems.length === 0 ? "no problem found\n" : `${report.problems.length} problem(s)\n${report.problems.map((p) => `  ${p}`).join("\n")}\n`));
    }
    if (report.problems.length > 0) process.exitCode = 1;
  } finally {
    await env.stop();
  }
}

export function registerCheck(program: Command): void {
  program
    .command("check")
    .description("Verify the repository: packs, chunk index, every snapshot's trees, permissions and chunks; with --read-data, every chunk's bytes.")
    .option("--read-data", "also re-hash every chunk (reads every pack)")
    .option("--read-data-subset <pct>", "re-hash the chunks of a random PCT% of the packs", percent)
    .option("--json", "print one JSON object")
    .action((flags: CheckFlags) => runCheck(flags));
}
