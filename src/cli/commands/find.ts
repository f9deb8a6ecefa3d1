/**
 * `afb find PATTERN [--share NAME | --dir PATH] [--json]`: which snapshots hold a path matching a glob
 * (core/browse/find.ts: a name glob, or a path glob when it holds "/"), with size and last write
 * time. Guarantees: stdout carries only the result (one JSON array with --json); names with control
 * characters are printed JSON-quoted.
 */
import type { Command } from "commander";
import { openExistingRepository } from "./open-repository";
import { findPaths } from "../../core/browse/find";
import { resolveEnvironment } from "../../local/stack";
import { sourceKeys, type SourceFlags } from "./snapshot-arg";

interface FindFlags extends SourceFlags {
  json?: boolean;
}

// eslint-disable-next-line no-control-regex -- control characters are what must not reach a terminal raw
const shown = (path: string) => (/[\u0000-\u001f\u007f]/.test(path) ? JSON.stringify(path) : path);

export async function runFind(pattern: string, flags: FindFlags): Promise<void> {
  const env = await resolveEnvironment({ services: flags.share !== undefined ? ["blob", "files"] : ["blob"] });
  try {
    process.stderr.write(`afb: environment: ${env.description}\n`);
    const repo = await openExistingRepository(env.lookup, "the repository is empty (run `afb backup` first)");
    const keys = sourceKeys(flags, env.lookup);
    const matches = [];
    for (const key of keys.length === 0 ? [undefined] : keys) {
      const found = await findPaths(repo, pattern, key).catch((err: unknown) => {
        if (key !== undefined && err instanceof Error && /share key must be/.test(err.message)) return [];
        throw err;
      });
      matches.push(...found);
      if (found.length > 0) break;
    }
    const rows = matches.map((m) => ({ snapshot: m.snapshot.id, share: m.snapshot.share, time: new Date(m.snapshot.time).toISOString(), path: m.path, type: m.type, size: m.size, lastWriteTime: new Date(Math.floor(m.lastWriteTime / 1000)).toISOString() }));
    if (flags.json) process.stdout.write(JSON.stringify(rows) + "\n");
    else process.stdout.write(rows.map((r) => `${r.snapshot.slice(0, 12)} ${r.time} ${r.share} ${String(r.size).padStart(12)} ${shown(r.path)}${r.type === "dir" ? "/" : ""}\n`).join(""));
  } finally {
    await env.stop();
  }
}

export function registerFind(program: Command): void {
  program
    .command("find")
    .description("Which snapshots hold a path matching PATTERN (* ? within a name, ** across directories; a pattern with / matches whole paths).")
    .argument("<pattern>", "a glob, e.g. '*.xlsx' or 'finance/**/2025-*.pdf'")
    .option("--share <name>", "only snapshots of this backed-up share (as `afb backup --share`)")
    .option("--dir <path>", "or of this backed-up local directory (as `afb backup --dir`)")
    .option("--json", "print one JSON array")
    .action((pattern: string, flags: FindFlags) => runFind(pattern, flags));
}
