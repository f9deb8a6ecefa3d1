/**
 * The backup repository over an ObjectStore: content-addressed chunks in packs, trees, SDDL strings
 * and snapshot manifests (layout.ts names every blob). Blob Storage is the source of truth: the chunk
 * index and anything a database holds about backups can be rebuilt from these blobs.
 *
 * Guarantees:
 *  - Writes are idempotent and need no lock: every object is named by the SHA-256 of its bytes and
 *    created with If-None-Match, so parallel or retried writers only ever write identical bytes.
 *  - A snapshot is written last, after `flush`: everything it references (trees, chunks in durable,
 *    indexed packs, SDDL) exists before it does. A crash leaves at worst unreferenced blobs.
 *  - Content streams: storing or reading a file holds at most a few chunks (<= 8 MiB each) and the
 *    open packs (<= 16 MiB each) in memory, whatever its size.
 *  - Everything read is verified against its id (chunks, trees, SDDL, manifests).
 * Not guaranteed: dedup against chunks another writer is storing at the same moment (they may be
 * stored twice). Callers must `flush` before handing chunk ids to another process.
 */
import { createHash } from "node:crypto";
import { chunkId, chunkIdOf, contentDigest } from "../chunking/content-hash";
import { chunkViews } from "../chunking/stream-chunker";
import { CHUNKER_NAME, MIN_SIZE } from "../chunking/fastcdc";
import { ChunkIndex, type ChunkIndexOptions, type CompactionResult } from "./chunk-index";
import { FORMAT_VERSION, hashBytes, isHexHash } from "./codec-common";
import { decodeTree, encodeTree } from "./codec-tree";
import { NotFoundError, RepositoryCorruptError, UnsupportedFormatError } from "./errors";
import { CONFIG_KEY, idFromKey, packKey, PACKS_PREFIX, sddlKey, treeKey } from "./layout";
import type { ChunkRef, HexHash, SnapshotManifest, Tree } from "./model";
import { listAll, putIfAbsent, readAll, type ObjectStore } from "./object-store";
import { PackWriter, type PackWriterOptions } from "./pack-writer";
import { Snapshots } from "./snapshots";
import type { SnapshotRef } from "./layout";
import { readPackEntries, type PackInfo } from "./pack-reader";

export interface RepositoryOptions extends PackWriterOptions, ChunkIndexOptions {}

/** What storing one file's content produced. */
export interface StoredContent {
  readonly size: number;
  readonly digest: HexHash;
  readonly chunks: readonly ChunkRef[];
  /** Chunks (and their bytes) that were new to the repository. */
  readonly chunksAdded: number;
  readonly bytesAdded: number;
}

export interface RepositoryStats {
  chunksAdded: number;
  bytesAdded: number;
  chunksDeduplicated: number;
  treesWritten: number;
  sddlWritten: number;
}

interface RepositoryConfig {
  readonly format: number;
  readonly chunker: string;
}

const sha256 = (data: Uint8Array): HexHash => createHash("sha256").update(data).digest("hex");

/** The pieces already taken from `rest`, then the rest of it. */
async function* prepend(taken: readonly Uint8Array[], rest: AsyncIterator<Uint8Array>): AsyncGenerator<Uint8Array> {
  let finished = false;
  try {
    yield* taken;
    for (let next = await rest.next(); next.done !== true; next = await rest.next()) yield next.value;
    finished = true;
  } finally {
    // Abandoned (a failure downstream): let the source close what it holds, as for-await would.
    if (!finished) await rest.return?.();
  }
}

async function* toAsync(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): AsyncGenerator<Uint8Array> {
  yield* source;
}

/** Chunks read ahead while a file is read back (each up to 8 MiB). */
const READ_AHEAD = 3;

export class Repository {
  readonly index: ChunkIndex;
  private readonly writer: PackWriter;
  private readonly snapshots: Snapshots;
  private readonly knownTrees = new Set<HexHash>();
  private readonly knownSddl = new Set<HexHash>();
  readonly stats: RepositoryStats = { chunksAdded: 0, bytesAdded: 0, chunksDeduplicated: 0, treesWritten: 0, sddlWritten: 0 };

  private constructor(readonly store: ObjectStore, options: RepositoryOptions) {
    this.index = new ChunkIndex(store, options);
    this.writer = new PackWriter(store, this.index, options);
    this.snapshots = new Snapshots(store);
  }

