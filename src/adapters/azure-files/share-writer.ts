/**
 * The RestoreTarget over an Azure Files share (or a folder of one): bytes with Put Range (<= 4 MiB
 * each; zero ranges are never sent, so they stay sparse), SMB attributes, creation and last-write
 * times, permissions (the SDDL goes through Create Permission once per distinct descriptor; nodes get
 * its permission key) and user metadata. A directory gets its properties and permission when it is
 * created, so an empty one keeps its ACL. A file is created under a temporary name beside its final
 * one, filled, given its properties and metadata, then renamed into place (replacing an existing file
 * only when asked), so a file with its final name is complete. A file of at most one range (4 MiB) is
 * held until it is complete and then costs three requests, not four: Create File with its properties,
 * permission and metadata, Put Range keeping that last-write time (`x-ms-file-last-write-time:
 * preserve`), Rename (read-only files still get their attributes after the write). SDK errors are translated once
 * (restore-errors.ts); the SDK's retry policy handles throttling and resets first.
 */
import { createHash } from "node:crypto";
import type { ShareClient, ShareDirectoryClient, ShareFileClient, ShareServiceClient } from "@azure/storage-file-share";
import { UnsafeTargetError, type FileSink, type RestoreProperties, type RestoreTarget, type TargetEntry } from "../../core/ports/share-writer";
import { errorCode, isNotFound, restoreError } from "./restore-errors";
import { smbOptions } from "./smb-properties";

const PAGE_SIZE = 5000;
const MAX_RANGE = 4 * 1024 * 1024;
/** SMB ReadOnly: set after the bytes are written, never at creation. */
const READ_ONLY = 0x1;

export class AzureRestoreTarget implements RestoreTarget {
  readonly nameRules = "smb" as const;
  readonly maxWriteBytes = MAX_RANGE;
  readonly description: string;
  private readonly keys = new Map<string, Promise<string>>();

  private constructor(
    private readonly share: ShareClient,
    /** Folder of the share the restore writes into ("" = the share root). */
    private readonly base: string,
  ) {
    this.description = `Azure Files share ${share.name}${base ? `, folder ${base}` : ""}`;
  }

  /** The target `folder` ("a/b", "" = root) of share `name`; creates the share and the folder when missing. */
  static async open(service: ShareServiceClient, name: string, folder = ""): Promise<{ target: AzureRestoreTarget; createdShare: boolean }> {
    const share = service.getShareClient(name);
    const where = `Azure Files share ${name}`;
    let createdShare = false;
    try {
      createdShare = (await share.createIfNotExists()).succeeded;
    } catch (err) {
      throw restoreError(err, where, "opening the share");
    }
    const segments = folder.split("/").filter((s) => s !== "");
    for (let i = 1; i <= segments.length; i++) {
      const path = segments.slice(0, i).join("/");
      try {
        await share.getDirectoryClient(path).createIfNotExists();
      } catch (err) {
        throw restoreError(err, where, `creating folder ${JSON.stringify(path)}`);
      }
    }
    return { target: new AzureRestoreTarget(share, segments.join("/")), createdShare };
  }

  private full(path: string): string {
    return this.base === "" ? path : path === "" ? this.base : `${this.base}/${path}`;
  }

  private dir(path: string): ShareDirectoryClient {
    const full = this.full(path);
    return full === "" ? this.share.rootDirectoryClient : this.share.getDirectoryClient(full);
  }

  private file(path: string): ShareFileClient {
    return this.share.rootDirectoryClient.getFileClient(this.full(path));
  }

  private fail(err: unknown, what: string) {
    return restoreError(err, this.description, what);
  }

  /** The permission key of an SDDL, made once per descriptor (Create Permission is idempotent). */
  private async permissionKey(props: RestoreProperties): Promise<string | undefined> {
    const p = props.permission;
    if (p === undefined) return undefined;
    let key = this.keys.get(p.id);
    if (key === undefined) {
      key = this.share.createPermission(p.sddl).then((r) => {
        if (r.filePermissionKey === undefined) throw new Error("Create Permission returned no key");
        return r.filePermissionKey;
      });
      key.catch(() => this.keys.delete(p.id));
      this.keys.set(p.id, key);
    }
    try {
      return await key;
    } catch (err) {
      throw this.fail(err, "creating a permission (Create Permission)");
    }
  }

  async list(dir: string): Promise<TargetEntry[] | undefined> {
    const out: TargetEntry[] = [];
    const pages = this.dir(dir).listFilesAndDirectories({ includeExtendedInfo: true }).byPage({ maxPageSize: PAGE_SIZE });
    try {
      for await (const page of pages) {
        for (const d of page.segment.directoryItems) out.push({ name: d.name, kind: "dir", size: 0 });
        for (const f of page.segment.fileItems) out.push({ name: f.name, kind: "file", size: f.properties.contentLength ?? 0 });
      }
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw this.fail(err, `listing ${JSON.stringify(dir)}`);
    }
    return out;
  }

