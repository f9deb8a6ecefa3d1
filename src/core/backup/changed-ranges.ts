/**
 * Changed-range reads of a large modified file (issue 5, step 4). When the reader can say which byte
 * ranges changed since the previous share snapshot (Azure Files: Get Ranges with prevsharesnapshot),
 * the file is re-chunked only from the chunk boundary before each change until the new cut points
 * realign with the previous version's boundaries; every other chunk is the previous version's.
 * Why this equals a full read: FastCDC decides each cut from the bytes after the previous cut only,
 * so a pass started at a boundary both versions share cuts exactly where a pass from byte 0 would,
 * and once a cut lands on a previous boundary past the change, the bytes (unchanged) and therefore
 * the cuts that follow are the previous version's. The result (chunks, digest) is the full read's.
 * Costs: per changed region, the chunk before it, the region, and the chunker's read-ahead (up to
 * 16 MiB) until it realigns. A size change marks the last byte of the shorter length and all after it
 * as changed.
 */
import { chunkId, contentDigest } from "../chunking/content-hash";
import { chunkStream } from "../chunking/stream-chunker";
import type { ReadRange, ShareReader } from "../ports/share-reader";
import type { ChunkRef, FileNode } from "../repository/model";
import type { Repository } from "../repository/repository";
import type { ContentCounters, StoredFile } from "./content";

/** A byte range that changed. */
export interface ChangedRange {
  readonly offset: number;
  readonly count: number;
}

/** The optional ShareReader capability changed-range reads need; detected at run time. */
export interface RangeDiffReader {
  /** Ranges of `path` whose bytes differ between `previousSnapshot` and what this reader reads. */
  getChangedRanges(path: string, previousSnapshot: string): Promise<readonly ChangedRange[]>;
}

/** The reader as a RangeDiffReader, when it implements the capability. */
export function asRangeDiffReader(reader: ShareReader): (ShareReader & RangeDiffReader) | undefined {
  return typeof (reader as Partial<RangeDiffReader>).getChangedRanges === "function" ? (reader as ShareReader & RangeDiffReader) : undefined;
}

/** Sorted, merged ranges within [0, size), plus the tail from the shorter length's last byte when the size changed. */
export function normalizeRanges(ranges: readonly ChangedRange[], previousSize: number, size: number): Array<{ start: number; end: number }> {
  const all = ranges.map((r) => ({ start: Math.max(0, r.offset), end: Math.min(size, r.offset + r.count) })).filter((r) => r.end > r.start);
  // The previous version's last cut was forced by its end, not by its content: from the byte before
  // the shorter length on, nothing of the old cut points can be trusted.
  if (previousSize !== size && size > 0) all.push({ start: Math.max(0, Math.min(previousSize, size) - 1), end: size });
  all.sort((a, b) => a.start - b.start);
  const out: Array<{ start: number; end: number }> = [];
  for (const r of all) {
    const last = out[out.length - 1];
    if (last !== undefined && r.start <= last.end) last.end = Math.max(last.end, r.end);
    else out.push({ ...r });
  }
  return out;
}

export interface RangeStoreOptions {
  readonly reader: ShareReader;
  readonly path: string;
  readonly size: number;
  readonly previous: Pick<FileNode, "size" | "chunks">;
  readonly ranges: readonly ChangedRange[];
  readonly repository: Repository;
  readonly counters: ContentCounters;
  readonly onRead?: () => void;
}

/** Stores a modified file by its changed ranges; returns what a full read would have stored. */
export async function storeByChangedRanges(o: RangeStoreOptions): Promise<StoredFile & { rangeReads: number }> {
  const old = o.previous.chunks;
  const bounds: number[] = [0];
  for (const c of old) bounds.push(bounds[bounds.length - 1] + c.length);
  const boundaryIndex = new Map(bounds.map((b, i) => [b, i] as const));
  const regions = normalizeRanges(o.ranges, o.previous.size, o.size);
  const chunks: ChunkRef[] = [];
  let pos = 0;
  let i = 0;
  let rangeReads = 0;
  const reuseUntil = (limit: number) => {
    while (i < old.length && bounds[i + 1] <= limit) chunks.push(old[i++]);
    pos = bounds[i];
  };
  for (let k = 0; k < regions.length; k++) {
    if (regions[k].end <= pos) continue;
    reuseUntil(Math.min(regions[k].start, o.size));
    let end = regions[k].end;
    rangeReads++;
    const source = o.reader.openFile(o.path, { offset: pos } satisfies ReadRange);
    let realigned = false;
    for await (const data of chunkStream(counted(source, o.counters, o.onRead))) {
      const { id } = await o.repository.putChunk(data, chunkId(data).toString("hex"));
      chunks.push({ id, length: data.length });
      pos += data.length;
      while (k + 1 < regions.length && regions[k + 1].start < pos) end = Math.max(end, regions[++k].end);
      const at = boundaryIndex.get(pos);
      if (pos >= end && at !== undefined && pos < o.size) {
        i = at;
        realigned = true;
        break;
      }
    }
    if (!realigned) {
      i = old.length;
      break;
    }
  }
  if (pos < o.size) reuseUntil(o.size);
  const size = chunks.reduce((n, c) => n + c.length, 0);
  const digest = contentDigest(chunks.map((c) => Buffer.from(c.id, "hex"))).toString("hex");
  return { size, digest, chunks, rangeReads };
}

async function* counted(source: AsyncIterable<Uint8Array>, counters: ContentCounters, onRead: (() => void) | undefined): AsyncGenerator<Uint8Array> {
  for await (const block of source) {
    counters.bytesRead += block.length;
    onRead?.();
    yield block;
  }
}
