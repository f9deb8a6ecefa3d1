import { MemoryObjectStore } from "../../../src/adapters/memory/object-store";
import { chunkId, contentDigest, vouchChunkId } from "../../../src/core/chunking/content-hash";
import { NotFoundError, RepositoryCorruptError } from "../../../src/core/repository/errors";
import { readAll } from "../../../src/core/repository/object-store";
import { Repository } from "../../../src/core/repository/repository";
import { pseudoRandomBytes } from "../chunking/random-bytes";
import { arrayOf, dirNode, fileNode, manifest, pieces, tree } from "./fixtures";

const MiB = 1024 * 1024;

async function collect(it: AsyncIterable<Buffer>): Promise<Buffer> {
  const parts: Buffer[] = [];
  for await (const p of it) parts.push(p);
  return Buffer.concat(parts);
}

describe("Repository: content", () => {
  const data = pseudoRandomBytes(20 * MiB, 11);

  it("stores a file as chunks and reads it back, verified", async () => {
    const repo = await Repository.open(new MemoryObjectStore());
    const stored = await repo.storeFile(pieces(data, 64 * 1024));
    expect(stored.size).toBe(data.length);
    expect(stored.chunks.length).toBeGreaterThan(5);
    expect(stored.digest).toBe(contentDigest(stored.chunks.map((c) => Buffer.from(c.id, "hex"))).toString("hex"));
    expect((await collect(repo.readFile(stored.chunks))).equals(data)).toBe(true);
    await repo.flush();
    expect((await collect(repo.readFile(stored.chunks))).equals(data)).toBe(true);
  });

  it("deduplicates within a session and across sessions (the index is repository-wide: across shares too)", async () => {
    const store = new MemoryObjectStore();
    const first = await Repository.open(store);
    const a = await first.storeFile(pieces(data, MiB));
    const again = await first.storeFile(pieces(data, MiB));
    expect(again.chunksAdded).toBe(0);
    expect(again.digest).toBe(a.digest);
    await first.flush();
    const second = await Repository.open(store);
    const edited = Buffer.from(data);
    edited.write("changed near the middle", 10 * MiB);
    const b = await second.storeFile(pieces(edited, MiB));
    expect(b.chunksAdded).toBeLessThanOrEqual(2);
    expect(b.bytesAdded).toBeLessThan(data.length / 4);
  });

  it("streams: packs are written while the source is still being read", async () => {
    const store = new MemoryObjectStore();
    const repo = await Repository.open(store);
    let putsSeenMidway = -1;
    async function* source(): AsyncGenerator<Buffer> {
      const big = pseudoRandomBytes(48 * MiB, 5);
      for (let at = 0; at < big.length; at += MiB) {
        if (at === 40 * MiB) putsSeenMidway = store.stats.puts;
        yield big.subarray(at, at + MiB);
      }
    }
    await repo.storeFile(source());
    expect(putsSeenMidway).toBeGreaterThan(1);
  });

  it("stores the empty file as no chunk, a one-byte file as one", async () => {
    const repo = await Repository.open(new MemoryObjectStore());
    const empty = await repo.storeFile(pieces(Buffer.alloc(0), 1));
    expect(empty).toMatchObject({ size: 0, chunks: [], digest: "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" });
    const one = await repo.storeFile(pieces(Buffer.from([42]), 1));
    expect(one.chunks).toHaveLength(1);
    expect([...(await collect(repo.readFile(one.chunks)))]).toEqual([42]);
  });

  it("stores a small file that arrives in one piece exactly as when it arrives in many (one chunk, same ids)", async () => {
    const small = pseudoRandomBytes(300 * 1024, 12);
    const whole = await (await Repository.open(new MemoryObjectStore())).storeFile(pieces(small, small.length));
    const split = await (await Repository.open(new MemoryObjectStore())).storeFile(pieces(small, 4096));
    expect(whole).toEqual(split);
    expect(whole.chunks).toHaveLength(1);
    const emptyPiece = await (await Repository.open(new MemoryObjectStore())).storeFile((async function* () { yield Buffer.alloc(0); })());
    expect(emptyPiece.chunks).toEqual([]);
  });

  it("takes a one-piece file's vouched digest as its chunk id, for that buffer only", async () => {
    const repo = await Repository.open(new MemoryObjectStore());
    const piece = Buffer.from("hashed where it was read");
    // A deliberately different digest shows that the repository did not hash the bytes again.
    const vouched = Buffer.alloc(32, 0xab);
    vouchChunkId(piece, vouched);
    const only = async function* (b: Buffer) {
      yield b;
    };
    const stored = await repo.storeFile(only(piece));
    expect(stored.chunks).toEqual([{ id: vouched.toString("hex"), length: piece.length }]);
    // A view of the same bytes is another object: hashed here.
    const again = await (await Repository.open(new MemoryObjectStore())).storeFile(only(piece.subarray(0)));
    expect(again.chunks[0].id).toBe(chunkId(piece).toString("hex"));
    expect(() => vouchChunkId(piece, Buffer.alloc(31))).toThrow(/32 bytes/);
  });

  it("keeps its own copy of a one-piece file: the source may reuse its buffer afterwards", async () => {
    const repo = await Repository.open(new MemoryObjectStore());
    const piece = Buffer.from("content the reader will overwrite");
    const stored = await repo.storeFile(pieces(piece, piece.length));
    piece.fill(0);
    expect((await collect(repo.readFile(stored.chunks))).toString()).toBe("content the reader will overwrite");
  });

  it("closes the source when storing fails part-way (as for-await would)", async () => {
    const repo = await Repository.open(new MemoryObjectStore());
    let closed = false;
    async function* source(): AsyncGenerator<unknown> {
      try {
        yield Buffer.alloc(1000, 1);
        yield Buffer.alloc(1000, 2);
        yield "not bytes";
        yield Buffer.alloc(1000, 3);
      } finally {
        closed = true;
      }
    }
    await expect(repo.storeFile(source() as AsyncIterable<Uint8Array>)).rejects.toThrow(/Buffers or Uint8Arrays/);
    expect(closed).toBe(true);
  });

  it("packs 10,000 files of 1 KiB into at most 10 blob writes, snapshot included", async () => {
    const store = new MemoryObjectStore();
    const repo = await Repository.open(store);
    const before = store.stats.puts;
    const files = [];
    for (let i = 0; i < 10_000; i++) {
      const stored = await repo.storeFile(pieces(pseudoRandomBytes(1024, i + 1), 1024));
      files.push(fileNode(`f${i}.bin`, { size: stored.size, digest: stored.digest, chunks: stored.chunks }));
    }
    const root = await repo.putTree(tree(files));
    await repo.putSnapshot(manifest("small-files", 1_000, root.id));
    const writes = store.stats.puts - before;
    expect(writes).toBeLessThanOrEqual(10);
    expect(repo.packStats.packsWritten).toBe(1);
  });

  it("reports a chunk it does not have as NotFound, and a damaged pack as corrupt", async () => {
    const store = new MemoryObjectStore();
    const repo = await Repository.open(store);
    await expect(repo.getChunk("0".repeat(64))).rejects.toBeInstanceOf(NotFoundError);
    const stored = await repo.storeFile(pieces(Buffer.from("some content to damage"), 100));
    await repo.flush();
    const [pack] = await arrayOf(repo.listPacks());
    const bytes = await readAll(store, `packs/${pack.id}`);
    bytes[0] ^= 0xff;
    await store.put(`packs/${pack.id}`, bytes);
    const fresh = await Repository.open(store);
    await expect(fresh.getChunk(stored.chunks[0].id)).rejects.toBeInstanceOf(RepositoryCorruptError);
  });
});

