/**
 * `afb index sync (--share NAME | --dir PATH) [--json]`: scans a share and writes what changed to the
 * node index, in the crash-safe order of applyChangeSet. The backup applies change sets itself, after
 * storing content; this command is for testing and for (re)building an index. Output as `afb scan`,
 * plus the number of index writes.
 */
import type { Command } from "commander";
import { runScan, scanOptions, type ScanFlags } from "./scan";

export function registerIndexSync(program: Command): void {
  const index = program.commands.find((c) => c.name() === "index") ?? program.command("index").description("Work with the node index.");
  scanOptions(index.command("sync").description("Scan a share and apply the changes to the node index.")).action((flags: ScanFlags) => runScan(flags, true));
}
