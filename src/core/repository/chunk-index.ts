/**
 * The chunk index: "do we have chunk X, and where?" over index blobs, without loading the whole index.
 *
 * Two levels, both immutable blobs (no lock, no coordinator):
 *  - L0: index/packs/<pack>, one per pack, written by the pack writer only after the pack is durable.
 *  - L1: index/shards/<xx>/<run>, sorted runs of shard xx (first byte of the chunk id) that compaction
 *    builds by merging L0 blobs and older runs; it deletes what it merged only after the new run is
 *    durable. A shard's runs are read only when a looked-up id falls into it, kept in compact form
 *    (about 44 bytes per entry, binary search), and the least recently used shards are dropped once
 *    more than `maxCachedEntries` entries are loaded.
 * Lookups read L0 once per ChunkIndex (compaction keeps it short), then the shard of the id. Chunks
 * written by this process and the L0 entries are held in a compact table (chunk-table.ts), not as objects.
 *
 * Guarantees: a hit always names a durable pack holding the chunk (entries are written after their
 * pack, and are never changed). A lookup may miss a chunk written concurrently by another writer or
 * moved by a concurrent compaction: the chunk is then stored again, which is harmless (dedup loss,
 * never data loss). Concurrent compactions are safe: every run is a union of durable entries.
 */
import { createHash } from "node:crypto";
import { decodeIndexRun, decodePackIndex, encodeIndexShard, encodePackIndex, findInRun, runEntries, type ChunkLocation, type IndexRun, type PackEntry } from "./codec-index";
import { RepositoryCorruptError, StoreError } from "./errors";
import { ChunkTable } from "./chunk-table";
import { idFromKey, PACK_INDEX_PREFIX, packIndexKey, SHARD_COUNT, shardOf, shardPrefix } from "./layout";
import type { HexHash } from "./model";
import { listAll, putIfAbsent, readAll, type ObjectStore } from "./object-store";

/** L0 blobs read at once when the index loads them. */
const L0_READS = 8;

export interface ChunkIndexOptions {
  /** Index entries kept in memory from shard runs (default 2,000,000: about 90 MB). */
  readonly maxCachedEntries?: number;
}

export interface CompactionResult {
  readonly packIndexesMerged: number;
  readonly runsWritten: number;
  readonly blobsDeleted: number;
}

interface LoadedShard {
  readonly runs: readonly IndexRun[];
  readonly keys: readonly string[];
  readonly entries: number;
}

export class ChunkIndex {
  private readonly maxCachedEntries: number;
  private readonly local = new ChunkTable();
  private recent: Promise<ChunkTable> | undefined;
  private readonly shards = new Map<number, Promise<LoadedShard>>();
  private readonly shardEntries = new Map<number, number>();
  /** Index blobs written through this object (L0 and runs), for tests and benchmarks. */
  blobsWritten = 0;
  /** Shard loads (each: one list call and one read per run). */
  shardLoads = 0;

  constructor(private readonly store: ObjectStore, options: ChunkIndexOptions = {}) {
    this.maxCachedEntries = options.maxCachedEntries ?? 2_000_000;
    if (!Number.isInteger(this.maxCachedEntries) || this.maxCachedEntries < 1) throw new Error(`maxCachedEntries must be a positive integer, got ${options.maxCachedEntries}`);
  }

  async lookup(id: HexHash): Promise<ChunkLocation | undefined> {
    const raw = Buffer.from(id, "hex");
    const mine = this.local.get(id, raw);
    if (mine !== undefined) return mine;
    const fromRecent = (await (this.recent ??= this.loadRecent())).get(id, raw);
    if (fromRecent !== undefined) return fromRecent;
    for (const run of (await this.shard(shardOf(id))).runs) {
      const hit = findInRun(run, raw);
      if (hit !== undefined) return hit;
    }
    return undefined;
  }

  /** Records a durable pack: writes its L0 blob (idempotent), then answers for its chunks locally. */
  async addPack(pack: HexHash, entries: readonly PackEntry[]): Promise<void> {
    if (await putIfAbsent(this.store, packIndexKey(pack), encodePackIndex(entries, pack))) this.blobsWritten++;
    for (const e of entries) this.local.set(e, pack);
  }

