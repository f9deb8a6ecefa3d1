/**
 * A RecordSpool in a temporary file: one JSON line per record, appended through a buffer of about
 * a million characters, so the first backup of a share of millions of files keeps its index records on disk instead
 * of in memory until the manifest is written.
 * Guarantees: the file lives in a folder of its own under `dir` (created 0700: records name the
 * share's files), which `dispose` removes; appends are written in order, one write at a time; `read`
 * streams the file back in pieces of 1 MiB, so reading costs one batch of memory. A process that dies
 * leaves its folder behind (`afb-spool-<pid>-*`), never a partial index; the next spool created in the
 * same place removes the folders of processes that no longer run.
 */
import { mkdtemp, open, readdir, rm, type FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { StringDecoder } from "node:string_decoder";
import type { NodeRecord } from "../../core/ports/node-index";
import { assertBatchSize, RecordSpoolError, type RecordSpool } from "../../core/ports/record-spool";

/** Characters buffered before a write (up to 3 bytes each in UTF-8). */
const FLUSH_CHARS = 1 << 20;
const READ_BYTES = 1 << 20;

export class FileRecordSpool implements RecordSpool {
  private pending: string[] = [];
  private pendingChars = 0;
  private written = 0;
  private writing: Promise<void> = Promise.resolve();
  private reading = false;
  private disposed = false;

  private constructor(
    private readonly folder: string,
    private readonly file: FileHandle,
  ) {}

  /** An empty spool in a new folder under `dir`. */
  static async create(dir: string): Promise<FileRecordSpool> {
    await removeOrphans(dir);
    const folder = await mkdtemp(join(dir, `afb-spool-${process.pid}-`));
    try {
      return new FileRecordSpool(folder, await open(join(folder, "records.jsonl"), "w+", 0o600));
    } catch (err) {
      await rm(folder, { recursive: true, force: true });
      throw err;
    }
  }

  async append(records: readonly NodeRecord[]): Promise<void> {
    if (this.reading || this.disposed) throw new RecordSpoolError(`records appended to a spool that is ${this.disposed ? "disposed of" : "being read"}`);
    for (const r of records) {
      const line = JSON.stringify(r) + "\n";
      this.pending.push(line);
      this.pendingChars += line.length;
    }
    if (this.pendingChars >= FLUSH_CHARS) await this.flush();
  }

  async *read(batchSize: number): AsyncIterable<readonly NodeRecord[]> {
    assertBatchSize(batchSize);
    if (this.disposed) throw new RecordSpoolError("a disposed spool cannot be read");
    this.reading = true;
    await this.flush();
    const decoder = new StringDecoder("utf8");
    const buf = Buffer.allocUnsafe(READ_BYTES);
    let rest = "";
    let line = 0;
    let batch: NodeRecord[] = [];
    for (let position = 0; position < this.written; ) {
      const { bytesRead } = await this.file.read(buf, 0, Math.min(READ_BYTES, this.written - position), position);
      if (bytesRead === 0) throw new RecordSpoolError(`spool file ended at byte ${position} of ${this.written}`);
      position += bytesRead;
      const lines = (rest + decoder.write(buf.subarray(0, bytesRead))).split("\n");
      rest = lines.pop() as string;
      for (const text of lines) {
        line++;
        batch.push(parseLine(text, line));
        if (batch.length === batchSize) {
          yield batch;
          batch = [];
        }
      }
    }
    if (rest + decoder.end() !== "") throw new RecordSpoolError(`spool file ends inside line ${line + 1}`);
    if (batch.length > 0) yield batch;
  }

  async dispose(): Promise<void> {
    if (this.disposed) return;
    this.disposed = true;
    this.pending = [];
    await this.writing.catch(() => undefined);
    await this.file.close().catch(() => undefined);
    await rm(this.folder, { recursive: true, force: true });
  }

  /** Queues the buffered lines behind the writes already queued; resolves once they are on disk. */
  private flush(): Promise<void> {
    if (this.pending.length > 0) {
      const bytes = Buffer.from(this.pending.join(""), "utf8");
      this.pending = [];
      this.pendingChars = 0;
      this.writing = this.writing.then(() => this.writeAt(bytes));
    }
    return this.writing;
  }

  private async writeAt(bytes: Buffer): Promise<void> {
    for (let off = 0; off < bytes.length; ) {
      const { bytesWritten } = await this.file.write(bytes, off, bytes.length - off, this.written);
      off += bytesWritten;
      this.written += bytesWritten;
    }
  }
}

/** Removes the spool folders under `dir` whose process is gone (best effort: a spool is never needed after its process). */
async function removeOrphans(dir: string): Promise<void> {
  let names: string[];
  try {
    names = await readdir(dir);
  } catch {
    return;
  }
  for (const name of names) {
    const pid = /^afb-spool-(\d+)-/.exec(name)?.[1];
    if (pid !== undefined && !isRunning(Number(pid))) await rm(join(dir, name), { recursive: true, force: true }).catch(() => undefined);
  }
}

function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (err) {
    // EPERM: it runs under another user.
    return (err as NodeJS.ErrnoException).code === "EPERM";
  }
}

function parseLine(text: string, line: number): NodeRecord {
  try {
    return JSON.parse(text) as NodeRecord;
  } catch (err) {
    throw new RecordSpoolError(`spool file is damaged at line ${line}: ${err instanceof Error ? err.message : String(err)}`, { cause: err });
  }
}