describe("Repository: trees, SDDL, snapshots", () => {
  it("gives an unchanged directory the same id and writes it once", async () => {
    const store = new MemoryObjectStore();
    const repo = await Repository.open(store);
    const t = tree([fileNode("a"), fileNode("b")]);
    const first = await repo.putTree(t);
    const puts = store.stats.puts;
    const second = await (await Repository.open(store)).putTree(tree([fileNode("b"), fileNode("a")]));
    expect(second).toEqual({ id: first.id, written: false });
    expect(store.stats.puts).toBe(puts);
    expect(await repo.getTree(first.id)).toEqual({ ...t, files: [fileNode("a"), fileNode("b")] });
    const parent = await repo.putTree(tree([], [dirNode("sub", first.id, { totalFiles: 2 })]));
    expect((await repo.getTree(parent.id)).directories[0].tree).toBe(first.id);
  });

  it("stores each SDDL string once, content-addressed", async () => {
    const store = new MemoryObjectStore();
    const repo = await Repository.open(store);
    const sddl = "O:BAG:SYD:(A;;FA;;;SY)(A;;FA;;;BA)";
    const id = await repo.putSddl(sddl);
    expect(await repo.putSddl(sddl)).toBe(id);
    expect(repo.stats.sddlWritten).toBe(1);
    expect(await repo.getSddl(id)).toBe(sddl);
    await expect(repo.putSddl("")).rejects.toThrow(/non-empty/);
  });

  it("lists snapshots by share and time from their names, and reads them back", async () => {
    const store = new MemoryObjectStore();
    const repo = await Repository.open(store);
    const root = (await repo.putTree(tree([fileNode("x")]))).id;
    const t = Date.UTC(2026, 0, 1);
    const a1 = await repo.putSnapshot(manifest("alpha", t, root));
    const a2 = await repo.putSnapshot(manifest("alpha", t + 86_400_000, root, { parent: a1.id, tags: ["daily"] }));
    await repo.putSnapshot(manifest("beta", t + 1, root));
    await repo.putSnapshot(manifest("alpha-archive", t + 2, root));
    const gets = store.stats.gets;
    expect((await arrayOf(repo.listSnapshots("alpha"))).map((r) => r.id)).toEqual([a1.id, a2.id]);
    expect((await arrayOf(repo.listSnapshots("alpha", { from: t + 1 }))).map((r) => r.id)).toEqual([a2.id]);
    expect((await arrayOf(repo.listSnapshots())).map((r) => r.share)).toEqual(["alpha-archive", "alpha", "alpha", "beta"]);
    expect(store.stats.gets).toBe(gets);
    expect(a2.key).toBe(`snapshots/alpha/20260102T000000.000Z-${a2.id}`);
    const m = await repo.getSnapshot(a2);
    expect(m).toMatchObject({ share: "alpha", time: t + 86_400_000, parent: a1.id, tags: ["daily"] });
    expect(m.root.tree).toBe(root);
    expect(() => repo.listSnapshots("Not A Share")).toThrow(/share key/);
  });

  it("refuses a repository chunked with another configuration", async () => {
    const store = new MemoryObjectStore();
    await store.put("config", Buffer.from(JSON.stringify({ format: 1, chunker: "fastcdc-64k" })));
    await expect(Repository.open(store)).rejects.toThrow(/chunked with "fastcdc-64k"/);
    await store.put("config", Buffer.from(JSON.stringify({ format: 9, chunker: "x" })));
    await expect(Repository.open(store)).rejects.toThrow(/format version 9/);
  });
});
