"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MemoryObjectStore = void 0;
/**
 * An in-memory ObjectStore for unit tests and local experiments. It passes the same conformance
 * suite as the Blob adapter. It also counts operations (`stats`), so tests can assert how many
 * writes a repository operation costs.
 */
const node_crypto_1 = require("node:crypto");
const errors_1 = require("../../core/repository/errors");
const object_store_1 = require("../../core/repository/object-store");
/** Pieces in which `get` streams, so consumers are exercised with more than one buffer. */
const STREAM_PIECE = 1024 * 1024;
class MemoryObjectStore {
    objects = new Map();
    version = 0;
    stats = { puts: 0, gets: 0, heads: 0, lists: 0, deletes: 0, bytesWritten: 0 };
    async put(key, data, options = {}) {
        (0, object_store_1.validateKey)(key);
        this.stats.puts++;
        if (options.ifNoneMatch && this.objects.has(key))
            throw new errors_1.AlreadyExistsError(key);
        const copy = Buffer.from(data);
        const etag = `"${(0, node_crypto_1.createHash)("sha256").update(String(++this.version)).digest("hex").slice(0, 16)}"`;
        this.objects.set(key, { data: copy, etag });
        this.stats.bytesWritten += copy.length;
        return { key, size: copy.length, etag };
    }
    async get(key, range) {
        (0, object_store_1.validateKey)(key);
        (0, object_store_1.validateRange)(range);
        this.stats.gets++;
        const obj = this.objects.get(key);
        if (obj === undefined)
            throw new errors_1.NotFoundError(key);
        const start = range?.offset ?? 0;
        if (range !== undefined && start >= obj.data.length && !(start === 0 && range.length === undefined)) {
            throw new errors_1.StoreError("InvalidRange", `range ${start}- of ${key} starts past its end (${obj.data.length} bytes)`);
        }
        const end = range?.length === undefined ? obj.data.length : Math.min(obj.data.length, start + range.length);
        const data = obj.data;
        return (async function* () {
            for (let at = start; at < end; at += STREAM_PIECE)
                yield Buffer.from(data.subarray(at, Math.min(end, at + STREAM_PIECE)));
        })();
    }
    async head(key) {
        (0, object_store_1.validateKey)(key);
        this.stats.heads++;
        const obj = this.objects.get(key);
        return obj === undefined ? undefined : { key, size: obj.data.length, etag: obj.etag };
    }
    async list(prefix, options = {}) {
        this.stats.lists++;
        const pageSize = Math.min(options.pageSize ?? object_store_1.MAX_LIST_PAGE, object_store_1.MAX_LIST_PAGE);
        if (!Number.isInteger(pageSize) || pageSize < 1)
            throw new errors_1.StoreError("InvalidRequest", `list page size must be a positive integer, got ${options.pageSize}`);
        const after = options.continuation === undefined ? undefined : Buffer.from(options.continuation, "base64url").toString("utf8");
        const keys = [...this.objects.keys()].filter((k) => k.startsWith(prefix) && (after === undefined || k > after)).sort();
        const items = keys.slice(0, pageSize).map((key) => ({ key, size: this.objects.get(key).data.length, etag: this.objects.get(key).etag }));
        const continuation = keys.length > pageSize ? Buffer.from(items[items.length - 1].key, "utf8").toString("base64url") : undefined;
        return continuation === undefined ? { items } : { items, continuation };
    }
    async delete(key) {
        (0, object_store_1.validateKey)(key);
        this.stats.deletes++;
        return this.objects.delete(key);
    }
}
exports.MemoryObjectStore = MemoryObjectStore;
//# sourceMappingURL=object-store.js.map