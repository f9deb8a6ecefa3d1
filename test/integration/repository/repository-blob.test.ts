import { listAll, type ObjectInfo, type ObjectStore, type PutOptions } from "../../../src/core/repository/object-store";
import { Repository } from "../../../src/core/repository/repository";
import { pseudoRandomBytes } from "../../unit/chunking/random-bytes";
import { arrayOf, fileNode, manifest, pieces, tree, dirNode } from "../../unit/repository/fixtures";
import { startAzuriteBlob, type BlobFixture } from "./azurite";

const MiB = 1024 * 1024;

/** Counts blob writes on the way to the real store. */
class CountingStore implements ObjectStore {
  puts = 0;
  constructor(private readonly inner: ObjectStore) {}
  put(key: string, data: Uint8Array, options?: PutOptions): Promise<ObjectInfo> {
    this.puts++;
    return this.inner.put(key, data, options);
  }
  get = (key: string, range?: { offset: number; length?: number }) => this.inner.get(key, range);
  head = (key: string) => this.inner.head(key);
  list = (prefix: string, options?: { pageSize?: number; continuation?: string }) => this.inner.list(prefix, options);
  delete = (key: string) => this.inner.delete(key);
}

async function readBack(repo: Repository, chunks: Parameters<Repository["readFile"]>[0]): Promise<Buffer> {
  return Buffer.concat(await arrayOf(repo.readFile(chunks)));
}

let azurite: BlobFixture;
beforeAll(async () => {
  azurite = await startAzuriteBlob();
});
afterAll(async () => azurite?.stop());

describe("Repository over Blob Storage (Azurite)", () => {
  it("backs up a small tree and restores it from a fresh process's view", async () => {
    const store = await azurite.newStore("round-trip");
    const repo = await Repository.open(store, { targetBytes: 4 * MiB });
    const big = pseudoRandomBytes(24 * MiB, 31);
    const bigStored = await repo.storeFile(pieces(big, 4 * MiB));
    const small = await repo.storeFile(pieces(Buffer.from("hello, repository"), 1024));
    const sddl = await repo.putSddl("O:BAG:SYD:(A;;FA;;;SY)");
    const sub = await repo.putTree({ fileId: "5", parentId: "1", files: [fileNode("note.txt", { size: small.size, digest: small.digest, chunks: small.chunks, permission: sddl })], directories: [] });
    const root = await repo.putTree(tree([fileNode("big.bin", { size: bigStored.size, digest: bigStored.digest, chunks: bigStored.chunks })], [dirNode("docs", sub.id, { totalFiles: 1, totalSize: small.size })]));
    const ref = await repo.putSnapshot(manifest("share-a", Date.UTC(2026, 10, 1), root.id, { tags: ["it"] }));
    await repo.compactIndex();

    const restore = await Repository.open(store);
    const [listed] = await arrayOf(restore.listSnapshots("share-a"));
    expect(listed).toEqual(ref);
    const m = await restore.getSnapshot(listed);
    const rootTree = await restore.getTree(m.root.tree);
    const bigNode = rootTree.files[0];
    expect((await readBack(restore, bigNode.chunks)).equals(big)).toBe(true);
    const docs = await restore.getTree(rootTree.directories[0].tree);
    expect((await readBack(restore, docs.files[0].chunks)).toString()).toBe("hello, repository");
    expect(await restore.getSddl(docs.files[0].permission!)).toBe("O:BAG:SYD:(A;;FA;;;SY)");
    expect((await arrayOf(restore.listPacks())).length).toBe(repo.packStats.packsWritten);
  });

  it("stores 10,000 files of 1 KiB with at most 10 blob writes", async () => {
    const store = new CountingStore(await azurite.newStore("small-files"));
    const repo = await Repository.open(store);
    const before = store.puts;
    const files = [];
    for (let i = 0; i < 10_000; i++) {
      const s = await repo.storeFile(pieces(pseudoRandomBytes(1024, 100_000 + i), 1024));
      files.push(fileNode(`f${String(i).padStart(5, "0")}`, { size: s.size, digest: s.digest, chunks: s.chunks }));
    }
    const root = await repo.putTree(tree(files));
    await repo.putSnapshot(manifest("small", 1, root.id));
    expect(store.puts - before).toBeLessThanOrEqual(10);
    const again = await Repository.open(store);
    expect((await readBack(again, files[9_999].chunks)).equals(pseudoRandomBytes(1024, 109_999))).toBe(true);
  });

  it("rebuilds the chunk index from the packs alone", async () => {
    const store = await azurite.newStore("rebuild");
    const repo = await Repository.open(store, { targetBytes: 2 * MiB });
    const data = pseudoRandomBytes(10 * MiB, 77);
    const stored = await repo.storeFile(pieces(data, MiB));
    await repo.flush();
    for (const prefix of ["index/packs/", "index/shards/"]) {
      for (const item of await arrayOf(listAll(store, prefix))) await store.delete(item.key);
    }
    const fresh = await Repository.open(store);
    expect(await fresh.hasChunk(stored.chunks[0].id)).toBe(false);
    const rebuilt = await fresh.rebuildIndex();
    expect(rebuilt.packsIndexed).toBe(repo.packStats.packsWritten);
    expect((await readBack(await Repository.open(store), stored.chunks)).equals(data)).toBe(true);
  });
});
