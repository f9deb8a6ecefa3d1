/**
 * `afb index rebuild (--share NAME | --dir PATH) [--json]`: replaces the node index of a share with
 * the records of its latest snapshot (the last written, which the next backup takes as its parent:
 * every file with its fingerprint, every directory with its tree id), so losing the Cosmos account
 * loses nothing: the next backup reads no unchanged content. With no snapshot of the share, the
 * share's index is emptied. Takes the share's backup lock meanwhile.
 */
import type { Command } from "commander";
import { rebuildIndex } from "../../core/backup/index-rebuild";
import { checkTarget, openTarget, type TargetFlags } from "./backup-target";

interface RebuildFlags extends TargetFlags {
  json?: boolean;
}

async function rebuild(flags: RebuildFlags): Promise<void> {
  checkTarget(flags, true);
  const target = await openTarget(flags, true);
  try {
    const share = target.share!;
    const held = await target.lock.acquire(share.key);
    try {
      // The snapshot the next backup takes as its parent (the share's head), so that the two agree.
      const found = await target.repository.latestSnapshot(share.key);
      const latest = found?.ref;
      const result = await rebuildIndex(target.repository, target.index!, share.shareId, found?.manifest);
      const out = { share: share.key, shareId: share.shareId, snapshotId: latest?.id ?? null, ...result };
      process.stdout.write(flags.json ? JSON.stringify(out) + "\n" : `index of ${share.key}: ${result.removed} records removed, ${result.written} written from ${latest === undefined ? "no snapshot (none exists)" : `snapshot ${latest.id.slice(0, 16)}`}\n`);
    } finally {
      await held.release();
    }
  } finally {
    await target.close();
  }
}

export function registerIndexRebuild(program: Command): void {
  const index = program.commands.find((c) => c.name() === "index") ?? program.command("index").description("Work with the node index.");
  index
    .command("rebuild")
    .description("Rebuild the node index of a share from its latest snapshot.")
    .option("--share <name>", "a share of the Files account the environment resolves to")
    .option("--dir <path>", "a local directory")
    .option("--json", "print one JSON object")
    .action((flags: RebuildFlags) => rebuild(flags));
}
