"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.buildProgram = buildProgram;
exports.main = main;
/**
 * The `afb` command: parses arguments and dispatches to one module per command (src/cli/commands).
 * Guarantees: errors print one redacted line on stderr and a non-zero exit code; stdout carries only
 * the command's output (so `--json` output can be piped).
 */
const commander_1 = require("commander");
const redact_1 = require("../core/redact");
const commands_1 = require("./commands");
/** Builds the program; exported so tests can run commands in process. */
function buildProgram() {
    const program = new commander_1.Command("afb")
        .description("Backup for Azure Files shares: incremental, deduplicated, rename-proof.")
        .showHelpAfterError()
        .exitOverride();
    for (const register of commands_1.COMMANDS)
        register(program);
    return program;
}
/** Runs the CLI with `argv` (process.argv form) and resolves to the exit code. */
async function main(argv) {
    const program = buildProgram();
    try {
        await program.parseAsync([...argv]);
        return typeof process.exitCode === "number" ? process.exitCode : 0;
    }
    catch (err) {
        if (err instanceof commander_1.CommanderError) {
            return err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help" ? 0 : err.exitCode || 2;
        }
        process.stderr.write(`afb: ${(0, redact_1.redact)(err instanceof Error ? err.message : String(err))}\n`);
        return 1;
    }
}
//# sourceMappingURL=main.js.map