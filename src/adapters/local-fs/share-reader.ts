/**
 * A ShareReader over a directory on disk (for example a mounted Azure Files share). The inode number
 * is the FileId, so renames and moves inside one file system keep their identity; the POSIX mode,
 * owner and group stand in for SMB attributes. Guarantees: entries are listed sorted by name (as the
 * service lists them), an entry deleted between the directory read and its stat is left out, symbolic
 * links and special files are left out (the share holds files and directories only). Does NOT offer
 * snapshots or permission descriptors: asking for one fails with a ShareUnsupportedError saying so.
 * Whole-file reads start on read workers (read-workers.ts): a small file costs one share of a message
 * instead of four thread-pool round trips, and a file below the chunker's minimum chunk is hashed
 * there too (its SHA-256, vouched for with vouchChunkId, is the chunk id the repository would compute).
 * A listing's entries are lstat-ed in batches after one readdir: on the event loop while the file
 * system answers fast, else on the same workers (entry-stats.ts).
 */
import { constants } from "node:fs";
import { readdir } from "node:fs/promises";
import { resolve, join } from "node:path";
import type { BigIntStats } from "node:fs";
import { closeFd, fstatFd, lstatBig, openFd, readFd } from "./fd-io";
import { ShareUnsupportedError, type ReadRange, type ShareEntry, type ShareReader } from "../../core/ports/share-reader";
import { translateFsError } from "./errors";
import { EntryStats } from "./entry-stats";
import { ReadWorkers, STAT_BATCH, type EntryStat, type StatRow } from "./read-workers";
import { MIN_SIZE } from "../../core/chunking/fastcdc";
import { vouchChunkId } from "../../core/chunking/content-hash";

/** Largest read: 1 MiB (the chunker's average chunk) costs 16x fewer syscalls than a stream's 64 KiB. */
const READ_BYTES = 2 ** 20;

/** Regular files only: a symbolic link fails to open (O_NOFOLLOW), a FIFO does not block (O_NONBLOCK). */
const OPEN_FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK | constants.O_NOCTTY;

/** What a path that is not a regular file reads as: not found (the share holds files and directories only). */
function notAFile(): Error {
  return Object.assign(new Error("not a regular file"), { code: "ENOENT" });
}

/**
 * Reads `count` bytes from `start` (to the end of the file when undefined) of the open file `fd` in
 * blocks sized to what is left of the `expected` bytes (+1 to see growth), at most READ_BYTES: a
 * 1 KiB file costs one 1 KiB buffer and one read, not a stream and its 64 KiB buffer. A file that
 * grew is read to its end (the caller compares sizes).
 */
async function* readBlocks(fd: number, start: number, count: number | undefined, expected: number): AsyncGenerator<Uint8Array> {
  let pos = start;
  let left = count ?? Number.POSITIVE_INFINITY;
  let guess = Math.max(0, count ?? expected) + 1;
  while (left > 0) {
    const want = Math.min(left, Math.max(1, Math.min(guess, READ_BYTES)));
    const block = Buffer.allocUnsafe(want);
    const bytesRead = await readFd(fd, block, pos);
    if (bytesRead === 0) return;
    yield bytesRead === want ? block : block.subarray(0, bytesRead);
    // A short read of a regular file is its end: no second call to learn it.
    if (bytesRead < want) return;
    pos += bytesRead;
    left -= bytesRead;
    // Past the expected end (the file grew): go on in 64 KiB blocks rather than byte by byte.
    guess = guess - bytesRead > 0 ? guess - bytesRead : 2 ** 16;
  }
}

/** An open's error in domain terms: anything but a regular file reads as not found. */
function translateOpenError(err: unknown, root: string, path: string): Error {
  // ELOOP: a symbolic link stands where the scan saw a file, which the share cannot hold.
  const code = (err as NodeJS.ErrnoException).code;
  return translateFsError(code === "ELOOP" || code === "ENOTREGULAR" ? notAFile() : err, root, path);
}

function micros(ns: bigint): number {
  return Number(ns / 1000n);
}

/** The listing's fields of an lstat, or undefined for anything but a file or a directory. */
function entryStat(st: BigIntStats): EntryStat | undefined {
  const kind = st.isDirectory() ? "dir" : st.isFile() ? "file" : undefined;
  if (kind === undefined) return undefined;
  const { ino, size, birthtimeNs, mtimeNs, ctimeNs, mode, uid, gid } = st;
  return { kind, ino, size, birthtimeNs, mtimeNs, ctimeNs, mode, uid, gid };
}

function entryOf(name: string, st: EntryStat): ShareEntry {
  const kind = st.kind;
  return {
    name,
    fileId: st.ino.toString(),
    kind,
    size: kind === "file" ? Number(st.size) : 0,
    creationTime: micros(st.birthtimeNs),
    lastWriteTime: micros(st.mtimeNs),
    changeTime: micros(st.ctimeNs),
    attributes: `${st.mode.toString(8)}:${st.uid}:${st.gid}`,
    permissionKey: "",
    etag: `"${st.mtimeNs.toString(16)}-${st.size.toString(16)}"`,
  };
}

