/** Batched chunk reads: span planning, verification of every chunk, windows of large files. */
import { MemoryObjectStore } from "../../../src/adapters/memory/object-store";
import { RepositoryCorruptError } from "../../../src/core/repository/errors";
import { Repository } from "../../../src/core/repository/repository";
import { packKey } from "../../../src/core/repository/layout";
import { planSpans, readChunkBatch, readWindows } from "../../../src/core/restore/chunk-batch";

const KiB = 1024;
const MiB = 1024 * KiB;

async function* once(b: Buffer): AsyncGenerator<Buffer> {
  yield b;
}

function counting(store: MemoryObjectStore) {
  const ranges: string[] = [];
  const get = store.get.bind(store);
  store.get = async (key, range) => {
    ranges.push(key);
    return get(key, range);
  };
  return ranges;
}

describe("planSpans", () => {
  const at = (id: string, pack: string, offset: number, length: number) => ({ id, pack, offset, length });

  it("merges neighbours of one pack and splits on gaps, packs and the span limit", () => {
    const spans = planSpans([at("c", "p1", 5000, 100), at("a", "p1", 0, 1000), at("b", "p1", 1000, 2000), at("d", "p1", 2 * MiB, 10), at("e", "p2", 0, 10)]);
    expect(spans.map((s) => s.map((c) => c.id))).toEqual([["a", "b", "c"], ["d"], ["e"]]);
    const big = Array.from({ length: 20 }, (_, i) => at(`x${i}`, "p", i * MiB, MiB));
    expect(planSpans(big).map((s) => s.length)).toEqual([16, 4]);
  });
});

describe("readChunkBatch", () => {
  it("reads many small files' chunks with one range read per span, verified", async () => {
    const store = new MemoryObjectStore();
    const repo = await Repository.open(store);
    const stored = [];
    for (let i = 0; i < 50; i++) stored.push(await repo.storeFile(once(Buffer.alloc(2 * KiB + i, i + 1))));
    await repo.flush();
    const reader = await Repository.open(store);
    const ranges = counting(store);
    const ids = stored.flatMap((s) => s.chunks.map((c) => c.id));
    const got = await readChunkBatch(reader, [...ids, ids[0]]);
    expect(got.size).toBe(50);
    for (let i = 0; i < 50; i++) expect(Buffer.concat(got.get(stored[i].chunks[0].id)!)).toEqual(Buffer.alloc(2 * KiB + i, i + 1));
    expect(ranges.filter((k) => k.startsWith("packs/"))).toHaveLength(1);
  });

  it.each([
    ["small", 4 * KiB],
    ["large", 600 * KiB],
  ])("refuses a %s chunk whose bytes in the pack were damaged", async (_, size) => {
    const store = new MemoryObjectStore();
    const repo = await Repository.open(store);
    const s = await repo.storeFile(once(Buffer.alloc(size, 7)));
    await repo.flush();
    const reader = await Repository.open(store);
    const at = (await reader.index.lookup(s.chunks[0].id))!;
    const pack = Buffer.concat(await (async () => { const parts: Buffer[] = []; for await (const p of await store.get(packKey(at.pack))) parts.push(p); return parts; })());
    pack[at.offset + 10] ^= 0xff;
    await store.put(packKey(at.pack), pack);
    await expect(readChunkBatch(reader, [s.chunks[0].id])).rejects.toThrow(RepositoryCorruptError);
  });

  it("cuts chunks out of a response that arrives in pieces crossing chunk boundaries, without copying", async () => {
    const store = new MemoryObjectStore();
    const repo = await Repository.open(store);
    const contents = Array.from({ length: 40 }, (_, i) => Buffer.alloc(1000 + 37 * i, (i % 250) + 1));
    const stored = [];
    for (const c of contents) stored.push(await repo.storeFile(once(c)));
    await repo.flush();
    const reader = await Repository.open(store);
    const pieces: Buffer[] = [];
    const get = store.get.bind(store);
    // 777-byte pieces: never aligned with a chunk, several chunks per piece and pieces per chunk.
    store.get = async (key, range) => {
      const whole = Buffer.concat(await (async () => { const parts: Buffer[] = []; for await (const p of await get(key, range)) parts.push(p); return parts; })());
      const cut: Buffer[] = [];
      for (let at = 0; at < whole.length; at += 777) cut.push(whole.subarray(at, at + 777));
      pieces.push(...cut);
      return (async function* () { yield* cut; })();
    };
    const got = await readChunkBatch(reader, stored.map((s) => s.chunks[0].id));
    for (let i = 0; i < contents.length; i++) {
      const parts = got.get(stored[i].chunks[0].id)!;
      expect(Buffer.concat(parts)).toEqual(contents[i]);
      for (const p of parts) expect(pieces.some((piece) => piece.buffer === p.buffer)).toBe(true);
    }
    expect(pieces.length).toBeGreaterThan(40);
  });

  it("refuses a range that returns more bytes than asked", async () => {
    const store = new MemoryObjectStore();
    const repo = await Repository.open(store);
    const s = await repo.storeFile(once(Buffer.alloc(5000, 3)));
    await repo.flush();
    const reader = await Repository.open(store);
    const get = store.get.bind(store);
    store.get = async (key, range) => (key.startsWith("packs/") ? (async function* () { yield Buffer.alloc(4000); yield Buffer.alloc(4000); })() : get(key, range));
    await expect(readChunkBatch(reader, [s.chunks[0].id])).rejects.toThrow(/returned more bytes/);
  });

  it("reads chunks still in the writer's open pack through getChunk", async () => {
    const repo = await Repository.open(new MemoryObjectStore());
    const s = await repo.storeFile(once(Buffer.from("pending")));
    expect(Buffer.concat((await readChunkBatch(repo, [s.chunks[0].id])).get(s.chunks[0].id)!).toString()).toBe("pending");
  });
});

