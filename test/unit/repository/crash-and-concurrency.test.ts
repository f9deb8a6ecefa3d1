import { MemoryObjectStore } from "../../../src/adapters/memory/object-store";
import { StoreError } from "../../../src/core/repository/errors";
import { listAll, type ObjectStore, type PutOptions, type ObjectInfo } from "../../../src/core/repository/object-store";
import { Repository, type StoredContent } from "../../../src/core/repository/repository";
import { pseudoRandomBytes } from "../chunking/random-bytes";
import { arrayOf, manifest, pieces } from "./fixtures";

const MiB = 1024 * 1024;

/** A store whose puts fail for keys matching `failOn` (a crash or an outage at that point). */
class FailingStore implements ObjectStore {
  failOn: RegExp | undefined;
  constructor(readonly inner: MemoryObjectStore) {}
  async put(key: string, data: Uint8Array, options?: PutOptions): Promise<ObjectInfo> {
    if (this.failOn?.test(key)) throw new StoreError("Unavailable", `injected failure writing ${key}`);
    return this.inner.put(key, data, options);
  }
  get = (key: string, range?: { offset: number; length?: number }) => this.inner.get(key, range);
  head = (key: string) => this.inner.head(key);
  list = (prefix: string, options?: { pageSize?: number; continuation?: string }) => this.inner.list(prefix, options);
  delete = (key: string) => this.inner.delete(key);
}

async function keys(store: ObjectStore, prefix: string): Promise<string[]> {
  return (await arrayOf(listAll(store, prefix))).map((i) => i.key);
}

async function readBack(repo: Repository, stored: StoredContent): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of repo.readFile(stored.chunks)) parts.push(p);
  return Buffer.concat(parts);
}

