/**
 * The chunk index: "do we have chunk X, and where?" over index blobs, without loading the whole index.
 *
 * Two levels, both immutable blobs (no lock, no coordinator):
 *  - L0: index/packs/<pack>, one per pack, written by the pack writer only after the pack is durable.
 *  - L1: index/shards/<xx>/<run>, sorted runs of shard xx (first byte of the chunk id) that compaction
 *    builds by merging L0 blobs and older runs; it deletes what it merged only after the new run is
 *    durable. A shard's runs are read only when a looked-up id falls into it, and at most
 *    `maxCachedShards` shards stay in memory (least recently used are dropped).
 * Lookups read L0 once (compaction keeps it short), then the shard of the id.
 *
 * Guarantees: a hit always names a durable pack holding the chunk (entries are written after their
 * pack, and are never changed). A lookup may miss a chunk written concurrently by another writer or
 * moved by a concurrent compaction: the chunk is then stored again, which is harmless (dedup loss,
 * never data loss). Concurrent compactions are safe: every run is a union of durable entries.
 */
import { listAll, putIfAbsent, readAll, type ObjectStore } from "./object-store";
import { decodeIndexShard, decodePackIndex, encodeIndexShard, encodePackIndex, type ChunkLocation, type PackEntry } from "./codec-index";
import { createHash } from "node:crypto";
import { StoreError } from "./errors";
import { idFromKey, PACK_INDEX_PREFIX, packIndexKey, SHARD_COUNT, shardOf, shardPrefix } from "./layout";
import type { HexHash } from "./model";

export interface ChunkIndexOptions {
  /** Shards kept in memory at once (default 64 of 256). */
  readonly maxCachedShards?: number;
}

export interface CompactionResult {
  readonly packIndexesMerged: number;
  readonly runsWritten: number;
  readonly blobsDeleted: number;
}

type Shard = Map<HexHash, ChunkLocation>;

export class ChunkIndex {
  private readonly maxCachedShards: number;
  private readonly local = new Map<HexHash, ChunkLocation>();
  private recent: Promise<Map<HexHash, ChunkLocation>> | undefined;
  private readonly shards = new Map<number, Promise<Shard>>();
  /** Index blobs written by this index (L0 and runs), for tests and benchmarks. */
  blobsWritten = 0;

  constructor(private readonly store: ObjectStore, options: ChunkIndexOptions = {}) {
    this.maxCachedShards = options.maxCachedShards ?? 64;
    if (!Number.isInteger(this.maxCachedShards) || this.maxCachedShards < 1) throw new Error(`maxCachedShards must be a positive integer, got ${options.maxCachedShards}`);
  }

  async lookup(id: HexHash): Promise<ChunkLocation | undefined> {
    const mine = this.local.get(id);
    if (mine !== undefined) return mine;
    const fromRecent = (await (this.recent ??= this.loadRecent())).get(id);
    if (fromRecent !== undefined) return fromRecent;
    return (await this.shard(shardOf(id))).get(id);
  }

  /** Records a durable pack: writes its L0 blob (idempotent), then answers for its chunks locally. */
  async addPack(pack: HexHash, entries: readonly PackEntry[]): Promise<void> {
    if (await putIfAbsent(this.store, packIndexKey(pack), encodePackIndex(entries, pack))) this.blobsWritten++;
    for (const e of entries) this.local.set(e.id, { ...e, pack });
  }

  /** Merges every L0 blob into the shard runs when there are at least `minPackIndexes` of them. */
  async compact(minPackIndexes = 1): Promise<CompactionResult> {
    const l0Keys: string[] = [];
    const byShard = new Map<number, ChunkLocation[]>();
    for await (const item of listAll(this.store, PACK_INDEX_PREFIX)) {
      if (idFromKey(item.key, PACK_INDEX_PREFIX) === undefined) continue;
      const entries = await this.readPackIndex(item.key);
      if (entries === undefined) continue;
      l0Keys.push(item.key);
      for (const e of entries) {
        const s = shardOf(e.id);
        (byShard.get(s) ?? byShard.set(s, []).get(s)!).push(e);
      }
    }
    if (l0Keys.length < minPackIndexes || l0Keys.length === 0) return { packIndexesMerged: 0, runsWritten: 0, blobsDeleted: 0 };
    let runsWritten = 0;
    let blobsDeleted = 0;
    for (let s = 0; s < SHARD_COUNT; s++) {
      const fresh = byShard.get(s) ?? [];
      if (fresh.length === 0) continue;
      const { entries, keys } = await this.readShardRuns(s);
      for (const e of fresh) if (!entries.has(e.id)) entries.set(e.id, e);
      const run = encodeIndexShard(s, [...entries.values()]);
      const runKey = shardPrefix(s) + createHash("sha256").update(run).digest("hex");
      if (await putIfAbsent(this.store, runKey, run)) {
        runsWritten++;
        this.blobsWritten++;
      }
      for (const k of keys) if (k !== runKey && (await this.store.delete(k))) blobsDeleted++;
      this.shards.delete(s);
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
    for (let s = 0; s < SHARD_COUNT; s++) {
      for (const e of (await this.readShardRuns(s)).entries.values()) packs.add(e.pack);
    }
    return packs;
  }

  private async loadRecent(): Promise<Map<HexHash, ChunkLocation>> {
    const recent = new Map<HexHash, ChunkLocation>();
    for await (const item of listAll(this.store, PACK_INDEX_PREFIX)) {
      const entries = await this.readPackIndex(item.key);
      for (const e of entries ?? []) recent.set(e.id, e);
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

  private shard(s: number): Promise<Shard> {
    const cached = this.shards.get(s);
    if (cached !== undefined) {
      this.shards.delete(s);
      this.shards.set(s, cached);
      return cached;
    }
    const loading = this.readShardRuns(s).then((r) => r.entries);
    this.shards.set(s, loading);
    loading.catch(() => this.shards.delete(s));
    while (this.shards.size > this.maxCachedShards) this.shards.delete(this.shards.keys().next().value!);
    return loading;
  }

  private async readShardRuns(s: number): Promise<{ entries: Shard; keys: string[] }> {
    const entries: Shard = new Map();
    const keys: string[] = [];
    for await (const item of listAll(this.store, shardPrefix(s))) {
      const bytes = await readAll(this.store, item.key).catch(notFoundAsUndefined);
      if (bytes === undefined) continue;
      keys.push(item.key);
      for (const e of decodeIndexShard(bytes).entries) if (!entries.has(e.id)) entries.set(e.id, e);
    }
    return { entries, keys };
  }
}

function notFoundAsUndefined(err: unknown): undefined {
  if (err instanceof StoreError && err.code === "NotFound") return undefined;
  throw err;
}
