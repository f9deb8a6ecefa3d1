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
import { registerLs } from "./ls";
import { registerDiff } from "./diff";
import { registerStats } from "./stats";
import { registerHistory } from "./history";
import { registerCheck } from "./check";
import { registerFind } from "./find";

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
  registerLs,
  registerDiff,
  registerStats,
  registerHistory,
  registerCheck,
  registerFind,
];
