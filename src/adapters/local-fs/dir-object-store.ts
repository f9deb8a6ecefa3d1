/**
 * The ObjectStore port over a local directory (`AFB_REPOSITORY_PATH`): the repository on a local
 * disk or a mounted share, as restic and kopia keep theirs. It passes the same conformance suite as
 * the Blob adapter.
 *
 * Layout: object `a/b` is the file `<root>/objects/a/b`; a put is written under `<root>/tmp/` first,
 * flushed to disk (fsync), then given its name in one step: link(2) for a create-only put (fails if
 * the name exists, so of racing creators exactly one wins), rename(2) to replace. The directory that
 * receives it is flushed too, so a put that returned survives a power cut, and a reader sees a whole
 * object or none. A temporary file left by a crash is never listed or read as an object.
 * Every fs error is translated here, once, into a StoreError naming the object.
 */
import { constants } from "node:fs";
import { link, lstat, mkdir, open, readdir, rename, unlink, type FileHandle } from "node:fs/promises";
import { dirname, join } from "node:path";
import { AlreadyExistsError, NotFoundError, StoreError, type StoreErrorCode } from "../../core/repository/errors";
import { MAX_LIST_PAGE, validateKey, validateRange, type ByteRange, type ListOptions, type ListPage, type ObjectInfo, type ObjectStore, type PutOptions } from "../../core/repository/object-store";
import { writeDurableTemp } from "./temp-file";

/** Pieces in which `get` streams: a pack range of several MiB never sits in memory twice. */
const READ_PIECE = 1024 * 1024;
/** link(2) fails with these where the file system has no hard links (some network mounts). */
const NO_LINKS = new Set(["EPERM", "ENOTSUP", "EOPNOTSUPP", "EXDEV", "EMLINK"]);
const READ_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW;

const codeOf = (err: unknown): string => (err as NodeJS.ErrnoException | null)?.code ?? "";

/** Maps an fs error of `op` on object `key` to the port's error. */
export function translateDirError(err: unknown, op: string, key: string, root: string): StoreError {
  if (err instanceof StoreError) return err;
  const code = codeOf(err);
  if (code === "ENOENT" || code === "ENOTDIR") return new NotFoundError(key, { cause: err });
  if (code === "EEXIST") return new AlreadyExistsError(key, { cause: err });
  const kind: StoreErrorCode = code === "EACCES" || code === "EPERM" || code === "EROFS" ? "Unauthorized" : code === "ELOOP" || code === "EISDIR" ? "InvalidRequest" : "Unavailable";
  const what = code === "ENOSPC" ? "no space left on the device" : code === "ELOOP" ? "a symbolic link is in the way" : code || (err instanceof Error ? err.message : String(err));
  return new StoreError(kind, `local repository ${root}: ${op} ${key}: ${what}`, { cause: err });
}

export class DirObjectStore implements ObjectStore {
  private readonly objects: string;
  private readonly temp: string;

  constructor(readonly root: string) {
    this.objects = join(root, "objects");
    this.temp = join(root, "tmp");
  }

  /** Creates the repository's folders if they do not exist yet (the Blob adapter's ensureContainer). */
  async ensureContainer(): Promise<void> {
    try {
      await mkdir(this.objects, { recursive: true });
      await mkdir(this.temp, { recursive: true });
    } catch (err) {
      const code = codeOf(err);
      const why = code === "EEXIST" || code === "ENOTDIR" ? "a file is in the way of the folder" : code || String(err);
      throw new StoreError(code === "EACCES" || code === "EPERM" || code === "EROFS" ? "Unauthorized" : "InvalidRequest", `local repository ${this.root}: cannot create its folders: ${why}`, { cause: err });
    }
  }

  async put(key: string, data: Uint8Array, options: PutOptions = {}): Promise<ObjectInfo> {
    validateKey(key);
    const path = this.pathOf(key);
    const temp = await writeDurableTemp(this.temp, "", data).catch((err: unknown) => {
      throw translateDirError(err, "put", key, this.root);
    });
    try {
      await mkdir(dirname(path), { recursive: true });
      if (options.ifNoneMatch === true) await this.createOnly(temp, path, key);
      else await rename(temp, path);
      await syncDirectory(dirname(path));
      return await this.infoOf(key, path);
    } catch (err) {
      throw translateDirError(err, "put", key, this.root);
    } finally {
      await unlink(temp).catch(() => undefined);
    }
  }

  async get(key: string, range?: ByteRange): Promise<AsyncIterable<Buffer>> {
    validateKey(key);
    validateRange(range);
    let file: FileHandle | undefined;
    try {
      file = await open(this.pathOf(key), READ_FLAGS);
      const size = (await file.stat()).size;
      const start = range?.offset ?? 0;
      if (range !== undefined && start >= size && !(start === 0 && range.length === undefined)) {
        throw new StoreError("InvalidRange", `range ${start}- of ${key} starts past its end (${size} bytes)`);
      }
      const end = range?.length === undefined ? size : Math.min(size, start + range.length);
      return this.stream(file, start, end, key);
    } catch (err) {
      await file?.close().catch(() => undefined);
      throw translateDirError(err, "get", key, this.root);
    }
  }

