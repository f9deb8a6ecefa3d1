"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.BlobObjectStore = void 0;
const errors_1 = require("../../core/repository/errors");
const object_store_1 = require("../../core/repository/object-store");
const blob_errors_1 = require("./blob-errors");
/** A broken download stream is resumed this many times by the SDK before it fails. */
const DOWNLOAD_RETRIES = 5;
class BlobObjectStore {
    container;
    constructor(container) {
        this.container = container;
    }
    get containerName() {
        return this.container.containerName;
    }
    /** Creates the container if it does not exist yet. */
    async ensureContainer() {
        try {
            await this.container.createIfNotExists();
        }
        catch (err) {
            throw (0, blob_errors_1.translateBlobError)(err, "create container", this.container.containerName);
        }
    }
    async put(key, data, options = {}) {
        (0, object_store_1.validateKey)(key);
        const createOnly = options.ifNoneMatch === true;
        try {
            const res = await this.container.getBlockBlobClient(key).uploadData(data, {
                conditions: createOnly ? { ifNoneMatch: "*" } : undefined,
                blobHTTPHeaders: { blobContentType: "application/octet-stream" },
            });
            return { key, size: data.length, etag: res.etag ?? "" };
        }
        catch (err) {
            throw (0, blob_errors_1.translateBlobError)(err, "put", key, createOnly);
        }
    }
    async get(key, range) {
        (0, object_store_1.validateKey)(key);
        (0, object_store_1.validateRange)(range);
        let body;
        try {
            const res = await this.container.getBlobClient(key).download(range?.offset ?? 0, range?.length, { maxRetryRequests: DOWNLOAD_RETRIES });
            body = res.readableStreamBody;
        }
        catch (err) {
            throw (0, blob_errors_1.translateBlobError)(err, "get", key);
        }
        if (body === undefined)
            throw new errors_1.StoreError("Unavailable", `blob get ${key}: the response has no body`);
        return translateStream(body, key);
    }
    async head(key) {
        (0, object_store_1.validateKey)(key);
        try {
            const p = await this.container.getBlobClient(key).getProperties();
            return { key, size: p.contentLength ?? 0, etag: p.etag ?? "" };
        }
        catch (err) {
            const e = (0, blob_errors_1.translateBlobError)(err, "head", key);
            if (e.code === "NotFound")
                return undefined;
            throw e;
        }
    }
    async list(prefix, options = {}) {
        const pageSize = Math.min(options.pageSize ?? object_store_1.MAX_LIST_PAGE, object_store_1.MAX_LIST_PAGE);
        if (!Number.isInteger(pageSize) || pageSize < 1)
            throw new errors_1.StoreError("InvalidRequest", `list page size must be a positive integer, got ${options.pageSize}`);
        try {
            const pages = this.container.listBlobsFlat({ prefix }).byPage({ maxPageSize: pageSize, continuationToken: options.continuation });
            const next = await pages.next();
            if (next.done === true)
                return { items: [] };
            const items = next.value.segment.blobItems.map((b) => ({ key: b.name, size: b.properties.contentLength ?? 0, etag: b.properties.etag ?? "" }));
            const token = next.value.continuationToken;
            return token ? { items, continuation: token } : { items };
        }
        catch (err) {
            throw (0, blob_errors_1.translateBlobError)(err, "list", `${prefix}*`);
        }
    }
    async delete(key) {
        (0, object_store_1.validateKey)(key);
        try {
            return (await this.container.getBlobClient(key).deleteIfExists()).succeeded;
        }
        catch (err) {
            throw (0, blob_errors_1.translateBlobError)(err, "delete", key);
        }
    }
}
exports.BlobObjectStore = BlobObjectStore;
async function* translateStream(body, key) {
    try {
        for await (const piece of body)
            yield typeof piece === "string" ? Buffer.from(piece) : piece;
    }
    catch (err) {
        throw (0, blob_errors_1.translateBlobError)(err, "get (stream)", key);
    }
}
//# sourceMappingURL=blob-object-store.js.map