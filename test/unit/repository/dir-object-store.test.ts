/**
 * The local-folder ObjectStore (AFB_REPOSITORY_PATH) passes the ObjectStore conformance suite, and
 * keeps its own promises: objects are plain files under objects/, a put leaves no temporary file and
 * nothing outside the folder, a crash's leftovers are never listed, two stores on one folder (two
 * processes) race safely, links are never followed, fs errors name the object.
 */
import { existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, symlinkSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { DirObjectStore, translateDirError } from "../../../src/adapters/local-fs/dir-object-store";
import { AlreadyExistsError, NotFoundError, StoreError } from "../../../src/core/repository/errors";
import { listAll, readAll } from "../../../src/core/repository/object-store";
import { objectStoreConformance } from "./object-store.conformance";

const roots: string[] = [];
function freshRoot(): string {
  const root = mkdtempSync(join(tmpdir(), "afb-dir-store-"));
  roots.push(root);
  return join(root, "repo");
}
afterAll(() => {
  for (const r of roots) rmSync(r, { recursive: true, force: true });
});

objectStoreConformance("DirObjectStore", async () => {
  const store = new DirObjectStore(freshRoot());
  await store.ensureContainer();
  return { store, dispose: async () => undefined };
});

describe("DirObjectStore", () => {
  test("an object is a plain file under objects/; a put leaves no temporary file and writes nowhere else", async () => {
    const root = freshRoot();
    const store = new DirObjectStore(root);
    await store.put("packs/ab12", Buffer.from("pack bytes"));
    await store.put("snapshots/share-1/20260101T000000.000Z-ff", Buffer.from("manifest"), { ifNoneMatch: true });
    expect(readFileSync(join(root, "objects", "packs", "ab12"), "utf8")).toBe("pack bytes");
    expect(readdirSync(join(root, "tmp"))).toEqual([]);
    expect(readdirSync(root).sort()).toEqual(["objects", "tmp"]);
    expect(readdirSync(join(root, ".."))).toEqual(["repo"]);
  });

  test("a temporary file left by a crash is never listed or read as an object", async () => {
    const root = freshRoot();
    const store = new DirObjectStore(root);
    await store.put("trees/t1", Buffer.from("tree"));
    writeFileSync(join(root, "tmp", "4242-1"), "half a pack");
    const keys = [];
    for await (const item of listAll(store, "")) keys.push(item.key);
    expect(keys).toEqual(["trees/t1"]);
    await store.put("trees/t2", Buffer.from("next"));
    expect((await readAll(store, "trees/t2")).toString()).toBe("next");
  });

  test("two stores on one folder (two processes): one create-only put wins, the other sees AlreadyExists", async () => {
    const root = freshRoot();
    const [a, b] = [new DirObjectStore(root), new DirObjectStore(root)];
    const results = await Promise.allSettled([a.put("heads/x", Buffer.from("a"), { ifNoneMatch: true }), b.put("heads/x", Buffer.from("b"), { ifNoneMatch: true })]);
    expect(results.filter((r) => r.status === "fulfilled")).toHaveLength(1);
    const loser = results.find((r) => r.status === "rejected") as PromiseRejectedResult;
    expect(loser.reason).toBeInstanceOf(AlreadyExistsError);
    const winner = results[0].status === "fulfilled" ? "a" : "b";
    expect((await readAll(b, "heads/x")).toString()).toBe(winner);
  });

  test("a symbolic link in place of an object is refused, never followed", async () => {
    const root = freshRoot();
    const store = new DirObjectStore(root);
    await store.ensureContainer();
    const outside = join(root, "..", "secret.txt");
    writeFileSync(outside, "not the repository's");
    mkdirSync(join(root, "objects", "trees"), { recursive: true });
    symlinkSync(outside, join(root, "objects", "trees", "evil"));
    await expect(store.get("trees/evil")).rejects.toMatchObject({ code: "InvalidRequest", message: expect.stringMatching(/trees\/evil: a symbolic link is in the way/) });
    await expect(store.head("trees/evil")).rejects.toThrow(/trees\/evil is not a regular file/);
    expect((await store.list("trees/")).items).toEqual([]);
  });

  test("a missing folder holds nothing; a file where the folder should be is a clear error", async () => {
    const missing = new DirObjectStore(freshRoot());
    expect(await missing.head("config")).toBeUndefined();
    await expect(missing.get("config")).rejects.toBeInstanceOf(NotFoundError);
    expect((await missing.list("")).items).toEqual([]);

    const root = freshRoot();
    writeFileSync(root, "a file, not a folder");
    const store = new DirObjectStore(root);
    const err = await store.ensureContainer().then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as Error).message).toBe(`local repository ${root}: cannot create its folders: a file is in the way of the folder`);
    expect(existsSync(join(root, "objects"))).toBe(false);
  });

  test("fs errors become the port's errors, naming the object and the folder", () => {
    const errno = (code: string) => Object.assign(new Error(`${code}: raw`), { code });
    expect(translateDirError(errno("ENOENT"), "get", "packs/p", "/r")).toBeInstanceOf(NotFoundError);
    expect(translateDirError(errno("EEXIST"), "put", "packs/p", "/r")).toBeInstanceOf(AlreadyExistsError);
    expect(translateDirError(errno("EACCES"), "put", "packs/p", "/r")).toMatchObject({ code: "Unauthorized", message: "local repository /r: put packs/p: EACCES" });
    expect(translateDirError(errno("EROFS"), "put", "packs/p", "/r")).toMatchObject({ code: "Unauthorized" });
    const full = translateDirError(errno("ENOSPC"), "put", "packs/p", "/r");
    expect(full).toMatchObject({ code: "Unavailable", message: "local repository /r: put packs/p: no space left on the device" });
    expect(full.retryable).toBe(true);
    expect(translateDirError(errno("EIO"), "get", "trees/t", "/r")).toMatchObject({ code: "Unavailable", message: "local repository /r: get trees/t: EIO" });
  });
});