describe("readWindows", () => {
  it("yields a file's chunks in order, window by window, repeated chunks included", async () => {
    const calls: number[] = [];
    const data = new Map([["a", Buffer.alloc(3 * MiB, 1)], ["b", Buffer.alloc(3 * MiB, 2)], ["z", Buffer.alloc(MiB)]]);
    const read = async (ids: readonly string[]) => {
      calls.push(ids.length);
      return new Map(ids.map((id) => [id, [data.get(id)!]]));
    };
    const chunks = ["a", "z", "z", "b", "z", "a"].map((id) => ({ id, length: data.get(id)!.length }));
    const out: Buffer[] = [];
    for await (const b of readWindows(read, chunks)) out.push(b);
    expect(Buffer.concat(out).equals(Buffer.concat(chunks.map((c) => data.get(c.id)!)))).toBe(true);
    expect(calls).toEqual([4, 2]);
  });
});

describe("a cold chunk index", () => {
  it("reads its per-pack index blobs several at a time and answers as before", async () => {
    const store = new MemoryObjectStore();
    const repo = await Repository.open(store, { targetBytes: 4 * KiB });
    const stored = [];
    for (let i = 0; i < 24; i++) stored.push(await repo.storeFile(once(Buffer.alloc(5 * KiB, i + 1))));
    await repo.flush();
    let pending = 0;
    let maxPending = 0;
    const get = store.get.bind(store);
    store.get = async (key, range) => {
      if (!key.startsWith("index/")) return get(key, range);
      pending++;
      maxPending = Math.max(maxPending, pending);
      await new Promise((resolve) => setTimeout(resolve, 2));
      pending--;
      return get(key, range);
    };
    const reader = await Repository.open(store);
    const ids = stored.map((s) => s.chunks[0].id);
    const got = await readChunkBatch(reader, ids);
    for (let i = 0; i < 24; i++) expect(Buffer.concat(got.get(ids[i])!)).toEqual(Buffer.alloc(5 * KiB, i + 1));
    expect(maxPending).toBeGreaterThan(1);
    expect(maxPending).toBeLessThanOrEqual(8);
  });
});