describe("crash safety", () => {
  const data = pseudoRandomBytes(6 * MiB, 21);

  it("a crash after the pack and before its index leaves an unreferenced pack that rebuildIndex indexes", async () => {
    const store = new FailingStore(new MemoryObjectStore());
    const repo = await Repository.open(store);
    store.failOn = /^index\//;
    const stored = await repo.storeFile(pieces(data, MiB));
    await expect(repo.flush()).rejects.toThrow(/injected failure writing index\/packs\//);
    await expect(repo.flush()).rejects.toThrow(/injected failure/);
    expect(await keys(store, "packs/")).toHaveLength(1);
    expect(await keys(store, "index/")).toHaveLength(0);

    store.failOn = undefined;
    const after = await Repository.open(store);
    expect(await after.hasChunk(stored.chunks[0].id)).toBe(false);
    const rebuilt = await after.rebuildIndex();
    expect(rebuilt.packsIndexed).toBe(1);
    const fresh = await Repository.open(store);
    expect(await fresh.hasChunk(stored.chunks[0].id)).toBe(true);
    expect((await readBack(fresh, stored)).equals(data)).toBe(true);
    expect((await fresh.rebuildIndex()).packsIndexed).toBe(0);
  });

  it("a failed pack write writes no index entry and no snapshot", async () => {
    const store = new FailingStore(new MemoryObjectStore());
    const repo = await Repository.open(store);
    store.failOn = /^packs\//;
    await repo.storeFile(pieces(data, MiB));
    await expect(repo.putSnapshot(manifest("s", 1, "0".repeat(64)))).rejects.toThrow(/injected/);
    expect(await keys(store, "index/")).toEqual([]);
    expect(await keys(store, "snapshots/")).toEqual([]);
  });

  it("rebuilds a lost index from the packs alone", async () => {
    const store = new MemoryObjectStore();
    const repo = await Repository.open(store, { targetBytes: 2 * MiB });
    const a = await repo.storeFile(pieces(pseudoRandomBytes(12 * MiB, 1), MiB));
    await repo.flush();
    await repo.compactIndex();
    for (const k of await keys(store, "index/")) await store.delete(k);
    const rebuilt = await (await Repository.open(store)).rebuildIndex();
    expect(rebuilt.packsIndexed).toBe((await keys(store, "packs/")).length);
    expect((await readBack(await Repository.open(store), a)).equals(pseudoRandomBytes(12 * MiB, 1))).toBe(true);
  });
});

describe("parallel writers without a lock", () => {
  it("two writers storing overlapping data at once both succeed and everything reads back", async () => {
    const store = new MemoryObjectStore();
    const shared = pseudoRandomBytes(10 * MiB, 3);
    const own = [pseudoRandomBytes(4 * MiB, 4), pseudoRandomBytes(4 * MiB, 5)];
    const [w1, w2] = await Promise.all([Repository.open(store, { targetBytes: 3 * MiB }), Repository.open(store, { targetBytes: 3 * MiB })]);
    const results = await Promise.all(
      [w1, w2].map(async (w, i) => {
        const s = await w.storeFile(pieces(shared, 256 * 1024));
        const o = await w.storeFile(pieces(own[i], 256 * 1024));
        await w.flush();
        return [s, o];
      }),
    );
    expect(results[0][0].digest).toBe(results[1][0].digest);
    const reader = await Repository.open(store);
    expect((await readBack(reader, results[0][0])).equals(shared)).toBe(true);
    expect((await readBack(reader, results[1][1])).equals(own[1])).toBe(true);
    expect((await readBack(reader, results[0][1])).equals(own[0])).toBe(true);
  });

  it("the same pack written twice (a retried activity) is one blob", async () => {
    const store = new MemoryObjectStore();
    const data = pseudoRandomBytes(3 * MiB, 8);
    for (let attempt = 0; attempt < 2; attempt++) {
      const repo = await Repository.open(new FailingStore(store));
      await repo.storeFile(pieces(data, MiB));
      await repo.flush();
      await store.delete((await keys(store, "index/packs/"))[0]);
    }
    expect(await keys(store, "packs/")).toHaveLength(1);
  });
});

describe("index compaction", () => {
  it("merges per-pack index blobs into shard runs; lookups still find every chunk", async () => {
    const store = new MemoryObjectStore();
    const repo = await Repository.open(store, { targetBytes: 2 * MiB });
    const data = pseudoRandomBytes(16 * MiB, 12);
    const stored = await repo.storeFile(pieces(data, MiB));
    await repo.flush();
    const l0 = (await keys(store, "index/packs/")).length;
    expect(l0).toBeGreaterThan(3);
    expect((await repo.compactIndex(l0 + 1)).packIndexesMerged).toBe(0);
    const result = await repo.compactIndex();
    expect(result.packIndexesMerged).toBe(l0);
    expect(await keys(store, "index/packs/")).toEqual([]);
    expect(result.runsWritten).toBe((await keys(store, "index/shards/")).length);
    const reader = await Repository.open(store);
    for (const c of stored.chunks) expect(await reader.hasChunk(c.id)).toBe(true);
    expect(await reader.hasChunk("f".repeat(64))).toBe(false);
    expect((await readBack(reader, stored)).equals(data)).toBe(true);
  });

  it("concurrent compactions and a writer lose no entry", async () => {
    const store = new MemoryObjectStore();
    const repo = await Repository.open(store, { targetBytes: MiB });
    const first = await repo.storeFile(pieces(pseudoRandomBytes(8 * MiB, 13), MiB));
    await repo.flush();
    await repo.compactIndex();
    const writer = await Repository.open(store, { targetBytes: MiB });
    const [, , second] = await Promise.all([
      (await Repository.open(store)).compactIndex(),
      (await Repository.open(store)).compactIndex(),
      writer.storeFile(pieces(pseudoRandomBytes(8 * MiB, 14), MiB)).then(async (s) => (await writer.flush(), s)),
    ]);
    await (await Repository.open(store)).compactIndex();
    const reader = await Repository.open(store);
    for (const c of [...first.chunks, ...second.chunks]) expect(await reader.hasChunk(c.id)).toBe(true);
  });

  it("keeps a bounded number of index entries in memory", async () => {
    const store = new MemoryObjectStore();
    const writer = await Repository.open(store, { targetBytes: 64 * 1024 });
    for (let i = 0; i < 600; i++) await writer.putChunk(pseudoRandomBytes(100, i + 1));
    await writer.flush();
    await writer.compactIndex();
    const reader = await Repository.open(store, { maxCachedEntries: 50 });
    for (let i = 0; i < 600; i += 7) expect(await reader.hasChunk((await writer.putChunk(pseudoRandomBytes(100, i + 1))).id)).toBe(true);
    const loads = reader.index.shardLoads;
    for (let i = 0; i < 600; i += 7) await reader.hasChunk((await writer.putChunk(pseudoRandomBytes(100, i + 1))).id);
    expect(reader.index.shardLoads).toBeGreaterThan(loads);
  });
});
