/**
 * Starts the Azure Files emulator (src/local/files-emulator) for the stack. It is loaded on demand so a
 * stack without "files" does not pay for loading it. Guarantees: a busy port fails with an error
 * naming the port and the service.
 */
import type { FaultOptions, FilesEmulator } from "../files-emulator";
import { listenError } from "./listen-error";

export type { FaultOptions } from "../files-emulator";

/** What the stack hands out of a started Files emulator. */
export type FilesEmulatorHandle = FilesEmulator;

export interface FilesServerOptions {
  readonly host: string;
  /** 0 = ephemeral. */
  readonly port: number;
  readonly dataDir: string;
  readonly faults?: FaultOptions;
}

/** Starts the emulator and resolves once it listens. */
export async function startFilesServer(options: FilesServerOptions): Promise<FilesEmulatorHandle> {
  const { startFilesEmulator } = await import("../files-emulator");
  try {
    return await startFilesEmulator({ dataDir: options.dataDir, host: options.host, port: options.port, faults: options.faults });
  } catch (err) {
    throw listenError(err, "the Azure Files emulator", options.host, options.port);
  }
}
