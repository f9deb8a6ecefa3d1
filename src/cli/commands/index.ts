/**
 * The list of `afb` commands. Each command lives in its own module and adds itself to the program;
 * adding a command is one entry here. A module is loaded only when its command runs (or for help):
 * loading every command's SDKs and the local stack cost ~0.6 s per invocation, more than restic's
 * whole unchanged incremental backup.
 */
import type { Command } from "commander";

/** A module's hook that adds its command(s) to the program. */
export type RegisterCommand = (program: Command) => void;

/** The top-level word a command is invoked by, and how to load the module that registers it. */
export interface CommandEntry {
  readonly name: string;
  readonly load: () => Promise<RegisterCommand>;
}

export const COMMANDS: readonly CommandEntry[] = [
  { name: "stack", load: async () => (await import("./stack")).registerStack },
  { name: "scan", load: async () => (await import("./scan")).registerScan },
  { name: "index", load: async () => (await import("./index-sync")).registerIndexSync },
  { name: "backup", load: async () => (await import("./backup")).registerBackup },
  { name: "snapshots", load: async () => (await import("./snapshots")).registerSnapshots },
  { name: "index", load: async () => (await import("./index-rebuild")).registerIndexRebuild },
  { name: "restore", load: async () => (await import("./restore")).registerRestore },
  { name: "ls", load: async () => (await import("./ls")).registerLs },
  { name: "diff", load: async () => (await import("./diff")).registerDiff },
  { name: "stats", load: async () => (await import("./stats")).registerStats },
  { name: "history", load: async () => (await import("./history")).registerHistory },
  { name: "check", load: async () => (await import("./check")).registerCheck },
  { name: "find", load: async () => (await import("./find")).registerFind },
];

/**
 * The entries to load for `args` (the arguments after the program name): those of the command named
 * by the first word, or all of them when no known command is named (help, a typo: commander then
 * lists every command or suggests the closest one).
 */
export function commandsFor(args: readonly string[]): readonly CommandEntry[] {
  const word = args.find((a) => !a.startsWith("-"));
  const named = COMMANDS.filter((c) => c.name === word);
  return named.length > 0 ? named : COMMANDS;
}
