/**
 * Reads many small chunks with few requests: their pack locations are looked up in the chunk index,
 * grouped by pack, sorted by offset, and chunks closer than MERGE_GAP are read as one range of at
 * most MAX_SPAN bytes (a backup stores a directory's small files next to each other, so a batch of
 * them is usually one or two range reads instead of one per file); a large file is read in windows of
 * WINDOW_BYTES of chunks, one window ahead (at most two windows, 16 MiB plus one chunk, held per file).
 * Every chunk is verified against its id. Chunks not in the index yet (still in the writer's open
 * pack) go through getChunk.
 */
import { createHash, webcrypto } from "node:crypto";
import type { Repository } from "../repository/repository";
import { RepositoryCorruptError } from "../repository/errors";
import { packKey } from "../repository/layout";
import type { ChunkRef, HexHash } from "../repository/model";
import { readAll } from "../repository/object-store";
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

/** Chunks at least this long are hashed on the thread pool; a round trip costs more than hashing a small one. */
const ASYNC_HASH_BYTES = 256 * 1024;

/**
 * SHA-256 of a chunk; large ones on the thread pool (WebCrypto), so that the event loop, which a
 * restore profile showed ~85% busy (HTTP, writes, hashing), stays free for the reads and writes.
 */
async function sha256Hex(data: Buffer): Promise<string> {
  if (data.length < ASYNC_HASH_BYTES) return createHash("sha256").update(data).digest("hex");
  return Buffer.from(await webcrypto.subtle.digest("SHA-256", data)).toString("hex");
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
export async function readChunkBatch(repo: Pick<Repository, "index" | "store" | "getChunk">, ids: readonly HexHash[]): Promise<Map<HexHash, Buffer>> {
  const out = new Map<HexHash, Buffer>();
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
      const bytes = await readAll(repo.store, packKey(span[0].pack), { offset: start, length: end - start });
      await Promise.all(
        span.map(async (c) => {
          const data = bytes.subarray(c.offset - start, c.offset - start + c.length);
          if (data.length !== c.length || (await sha256Hex(data)) !== c.id) throw new RepositoryCorruptError(`chunk ${c.id} in pack ${c.pack} does not match its id`);
          out.set(c.id, data);
        }),
      );
    }
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_READS, spans.length) }, worker));
  for (const id of loose) out.set(id, await repo.getChunk(id));
  return out;
}

/** A file's content, read window by window with readChunks, the next window read while this one is consumed. */
export async function* readWindows(readChunks: (ids: readonly HexHash[]) => Promise<Map<HexHash, Buffer>>, chunks: readonly ChunkRef[]): AsyncGenerator<Buffer> {
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
    for (const c of windows[i]) yield got.get(c.id) as Buffer;
  }
}

/** A repository as the restorer reads it, with batched reads of small files. */
export function repositoryContent(repo: Repository): SnapshotContent {
  return {
    getTree: (id) => repo.getTree(id),
    readFile: (chunks) => repo.readFile(chunks),
    getSddl: (id) => repo.getSddl(id),
    readChunks: (ids) => readChunkBatch(repo, ids),
  };
}
