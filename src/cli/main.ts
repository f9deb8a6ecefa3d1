/**
 * The `afb` command: parses arguments and dispatches to one module per command (src/cli/commands).
 * Guarantees: errors print one redacted line on stderr and a non-zero exit code; stdout carries only
 * the command's output (so `--json` output can be piped).
 */
import { Command, CommanderError } from "commander";
import { redact } from "../core/redact";
import { COMMANDS } from "./commands";

/** Builds the program; exported so tests can run commands in process. */
export function buildProgram(): Command {
  const program = new Command("afb")
    .description("Backup for Azure Files shares: incremental, deduplicated, rename-proof.")
    .showHelpAfterError()
    .exitOverride();
  for (const register of COMMANDS) register(program);
  return program;
}

/** Runs the CLI with `argv` (process.argv form) and resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help" ? 0 : err.exitCode || 2;
    }
    process.stderr.write(`afb: ${redact(err instanceof Error ? err.message : String(err))}\n`);
    return 1;
  }
}
