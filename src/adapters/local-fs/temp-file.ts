/**
 * A new file of given bytes, flushed to disk, in a folder of temporary files: what the local
 * repository folder (DirObjectStore) and its lock files (FileLeaseLock) write before giving a file its
 * name with link(2) or rename(2). Guarantees: the file is new (O_EXCL, never a file or link already
 * there) and durable when the promise resolves; on failure nothing is left behind. Errors are Node's
 * own (with `code`): callers translate them.
 */
import { constants } from "node:fs";
import { mkdir, open, unlink, type FileHandle } from "node:fs/promises";
import { join } from "node:path";

const TEMP_FLAGS = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | constants.O_NOFOLLOW;

/** Process-wide, so two stores or locks in one process never try the same name. */
let counter = 0;

const codeOf = (err: unknown): string => (err as NodeJS.ErrnoException | null)?.code ?? "";

/** Writes `data` to a new file `<dir>/<prefix><pid>-<n>` (creating `dir` if missing); returns its path. */
export async function writeDurableTemp(dir: string, prefix: string, data: Uint8Array | string, mode = 0o600): Promise<string> {
  for (;;) {
    // pid + counter is unique in this process; O_EXCL settles a collision with another machine's process.
    const temp = join(dir, `${prefix}${process.pid}-${++counter}`);
    let file: FileHandle | undefined;
    try {
      file = await open(temp, TEMP_FLAGS, mode).catch(async (err: unknown) => {
        if (codeOf(err) !== "ENOENT") throw err;
        await mkdir(dir, { recursive: true });
        return open(temp, TEMP_FLAGS, mode);
      });
      await file.writeFile(data);
      await file.sync();
      return temp;
    } catch (err) {
      if (file === undefined && codeOf(err) === "EEXIST") continue;
      await unlink(temp).catch(() => undefined);
      throw err;
    } finally {
      await file?.close().catch(() => undefined);
    }
  }
}
