/**
 * A ShareReader over a directory on disk (for example a mounted Azure Files share). The inode number
 * is the FileId, so renames and moves inside one file system keep their identity; the POSIX mode,
 * owner and group stand in for SMB attributes. Guarantees: entries are listed sorted by name (as the
 * service lists them), an entry deleted between the directory read and its stat is left out, symbolic
 * links and special files are left out (the share holds files and directories only). Does NOT offer
 * snapshots or permission descriptors: asking for one fails with a ShareUnsupportedError saying so.
 */
import { createReadStream } from "node:fs";
import { lstat, readdir } from "node:fs/promises";
import { resolve, join } from "node:path";
import type { Stats, BigIntStats } from "node:fs";
import { ShareUnsupportedError, type ReadRange, type ShareEntry, type ShareReader } from "../../core/ports/share-reader";
import { translateFsError } from "./errors";

const STAT_BATCH = 64;

function micros(ns: bigint): number {
  return Number(ns / 1000n);
}

function entryOf(name: string, st: BigIntStats): ShareEntry | undefined {
  const kind = st.isDirectory() ? "dir" : st.isFile() ? "file" : undefined;
  if (kind === undefined) return undefined;
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
      st = await lstat(this.abs(path), { bigint: true });
    } catch (err) {
      throw translateFsError(err, this.root, path);
    }
    const entry = entryOf(path.split("/").pop() ?? "", st);
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
    for (let i = 0; i < names.length; i += STAT_BATCH) {
      const batch = names.slice(i, i + STAT_BATCH);
      const stats = await Promise.all(
        batch.map((name) =>
          lstat(join(dir, name), { bigint: true }).catch((err: NodeJS.ErrnoException) => {
            if (err.code === "ENOENT") return undefined;
            throw translateFsError(err, this.root, path === "" ? name : `${path}/${name}`);
          }),
        ),
      );
      for (let j = 0; j < batch.length; j++) {
        const st = stats[j];
        const entry = st === undefined ? undefined : entryOf(batch[j], st);
        if (entry !== undefined) yield entry;
      }
    }
  }

  async *openFile(path: string, range?: ReadRange): AsyncIterable<Uint8Array> {
    const file = this.abs(path);
    let st: Stats;
    try {
      st = await lstat(file);
    } catch (err) {
      throw translateFsError(err, this.root, path);
    }
    if (!st.isFile()) throw translateFsError(Object.assign(new Error("not a file"), { code: "ENOENT" }), this.root, path);
    const start = range?.offset ?? 0;
    if (!Number.isSafeInteger(start) || start < 0) throw new Error(`invalid read offset ${start}`);
    if (range?.count !== undefined && (!Number.isSafeInteger(range.count) || range.count < 0)) throw new Error(`invalid read length ${range.count}`);
    if (range?.count === 0) return;
    const end = range?.count === undefined ? undefined : start + range.count - 1;
    try {
      for await (const chunk of createReadStream(file, { start, end })) yield chunk as Buffer;
    } catch (err) {
      throw translateFsError(err, this.root, path);
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