  /** Opens the repository in `store`, initializing it if empty; refuses one written in another format. */
  static async open(store: ObjectStore, options: RepositoryOptions = {}): Promise<Repository> {
    const mine: RepositoryConfig = { format: FORMAT_VERSION, chunker: CHUNKER_NAME };
    let existing = await readAll(store, CONFIG_KEY).catch((err: unknown) => {
      if (err instanceof NotFoundError) return undefined;
      throw err;
    });
    if (existing === undefined && !(await putIfAbsent(store, CONFIG_KEY, Buffer.from(JSON.stringify(mine) + "\n")))) existing = await readAll(store, CONFIG_KEY);
    if (existing !== undefined) {
      let found: RepositoryConfig;
      try {
        found = JSON.parse(existing.toString("utf8")) as RepositoryConfig;
      } catch (err) {
        throw new RepositoryCorruptError("the config blob is not valid JSON", { cause: err });
      }
      if (typeof found.format !== "number" || found.format > FORMAT_VERSION) throw new UnsupportedFormatError("the repository", Number(found.format), FORMAT_VERSION);
      if (found.chunker !== CHUNKER_NAME) throw new Error(`the repository was chunked with ${JSON.stringify(found.chunker)}; this version of afb chunks with ${CHUNKER_NAME}`);
    }
    return new Repository(store, options);
  }

  get packStats(): PackWriter["stats"] {
    return this.writer.stats;
  }

  async hasChunk(id: HexHash): Promise<boolean> {
    return this.writer.has(id) || (await this.index.lookup(id)) !== undefined;
  }

  /**
   * Stores one chunk unless the repository has it; `added` says whether its bytes were new. The bytes
   * are copied into the pack being assembled: `data` may be reused once this resolves.
   */
  async putChunk(data: Uint8Array, id: HexHash = chunkId(data).toString("hex")): Promise<{ id: HexHash; added: boolean }> {
    if (await this.hasChunk(id)) {
      this.stats.chunksDeduplicated++;
      return { id, added: false };
    }
    if (!(await this.writer.add(id, data))) {
      this.stats.chunksDeduplicated++;
      return { id, added: false };
    }
    this.stats.chunksAdded++;
    this.stats.bytesAdded += data.length;
    return { id, added: true };
  }

  /** A chunk's bytes, verified against its id. */
  async getChunk(id: HexHash): Promise<Buffer> {
    hashBytes(id, "chunk id");
    const pending = this.writer.pending(id);
    if (pending !== undefined) return pending;
    const at = await this.index.lookup(id);
    if (at === undefined) throw new NotFoundError(`chunk ${id}`);
    const data = await readAll(this.store, packKey(at.pack), { offset: at.offset, length: at.length });
    if (data.length !== at.length || sha256(data) !== id) throw new RepositoryCorruptError(`chunk ${id} in pack ${at.pack} does not match its id`);
    return data;
  }

  /**
   * Chunks, hashes and stores a file's content as it streams by, holding at most the chunker's work
   * buffer: each chunk is a view of it, hashed here and copied once, into the pack being assembled.
   * Chunks are stored and listed in file order.
   */
  async storeFile(source: AsyncIterable<Uint8Array>): Promise<StoredContent> {
    const iterator = source[Symbol.asyncIterator]();
    const first = await iterator.next();
    if (first.done === true) return { size: 0, digest: contentDigest([]).toString("hex"), chunks: [], chunksAdded: 0, bytesAdded: 0 };
    const second = await iterator.next();
    // A file that arrives in one piece no longer than a minimum chunk is one chunk (FastCDC never cuts
    // before MIN_SIZE): stored directly, without the chunker's work buffer and generator per file.
    if (second.done === true && first.value instanceof Uint8Array && first.value.length > 0 && first.value.length <= MIN_SIZE) return this.storeOneChunk(first.value);
    return this.storeChunked(second.done === true ? [first.value] : prepend([first.value, second.value], iterator));
  }

  private async storeOneChunk(data: Uint8Array): Promise<StoredContent> {
    // A reader that read the whole file on a worker thread has hashed it there (local-fs/read-workers.ts).
    const raw = chunkIdOf(data);
    const { id, added } = await this.putChunk(data, raw.toString("hex"));
    return { size: data.length, digest: contentDigest([raw]).toString("hex"), chunks: [{ id, length: data.length }], chunksAdded: added ? 1 : 0, bytesAdded: added ? data.length : 0 };
  }

  private async storeChunked(source: AsyncIterable<Uint8Array> | Iterable<Uint8Array>): Promise<StoredContent> {
    const chunks: ChunkRef[] = [];
    const ids: Buffer[] = [];
    let size = 0;
    let chunksAdded = 0;
    let bytesAdded = 0;
    for await (const view of chunkViews(toAsync(source))) {
      const raw = chunkId(view);
      const { id, added } = await this.putChunk(view, raw.toString("hex"));
      chunks.push({ id, length: view.length });
      ids.push(raw);
      size += view.length;
      if (added) {
        chunksAdded++;
        bytesAdded += view.length;
      }
    }
    return { size, digest: contentDigest(ids).toString("hex"), chunks, chunksAdded, bytesAdded };
  }

