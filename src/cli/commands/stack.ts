/**
 * `afb stack up`: runs the local Azure stack (Azurite blob/queue/table, the Azure Files emulator,
 * cosmosdb-server) in this process until SIGINT or SIGTERM, then stops every server and exits 0.
 * Guarantees: with --json, stdout carries exactly one JSON line (the settings) and nothing else; logs
 * go to stderr. While serving, DIR/stack.json announces the stack to other `afb` commands; it is
 * removed on stop. A busy port fails with an error naming the port and the service.
 */
import { InvalidArgumentError, type Command } from "commander";
import { relative, resolve } from "node:path";
import {
  DEFAULT_STACK_DIR,
  endpointsOf,
  findRunningStack,
  removeStackFile,
  startLocalStack,
  takeDataLock,
  toProductSettings,
  writeStackFile,
  type LocalStack,
  type StackService,
} from "../../local/stack";

interface StackUpFlags {
  data?: string;
  json?: boolean;
  host?: string;
  blobPort?: number;
  queuePort?: number;
  tablePort?: number;
  filesPort?: number;
  cosmosPort?: number;
}

/** Where output goes and what ends the run; the command wires in process.stdout/stderr and signals. */
export interface StackUpIo {
  readonly out: (text: string) => void;
  readonly err: (text: string) => void;
  /** Resolves when the stack should stop (with the reason, for the log line). */
  readonly stopRequested: Promise<string>;
}

function portOption(flag: string): (value: string) => number {
  return (value) => {
    const n = Number(value);
    if (!/^\d+$/.test(value) || n > 65535) throw new InvalidArgumentError(`${flag} must be a port number from 0 to 65535 (got "${value}")`);
    return n;
  };
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function humanLines(stack: LocalStack, shownDir: string): string {
  const lines = [`# Local Azure stack (data in ${shownDir}); Ctrl-C stops it. Settings for afb and the Functions app:`];
  for (const [name, value] of Object.entries(toProductSettings(stack.settings))) lines.push(`export ${name}=${shellQuote(value)}`);
  const s = stack.settings;
  lines.push(`# blob    ${endpointsOf(s.blob).BlobEndpoint}`);
  lines.push(`# queue   ${endpointsOf(s.queue).QueueEndpoint}`);
  lines.push(`# table   ${endpointsOf(s.table).TableEndpoint}`);
  lines.push(`# files   ${endpointsOf(s.files).FileEndpoint}`);
  lines.push(`# cosmos  ${s.cosmos.endpoint}  (certificate: ${s.cosmos.caCert}; data saved on a clean stop only)`);
  return `${lines.join("\n")}\n`;
}

/** Runs the stack until io.stopRequested resolves; resolves once every server is stopped. */
export async function stackUp(flags: StackUpFlags, io: StackUpIo, cwd: string = process.cwd()): Promise<void> {
  const dataDir = resolve(cwd, flags.data ?? DEFAULT_STACK_DIR);
  const shownDir = relative(cwd, dataDir) || ".";
  const running = await findRunningStack(dataDir);
  if (running !== undefined) throw new Error(`a local stack is already running from ${shownDir} (pid ${running.pid}); other afb commands use it as it is`);
  const release = takeDataLock(dataDir);
  const ports: Partial<Record<StackService, number>> = {
    blob: flags.blobPort,
    queue: flags.queuePort,
    table: flags.tablePort,
    files: flags.filesPort,
    cosmos: flags.cosmosPort,
  };
  let stack: LocalStack;
  const t0 = performance.now();
  try {
    stack = await startLocalStack({ dataDir, host: flags.host, ports: Object.fromEntries(Object.entries(ports).filter(([, p]) => p !== undefined)) });
  } catch (err) {
    release();
    throw err;
  }
  try {
    writeStackFile(dataDir, { pid: process.pid, settings: stack.settings });
    io.err(`afb: local stack up in ${Math.round(performance.now() - t0)} ms (data in ${shownDir}); Ctrl-C or SIGTERM stops it\n`);
    io.out(flags.json === true ? `${JSON.stringify(stack.settings)}\n` : humanLines(stack, shownDir));
    const reason = await io.stopRequested;
    io.err(`afb: ${reason}: stopping the local stack\n`);
  } finally {
    removeStackFile(dataDir);
    try {
      await stack.stop();
    } finally {
      release();
    }
  }
  io.err("afb: local stack stopped\n");
}

/** `stopped` resolves on the first SIGINT/SIGTERM; a second one while stopping exits at once. */
function watchSignals(): { stopped: Promise<string>; dispose(): void } {
  let seen = false;
  let onSignal: (signal: NodeJS.Signals) => void = () => undefined;
  const stopped = new Promise<string>((resolveStop) => {
    onSignal = (signal) => {
      if (seen) {
        process.stderr.write(`afb: ${signal} again: exiting without a clean stop\n`);
        process.exit(130);
      }
      seen = true;
      resolveStop(`${signal} received`);
    };
  });
  process.on("SIGINT", onSignal);
  process.on("SIGTERM", onSignal);
  return {
    stopped,
    dispose: () => {
      process.off("SIGINT", onSignal);
      process.off("SIGTERM", onSignal);
    },
  };
}

export function registerStack(program: Command): void {
  const stack = program.command("stack").description("The local Azure stack: Azurite, the Azure Files emulator and a Cosmos DB server.");
  stack
    .command("up")
    .description("Run the local Azure stack in this process until Ctrl-C / SIGTERM.")
    .option("--data <dir>", `data folder (default ${DEFAULT_STACK_DIR} under the current folder)`)
    .option("--json", "print the settings as one JSON line on stdout, nothing else")
    .option("--host <host>", "address to listen on (default 127.0.0.1)")
    .option("--blob-port <n>", "Azurite blob port (default 10000; 0 = any free port)", portOption("--blob-port"))
    .option("--queue-port <n>", "Azurite queue port (default 10001)", portOption("--queue-port"))
    .option("--table-port <n>", "Azurite table port (default 10002)", portOption("--table-port"))
    .option("--files-port <n>", "Azure Files emulator port (default 10004)", portOption("--files-port"))
    .option("--cosmos-port <n>", "Cosmos DB server port (default 8081)", portOption("--cosmos-port"))
    .action(async (flags: StackUpFlags) => {
      // Listening from the start: a Ctrl-C during startup stops the stack as soon as it is up.
      const signals = watchSignals();
      try {
        await stackUp(flags, { out: (t) => process.stdout.write(t), err: (t) => process.stderr.write(t), stopRequested: signals.stopped });
      } finally {
        signals.dispose();
      }
    });
}
