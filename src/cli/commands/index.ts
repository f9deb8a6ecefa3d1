/**
 * The list of `afb` commands. Each command lives in its own module and adds itself to the program;
 * adding a command is one line here.
 */
import type { Command } from "commander";
import { registerStack } from "./stack";
import { registerScan } from "./scan";
import { registerIndexSync } from "./index-sync";
import { registerBackup } from "./backup";
import { registerSnapshots } from "./snapshots";
import { registerIndexRebuild } from "./index-rebuild";
import { registerRestore } from "./restore";

/** A module's hook that adds its command(s) to the program. */
export type RegisterCommand = (program: Command) => void;

export const COMMANDS: readonly RegisterCommand[] = [
  registerStack,
  registerScan,
  registerIndexSync,
  registerBackup,
  registerSnapshots,
  registerIndexRebuild,
  registerRestore,
];
