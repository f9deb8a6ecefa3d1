/**
 * The ShareReader over Azure Files (@azure/storage-file-share). A listing asks for timestamps, ETag,
 * attributes, permission key and extended info (FileId and up-to-date sizes) and streams every page
 * (5,000 entries each). A reader is bound to a share, or to one of its snapshots (atSnapshot), and then
 * sees only that snapshot. Guarantees: SDK errors are translated once (errors.ts); the SDK's own retry
 * policy handles 500/503 and network resets before anything is reported.
 */
import type { ShareClient, ShareServiceClient, FileItem, DirectoryItem } from "@azure/storage-file-share";
import { ShareError, type EntryKind, type ReadRange, type ShareEntry, type ShareReader } from "../../core/ports/share-reader";
import { translateFilesError } from "./errors";
import type { ChangedRange, RangeDiffReader } from "../../core/backup/changed-ranges";

const PAGE_SIZE = 5000;

function micros(d: Date | undefined): number {
  return d === undefined ? 0 : d.getTime() * 1000;
}

function entryOf(item: FileItem | DirectoryItem, kind: EntryKind, where: string): ShareEntry {
  if (item.fileId === undefined) throw new ShareError(`${where}: the listing has no FileId for ${JSON.stringify(item.name)} (service version too old?)`);
  const p = item.properties;
  return {
    name: item.name,
    fileId: item.fileId,
    kind,
    size: kind === "file" ? (p?.contentLength ?? 0) : 0,
    creationTime: micros(p?.creationTime),
    lastWriteTime: micros(p?.lastWriteTime),
    changeTime: micros(p?.changeTime),
    attributes: item.attributes ?? "",
    permissionKey: item.permissionKey ?? "",
    etag: p?.etag ?? "",
  };
}

export class AzureShareReader implements ShareReader, RangeDiffReader {
  readonly description: string;

  /** `share` may already be bound to a snapshot (ShareClient.withSnapshot). */
  constructor(
    private readonly share: ShareClient,
    readonly snapshot: string | undefined = undefined,
  ) {
    this.description = `Azure Files share ${share.name}${snapshot ? ` at snapshot ${snapshot}` : ""}`;
  }

  /** A reader of share `name` of `service`, optionally at `snapshot`. */
  static of(service: ShareServiceClient, name: string, snapshot?: string): AzureShareReader {
    const share = service.getShareClient(name);
    return snapshot === undefined ? new AzureShareReader(share) : new AzureShareReader(share.withSnapshot(snapshot), snapshot);
  }

  private fail(err: unknown, what: string, path?: string): ShareError {
    return translateFilesError(err, this.description, what, path);
  }

  private dir(path: string) {
    return path === "" ? this.share.rootDirectoryClient : this.share.getDirectoryClient(path);
  }

  async getDirectory(path: string): Promise<ShareEntry> {
    try {
      const p = await this.dir(path).getProperties();
      return {
        name: path.split("/").pop() ?? "",
        fileId: p.fileId ?? "",
        kind: "dir",
        size: 0,
        creationTime: micros(p.fileCreatedOn),
        lastWriteTime: micros(p.fileLastWriteOn),
        changeTime: micros(p.fileChangeOn),
        attributes: p.fileAttributes ?? "",
        permissionKey: p.filePermissionKey ?? "",
        etag: p.etag ?? "",
      };
    } catch (err) {
      throw this.fail(err, `reading directory ${JSON.stringify(path)}`, path);
    }
  }

  async *listDirectory(path: string): AsyncIterable<ShareEntry> {
    const where = `listing ${JSON.stringify(path)}`;
    const pages = this.dir(path)
      .listFilesAndDirectories({ includeTimestamps: true, includeEtag: true, includeAttributes: true, includePermissionKey: true, includeExtendedInfo: true })
      .byPage({ maxPageSize: PAGE_SIZE });
    while (true) {
      let page;
      try {
        page = await pages.next();
      } catch (err) {
        throw this.fail(err, where, path);
      }
      if (page.done) return;
      const seg = page.value.segment;
      for (const d of seg.directoryItems) yield entryOf(d, "dir", where);
      for (const f of seg.fileItems) yield entryOf(f, "file", where);
    }
  }

  async getUserMetadata(path: string, kind: EntryKind): Promise<Record<string, string>> {
    try {
      const p = kind === "dir" ? await this.dir(path).getProperties() : await this.share.rootDirectoryClient.getFileClient(path).getProperties();
      return { ...(p.metadata ?? {}) };
    } catch (err) {
      throw this.fail(err, `reading the metadata of ${JSON.stringify(path)}`, path);
    }
  }

  async *openFile(path: string, range?: ReadRange): AsyncIterable<Uint8Array> {
    const what = `reading file ${JSON.stringify(path)}`;
    const offset = range?.offset ?? 0;
    if (!Number.isSafeInteger(offset) || offset < 0) throw new Error(`invalid read offset ${offset}`);
    if (range?.count !== undefined && (!Number.isSafeInteger(range.count) || range.count < 0)) throw new Error(`invalid read length ${range.count}`);
    if (range?.count === 0) return;
    const file = this.share.rootDirectoryClient.getFileClient(path);
    try {
      const res = await file.download(offset, range?.count);
      const body = res.readableStreamBody;
      if (body === undefined) return;
      for await (const chunk of body) yield chunk as Buffer;
    } catch (err) {
      throw this.fail(err, what, path);
    }
  }

  async getPermission(permissionKey: string): Promise<string> {
    try {
      return (await this.share.getPermission(permissionKey)).permission;
    } catch (err) {
      throw this.fail(err, `reading permission ${JSON.stringify(permissionKey)}`);
    }
  }

  async createSnapshot(): Promise<string> {
    if (this.snapshot !== undefined) throw new ShareError(`${this.description}: cannot snapshot a snapshot`);
    try {
      const { snapshot } = await this.share.createSnapshot();
      if (snapshot === undefined) throw new ShareError(`${this.description}: the service returned no snapshot id`);
      return snapshot;
    } catch (err) {
      throw this.fail(err, "creating a share snapshot");
    }
  }

  async deleteSnapshot(snapshot: string): Promise<void> {
    try {
      await this.share.withSnapshot(snapshot).delete();
    } catch (err) {
      throw this.fail(err, `deleting share snapshot ${snapshot}`);
    }
  }

  atSnapshot(snapshot: string): AzureShareReader {
    return new AzureShareReader(this.share.withSnapshot(snapshot), snapshot);
  }

  /** Get Ranges with prevsharesnapshot: the byte ranges written or cleared since `previousSnapshot`. */
  async getChangedRanges(path: string, previousSnapshot: string): Promise<ChangedRange[]> {
    try {
      const diff = await this.share.rootDirectoryClient.getFileClient(path).getRangeListDiff(previousSnapshot);
      return [...(diff.ranges ?? []), ...(diff.clearRanges ?? [])].map((r) => ({ offset: r.start, count: r.end - r.start + 1 }));
    } catch (err) {
      throw this.fail(err, `listing the ranges of ${JSON.stringify(path)} changed since snapshot ${previousSnapshot}`, path);
    }
  }
}
