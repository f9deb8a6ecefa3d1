/**
 * The `ShareReader` port: read-only access to one file share (Azure Files, or a directory on disk).
 * Guarantees every adapter gives: a listing streams ALL entries of one directory (every page), each
 * with its FileId, which stays the same across renames and moves; times are microseconds since the
 * Unix epoch; errors are the domain errors below (never a raw SDK error, never a secret in a message).
 * Does NOT guarantee a consistent view of a live share across calls: read from a share snapshot for that.
 */

/** A directory or a file. */
export type EntryKind = "file" | "dir";

/** One entry of a directory listing: everything change detection needs, no content. */
export interface ShareEntry {
  readonly name: string;
  /** 64-bit FileId as a decimal string (Azure's form; the inode number on local disks). */
  readonly fileId: string;
  readonly kind: EntryKind;
  /** Content length in bytes; 0 for directories. */
  readonly size: number;
  /** Microseconds since 1970-01-01T00:00:00Z. */
  readonly creationTime: number;
  readonly lastWriteTime: number;
  readonly changeTime: number;
  /** SMB attributes as the service spells them ("Archive|ReadOnly"), or a POSIX mode on local disks. */
  readonly attributes: string;
  /** Key of the entry's security descriptor (resolve with getPermission); "" when the backend has none. */
  readonly permissionKey: string;
  readonly etag: string;
}

/** Options of a ranged read. */
export interface ReadRange {
  readonly offset: number;
  /** Bytes to read; to the end of the file when absent. */
  readonly count?: number;
}

/** A share (or one of its snapshots), read-only. Paths are relative to the share root, "/"-separated, "" = root. */
export interface ShareReader {
  /** What this reader reads, for messages (never contains a secret). */
  readonly description: string;
  /** The share snapshot this reader reads, if any. */
  readonly snapshot: string | undefined;
  /** Properties of one directory (its own FileId etc.); "" is the root. */
  getDirectory(path: string): Promise<ShareEntry>;
  /** Streams every entry of one directory, page after page, in the backend's order. */
  listDirectory(path: string): AsyncIterable<ShareEntry>;
  /** Streams a file's content, whole or a byte range. */
  openFile(path: string, range?: ReadRange): AsyncIterable<Uint8Array>;
  /** The SDDL text of a security descriptor, by the permission key a listing returned. */
  getPermission(permissionKey: string): Promise<string>;
  /** Creates a share snapshot and returns its id (e.g. "2024-01-01T00:00:00.0000000Z"). */
  createSnapshot(): Promise<string>;
  /** Deletes a share snapshot. */
  deleteSnapshot(snapshot: string): Promise<void>;
  /** A reader of the same share as it was at `snapshot`. */
  atSnapshot(snapshot: string): ShareReader;
  /**
   * The user metadata (REST `x-ms-meta-*` name/value pairs) of a file or directory, where the backend
   * has any (Azure Files; a local directory has none and leaves this out). One request per entry:
   * callers ask only for entries whose metadata may have changed.
   */
  getUserMetadata?(path: string, kind: EntryKind): Promise<Record<string, string>>;
}

/** Base of every error a ShareReader raises; `cause` keeps the backend's error. */
export class ShareError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The share (or the snapshot) does not exist. */
export class ShareNotFoundError extends ShareError {}

/** A directory or file does not exist (e.g. deleted while a scan ran). */
export class PathNotFoundError extends ShareError {
  constructor(
    message: string,
    readonly path: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
  }
}

/** The credentials were refused (401/403), or are missing. */
export class ShareAccessDeniedError extends ShareError {}

/** The backend stayed busy or unreachable after its retries (503 storms, timeouts, resets). */
export class ShareUnavailableError extends ShareError {}

/** The backend cannot do what was asked (e.g. snapshots of a local directory). */
export class ShareUnsupportedError extends ShareError {}
