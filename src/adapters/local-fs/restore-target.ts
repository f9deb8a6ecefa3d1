/**
 * The RestoreTarget over a directory on disk. Restores bytes, sizes (zero ranges sparse), times (last
 * write as mtime, last access as atime) and file permission bits (modeOf); SMB attributes, creation
 * times, ACLs and user metadata have no place on a Linux file system and are not written.
 *
 * Safety: nothing is written outside the root. Names were checked by the restorer (no "", ".", "..",
 * "/" or NUL); here every directory on a path is checked with lstat and must be a real directory (a
 * symbolic link already present in the target is refused, never followed), files are opened with
 * O_NOFOLLOW, and a file gets its final name with link(2) (which never follows a link and fails if the
 * name exists) or, to replace a file, rename(2) (which replaces the link itself, not what it points to).
 * Files are written by the sinks of file-sinks.ts (small ones from memory, with synchronous calls).
 * Not guaranteed: protection from another process swapping a checked directory for a link meanwhile.
 */
import { createHash } from "node:crypto";
import { constants, createReadStream } from "node:fs";
import { lstat, lutimes, mkdir, open, readdir, realpath, unlink, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { RestoreTargetError, UnsafeTargetError, type FileSink, type RestoreProperties, type RestoreTarget, type TargetEntry, type TargetKind } from "../../core/ports/share-writer";
import { fsError, isMissing, LocalFileSink, seconds, SMALL_FILE_BYTES, SmallFileSink, TEMP_FLAGS } from "./file-sinks";

function kindOf(st: { isFile(): boolean; isDirectory(): boolean }): TargetKind {
  return st.isFile() ? "file" : st.isDirectory() ? "dir" : "other";
}

export class LocalRestoreTarget implements RestoreTarget {
  readonly nameRules = "posix" as const;
  readonly maxWriteBytes = 4 * 1024 * 1024;
  readonly description: string;
  /** Directories (relative) already proven to be real directories. */
  private readonly checked = new Set<string>([""]);

  private constructor(private readonly root: string) {
    this.description = `local directory ${root}`;
  }

  /** Opens (creating it if needed) the directory `dir` as the target's root. */
  static async open(dir: string): Promise<LocalRestoreTarget> {
    try {
      await mkdir(dir, { recursive: true });
      const root = await realpath(dir);
      if (!(await lstat(root)).isDirectory()) throw new RestoreTargetError(`${dir} is not a directory`);
      return new LocalRestoreTarget(root);
    } catch (err) {
      throw fsError(err, `cannot use ${dir} as the restore target`);
    }
  }

  private abs(rel: string): string {
    return rel === "" ? this.root : join(this.root, ...rel.split("/"));
  }

  /** The absolute path of directory `rel`, after proving every component is a real directory. */
  private async safeDir(rel: string): Promise<string> {
    const abs = this.abs(rel);
    if (this.checked.has(rel)) return abs;
    const parent = rel.includes("/") ? rel.slice(0, rel.lastIndexOf("/")) : "";
    await this.safeDir(parent);
    const st = await lstat(abs);
    if (st.isSymbolicLink()) throw new UnsafeTargetError(`${abs} is a symbolic link; restore never follows links in the target`);
    if (!st.isDirectory()) throw new UnsafeTargetError(`${abs} is not a directory, but the snapshot has a directory there`);
    this.checked.add(rel);
    return abs;
  }

  private split(path: string): { dir: string; name: string } {
    const i = path.lastIndexOf("/");
    return i < 0 ? { dir: "", name: path } : { dir: path.slice(0, i), name: path.slice(i + 1) };
  }

  async list(dir: string): Promise<TargetEntry[] | undefined> {
    let abs: string;
    try {
      abs = await this.safeDir(dir);
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw fsError(err, `listing ${JSON.stringify(dir)} in ${this.description}`);
    }
    try {
      const out: TargetEntry[] = [];
      for (const d of await readdir(abs, { withFileTypes: true })) {
        const kind = d.isSymbolicLink() ? "other" : kindOf(d);
        out.push({ name: d.name, kind, size: kind === "file" ? (await lstat(join(abs, d.name))).size : 0 });
      }
      return out;
    } catch (err) {
      throw fsError(err, `listing ${JSON.stringify(dir)} in ${this.description}`);
    }
  }

  async stat(path: string): Promise<TargetEntry | undefined> {
    const { dir, name } = this.split(path);
    try {
      const st = await lstat(join(await this.safeDir(dir), name));
      return { name, kind: st.isSymbolicLink() ? "other" : kindOf(st), size: st.isFile() ? st.size : 0 };
    } catch (err) {
      if (isMissing(err)) return undefined;
      throw fsError(err, `reading ${JSON.stringify(path)} in ${this.description}`);
    }
  }

  async makeDirectory(path: string, props: RestoreProperties): Promise<boolean> {
    const { dir } = this.split(path);
    try {
      await this.safeDir(dir);
      const abs = this.abs(path);
      try {
        await mkdir(abs, { mode: 0o755 });
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== "EEXIST") throw err;
        await this.safeDir(path);
        return false;
      }
      this.checked.add(path);
      await lutimes(abs, seconds(props.lastAccessTime || props.lastWriteTime), seconds(props.lastWriteTime));
      return true;
    } catch (err) {
      throw fsError(err, `creating directory ${JSON.stringify(path)} in ${this.description}`);
    }
  }

  async setDirectoryProperties(path: string, props: RestoreProperties): Promise<void> {
    try {
      await lutimes(await this.safeDir(path), seconds(props.lastAccessTime || props.lastWriteTime), seconds(props.lastWriteTime));
    } catch (err) {
      throw fsError(err, `setting the times of ${JSON.stringify(path)} in ${this.description}`);
    }
  }

  async beginFile(path: string, size: number): Promise<FileSink> {
    const { dir, name } = this.split(path);
    const what = `writing ${JSON.stringify(path)} in ${this.description}`;
    let parent: string;
    let fh: FileHandle | undefined;
    // A temporary name per final name: a rerun replaces what an interrupted run left.
    const temp = `.afb-restore-${createHash("sha256").update(name).digest("hex").slice(0, 24)}.part`;
    try {
      parent = await this.safeDir(dir);
      if (size <= SMALL_FILE_BYTES) return new SmallFileSink(parent, temp, name, size, what);
      fh = await open(join(parent, temp), TEMP_FLAGS, 0o644).catch(async (err: NodeJS.ErrnoException) => {
        if (err.code !== "EEXIST") throw err;
        // A leftover of an interrupted run; never opened in place: it could be a hard link to a completed file (see file-sinks.ts).
        await unlink(join(parent, temp));
        return open(join(parent, temp), TEMP_FLAGS, 0o644);
      });
    } catch (err) {
      throw fsError(err, what);
    }
    return new LocalFileSink(fh, parent, temp, name, size, what);
  }

  async *readFile(path: string): AsyncIterable<Uint8Array> {
    const { dir, name } = this.split(path);
    let fh: FileHandle;
    try {
      fh = await open(join(await this.safeDir(dir), name), constants.O_RDONLY | constants.O_NOFOLLOW);
    } catch (err) {
      throw fsError(err, `reading ${JSON.stringify(path)} in ${this.description}`);
    }
    const stream = createReadStream("", { fd: fh, highWaterMark: 1024 * 1024 });
    try {
      for await (const piece of stream) yield piece as Buffer;
    } finally {
      stream.destroy();
      await fh.close().catch(() => undefined);
    }
  }
}
