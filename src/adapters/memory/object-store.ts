/**
 * An in-memory ObjectStore for unit tests and local experiments. It passes the same conformance
 * suite as the Blob adapter. It also counts operations (`stats`), so tests can assert how many
 * writes a repository operation costs.
 */
import { createHash } from "node:crypto";
import { AlreadyExistsError, NotFoundError, StoreError } from "../../core/repository/errors";
import { MAX_LIST_PAGE, validateKey, validateRange, type ByteRange, type ListOptions, type ListPage, type ObjectInfo, type ObjectStore, type PutOptions } from "../../core/repository/object-store";

interface Stored {
  readonly data: Buffer;
  readonly etag: string;
}

export interface MemoryStoreStats {
  puts: number;
  gets: number;
  heads: number;
  lists: number;
  deletes: number;
  bytesWritten: number;
}

/** Pieces in which `get` streams, so consumers are exercised with more than one buffer. */
const STREAM_PIECE = 1024 * 1024;

export class MemoryObjectStore implements ObjectStore {
  private readonly objects = new Map<string, Stored>();
  private version = 0;
  readonly stats: MemoryStoreStats = { puts: 0, gets: 0, heads: 0, lists: 0, deletes: 0, bytesWritten: 0 };

  async put(key: string, data: Uint8Array, options: PutOptions = {}): Promise<ObjectInfo> {
    validateKey(key);
    this.stats.puts++;
    if (options.ifNoneMatch && this.objects.has(key)) throw new AlreadyExistsError(key);
    const copy = Buffer.from(data);
    const etag = `"${createHash("sha256").update(String(++this.version)).digest("hex").slice(0, 16)}"`;
    this.objects.set(key, { data: copy, etag });
    this.stats.bytesWritten += copy.length;
    return { key, size: copy.length, etag };
  }

  async get(key: string, range?: ByteRange): Promise<AsyncIterable<Buffer>> {
    validateKey(key);
    validateRange(range);
    this.stats.gets++;
    const obj = this.objects.get(key);
    if (obj === undefined) throw new NotFoundError(key);
    const start = range?.offset ?? 0;
    if (range !== undefined && start >= obj.data.length && !(start === 0 && range.length === undefined)) {
      throw new StoreError("InvalidRange", `range ${start}- of ${key} starts past its end (${obj.data.length} bytes)`);
    }
    const end = range?.length === undefined ? obj.data.length : Math.min(obj.data.length, start + range.length);
    const data = obj.data;
    return (async function* () {
      for (let at = start; at < end; at += STREAM_PIECE) yield Buffer.from(data.subarray(at, Math.min(end, at + STREAM_PIECE)));
    })();
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    validateKey(key);
    this.stats.heads++;
    const obj = this.objects.get(key);
    return obj === undefined ? undefined : { key, size: obj.data.length, etag: obj.etag };
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    this.stats.lists++;
    const pageSize = Math.min(options.pageSize ?? MAX_LIST_PAGE, MAX_LIST_PAGE);
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new StoreError("InvalidRequest", `list page size must be a positive integer, got ${options.pageSize}`);
    const after = options.continuation === undefined ? undefined : Buffer.from(options.continuation, "base64url").toString("utf8");
    const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix) && (after === undefined || k > after)).sort();
    const items = keys.slice(0, pageSize).map((key) => ({ key, size: this.objects.get(key)!.data.length, etag: this.objects.get(key)!.etag }));
    const continuation = keys.length > pageSize ? Buffer.from(items[items.length - 1].key, "utf8").toString("base64url") : undefined;
    return continuation === undefined ? { items } : { items, continuation };
  }

  async delete(key: string): Promise<boolean> {
    validateKey(key);
    this.stats.deletes++;
    return this.objects.delete(key);
  }
}
