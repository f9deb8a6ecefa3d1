/**
 * `afb ls SNAPSHOT [PATH] [-l] [--share KEY] [--json]`: the entries of one directory of a snapshot (or
 * one file), read from its trees (one tree per directory on the path). SNAPSHOT as for `afb restore`.
 * Guarantees: stdout carries only the listing (one JSON array with --json); directories first, then
 * files, each sorted by name; names are printed as stored (JSON-quoted when they hold control
 * characters), so a hostile name cannot forge lines.
 */
import type { Command } from "commander";
import { openExistingRepository } from "./open-repository";
import { resolvePath } from "../../core/browse/resolve-path";
import type { DirectoryNode, FileNode } from "../../core/repository/model";
import { formatSmbAttributes } from "../../core/repository/smb-attributes";
import { resolveEnvironment } from "../../local/stack";
import { findSnapshotArg } from "./snapshot-arg";

interface LsFlags {
  long?: boolean;
  share?: string;
  dir?: string;
  json?: boolean;
}

interface Row {
  name: string;
  type: "dir" | "file";
  size: number;
  lastWriteTime: string;
  creationTime: string;
  attributes: string;
  fileId: string;
}

const iso = (micros: number) => new Date(Math.floor(micros / 1000)).toISOString();
// eslint-disable-next-line no-control-regex -- control characters are what must not reach a terminal raw
const printable = (name: string) => (/[\u0000-\u001f\u007f]/.test(name) ? JSON.stringify(name) : name);

function rowOf(n: FileNode | DirectoryNode, type: Row["type"]): Row {
  return { name: n.name, type, size: type === "file" ? (n as FileNode).size : (n as DirectoryNode).totalSize, lastWriteTime: iso(n.lastWriteTime), creationTime: iso(n.creationTime), attributes: formatSmbAttributes(n.attributes), fileId: n.fileId };
}

export async function runLs(snapshot: string, path: string | undefined, flags: LsFlags): Promise<void> {
  const env = await resolveEnvironment({ services: flags.share !== undefined ? ["blob", "files"] : ["blob"] });
  try {
    process.stderr.write(`afb: environment: ${env.description}\n`);
    const repo = await openExistingRepository(env.lookup, "the repository is empty: there is no snapshot to list (run `afb backup` first)");
    const ref = await findSnapshotArg(repo, snapshot, flags, env.lookup);
    const found = await resolvePath(repo, (await repo.getSnapshot(ref)).root, path ?? "");
    const byName = (a: Row, b: Row) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0);
    const rows =
      found.kind === "file"
        ? [rowOf(found.node, "file")]
        : [...found.tree.directories.map((d) => rowOf(d, "dir")).sort(byName), ...found.tree.files.map((f) => rowOf(f, "file")).sort(byName)];
    if (flags.json) {
      process.stdout.write(JSON.stringify(rows) + "\n");
      return;
    }
    const width = Math.max(1, ...rows.map((r) => String(r.size).length));
    const lines = rows.map((r) => {
      const name = printable(r.name) + (r.type === "dir" ? "/" : "");
      return flags.long ? `${r.type === "dir" ? "d" : "-"} ${String(r.size).padStart(width)} ${r.lastWriteTime} ${r.attributes.padEnd(12)} ${name}` : name;
    });
    process.stdout.write(lines.length > 0 ? lines.join("\n") + "\n" : "");
  } finally {
    await env.stop();
  }
}

export function registerLs(program: Command): void {
  program
    .command("ls")
    .description("List a directory (or one file) of a snapshot.")
    .argument("<snapshot>", "snapshot id (or a unique prefix), or `latest` with --share")
    .argument("[path]", "a directory or file, from the share root (default: the root)")
    .option("-l, --long", "type, size (a directory's: everything below it), last write time, attributes")
    .option("--share <name>", "the backed-up share (as `afb backup --share`) the snapshot belongs to; needed with `latest`")
    .option("--dir <path>", "or the backed-up local directory (as `afb backup --dir`)")
    .option("--json", "print one JSON array")
    .action((snapshot: string, path: string | undefined, flags: LsFlags) => runLs(snapshot, path, flags));
}
