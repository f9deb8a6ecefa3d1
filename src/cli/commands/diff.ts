/**
 * `afb diff SNAP_A SNAP_B [--share NAME | --dir PATH] [--json]`: what changed from one snapshot to
 * another (added, removed, modified, metadata-only, renamed and moved by FileId), from their trees;
 * unchanged subtrees are not read. Snapshots as for `afb restore`. Guarantees: stdout carries only the
 * result (one JSON object with --json); names with control characters are printed JSON-quoted.
 */
import type { Command } from "commander";
import { openExistingRepository } from "./open-repository";
import { diffSnapshots, type SnapshotDiff } from "../../core/browse/diff";
import { resolveEnvironment } from "../../local/stack";
import { findSnapshotArg, type SourceFlags } from "./snapshot-arg";

interface DiffFlags extends SourceFlags {
  json?: boolean;
}

// eslint-disable-next-line no-control-regex -- control characters are what must not reach a terminal raw
const shown = (path: string) => (/[\u0000-\u001f\u007f]/.test(path) ? JSON.stringify(path) : path);

function lines(d: SnapshotDiff): string[] {
  const slash = (type: string) => (type === "dir" ? "/" : "");
  return [
    ...d.added.map((e) => `+ ${shown(e.path)}${slash(e.type)}`),
    ...d.removed.map((e) => `- ${shown(e.path)}${slash(e.type)}`),
    ...d.modified.map((e) => `M ${shown(e.path)} (${e.sizeBefore} -> ${e.sizeAfter} bytes)`),
    ...d.metadataOnly.map((e) => `U ${shown(e.path)}${slash(e.type)} (${e.changed.join(", ")})`),
    ...d.renamed.map((e) => `R ${shown(e.from)}${slash(e.type)} -> ${shown(e.to)}${slash(e.type)}`),
    ...d.moved.map((e) => `V ${shown(e.from)}${slash(e.type)} -> ${shown(e.to)}${slash(e.type)}`),
  ];
}

export async function runDiff(a: string, b: string, flags: DiffFlags): Promise<void> {
  const env = await resolveEnvironment({ services: flags.share !== undefined ? ["blob", "files"] : ["blob"] });
  try {
    process.stderr.write(`afb: environment: ${env.description}\n`);
    const repo = await openExistingRepository(env.lookup, "the repository is empty: there are no snapshots to compare (run `afb backup` first)");
    const [refA, refB] = [await findSnapshotArg(repo, a, flags, env.lookup), await findSnapshotArg(repo, b, flags, env.lookup)];
    const d = await diffSnapshots(repo, (await repo.getSnapshot(refA)).root, (await repo.getSnapshot(refB)).root);
    if (flags.json) {
      process.stdout.write(JSON.stringify({ from: refA.id, to: refB.id, ...d }) + "\n");
      return;
    }
    const out = lines(d);
    const counts = `${d.added.length} added, ${d.removed.length} removed, ${d.modified.length} modified, ${d.metadataOnly.length} metadata only, ${d.renamed.length} renamed, ${d.moved.length} moved`;
    process.stdout.write([...out, counts].join("\n") + "\n");
  } finally {
    await env.stop();
  }
}

export function registerDiff(program: Command): void {
  program
    .command("diff")
    .description("Show what changed between two snapshots (+ added, - removed, M modified, U metadata only, R renamed, V moved).")
    .argument("<snapshot-a>", "the older snapshot: id (or a unique prefix), or `latest` with --share/--dir")
    .argument("<snapshot-b>", "the newer snapshot")
    .option("--share <name>", "the backed-up share (as `afb backup --share`) both snapshots belong to")
    .option("--dir <path>", "or the backed-up local directory (as `afb backup --dir`)")
    .option("--json", "print one JSON object")
    .action((a: string, b: string, flags: DiffFlags) => runDiff(a, b, flags));
}
