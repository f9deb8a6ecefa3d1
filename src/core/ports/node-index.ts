/**
 * The `NodeIndex` port: the compact per-share index of nodes (files and directories) that change
 * detection compares each directory listing with. A node is filed under its parent directory's FileId,
 * so the children of a directory are one partition and a renamed or moved directory is ONE record
 * re-parented: its subtree stays filed under its own (unchanged) FileId.
 * Guarantees of every adapter: `listChildren` returns exactly the records written under that parent;
 * `write` is a bulk of independent, idempotent operations (an upsert replaces, deleting a missing node
 * succeeds) with no ordering between them; failures are the domain errors below, after the adapter's
 * own retries. Does NOT guarantee atomicity of a bulk: callers order dependent steps (see applyChangeSet).
 */
import type { EntryKind } from "./share-reader";

/** What the index holds about one node: enough to classify the next listing, nothing more. */
export interface NodeRecord {
  /** The node's FileId (decimal). */
  readonly fileId: string;
  /** Its parent directory's FileId; "0" for the share root. */
  readonly parentFileId: string;
  readonly name: string;
  readonly kind: EntryKind;
  /** Bytes; 0 for directories. */
  readonly size: number;
  /** Microseconds since the Unix epoch. */
  readonly lastWriteTime: number;
  /** 32-bit hash of attributes, permission key, creation and change times (metadata-only detection). */
  readonly metaHash: number;
  /** First 8 bytes of the file's content digest as 16 hex digits, once a backup stored the content. */
  readonly fingerprint?: string;
  /** Directories: id of the repository tree that holds this directory, once a backup stored it. */
  readonly treeId?: string;
  /**
   * Directories with a tree id only: the listingDigest of the listing that tree was sealed from. It is
   * written only after every child record matches that listing (updateIndex), and dropped with the
   * tree id, so a listing with this digest lets a scan skip reading the children (ScanState.skipDirectory).
   */
  readonly listing?: string;
}

/** Where a record lives: (share, parent FileId, FileId) is unique. */
export interface NodeKey {
  readonly parentFileId: string;
  readonly fileId: string;
}

export type IndexOp = { readonly op: "upsert"; readonly node: NodeRecord } | ({ readonly op: "delete" } & NodeKey);

/** What a bulk write did, for stats and tests. */
export interface WriteResult {
  readonly upserts: number;
  readonly deletes: number;
}

/** The index of every share; `shareId` keeps shares apart (two shares never share a partition). */
export interface NodeIndex {
  /** What this index is, for messages (never contains a secret). */
  readonly description: string;
  /** Every record whose parent is `parentFileId` (one partition), in no particular order. */
  listChildren(shareId: string, parentFileId: string): AsyncIterable<NodeRecord>;
  /**
   * The directory records with a tree id among the children of `parentFileId` (one partition, no
   * files): what a scan needs below a directory whose listing matches its digest. Optional so that
   * decorators need not forward it; without it the scan reads each child directory by key.
   */
  listSealedChildren?(shareId: string, parentFileId: string): AsyncIterable<NodeRecord>;
  /** One record, or undefined. */
  get(shareId: string, key: NodeKey): Promise<NodeRecord | undefined>;
  /** Every record with this FileId in the share, whatever its parent (a cross-partition lookup; diagnostics and repair). */
  findByFileId(shareId: string, fileId: string): Promise<NodeRecord[]>;
  /**
   * Whether the index holds any record of the share: lets a first scan skip one query per directory.
   * Optional so that decorators need not forward it; without it a scan queries every directory.
   */
  hasShare?(shareId: string): Promise<boolean>;
  /** Applies independent upserts and deletes in bulk. */
  write(shareId: string, ops: readonly IndexOp[]): Promise<WriteResult>;
}

/** Share ids appear inside partition keys: short, and only characters that need no escaping. */
export const SHARE_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;

/** Throws a clear error for a share id the index cannot hold. */
export function assertShareId(shareId: string): void {
  if (!SHARE_ID_PATTERN.test(shareId)) throw new IndexError(`share id ${JSON.stringify(shareId)} is invalid: use 1-64 characters A-Z a-z 0-9 . _ -`);
}

/** Base of every error a NodeIndex raises; `cause` keeps the backend's error. */
export class IndexError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** The database, container or record does not exist (404). */
export class IndexNotFoundError extends IndexError {}
/** A record with this key exists already (409). */
export class IndexConflictError extends IndexError {}
/** A conditional write lost a race (412). */
export class IndexPreconditionFailedError extends IndexError {}
/** Still throttled (429) after the adapter's retries. */
export class IndexThrottledError extends IndexError {}
/** Unreachable, refused credentials, or another failure of the backend. */
export class IndexUnavailableError extends IndexError {}

/** Times are kept within ±2^54 µs of 1970 (years 1399 to 2541): wide enough for Windows' 1601 epoch. */
export const MAX_TIME_MICROS = 2 ** 54;

/** Throws an IndexError naming the first field of `node` an index cannot store. */
export function assertNodeRecord(node: NodeRecord): void {
  const bad = (field: string, why: string): never => {
    throw new IndexError(`node record ${JSON.stringify(node.name)}: ${field} ${why}`);
  };
  const isId = (v: string) => /^[0-9]{1,20}$/.test(v) && BigInt(v) < 2n ** 64n;
  if (!isId(node.fileId)) bad("fileId", `must be a 64-bit decimal FileId, got ${JSON.stringify(node.fileId)}`);
  if (!isId(node.parentFileId)) bad("parentFileId", `must be a 64-bit decimal FileId, got ${JSON.stringify(node.parentFileId)}`);
  if (node.kind !== "file" && node.kind !== "dir") bad("kind", `must be "file" or "dir"`);
  if (!Number.isSafeInteger(node.size) || node.size < 0) bad("size", `must be a non-negative integer, got ${node.size}`);
  if (!Number.isInteger(node.lastWriteTime) || Math.abs(node.lastWriteTime) > MAX_TIME_MICROS) bad("lastWriteTime", `must be an integer number of microseconds within ±2^54 of 1970, got ${node.lastWriteTime}`);
  if (!Number.isInteger(node.metaHash) || node.metaHash < 0 || node.metaHash > 0xffffffff) bad("metaHash", "must be a 32-bit unsigned integer");
  if (node.fingerprint !== undefined && !/^[0-9a-f]{16}$/.test(node.fingerprint)) bad("fingerprint", "must be 16 lowercase hex digits");
  if (node.treeId !== undefined && (node.kind !== "dir" || !/^[A-Za-z0-9_-]{1,64}$/.test(node.treeId))) bad("treeId", "is for directories only, 1-64 characters A-Z a-z 0-9 _ -");
  if (node.listing !== undefined && (node.treeId === undefined || !/^[A-Za-z0-9_-]{22}$/.test(node.listing))) bad("listing", "is for directories with a tree id only, 22 characters A-Z a-z 0-9 _ -");
}