  async stat(path: string): Promise<TargetEntry | undefined> {
    const name = path.slice(path.lastIndexOf("/") + 1);
    try {
      const p = await this.file(path).getProperties();
      return { name, kind: "file", size: p.contentLength ?? 0 };
    } catch (err) {
      if (!isNotFound(err)) throw this.fail(err, `reading ${JSON.stringify(path)}`);
    }
    try {
      await this.dir(path).getProperties();
      return { name, kind: "dir", size: 0 };
    } catch (err) {
      if (isNotFound(err)) return undefined;
      throw this.fail(err, `reading ${JSON.stringify(path)}`);
    }
  }

  async makeDirectory(path: string, props: RestoreProperties): Promise<boolean> {
    const options = { ...smbOptions(props, await this.permissionKey(props)), metadata: { ...props.userMetadata } };
    try {
      await this.dir(path).create(options);
      return true;
    } catch (err) {
      if (errorCode(err) !== "ResourceAlreadyExists") throw this.fail(err, `creating directory ${JSON.stringify(path)}`);
    }
    const there = await this.stat(path);
    if (there?.kind !== "dir") throw new UnsafeTargetError(`${this.description}: a file is where directory ${JSON.stringify(path)} goes`);
    return false;
  }

  async setDirectoryProperties(path: string, props: RestoreProperties): Promise<void> {
    const dir = this.dir(path);
    try {
      await dir.setProperties(smbOptions(props, await this.permissionKey(props)));
      await dir.setMetadata({ ...props.userMetadata });
    } catch (err) {
      throw this.fail(err, `setting the properties of directory ${JSON.stringify(path)}`);
    }
  }

  async beginFile(path: string, size: number): Promise<FileSink> {
    const cut = path.lastIndexOf("/");
    const name = path.slice(cut + 1);
    // A temporary name per final name: a rerun replaces what an interrupted run left (Create File resets it).
    const tempPath = `${path.slice(0, cut + 1)}.afb-restore-${createHash("sha256").update(name).digest("hex").slice(0, 24)}.part`;
    const temp = this.file(tempPath);
    if (size <= MAX_RANGE) return this.heldFile(path, temp, size);
    try {
      await temp.create(size);
    } catch (err) {
      throw this.fail(err, `creating ${JSON.stringify(path)} (as ${tempPath.slice(cut + 1)})`);
    }
    return {
      write: async (offset, data) => {
        try {
          await temp.uploadRange(data, offset, data.length);
        } catch (err) {
          throw this.fail(err, `writing ${JSON.stringify(path)} at ${offset}`);
        }
      },
      complete: async (props, replace) => {
        const options = smbOptions(props, await this.permissionKey(props));
        try {
          await temp.setProperties(options);
          if (Object.keys(props.userMetadata).length > 0) await temp.setMetadata({ ...props.userMetadata });
          await temp.rename(this.full(path), { replaceIfExists: replace, ignoreReadOnly: replace });
        } catch (err) {
          throw this.fail(err, `completing ${JSON.stringify(path)}`);
        }
      },
      discard: async () => {
        await temp.deleteIfExists().catch(() => undefined);
      },
    };
  }

  /** The sink of a file of at most one range: its writes are held, and `complete` sends all at once. */
  private heldFile(path: string, temp: ShareFileClient, size: number): FileSink {
    const parts: { offset: number; data: Buffer }[] = [];
    let created = false;
    return {
      write: async (offset, data) => {
        parts.push({ offset, data });
      },
      complete: async (props, replace) => {
        const options = smbOptions(props, await this.permissionKey(props));
        const readOnly = (props.attributes & READ_ONLY) !== 0;
        const metadata = { ...props.userMetadata };
        try {
          await temp.create(size, readOnly ? {} : { ...options, metadata });
          created = true;
          for (const { offset, data } of parts) await temp.uploadRange(data, offset, data.length, { fileLastWrittenMode: "Preserve" });
          if (readOnly) {
            await temp.setProperties(options);
            if (Object.keys(metadata).length > 0) await temp.setMetadata(metadata);
          }
          await temp.rename(this.full(path), { replaceIfExists: replace, ignoreReadOnly: replace });
        } catch (err) {
          throw this.fail(err, `writing and completing ${JSON.stringify(path)}`);
        }
      },
      discard: async () => {
        if (created) await temp.deleteIfExists().catch(() => undefined);
      },
    };
  }

  async *readFile(path: string): AsyncIterable<Uint8Array> {
    try {
      const body = (await this.file(path).download()).readableStreamBody;
      if (body === undefined) return;
      for await (const piece of body) yield piece as Buffer;
    } catch (err) {
      throw this.fail(err, `reading ${JSON.stringify(path)}`);
    }
  }
}
