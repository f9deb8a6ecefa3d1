/**
 * The content phase: reads the added and modified files of a change set (and nothing else) from the
 * snapshot reader, streamed, with bounded parallelism, and stores them through the Repository
 * (chunk, dedup, pack, upload). Renamed, moved, metadata-only and unchanged files are never opened.
 * Guarantees: a file whose stored size differs from the size the scan listed, or that vanished before
 * it could be read, is reported as unstable and its content is not used (never stored torn: the
 * chunks it left behind are unreferenced). Memory: the chunk lists of the files read in this run
 * (what the trees need), plus the Repository's bounded buffers per read in flight.
 */
import { PathNotFoundError, type ShareReader } from "../ports/share-reader";
import type { Repository } from "../repository/repository";
import type { ChunkRef, UnstableFile } from "../repository/model";
import { needsContent, type ChangeSet, type NodeChange } from "../scan/change-set";
import { forEachLimit } from "./pool";
import { BackupError, describeError } from "./model";

/** What a read file became in the repository. */
export interface StoredFile {
  readonly size: number;
  readonly digest: string;
  readonly chunks: readonly ChunkRef[];
}

export interface ContentCounters {
  filesRead: number;
  bytesRead: number;
}

/** Files at or above this size are candidates for changed-range reads (issue 5 step 4). */
export const LARGE_FILE_BYTES = 64 * 2 ** 20;

export interface ContentOptions {
  readonly changeSet: ChangeSet;
  readonly reader: ShareReader;
  readonly repository: Repository;
  /** Files read at once. */
  readonly concurrency: number;
  readonly counters: ContentCounters;
  /** Called after each file and after each block of bytes read (progress). */
  readonly onRead?: () => void;
  /** Why large modified files were read whole (reason -> count). */
  readonly fullReadReasons: Record<string, number>;
  /** Size from which a modified file would use changed ranges. */
  readonly largeFileBytes?: number;
}

export interface ContentResult {
  readonly stored: Map<string, StoredFile>;
  readonly unstable: UnstableFile[];
}

async function* counted(source: AsyncIterable<Uint8Array>, counters: ContentCounters, onRead: (() => void) | undefined): AsyncGenerator<Uint8Array> {
  for await (const block of source) {
    counters.bytesRead += block.length;
    onRead?.();
    yield block;
  }
}

/** Reads and stores one file; undefined (and an unstable entry) when it vanished or changed size. */
export async function storeOne(path: string, fileId: string, expectedSize: number, opts: Pick<ContentOptions, "reader" | "repository" | "counters" | "onRead">, unstable: UnstableFile[]): Promise<StoredFile | undefined> {
  let content;
  try {
    content = await opts.repository.storeFile(counted(opts.reader.openFile(path), opts.counters, opts.onRead));
  } catch (err) {
    if (err instanceof PathNotFoundError) {
      unstable.push({ path, fileId, reason: "disappeared" });
      return undefined;
    }
    throw new BackupError(`backup failed reading and storing ${JSON.stringify(path)} from ${opts.reader.description}: ${describeError(err)}`, { cause: err });
  }
  opts.counters.filesRead++;
  opts.onRead?.();
  if (content.size !== expectedSize) {
    unstable.push({ path, fileId, reason: "changed" });
    return undefined;
  }
  return { size: content.size, digest: content.digest, chunks: content.chunks };
}

/** The files of `changeSet` whose content must be read. */
export function filesToRead(changeSet: ChangeSet): NodeChange[] {
  return changeSet.changes.filter(needsContent);
}

/** Runs the content phase; see the module comment. */
export async function storeChangedContent(opts: ContentOptions): Promise<ContentResult> {
  const stored = new Map<string, StoredFile>();
  const unstable: UnstableFile[] = [];
  const large = opts.largeFileBytes ?? LARGE_FILE_BYTES;
  await forEachLimit(filesToRead(opts.changeSet), opts.concurrency, async (change) => {
    if (change.kinds.includes("modified") && change.node.size >= large) {
      // Changed-range reads need a ShareReader capability the adapters do not offer yet.
      const reason = opts.reader.snapshot === undefined ? "live source has no previous share snapshot" : "reader cannot list changed ranges";
      opts.fullReadReasons[reason] = (opts.fullReadReasons[reason] ?? 0) + 1;
    }
    const file = await storeOne(change.path, change.node.fileId, change.node.size, opts, unstable);
    if (file !== undefined) stored.set(change.node.fileId, file);
  });
  return { stored, unstable };
}
