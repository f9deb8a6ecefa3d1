/**
 * A share's head (heads/<share>): a backup finds its parent in two reads, whatever the number of
 * snapshots; a head that is missing, garbled, of another share or naming a manifest that is gone
 * falls back to the newest listed manifest; a failure between the manifest and the head leaves the
 * head on the previous manifest.
 */
import { MemoryObjectStore } from "../../../src/adapters/memory/object-store";
import { RepositoryCorruptError, StoreError } from "../../../src/core/repository/errors";
import { headKey } from "../../../src/core/repository/layout";
import type { ObjectInfo, ObjectStore, PutOptions } from "../../../src/core/repository/object-store";
import { Repository } from "../../../src/core/repository/repository";
import { fileNode, manifest, tree } from "./fixtures";

const T = Date.UTC(2026, 0, 1);
const HOUR = 3_600_000;

async function repoWithRoot(store: ObjectStore = new MemoryObjectStore()): Promise<{ repo: Repository; root: string }> {
  const repo = await Repository.open(store);
  return { repo, root: (await repo.putTree(tree([fileNode("x")]))).id };
}

/** A store whose head writes fail while `failHeads` is set (the manifest itself is written). */
class HeadFailingStore extends MemoryObjectStore {
  failHeads = false;
  override put(key: string, data: Uint8Array, options?: PutOptions): Promise<ObjectInfo> {
    if (this.failHeads && key.startsWith("heads/")) return Promise.reject(new StoreError("Unavailable", `put ${key}: injected failure`));
    return super.put(key, data, options);
  }
}

test("finds the last written snapshot of a share by its head, in two reads and no listing, however many there are", async () => {
  const store = new MemoryObjectStore();
  const { repo, root } = await repoWithRoot(store);
  let last;
  for (let i = 0; i < 50; i++) last = await repo.putSnapshot(manifest("alpha", T + i * HOUR, root, { tags: [`n${i}`] }));
  await repo.putSnapshot(manifest("beta", T + 99 * HOUR, root));
  const before = { gets: store.stats.gets, lists: store.stats.lists };
  const latest = await repo.latestSnapshot("alpha");
  expect(latest?.ref).toEqual(last);
  expect(latest?.manifest).toMatchObject({ share: "alpha", time: T + 49 * HOUR, tags: ["n49"] });
  expect(store.stats.lists - before.lists).toBe(0);
  expect(store.stats.gets - before.gets).toBe(2);
  expect(await repo.latestSnapshot("gamma")).toBeUndefined();
});

test("the head is the last written snapshot, even when the clock went back (the one the index describes)", async () => {
  const { repo, root } = await repoWithRoot();
  await repo.putSnapshot(manifest("alpha", T + 5 * HOUR, root));
  const written = await repo.putSnapshot(manifest("alpha", T + 2 * HOUR, root));
  expect((await repo.latestSnapshot("alpha"))?.ref).toEqual(written);
});

test("without a usable head (an older repository, a garbled one, another share's, a manifest gone), the newest listed one", async () => {
  const store = new MemoryObjectStore();
  const { repo, root } = await repoWithRoot(store);
  await repo.putSnapshot(manifest("alpha", T, root));
  const newest = await repo.putSnapshot(manifest("alpha", T + HOUR, root));
  const beta = await repo.putSnapshot(manifest("beta", T + 2 * HOUR, root));

  await store.delete(headKey("alpha"));
  expect((await repo.latestSnapshot("alpha"))?.ref).toEqual(newest);

  await store.put(headKey("alpha"), Buffer.from("not a snapshot key"));
  expect((await repo.latestSnapshot("alpha"))?.ref).toEqual(newest);

  await store.put(headKey("alpha"), Buffer.from(beta.key));
  expect((await repo.latestSnapshot("alpha"))?.ref).toEqual(newest);

  const gone = await repo.putSnapshot(manifest("alpha", T + 3 * HOUR, root));
  await store.delete(gone.key);
  const found = await repo.latestSnapshot("alpha");
  expect(found?.ref).toEqual(newest);
  expect(found?.manifest.time).toBe(T + HOUR);
});

test("a failure between the manifest and the head fails the write and leaves the head on the previous manifest", async () => {
  const store = new HeadFailingStore();
  const { repo, root } = await repoWithRoot(store);
  const first = await repo.putSnapshot(manifest("alpha", T, root));
  store.failHeads = true;
  await expect(repo.putSnapshot(manifest("alpha", T + HOUR, root))).rejects.toThrow(/injected failure/);
  // The manifest is stored (a snapshot in its own right), but the parent stays the one before it.
  expect((await repo.listSnapshots("alpha").next()).value).toEqual(first);
  expect((await repo.latestSnapshot("alpha"))?.ref).toEqual(first);
  store.failHeads = false;
  const third = await repo.putSnapshot(manifest("alpha", T + 2 * HOUR, root));
  expect((await repo.latestSnapshot("alpha"))?.ref).toEqual(third);
});

test("a damaged manifest behind the head is an error, not a silent fallback", async () => {
  const store = new MemoryObjectStore();
  const { repo, root } = await repoWithRoot(store);
  const ref = await repo.putSnapshot(manifest("alpha", T, root));
  await store.delete(ref.key);
  await store.put(ref.key, Buffer.from("damaged"));
  await expect(repo.latestSnapshot("alpha")).rejects.toBeInstanceOf(RepositoryCorruptError);
});
