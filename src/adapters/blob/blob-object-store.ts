/**
 * ObjectStore over one Azure Blob Storage container (block blobs), for Azure and Azurite alike.
 * Guarantees: the contract of the ObjectStore port (create-only puts use If-None-Match: *, ranges use
 * the Range header, lists page with the service's continuation token) and every SDK error, including
 * one raised while a download is being streamed, is translated once by translateBlobError.
 */
import type { ContainerClient } from "@azure/storage-blob";
import { StoreError } from "../../core/repository/errors";
import { MAX_LIST_PAGE, validateKey, validateRange, type ByteRange, type ListOptions, type ListPage, type ObjectInfo, type ObjectStore, type PutOptions } from "../../core/repository/object-store";
import { translateBlobError } from "./blob-errors";

/** A broken download stream is resumed this many times by the SDK before it fails. */
const DOWNLOAD_RETRIES = 5;

export class BlobObjectStore implements ObjectStore {
  constructor(private readonly container: ContainerClient) {}

  get containerName(): string {
    return this.container.containerName;
  }

  /** Creates the container if it does not exist yet. */
  async ensureContainer(): Promise<void> {
    try {
      await this.container.createIfNotExists();
    } catch (err) {
      throw translateBlobError(err, "create container", this.container.containerName);
    }
  }

  async put(key: string, data: Uint8Array, options: PutOptions = {}): Promise<ObjectInfo> {
    validateKey(key);
    const createOnly = options.ifNoneMatch === true;
    try {
      const res = await this.container.getBlockBlobClient(key).uploadData(data, {
        conditions: createOnly ? { ifNoneMatch: "*" } : undefined,
        blobHTTPHeaders: { blobContentType: "application/octet-stream" },
      });
      return { key, size: data.length, etag: res.etag ?? "" };
    } catch (err) {
      throw translateBlobError(err, "put", key, createOnly);
    }
  }

  async get(key: string, range?: ByteRange): Promise<AsyncIterable<Buffer>> {
    validateKey(key);
    validateRange(range);
    let body: NodeJS.ReadableStream | undefined;
    try {
      const res = await this.container.getBlobClient(key).download(range?.offset ?? 0, range?.length, { maxRetryRequests: DOWNLOAD_RETRIES });
      body = res.readableStreamBody;
    } catch (err) {
      throw translateBlobError(err, "get", key);
    }
    if (body === undefined) throw new StoreError("Unavailable", `blob get ${key}: the response has no body`);
    return translateStream(body, key);
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    validateKey(key);
    try {
      const p = await this.container.getBlobClient(key).getProperties();
      return { key, size: p.contentLength ?? 0, etag: p.etag ?? "" };
    } catch (err) {
      const e = translateBlobError(err, "head", key);
      if (e.code === "NotFound") return undefined;
      throw e;
    }
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    const pageSize = Math.min(options.pageSize ?? MAX_LIST_PAGE, MAX_LIST_PAGE);
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new StoreError("InvalidRequest", `list page size must be a positive integer, got ${options.pageSize}`);
    try {
      const pages = this.container.listBlobsFlat({ prefix }).byPage({ maxPageSize: pageSize, continuationToken: options.continuation });
      const next = await pages.next();
      if (next.done === true) return { items: [] };
      const items = next.value.segment.blobItems.map((b) => ({ key: b.name, size: b.properties.contentLength ?? 0, etag: b.properties.etag ?? "" }));
      const token = next.value.continuationToken;
      return token ? { items, continuation: token } : { items };
    } catch (err) {
      throw translateBlobError(err, "list", `${prefix}*`);
    }
  }

  async delete(key: string): Promise<boolean> {
    validateKey(key);
    try {
      return (await this.container.getBlobClient(key).deleteIfExists()).succeeded;
    } catch (err) {
      throw translateBlobError(err, "delete", key);
    }
  }
}

async function* translateStream(body: NodeJS.ReadableStream, key: string): AsyncGenerator<Buffer> {
  try {
    for await (const piece of body as AsyncIterable<Buffer | string>) yield typeof piece === "string" ? Buffer.from(piece) : piece;
  } catch (err) {
    throw translateBlobError(err, "get (stream)", key);
  }
}
