/**
 * Reads many small chunks with few requests: their pack locations are looked up in the chunk index,
 * grouped by pack, sorted by offset, and chunks closer than MERGE_GAP are read as one range of at
 * most MAX_SPAN bytes (a backup stores a directory's small files next to each other, so a batch of
 * them is usually one or two range reads instead of one per file); a large file is read in windows of
 * WINDOW_BYTES of chunks, one window ahead (at most two windows, 16 MiB plus one chunk, held per file).
 * Every chunk is verified against its id. Chunks not in the index yet (still in the writer's open
 * pack) go through getChunk.
 */
import { createHash } from "node:crypto";
import type { Repository } from "../repository/repository";
import { RepositoryCorruptError } from "../repository/errors";
import { packKey } from "../repository/layout";
import type { ChunkRef, HexHash } from "../repository/model";
import type { ObjectStore } from "../repository/object-store";
import type { SnapshotContent } from "./walk";

const MERGE_GAP = 256 * 1024;
const MAX_SPAN = 16 * 1024 * 1024;
const PARALLEL_READS = 4;
const WINDOW_BYTES = 8 * 1024 * 1024;

interface Located {
  readonly id: HexHash;
  readonly pack: HexHash;
  readonly offset: number;
  readonly length: number;
}

/**
 * A chunk's bytes: slices of the pieces its span arrived in (a chunk usually crosses several), never
 * copied between the socket and the file (write-content.ts hands them on as vectors).
 */
export type ChunkBytes = readonly Buffer[];

/**
 * Whether `parts` hash to `id`, on the event loop. WebCrypto's thread-pool digest copies its input
 * first (on this thread) and takes one buffer only; a restore profile showed that copy, its
 * allocation and the garbage it makes cost more than hashing in place (~1 GB/s with SHA instructions).
 */
function hashesTo(parts: ChunkBytes, id: HexHash): boolean {
  const h = createHash("sha256");
  for (const p of parts) h.update(p);
  return h.digest("hex") === id;
}

/** The pieces of the response for bytes [offset, offset + length) of `key`, as they arrived. */
async function readRange(store: ObjectStore, key: string, offset: number, length: number): Promise<Buffer[]> {
  const pieces: Buffer[] = [];
  let got = 0;
  for await (const piece of await store.get(key, { offset, length })) {
    got += piece.length;
    if (got > length) throw new RepositoryCorruptError(`${key}: the range at ${offset} of ${length} bytes returned more bytes`);
    pieces.push(piece);
  }
  return pieces;
}

/** Cuts the chunks of `span` (in offset order, starting at `start`) out of `pieces`: slices, no copy. */
function cutSpan(pieces: readonly Buffer[], span: readonly Located[], start: number): ChunkBytes[] {
  const out: Buffer[][] = [];
  let i = 0;
  let pieceStart = 0;
  for (const c of span) {
    const from = c.offset - start;
    const to = from + c.length;
    // Chunks of a span do not overlap and come in order: the pieces before `from` are done with.
    while (i < pieces.length && pieceStart + pieces[i].length <= from) pieceStart += pieces[i++].length;
    const parts: Buffer[] = [];
    let at = pieceStart;
    for (let j = i; j < pieces.length && at < to; at += pieces[j++].length) {
      const lo = Math.max(from, at);
      const hi = Math.min(to, at + pieces[j].length);
      if (lo < hi) parts.push(pieces[j].subarray(lo - at, hi - at));
    }
    out.push(parts);
  }
  return out;
}

/** Spans of one pack to read: each covers chunks in offset order. */
export function planSpans(chunks: readonly Located[]): Located[][] {
  const byPack = new Map<HexHash, Located[]>();
  for (const c of chunks) (byPack.get(c.pack) ?? byPack.set(c.pack, []).get(c.pack)!).push(c);
  const spans: Located[][] = [];
  for (const list of byPack.values()) {
    list.sort((a, b) => a.offset - b.offset);
    let span: Located[] = [];
    for (const c of list) {
      const first = span[0];
      const last = span[span.length - 1];
      if (first !== undefined && (c.offset - (last.offset + last.length) > MERGE_GAP || c.offset + c.length - first.offset > MAX_SPAN)) {
        spans.push(span);
        span = [];
      }
      span.push(c);
    }
    if (span.length > 0) spans.push(span);
  }
  return spans;
}

/** The chunks `ids`, by id, read span by span (PARALLEL_READS at once). */
export async function readChunkBatch(repo: Pick<Repository, "index" | "store" | "getChunk">, ids: readonly HexHash[]): Promise<Map<HexHash, ChunkBytes>> {
  const out = new Map<HexHash, ChunkBytes>();
  const located: Located[] = [];
  const loose: HexHash[] = [];
  for (const id of new Set(ids)) {
    const at = await repo.index.lookup(id);
    if (at === undefined) loose.push(id);
    else located.push({ id, pack: at.pack, offset: at.offset, length: at.length });
  }
  const spans = planSpans(located);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < spans.length) {
      const span = spans[next++];
      const start = span[0].offset;
      const end = span[span.length - 1].offset + span[span.length - 1].length;
      const pieces = await readRange(repo.store, packKey(span[0].pack), start, end - start);
      cutSpan(pieces, span, start).forEach((parts, k) => {
        const c = span[k];
        if (parts.reduce((n, p) => n + p.length, 0) !== c.length || !hashesTo(parts, c.id)) throw new RepositoryCorruptError(`chunk ${c.id} in pack ${c.pack} does not match its id`);
        out.set(c.id, parts);
      });
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, spans.length) }, worker));
  for (const id of loose) out.set(id, [await repo.getChunk(id)]);
  return out;
}

/** A file's content, read window by window with readChunks, the next window read while this one is consumed. */
export async function* readWindows(readChunks: (ids: readonly HexHash[]) => Promise<Map<HexHash, ChunkBytes>>, chunks: readonly ChunkRef[]): AsyncGenerator<Buffer> {
  const windows: ChunkRef[][] = [];
  let bytes = WINDOW_BYTES;
  for (const c of chunks) {
    if (bytes + c.length > WINDOW_BYTES) {
      windows.push([]);
      bytes = 0;
    }
    windows[windows.length - 1].push(c);
    bytes += c.length;
  }
  const fetch = (i: number) => {
    const p = readChunks(windows[i].map((c) => c.id));
    p.catch(() => undefined);
    return p;
  };
  let next = windows.length > 0 ? fetch(0) : undefined;
  for (let i = 0; i < windows.length; i++) {
    const got = await next!;
    next = i + 1 < windows.length ? fetch(i + 1) : undefined;
    for (const c of windows[i]) yield* got.get(c.id) as ChunkBytes;
  }
}

/** A repository as the restorer reads it, with batched reads of small files. */
export function repositoryContent(repo: Repository): SnapshotContent {
  return {
    getTree: (id) => repo.getTree(id),
    readFile: (chunks) => repo.readFile(chunks),
    getSddl: (id) => repo.getSddl(id),
    readChunks: (ids) => readChunkBatch(repo, ids),
    // The lookup's errors surface again, where they matter, when the chunk is read.
    warmUp: (id) => repo.index.lookup(id).then(() => undefined, () => undefined),
  };
}