  /** Streams a file's content back, chunk by chunk, reading a few chunks ahead. */
  async *readFile(chunks: readonly ChunkRef[]): AsyncGenerator<Buffer> {
    const ahead: Promise<Buffer>[] = [];
    let next = 0;
    const fill = (): void => {
      while (ahead.length < READ_AHEAD && next < chunks.length) {
        const p = this.getChunk(chunks[next++].id);
        p.catch(() => undefined);
        ahead.push(p);
      }
    };
    fill();
    while (ahead.length > 0) {
      const data = await ahead.shift()!;
      fill();
      yield data;
    }
  }

  /** Makes every chunk stored so far durable and indexed. */
  async flush(): Promise<void> {
    await this.writer.flush();
  }

  /** Stores a directory; an unchanged directory has the same id and costs no write. */
  async putTree(tree: Tree): Promise<{ id: HexHash; written: boolean }> {
    const bytes = encodeTree(tree);
    const id = sha256(bytes);
    const written = await this.putOnce(this.knownTrees, treeKey(id), id, bytes);
    if (written) this.stats.treesWritten++;
    return { id, written };
  }

  async getTree(id: HexHash): Promise<Tree> {
    return decodeTree(await this.readVerified(treeKey(id), id, "tree"));
  }

  /** Stores an SDDL string once; its id is the SHA-256 of its UTF-8 bytes. */
  async putSddl(sddl: string): Promise<HexHash> {
    if (typeof sddl !== "string" || sddl === "") throw new Error("SDDL must be a non-empty string");
    const bytes = Buffer.from(sddl, "utf8");
    const id = sha256(bytes);
    if (await this.putOnce(this.knownSddl, sddlKey(id), id, bytes)) this.stats.sddlWritten++;
    return id;
  }

  async getSddl(id: HexHash): Promise<string> {
    return (await this.readVerified(sddlKey(id), id, "SDDL")).toString("utf8");
  }

  /** Flushes pending chunks, then writes the manifest: a snapshot never references missing data. */
  async putSnapshot(manifest: SnapshotManifest): Promise<SnapshotRef> {
    await this.flush();
    return this.snapshots.put(manifest);
  }

  listSnapshots(share?: string, range: { from?: number; to?: number } = {}): AsyncGenerator<SnapshotRef> {
    return this.snapshots.list(share, range);
  }

  /** The share's last written snapshot and its manifest (see Snapshots.latest); undefined for none. */
  latestSnapshot(share: string): Promise<{ ref: SnapshotRef; manifest: SnapshotManifest } | undefined> {
    return this.snapshots.latest(share);
  }

  getSnapshot(ref: SnapshotRef): Promise<SnapshotManifest> {
    return this.snapshots.get(ref);
  }

  async *listPacks(): AsyncGenerator<PackInfo> {
    for await (const item of listAll(this.store, PACKS_PREFIX)) {
      const id = idFromKey(item.key, PACKS_PREFIX);
      if (id !== undefined) yield { id, size: item.size };
    }
  }

  /** The chunk entries of a pack, read from its own trailer (two range reads). */
  packEntries(pack: PackInfo): ReturnType<typeof readPackEntries> {
    return readPackEntries(this.store, pack);
  }

  /**
   * Rebuilds the chunk index from the packs alone: writes the L0 index blob of every pack that has
   * none (all of them when the index was lost), then compacts. Safe to run next to writers.
   */
  async rebuildIndex(): Promise<{ packsIndexed: number; compaction: CompactionResult }> {
    let packsIndexed = 0;
    const indexed = await this.index.indexedPacks();
    for await (const pack of this.listPacks()) {
      if (indexed.has(pack.id)) continue;
      await this.index.addPack(pack.id, await readPackEntries(this.store, pack));
      packsIndexed++;
    }
    return { packsIndexed, compaction: await this.index.compact() };
  }

  /** Merges the per-pack index blobs into the shard runs (see ChunkIndex.compact). */
  compactIndex(minPackIndexes?: number): Promise<CompactionResult> {
    return this.index.compact(minPackIndexes);
  }

  private async putOnce(known: Set<HexHash>, key: string, id: HexHash, bytes: Buffer): Promise<boolean> {
    if (known.has(id)) return false;
    const written = (await this.store.head(key)) === undefined && (await putIfAbsent(this.store, key, bytes));
    known.add(id);
    return written;
  }

  private async readVerified(key: string, id: HexHash, what: string): Promise<Buffer> {
    if (!isHexHash(id)) throw new Error(`${what} id must be 64 lowercase hex digits, got ${JSON.stringify(id)}`);
    const bytes = await readAll(this.store, key);
    if (sha256(bytes) !== id) throw new RepositoryCorruptError(`${what} ${id} does not match its id`);
    return bytes;
  }
}
