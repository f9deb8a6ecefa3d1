import { createHash } from "node:crypto";
import { MemoryObjectStore } from "../../../src/adapters/memory/object-store";
import { ChunkIndex } from "../../../src/core/repository/chunk-index";
import { readAll, listAll, type ObjectInfo, type ObjectStore, type PutOptions } from "../../../src/core/repository/object-store";
import { parsePack } from "../../../src/core/repository/pack-format";
import { PackWriter } from "../../../src/core/repository/pack-writer";
import { pseudoRandomBytes } from "../chunking/random-bytes";

const KiB = 1024;
const idOf = (data: Uint8Array): string => createHash("sha256").update(data).digest("hex");

/** A store whose puts take a few event-loop turns, so that writers overlap with uploads in flight. */
class SlowStore implements ObjectStore {
  readonly inner = new MemoryObjectStore();
  async put(key: string, data: Uint8Array, options?: PutOptions): Promise<ObjectInfo> {
    for (let i = 0; i < 3; i++) await new Promise((r) => setImmediate(r));
    return this.inner.put(key, data, options);
  }
  get = (key: string, range?: { offset: number; length?: number }) => this.inner.get(key, range);
  head = (key: string) => this.inner.head(key);
  list = (prefix: string, options?: { pageSize?: number; continuation?: string }) => this.inner.list(prefix, options);
  delete = (key: string) => this.inner.delete(key);
}

/** Every stored pack, parsed and checked chunk by chunk against its id. */
async function storedPacks(store: ObjectStore): Promise<{ size: number; body: number; ids: string[] }[]> {
  const packs = [];
  for await (const item of listAll(store, "packs/")) {
    const bytes = await readAll(store, item.key);
    const entries = parsePack(bytes, item.key);
    for (const e of entries) expect(idOf(bytes.subarray(e.offset, e.offset + e.length))).toBe(e.id);
    packs.push({ size: bytes.length, body: entries.reduce((n, e) => n + e.length, 0), ids: entries.map((e) => e.id) });
  }
  return packs;
}

describe("PackWriter", () => {
  const chunks = Array.from({ length: 40 }, (_, i) => pseudoRandomBytes(7 * KiB + i * 97, 100 + i));

  it("copies each chunk once: the caller may reuse its buffer, and packs reuse their buffers, without a wrong byte", async () => {
    const store = new SlowStore();
    const index = new ChunkIndex(store);
    const writer = new PackWriter(store, index, { targetBytes: 32 * KiB, maxInFlight: 2 });
    const scratch = Buffer.alloc(16 * KiB);
    for (const c of chunks) {
      c.copy(scratch);
      expect(await writer.add(idOf(c), scratch.subarray(0, c.length))).toBe(true);
      scratch.fill(0xaa);
    }
    await writer.flush();
    const packs = await storedPacks(store.inner);
    expect(packs.length).toBeGreaterThan(8);
    expect(packs.flatMap((p) => p.ids).sort()).toEqual(chunks.map(idOf).sort());
    for (const c of chunks) expect(await index.lookup(idOf(c))).toBeDefined();
  });

  it("never fills a pack past targetBytes when concurrent callers add while it waits for an upload slot", async () => {
    const store = new SlowStore();
    const writer = new PackWriter(store, new ChunkIndex(store), { targetBytes: 32 * KiB, maxInFlight: 1 });
    // Eight callers at once, as the backup's concurrent reads are.
    const lanes = Array.from({ length: 8 }, (_, lane) => chunks.filter((_, i) => i % 8 === lane));
    const added = await Promise.all(lanes.map(async (mine) => {
      let n = 0;
      for (const c of mine) if (await writer.add(idOf(c), c)) n++;
      return n;
    }));
    await writer.flush();
    expect(added.reduce((a, b) => a + b, 0)).toBe(chunks.length);
    const packs = await storedPacks(store.inner);
    for (const p of packs) expect(p.body).toBeLessThanOrEqual(32 * KiB);
    expect(packs.flatMap((p) => p.ids).sort()).toEqual(chunks.map(idOf).sort());
  });

  it("answers pending reads with copies that outlive the reuse of the pack buffer", async () => {
    const store = new SlowStore();
    const writer = new PackWriter(store, new ChunkIndex(store), { targetBytes: 16 * KiB, maxInFlight: 1 });
    const first = chunks[0];
    await writer.add(idOf(first), first);
    expect(writer.has(idOf(first))).toBe(true);
    const copy = writer.pending(idOf(first))!;
    for (const c of chunks.slice(1, 12)) await writer.add(idOf(c), c);
    await writer.flush();
    expect(writer.has(idOf(first))).toBe(false);
    expect(writer.pending(idOf(first))).toBeUndefined();
    expect(copy.equals(first)).toBe(true);
  });

  it("stores a chunk larger than targetBytes in a pack of its own", async () => {
    const store = new MemoryObjectStore();
    const writer = new PackWriter(store, new ChunkIndex(store), { targetBytes: 8 * KiB });
    const big = pseudoRandomBytes(100 * KiB, 5);
    await writer.add(idOf(chunks[0]), chunks[0]);
    await writer.add(idOf(big), big);
    await writer.add(idOf(chunks[1]), chunks[1]);
    await writer.flush();
    const packs = await storedPacks(store);
    expect(packs.map((p) => p.ids.length).sort()).toEqual([1, 1, 1]);
  });

  it("completes a pack of more tiny chunks than its tail room holds in a new buffer, pending reads included", async () => {
    const store = new SlowStore();
    const writer = new PackWriter(store, new ChunkIndex(store), { targetBytes: 128 * KiB, maxInFlight: 2 });
    const tiny = Array.from({ length: 32 * KiB + 10 }, (_, i) => {
      const b = Buffer.alloc(4);
      b.writeUInt32LE(i);
      return b;
    });
    for (const c of tiny) await writer.add(idOf(c), c);
    // The first pack (32 Ki chunks, a trailer over 1 MiB) is still uploading (the store waits for the
    // event loop, these adds never did); the last ten chunks are in the open pack.
    for (const c of [tiny[0], tiny[5000], tiny[tiny.length - 1]]) expect(writer.pending(idOf(c))?.equals(c)).toBe(true);
    await writer.flush();
    const packs = await storedPacks(store.inner);
    expect(packs.map((p) => p.ids.length).sort((a, b) => a - b)).toEqual([10, 32 * KiB]);
    expect(Math.max(...packs.map((p) => p.size))).toBeGreaterThan(128 * KiB + 1024 * KiB);
  });
});