  /** Merges every L0 blob into the shard runs when there are at least `minPackIndexes` of them. */
  async compact(minPackIndexes = 1): Promise<CompactionResult> {
    const l0Keys: string[] = [];
    const byShard = new Map<number, ChunkLocation[]>();
    for await (const item of listAll(this.store, PACK_INDEX_PREFIX)) {
      const entries = await this.readPackIndex(item.key);
      if (entries === undefined) continue;
      l0Keys.push(item.key);
      for (const e of entries) {
        const s = shardOf(e.id);
        (byShard.get(s) ?? byShard.set(s, []).get(s)!).push(e);
      }
    }
    if (l0Keys.length === 0 || l0Keys.length < minPackIndexes) return { packIndexesMerged: 0, runsWritten: 0, blobsDeleted: 0 };
    let runsWritten = 0;
    let blobsDeleted = 0;
    for (let s = 0; s < SHARD_COUNT; s++) {
      const fresh = byShard.get(s);
      if (fresh === undefined) continue;
      const old = await this.readShard(s);
      const merged = new Map<HexHash, ChunkLocation>();
      for (const run of old.runs) for (const e of runEntries(run)) if (!merged.has(e.id)) merged.set(e.id, e);
      for (const e of fresh) if (!merged.has(e.id)) merged.set(e.id, e);
      const bytes = encodeIndexShard(s, [...merged.values()]);
      const runKey = shardPrefix(s) + createHash("sha256").update(bytes).digest("hex");
      if (await putIfAbsent(this.store, runKey, bytes)) {
        runsWritten++;
        this.blobsWritten++;
      }
      for (const k of old.keys) if (k !== runKey && (await this.store.delete(k))) blobsDeleted++;
      this.forget(s);
    }
    for (const k of l0Keys) if (await this.store.delete(k)) blobsDeleted++;
    return { packIndexesMerged: l0Keys.length, runsWritten, blobsDeleted };
  }

  /** Every pack the index knows (L0 blobs and every shard run): a repair-time scan of the whole index. */
  async indexedPacks(): Promise<Set<HexHash>> {
    const packs = new Set<HexHash>();
    for await (const item of listAll(this.store, PACK_INDEX_PREFIX)) {
      const id = idFromKey(item.key, PACK_INDEX_PREFIX);
      if (id !== undefined) packs.add(id);
    }
    for (let s = 0; s < SHARD_COUNT; s++) for (const run of (await this.readShard(s)).runs) for (const p of run.packs) packs.add(p);
    return packs;
  }

  /**
   * The L0 entries, read L0_READS blobs at a time (one by one, a cold restore of an uncompacted
   * repository waited on a chain of round trips before its first chunk) and applied in list order.
   */
  private async loadRecent(): Promise<ChunkTable> {
    const recent = new ChunkTable();
    const keys: string[] = [];
    for await (const item of listAll(this.store, PACK_INDEX_PREFIX)) keys.push(item.key);
    const reads = new Map<number, Promise<ChunkLocation[] | undefined>>();
    let started = 0;
    const readUpTo = (end: number) => {
      for (; started < Math.min(end, keys.length); started++) {
        const p = this.readPackIndex(keys[started]);
        // Awaited below in order; if an earlier read fails first, this one must not go unhandled.
        p.catch(() => undefined);
        reads.set(started, p);
      }
    };
    for (let i = 0; i < keys.length; i++) {
      readUpTo(i + L0_READS);
      const entries = await reads.get(i);
      reads.delete(i);
      for (const e of entries ?? []) recent.set(e, e.pack);
    }
    return recent;
  }

  /** Entries of one L0 blob; undefined when a compaction deleted it since it was listed. */
  private async readPackIndex(key: string): Promise<ChunkLocation[] | undefined> {
    const pack = idFromKey(key, PACK_INDEX_PREFIX);
    if (pack === undefined) return undefined;
    const bytes = await readAll(this.store, key).catch(notFoundAsUndefined);
    if (bytes === undefined) return undefined;
    return decodePackIndex(bytes).entries.map((e) => ({ ...e, pack }));
  }

  private shard(s: number): Promise<LoadedShard> {
    const cached = this.shards.get(s);
    if (cached !== undefined) {
      this.shards.delete(s);
      this.shards.set(s, cached);
      return cached;
    }
    const loading = this.readShard(s);
    this.shards.set(s, loading);
    loading.then(
      (loaded) => {
        if (this.shards.get(s) !== loading) return;
        this.shardEntries.set(s, loaded.entries);
        this.evict(s);
      },
      () => this.forget(s),
    );
    return loading;
  }

  private evict(keep: number): void {
    let total = [...this.shardEntries.values()].reduce((a, b) => a + b, 0);
    for (const s of [...this.shards.keys()]) {
      if (total <= this.maxCachedEntries) break;
      if (s === keep || !this.shardEntries.has(s)) continue;
      total -= this.shardEntries.get(s)!;
      this.forget(s);
    }
  }

  private forget(s: number): void {
    this.shards.delete(s);
    this.shardEntries.delete(s);
  }

  private async readShard(s: number): Promise<LoadedShard> {
    this.shardLoads++;
    const runs: IndexRun[] = [];
    const keys: string[] = [];
    const prefix = shardPrefix(s);
    for await (const item of listAll(this.store, prefix)) {
      const id = idFromKey(item.key, prefix);
      if (id === undefined) continue;
      const bytes = await readAll(this.store, item.key).catch(notFoundAsUndefined);
      if (bytes === undefined) continue;
      if (createHash("sha256").update(bytes).digest("hex") !== id) throw new RepositoryCorruptError(`index run ${item.key} does not match its id`);
      keys.push(item.key);
      runs.push(decodeIndexRun(bytes));
    }
    return { runs, keys, entries: runs.reduce((n, r) => n + r.packRefs.length, 0) };
  }
}

function notFoundAsUndefined(err: unknown): undefined {
  if (err instanceof StoreError && err.code === "NotFound") return undefined;
  throw err;
}
