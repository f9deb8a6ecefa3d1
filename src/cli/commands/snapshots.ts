/**
 * `afb snapshots [--share NAME | --dir PATH] [--json]`: the snapshots in the repository, oldest first,
 * of one share or of all. Reads the snapshot names (one list call per 5,000) and each manifest.
 * Guarantees: stdout carries only the result (a JSON array with --json, else a table).
 */
import type { Command } from "commander";
import type { SnapshotManifest } from "../../core/repository/model";
import { checkTarget, dirShareKey, openTarget, type TargetFlags } from "./backup-target";
import { formatBytes } from "./backup-progress";

interface SnapshotsFlags extends TargetFlags {
  json?: boolean;
}

interface Row {
  id: string;
  share: string;
  time: string;
  shareSnapshot: string | null;
  files: number;
  dirs: number;
  bytes: number;
  rootTree: string;
  tags: readonly string[];
  unstable: number;
}

function rowOf(id: string, m: SnapshotManifest): Row {
  return {
    id, share: m.share, time: new Date(m.time).toISOString(), shareSnapshot: m.shareSnapshot ?? null,
    files: m.root.totalFiles, dirs: m.root.totalDirectories, bytes: m.root.totalSize, rootTree: m.root.tree,
    tags: m.tags, unstable: m.unstableFiles.length,
  };
}

async function snapshots(flags: SnapshotsFlags): Promise<void> {
  checkTarget(flags, false);
  const target = await openTarget({}, false);
  try {
    // A share name matches its key "<account>.<share>" in whatever account it was backed up from.
    const name = flags.share?.toLowerCase();
    const keep = (share: string) => name === undefined || share === name || share.endsWith(`.${name}`);
    const rows: Row[] = [];
    for await (const ref of target.repository.listSnapshots(flags.dir === undefined ? undefined : dirShareKey(flags.dir))) {
      if (keep(ref.share)) rows.push(rowOf(ref.id, await target.repository.getSnapshot(ref)));
    }
    if (flags.json) {
      process.stdout.write(JSON.stringify(rows) + "\n");
      return;
    }
    const lines = rows.map((r) => [r.id.slice(0, 12), r.time, r.share, `${r.files} files`, formatBytes(r.bytes), r.shareSnapshot === null ? "live" : "snapshot", r.tags.join(",")].join("  "));
    process.stdout.write(lines.length === 0 ? "no snapshots\n" : lines.join("\n") + "\n");
  } finally {
    await target.close();
  }
}

export function registerSnapshots(program: Command): void {
  program
    .command("snapshots")
    .description("List the snapshots in the repository (of one share, or of all).")
    .option("--share <name>", "only snapshots of this share (of any Files account)")
    .option("--dir <path>", "only snapshots of this local directory")
    .option("--json", "print a JSON array")
    .action((flags: SnapshotsFlags) => snapshots(flags));
}