export class LocalShareReader implements ShareReader {
  readonly root: string;
  readonly description: string;
  readonly snapshot = undefined;

  constructor(root: string) {
    this.root = resolve(root);
    this.description = `local directory ${this.root}`;
  }

  private abs(path: string): string {
    const parts = path === "" ? [] : path.split("/");
    if (parts.some((p) => p === "" || p === "." || p === "..")) throw new Error(`invalid share path ${JSON.stringify(path)}: use names separated by "/", no "." or ".."`);
    return join(this.root, ...parts);
  }

  async getDirectory(path: string): Promise<ShareEntry> {
    let st: BigIntStats;
    try {
      st = await lstatBig(this.abs(path));
    } catch (err) {
      throw translateFsError(err, this.root, path);
    }
    const fields = entryStat(st);
    const entry = fields === undefined ? undefined : entryOf(path.split("/").pop() ?? "", fields);
    if (entry?.kind !== "dir") throw translateFsError(Object.assign(new Error("not a directory"), { code: "ENOTDIR" }), this.root, path);
    return entry;
  }

  async *listDirectory(path: string): AsyncIterable<ShareEntry> {
    const dir = this.abs(path);
    let names: string[];
    try {
      names = await readdir(dir);
    } catch (err) {
      throw translateFsError(err, this.root, path);
    }
    names.sort();
    // A batch at a time, the next one asked for while this one is yielded (on the workers, they overlap).
    const stats = EntryStats.shared();
    const stat = (from: number): Promise<StatRow[]> => stats.batch(dir, names.slice(from, from + STAT_BATCH));
    let next = names.length > 0 ? stat(0) : undefined;
    for (let i = 0; next !== undefined; i += STAT_BATCH) {
      let rows: StatRow[];
      try {
        rows = await next;
      } catch (err) {
        throw translateFsError(err, this.root, path);
      }
      next = i + STAT_BATCH < names.length ? stat(i + STAT_BATCH) : undefined;
      // A batch asked for ahead must not reject unobserved if this one throws.
      next?.catch(() => undefined);
      for (let j = 0; j < rows.length; j++) {
        const row = rows[j];
        const name = names[i + j];
        if (row === null) continue;
        if ("code" in row) throw translateFsError(Object.assign(new Error(row.message), { code: row.code }), this.root, path === "" ? name : `${path}/${name}`);
        yield entryOf(name, row);
      }
    }
  }

  async *openFile(path: string, range?: ReadRange): AsyncIterable<Uint8Array> {
    const file = this.abs(path);
    const start = range?.offset ?? 0;
    if (!Number.isSafeInteger(start) || start < 0) throw new Error(`invalid read offset ${start}`);
    if (range?.count !== undefined && (!Number.isSafeInteger(range.count) || range.count < 0)) throw new Error(`invalid read length ${range.count}`);
    if (range === undefined) {
      yield* this.readWhole(file, path);
      return;
    }
    let fd: number;
    try {
      fd = await openFd(file, OPEN_FLAGS);
    } catch (err) {
      throw translateOpenError(err, this.root, path);
    }
    try {
      // fstat of the open file, not lstat of the path: one lookup fewer, and no race between the two.
      const st = await fstatFd(fd);
      if (!st.isFile()) throw notAFile();
      if (range?.count === 0) return;
      yield* readBlocks(fd, start, range?.count, st.size - start);
    } catch (err) {
      throw translateFsError(err, this.root, path);
    } finally {
      await closeFd(fd);
    }
  }

  /**
   * A whole file: its first block from a read worker (one message for many small files), the rest,
   * if any, read here from the descriptor the worker left open.
   */
  private async *readWhole(file: string, path: string): AsyncGenerator<Uint8Array> {
    let first;
    try {
      first = await ReadWorkers.shared().firstBlock(file, OPEN_FLAGS, READ_BYTES, MIN_SIZE);
    } catch (err) {
      throw translateOpenError(err, this.root, path);
    }
    const fd = first.fd;
    try {
      // A whole file below the chunker's minimum is one chunk: its digest is its chunk id.
      if (first.digest !== undefined) vouchChunkId(first.data, first.digest);
      if (first.data.length > 0) yield first.data;
      if (fd !== undefined) yield* readBlocks(fd, first.data.length, undefined, first.size - first.data.length);
    } catch (err) {
      throw translateFsError(err, this.root, path);
    } finally {
      if (fd !== undefined) await closeFd(fd);
    }
  }

  async getPermission(_permissionKey: string): Promise<string> {
    throw new ShareUnsupportedError(`${this.description} has no SMB security descriptors (POSIX mode, owner and group are in each entry's attributes)`);
  }

  async createSnapshot(): Promise<string> {
    throw this.noSnapshots();
  }

  async deleteSnapshot(_snapshot: string): Promise<void> {
    throw this.noSnapshots();
  }

  atSnapshot(_snapshot: string): ShareReader {
    throw this.noSnapshots();
  }

  private noSnapshots(): ShareUnsupportedError {
    return new ShareUnsupportedError(`${this.description} has no share snapshots: snapshot the file system yourself, or scan the Azure share (--share) instead`);
  }
}