  async head(key: string): Promise<ObjectInfo | undefined> {
    validateKey(key);
    try {
      return await this.infoOf(key, this.pathOf(key));
    } catch (err) {
      const e = translateDirError(err, "head", key, this.root);
      if (e.code === "NotFound") return undefined;
      throw e;
    }
  }

  async list(prefix: string, options: ListOptions = {}): Promise<ListPage> {
    const pageSize = Math.min(options.pageSize ?? MAX_LIST_PAGE, MAX_LIST_PAGE);
    if (!Number.isInteger(pageSize) || pageSize < 1) throw new StoreError("InvalidRequest", `list page size must be a positive integer, got ${options.pageSize}`);
    const after = options.continuation === undefined ? undefined : Buffer.from(options.continuation, "base64url").toString("utf8");
    // Every key with the prefix lies under the folder of its last complete '/'-part.
    const slash = prefix.lastIndexOf("/");
    const base = slash < 0 ? "" : prefix.slice(0, slash);
    let keys: string[];
    try {
      keys = (await this.keysUnder(base)).filter((k) => k.startsWith(prefix) && (after === undefined || k > after));
    } catch (err) {
      throw translateDirError(err, "list", `${prefix}*`, this.root);
    }
    keys.sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    const page = keys.slice(0, pageSize);
    const items: ObjectInfo[] = [];
    for (const key of page) {
      const info = await this.infoOf(key, this.pathOf(key)).catch(() => undefined); // deleted meanwhile
      if (info !== undefined) items.push(info);
    }
    if (keys.length <= pageSize) return { items };
    return { items, continuation: Buffer.from(page[page.length - 1], "utf8").toString("base64url") };
  }

  async delete(key: string): Promise<boolean> {
    validateKey(key);
    try {
      await unlink(this.pathOf(key));
      return true;
    } catch (err) {
      const e = translateDirError(err, "delete", key, this.root);
      if (e.code === "NotFound") return false;
      throw e;
    }
  }

  private pathOf(key: string): string {
    return join(this.objects, ...key.split("/"));
  }

  private async infoOf(key: string, path: string): Promise<ObjectInfo> {
    const st = await lstat(path, { bigint: true });
    if (!st.isFile()) throw new StoreError("InvalidRequest", `local repository ${this.root}: ${key} is not a regular file`);
    return { key, size: Number(st.size), etag: `"${st.ino.toString(16)}-${st.mtimeNs.toString(16)}-${st.size.toString(16)}"` };
  }

  /** Gives `temp` the name `path` unless that name exists. */
  private async createOnly(temp: string, path: string, key: string): Promise<void> {
    try {
      await link(temp, path);
    } catch (err) {
      if (!NO_LINKS.has(codeOf(err))) throw err;
      // Without hard links nothing creates atomically; check, then rename (a race may replace).
      if (await lstat(path).then(() => true, () => false)) throw new AlreadyExistsError(key, { cause: err });
      await rename(temp, path);
    }
  }

  private async *stream(file: FileHandle, start: number, end: number, key: string): AsyncGenerator<Buffer> {
    try {
      for (let at = start; at < end; ) {
        const piece = Buffer.allocUnsafe(Math.min(READ_PIECE, end - at));
        const { bytesRead } = await file.read(piece, 0, piece.length, at);
        if (bytesRead === 0) throw new StoreError("Unavailable", `local repository ${this.root}: get ${key}: the file ended at ${at} bytes while being read`);
        at += bytesRead;
        yield bytesRead === piece.length ? piece : piece.subarray(0, bytesRead);
      }
    } catch (err) {
      throw translateDirError(err, "get (stream)", key, this.root);
    } finally {
      await file.close().catch(() => undefined);
    }
  }

  /** Every key below folder `base` of the objects folder ("" = all), in no particular order. */
  private async keysUnder(base: string): Promise<string[]> {
    const keys: string[] = [];
    const walk = async (dir: string, keyPrefix: string): Promise<void> => {
      let entries;
      try {
        entries = await readdir(dir, { withFileTypes: true });
      } catch (err) {
        if (codeOf(err) === "ENOENT" || codeOf(err) === "ENOTDIR") return;
        throw err;
      }
      for (const e of entries) {
        if (e.isDirectory()) await walk(join(dir, e.name), `${keyPrefix}${e.name}/`);
        else if (e.isFile()) keys.push(keyPrefix + e.name);
      }
    };
    await walk(base === "" ? this.objects : join(this.objects, ...base.split("/")), base === "" ? "" : `${base}/`);
    return keys;
  }
}

/** Flushes a directory's entries, so a name just given survives a crash (not possible on Windows). */
async function syncDirectory(dir: string): Promise<void> {
  if (process.platform === "win32") return;
  const handle = await open(dir, constants.O_RDONLY);
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}
