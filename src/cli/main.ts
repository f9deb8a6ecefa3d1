/**
 * The `afb` command: parses arguments and dispatches to one module per command (src/cli/commands).
 * Guarantees: errors print one redacted line on stderr and a non-zero exit code; stdout carries only
 * the command's output (so `--json` output can be piped).
 */
import { Command, CommanderError } from "commander";
import { redact } from "../core/redact";
import { commandsFor } from "./commands";

/**
 * Builds the program with the commands `args` (arguments after the program name) may run: only the
 * named command's module is loaded, all of them for help or an unknown word.
 */
export async function buildProgram(args: readonly string[]): Promise<Command> {
  const program = new Command("afb")
    .description("Backup for Azure Files shares: incremental, deduplicated, rename-proof.")
    .showHelpAfterError()
    .exitOverride();
  for (const entry of commandsFor(args)) (await entry.load())(program);
  return program;
}

/** Runs the CLI with `argv` (process.argv form) and resolves to the exit code. */
export async function main(argv: readonly string[]): Promise<number> {
  try {
    const program = await buildProgram(argv.slice(2));
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
