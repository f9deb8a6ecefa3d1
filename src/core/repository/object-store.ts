/**
 * The ObjectStore port: the few operations the repository needs from a blob store. Adapters: the
 * Azure Blob one (src/adapters/blob) and an in-memory one (src/adapters/memory); both pass the same
 * conformance suite (test/unit/repository/object-store.conformance.ts).
 *
 * Contract: keys are '/'-separated names; `put` replaces atomically (a reader sees the old or the new
 * bytes, never a mix) and, with `ifNoneMatch`, creates only (AlreadyExistsError if the key exists);
 * `get` streams the object or a byte range of it (NotFoundError, or StoreError "InvalidRange" when
 * the range starts past the end; a range running past the end is cut short); `list` returns keys
 * with a prefix in ascending order, one page at a time; `delete` says whether something was deleted.
 * `put` does not keep `data` once it settles: the pack writer reuses the buffer for its next pack.
 */
import { StoreError } from "./errors";

export interface ObjectInfo {
  readonly key: string;
  readonly size: number;
  readonly etag: string;
}

export interface ByteRange {
  readonly offset: number;
  /** Absent: to the end of the object. */
  readonly length?: number;
}

export interface PutOptions {
  /** Create only: fail with AlreadyExistsError when the key exists (If-None-Match: *). */
  readonly ifNoneMatch?: boolean;
}

export interface ListOptions {
  /** At most this many items per page (default and maximum 5000). */
  readonly pageSize?: number;
  /** The `continuation` of the previous page. */
  readonly continuation?: string;
}

export interface ListPage {
  readonly items: readonly ObjectInfo[];
  /** Absent on the last page. */
  readonly continuation?: string;
}

export interface ObjectStore {
  put(key: string, data: Uint8Array, options?: PutOptions): Promise<ObjectInfo>;
  get(key: string, range?: ByteRange): Promise<AsyncIterable<Buffer>>;
  head(key: string): Promise<ObjectInfo | undefined>;
  list(prefix: string, options?: ListOptions): Promise<ListPage>;
  delete(key: string): Promise<boolean>;
}

export const MAX_LIST_PAGE = 5000;

/** Throws a clear error for keys no adapter should accept (empty, absolute, '..', '\\', too long). */
export function validateKey(key: string): void {
  const bad =
    typeof key !== "string" ||
    key.length === 0 ||
    key.length > 1024 ||
    key.startsWith("/") ||
    key.endsWith("/") ||
    key.includes("\\") ||
    key.split("/").some((part) => part === "" || part === "." || part === "..");
  if (bad) throw new StoreError("InvalidRequest", `invalid object key ${JSON.stringify(key)}: use non-empty '/'-separated names without '.', '..' or '\\'`);
}

/** Throws for ranges that are not non-negative integers. */
export function validateRange(range: ByteRange | undefined): void {
  if (range === undefined) return;
  const ok = Number.isSafeInteger(range.offset) && range.offset >= 0 && (range.length === undefined || (Number.isSafeInteger(range.length) && range.length > 0));
  if (!ok) throw new StoreError("InvalidRequest", `invalid byte range ${JSON.stringify(range)}: offset >= 0 and length > 0 must be integers`);
}

/** Reads a whole object (or range) into one Buffer: for objects known to be small (packs, trees). */
export async function readAll(store: ObjectStore, key: string, range?: ByteRange): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const part of await store.get(key, range)) parts.push(part);
  return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}

/** Every object under `prefix`, page by page. */
export async function* listAll(store: ObjectStore, prefix: string, pageSize?: number): AsyncGenerator<ObjectInfo> {
  let continuation: string | undefined;
  do {
    const page = await store.list(prefix, { pageSize, continuation });
    yield* page.items;
    continuation = page.continuation;
  } while (continuation !== undefined);
}

/** Creates `key` unless it exists; true when this call created it. Safe to repeat and to race. */
export async function putIfAbsent(store: ObjectStore, key: string, data: Uint8Array): Promise<boolean> {
  try {
    await store.put(key, data, { ifNoneMatch: true });
    return true;
  } catch (err) {
    if (err instanceof StoreError && err.code === "AlreadyExists") return false;
    throw err;
  }
}
