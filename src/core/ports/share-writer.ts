/**
 * The `RestoreTarget` port: where a restore writes (an Azure Files share or folder, or a directory on
 * disk). Paths are relative to the target's root, "/"-separated, "" = the root; the restorer checks
 * every name (path-safety.ts) before an adapter sees it, and adapters check again what only they can
 * (a local adapter refuses symbolic links already present in the target).
 *
 * Guarantees every adapter gives:
 *  - A file is written under a temporary name in its final directory and moved to its final name only
 *    by `FileSink.complete`, after its bytes AND its properties: a file that has its final name is
 *    complete. A rerun finds leftover temporary files under the same names and replaces them.
 *  - Properties (attributes, times, permission, metadata) are applied after the content, so the
 *    writes do not change them afterwards.
 *  - A new file is zero-filled (sparse where the backend can): ranges never written read as zeros.
 *  - Errors are RestoreTargetError (or a subclass), with the backend's error as `cause`, no secret.
 * Not guaranteed: that a concurrent writer in the target does not change a path between a check and
 * a write.
 */
import type { HexHash } from "../repository/model";

/** What is at a path of the target; a symbolic link (never followed) or anything else is "other". */
export type TargetKind = "file" | "dir" | "other";

export interface TargetEntry {
  readonly name: string;
  readonly kind: TargetKind;
  readonly size: number;
}

/** Which names the target can hold: SMB (Azure Files) or a POSIX file system. */
export type NameRules = "smb" | "posix";

/** Properties restored onto a file or a directory (times in microseconds since the Unix epoch). */
export interface RestoreProperties {
  /** SMB attribute bits (src/core/repository/smb-attributes.ts). */
  readonly attributes: number;
  readonly creationTime: number;
  readonly lastWriteTime: number;
  readonly lastAccessTime: number;
  /** The security descriptor and its repository id (adapters cache what they made of it by id). */
  readonly permission?: { readonly id: HexHash; readonly sddl: string };
  readonly userMetadata: Readonly<Record<string, string>>;
}

/** A file being written under its temporary name. */
export interface FileSink {
  /**
   * Writes `data` at `offset`; calls may overlap in time but never in bytes. The caller does not reuse
   * `data` afterwards, so a sink may hold it until `complete` (small files are sent all at once).
   */
  write(offset: number, data: Buffer): Promise<void>;
  /**
   * Optional: writes `parts`, one after the other, from `offset` (same rules as `write`), in one
   * operation where the backend can (pwritev); lets the restore write chunks without copying them.
   */
  writev?(offset: number, parts: readonly Buffer[]): Promise<void>;
  /** Applies `props`, then gives the file its final name; `replace` allows replacing an existing file. */
  complete(props: RestoreProperties, replace: boolean): Promise<void>;
  /** Removes the temporary file (after a failure). */
  discard(): Promise<void>;
}

export interface RestoreTarget {
  /** For messages; never contains a secret. */
  readonly description: string;
  readonly nameRules: NameRules;
  /** Largest single write the backend accepts (Azure Files: 4 MiB). */
  readonly maxWriteBytes: number;
  /** The entries of a directory, or undefined when it does not exist. */
  list(dir: string): Promise<TargetEntry[] | undefined>;
  /** What is at `path`, or undefined. */
  stat(path: string): Promise<TargetEntry | undefined>;
  /** Creates a directory with `props` (true), or finds one there already (false); anything else at `path` is an error. */
  makeDirectory(path: string, props: RestoreProperties): Promise<boolean>;
  setDirectoryProperties(path: string, props: RestoreProperties): Promise<void>;
  /** Starts a file of `size` bytes that `complete` will name `path`. */
  beginFile(path: string, size: number): Promise<FileSink>;
  /** Streams a file's bytes (to verify a file already there). */
  readFile(path: string): AsyncIterable<Uint8Array>;
}

/** A failed target operation. */
export class RestoreTargetError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The target holds something that makes the write unsafe or impossible (a symlink, a file where a directory goes). */
export class UnsafeTargetError extends RestoreTargetError {}

/** The final name of a file exists and replacing it was not allowed. */
export class TargetExistsError extends RestoreTargetError {}
