/**
 * The ObjectStore conformance suite: every adapter (memory in test/unit, Blob against Azurite in
 * test/integration) runs exactly these tests, so the in-memory store may stand in for the real one.
 */
import { AlreadyExistsError, NotFoundError, StoreError } from "../../../src/core/repository/errors";
import { listAll, putIfAbsent, readAll, type ObjectStore } from "../../../src/core/repository/object-store";

export interface StoreFixture {
  readonly store: ObjectStore;
  readonly dispose: () => Promise<void>;
}

function bytes(n: number, seed = 1): Buffer {
  const b = Buffer.allocUnsafe(n);
  for (let i = 0; i < n; i++) b[i] = (i * 31 + seed) & 0xff;
  return b;
}

export function objectStoreConformance(adapter: string, createFixture: () => Promise<StoreFixture>): void {
  describe(`ObjectStore conformance: ${adapter}`, () => {
    let fixture: StoreFixture;
    let store: ObjectStore;
    beforeAll(async () => {
      fixture = await createFixture();
      store = fixture.store;
    });
    afterAll(async () => fixture?.dispose());

    it("stores, heads and reads back an object, including an empty one", async () => {
      const info = await store.put("a/one", Buffer.from("hello"));
      expect(info).toMatchObject({ key: "a/one", size: 5 });
      expect(info.etag).not.toBe("");
      expect(await store.head("a/one")).toMatchObject({ key: "a/one", size: 5 });
      expect((await readAll(store, "a/one")).toString()).toBe("hello");
      await store.put("a/empty", Buffer.alloc(0));
      expect((await readAll(store, "a/empty")).length).toBe(0);
      expect(await store.head("a/empty")).toMatchObject({ size: 0 });
    });

    it("reports a missing object as NotFound on get, undefined on head, false on delete", async () => {
      await expect(store.get("missing/key")).rejects.toBeInstanceOf(NotFoundError);
      await expect(store.get("missing/key")).rejects.toMatchObject({ code: "NotFound" });
      expect(await store.head("missing/key")).toBeUndefined();
      expect(await store.delete("missing/key")).toBe(false);
    });

    it("replaces on plain put and creates only once with ifNoneMatch", async () => {
      await store.put("b/x", Buffer.from("v1"));
      await store.put("b/x", Buffer.from("v2"));
      expect((await readAll(store, "b/x")).toString()).toBe("v2");
      await expect(store.put("b/x", Buffer.from("v3"), { ifNoneMatch: true })).rejects.toBeInstanceOf(AlreadyExistsError);
      expect((await readAll(store, "b/x")).toString()).toBe("v2");
      expect(await putIfAbsent(store, "b/y", Buffer.from("y"))).toBe(true);
      expect(await putIfAbsent(store, "b/y", Buffer.from("other"))).toBe(false);
      expect((await readAll(store, "b/y")).toString()).toBe("y");
    });

    it("lets exactly one of several racing create-only puts win", async () => {
      const results = await Promise.allSettled([1, 2, 3, 4].map((i) => store.put("race/key", Buffer.from(`w${i}`), { ifNoneMatch: true })));
      expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
      for (const r of results) if (r.status === "rejected") expect(r.reason).toBeInstanceOf(AlreadyExistsError);
    });

    it("reads byte ranges, cuts a range short at the end, refuses one that starts past it", async () => {
      const data = bytes(10_000);
      await store.put("c/range", data);
      expect((await readAll(store, "c/range", { offset: 100, length: 50 })).equals(data.subarray(100, 150))).toBe(true);
      expect((await readAll(store, "c/range", { offset: 9_000 })).equals(data.subarray(9_000))).toBe(true);
      expect((await readAll(store, "c/range", { offset: 9_990, length: 100 })).equals(data.subarray(9_990))).toBe(true);
      await expect(readAll(store, "c/range", { offset: 20_000, length: 10 })).rejects.toMatchObject({ code: "InvalidRange" });
      await expect(readAll(store, "c/range", { offset: -1 })).rejects.toMatchObject({ code: "InvalidRequest" });
    });

    it("streams a large object in more than one piece", async () => {
      const data = bytes(6 * 1024 * 1024 + 3, 9);
      await store.put("d/large", data);
      const pieces: Buffer[] = [];
      for await (const p of await store.get("d/large")) pieces.push(p);
      expect(pieces.length).toBeGreaterThan(1);
      expect(Buffer.concat(pieces).equals(data)).toBe(true);
    });

    it("lists by prefix in ascending order, page by page, with sizes", async () => {
      const keys = ["list/p/3", "list/p/1", "list/p/2", "list/p/10", "list/q/1", "list/p-other"];
      for (const k of keys) await store.put(k, bytes(k.length));
      const firstPage = await store.list("list/p/", { pageSize: 2 });
      expect(firstPage.items).toHaveLength(2);
      expect(firstPage.continuation).toBeDefined();
      const all = [];
      for await (const item of listAll(store, "list/p/", 2)) all.push(item);
      expect(all.map((i) => i.key)).toEqual(["list/p/1", "list/p/10", "list/p/2", "list/p/3"]);
      expect(all.map((i) => i.size)).toEqual([8, 9, 8, 8]);
      const none = await store.list("list/none/");
      expect(none.items).toEqual([]);
      expect(none.continuation).toBeUndefined();
    });

    it("deletes an object", async () => {
      await store.put("e/gone", Buffer.from("x"));
      expect(await store.delete("e/gone")).toBe(true);
      await expect(store.get("e/gone")).rejects.toBeInstanceOf(NotFoundError);
    });

    it("rejects invalid keys with a message naming the key", async () => {
      for (const key of ["", "/abs", "a//b", "a/../b", "trailing/", "back\\slash"]) {
        await expect(store.put(key, Buffer.from("x"))).rejects.toThrow(StoreError);
        await expect(store.put(key, Buffer.from("x"))).rejects.toThrow(JSON.stringify(key));
      }
    });
  });
}
