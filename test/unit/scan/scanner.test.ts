/**
 * The scanner over a real directory (local-fs adapter: inode = FileId) and the in-memory index:
 * every classification, listing order, crash-safe apply, and errors.
 */
import { mkdtemp, mkdir, writeFile, rename, rm, chmod, utimes } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalShareReader } from "../../../src/adapters/local-fs/share-reader";
import { MemoryNodeIndex } from "../../../src/adapters/memory/node-index";
import { scanShare, ScanError } from "../../../src/core/scan/scanner";
import { applyChangeSet, needsContent } from "../../../src/core/scan/change-set";
import { ShareUnavailableError } from "../../../src/core/ports/share-reader";
import { CountingIndex, CountingReader, countsOf, dumpIndex, pathsOf, sync } from "./helpers";

const SHARE = "unit";
let root: string;
let reader: CountingReader;
let index: CountingIndex;

async function tree(files: Record<string, string>): Promise<void> {
  for (const [path, content] of Object.entries(files)) {
    const abs = join(root, path);
    if (path.endsWith("/")) await mkdir(abs, { recursive: true });
    else {
      await mkdir(join(abs, ".."), { recursive: true });
      await writeFile(abs, content);
    }
  }
}

const scan = (concurrency = 1) => sync({ shareId: SHARE, reader, index, concurrency });
const fresh = async () => {
  const other = new CountingIndex(new MemoryNodeIndex());
  await sync({ shareId: SHARE, reader: new CountingReader(new LocalShareReader(root)), index: other });
  return dumpIndex(other, SHARE);
};
const ZERO = { added: 0, modified: 0, renamed: 0, moved: 0, deleted: 0, metadataOnly: 0 };

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "afb-scan-"));
  reader = new CountingReader(new LocalShareReader(root));
  index = new CountingIndex(new MemoryNodeIndex());
  await tree({ "a/one.txt": "1", "a/two.txt": "22", "b/three.txt": "333", "b/deep/four.txt": "4444", "empty.bin": "", "z/": "" });
  await scan();
});
afterEach(async () => {
  await rm(root, { recursive: true, force: true });
});

test("a first scan adds everything without a query per directory; a rescan with nothing changed costs zero writes", async () => {
  index.queries = 0;
  const first = await sync({ shareId: "other", reader, index });
  expect(index.queries).toBe(1);
  expect(countsOf(first.cs)).toEqual({ ...ZERO, added: 10 });
  expect(first.cs.stats).toMatchObject({ files: 5, dirs: 5, bytes: 10 });
  expect(pathsOf(first.cs, "added")).toContain("empty.bin");
  index.queries = 0;
  const again = await scan();
  expect(index.queries).toBe(6);
  expect(countsOf(again.cs)).toEqual(ZERO);
  expect(again.writes).toBe(0);
  expect(reader.opened).toBe(0);
});

test("a 0-byte file that gains content is modified and becomes a content candidate", async () => {
  await writeFile(join(root, "empty.bin"), "now");
  const { cs } = await scan();
  expect(pathsOf(cs, "modified")).toEqual(["empty.bin"]);
  expect(cs.changes.filter(needsContent).map((c) => c.path)).toEqual(["empty.bin"]);
  expect(cs.stats.candidateBytes).toBe(3);
});

test("renaming a file is one renamed node, one write for it", async () => {
  await rename(join(root, "a/one.txt"), join(root, "a/uno.txt"));
  const { cs, writes } = await scan();
  expect(cs.stats.renamed).toBe(1);
  expect(pathsOf(cs, "renamed")).toEqual(["a/uno.txt"]);
  expect(cs.stats.added + cs.stats.deleted).toBe(0);
  // The file, plus directory "a" whose times changed with its entries.
  expect(writes).toBeLessThanOrEqual(2);
  expect(await dumpIndex(index, SHARE)).toEqual(await fresh());
});

test("renaming a directory of 1,000 files costs at most 2 writes and reads no content", async () => {
  const many: Record<string, string> = {};
  for (let i = 0; i < 1000; i++) many[`big/f${i}`] = "x";
  await tree(many);
  await scan();
  await rename(join(root, "big"), join(root, "huge"));
  reader.opened = 0;
  const { cs, writes } = await scan();
  expect(countsOf(cs)).toMatchObject({ renamed: 1, added: 0, deleted: 0, moved: 0, modified: 0 });
  expect(writes).toBeLessThanOrEqual(2);
  expect(reader.opened).toBe(0);
});

test.each([
  ["a directory listed earlier", "b/deep", "a/deep"],
  ["a directory listed later", "a", "z/a"],
])("moving a subtree to %s is one moved node", async (_what, from, to) => {
  await rename(join(root, from), join(root, to));
  const { cs, writes } = await scan();
  expect(countsOf(cs)).toMatchObject({ moved: 1, added: 0, deleted: 0, renamed: 0, modified: 0 });
  expect(pathsOf(cs, "moved")).toEqual([to]);
  // Delete at the old parent, upsert at the new, and the two parents' times.
  expect(writes).toBeLessThanOrEqual(4);
  expect(await dumpIndex(index, SHARE)).toEqual(await fresh());
});

test("moves are found whatever the concurrency", async () => {
  await rename(join(root, "b/deep"), join(root, "a/deep"));
  await rename(join(root, "a/one.txt"), join(root, "z/one.txt"));
  const { cs } = await scan(8);
  expect(pathsOf(cs, "moved")).toEqual(["a/deep", "z/one.txt"]);
  expect(cs.stats.added + cs.stats.deleted).toBe(0);
});

test("swapping two names is two renames", async () => {
  await rename(join(root, "a/one.txt"), join(root, "a/tmp"));
  await rename(join(root, "a/two.txt"), join(root, "a/one.txt"));
  await rename(join(root, "a/tmp"), join(root, "a/two.txt"));
  const { cs } = await scan();
  expect(countsOf(cs)).toMatchObject({ renamed: 2, added: 0, deleted: 0, modified: 0 });
  expect(await dumpIndex(index, SHARE)).toEqual(await fresh());
});

test("replacing a file by a new one of the same name is a deletion and an addition", async () => {
  await writeFile(join(root, "a/one.new"), "1");
  await rename(join(root, "a/one.new"), join(root, "a/one.txt"));
  const { cs } = await scan();
  expect(countsOf(cs)).toMatchObject({ added: 1, deleted: 1, renamed: 0 });
  expect(pathsOf(cs, "added")).toEqual(["a/one.txt"]);
  expect(await dumpIndex(index, SHARE)).toEqual(await fresh());
});

test("a permission change alone is metadata-only, and keeps the fingerprint", async () => {
  const before = (await dumpIndex(index, SHARE))["/b/three.txt"];
  const fileId = before.split(" ")[1];
  const parent = (await dumpIndex(index, SHARE))["/b"].split(" ")[1];
  const rec = await index.get(SHARE, { parentFileId: parent, fileId });
  await index.inner.write(SHARE, [{ op: "upsert", node: { ...rec!, fingerprint: "00112233445566ff" } }]);
  await chmod(join(root, "b/three.txt"), 0o600);
  const { cs } = await scan();
  expect(countsOf(cs)).toEqual({ ...ZERO, metadataOnly: 1 });
  expect(cs.changes[0].node.fingerprint).toBe("00112233445566ff");
});

test("a modified file loses its fingerprint until the backup reads it", async () => {
  await utimes(join(root, "a/two.txt"), new Date(2001, 1, 1), new Date(2001, 1, 1));
  const { cs } = await scan();
  expect(pathsOf(cs, "modified")).toEqual(["a/two.txt"]);
  expect(cs.changes.find((c) => c.path === "a/two.txt")?.node.fingerprint).toBeUndefined();
});

test("deleting a directory deletes its subtree, except what moved out of it", async () => {
  await rename(join(root, "b/deep/four.txt"), join(root, "four.txt"));
  await rm(join(root, "b"), { recursive: true });
  const { cs } = await scan();
  expect(pathsOf(cs, "deleted")).toEqual(["b", "b/deep", "b/three.txt"]);
  expect(pathsOf(cs, "moved")).toEqual(["four.txt"]);
  expect(await dumpIndex(index, SHARE)).toEqual(await fresh());
});

test("a directory deleted during the scan is reported and handled as deleted", async () => {
  reader.beforeList = async (path) => {
    if (path === "b") await rm(join(root, "b"), { recursive: true });
  };
  const { cs } = await scan();
  expect(cs.stats.errors).toEqual([{ path: "b", message: expect.stringMatching(/vanished during the scan/) }]);
  expect(pathsOf(cs, "deleted")).toEqual(["b", "b/deep", "b/deep/four.txt", "b/three.txt"]);
  reader.beforeList = undefined;
  expect(await dumpIndex(index, SHARE)).toEqual(await fresh());
});

test("a listing that fails stops the scan with a ScanError naming the directory", async () => {
  reader.beforeList = async (path) => {
    if (path === "b/deep") throw new ShareUnavailableError("server busy after 4 tries");
  };
  await rename(join(root, "a/one.txt"), join(root, "a/uno.txt"));
  const err = await scanShare({ shareId: SHARE, reader, index, now: () => 0 }).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(ScanError);
  expect((err as Error).message).toMatch(/"b\/deep".*server busy/);
});

test("a crash in the middle of applying leaves an index the next scan repairs", async () => {
  await rename(join(root, "b/deep"), join(root, "a/deep"));
  await rm(join(root, "a/two.txt"));
  await writeFile(join(root, "z/new.txt"), "new");
  const cs = await scanShare({ shareId: SHARE, reader, index, now: () => 0 });
  index.failAfter = 1;
  await expect(applyChangeSet(index, cs)).rejects.toThrow(/simulated crash/);
  index.failAfter = undefined;
  const { cs: again } = await scan();
  expect(again.stats.errors).toEqual([]);
  expect(await dumpIndex(index, SHARE)).toEqual(await fresh());
  expect(countsOf((await scan()).cs)).toEqual(ZERO);
});

test("progress is reported at the configured interval of the injected clock, and at the end", async () => {
  let t = 0;
  const seen: number[] = [];
  await scanShare({ shareId: SHARE, reader, index, now: () => (t += 10), progressIntervalMs: 25, onProgress: (s) => seen.push(s.dirs) });
  expect(seen.length).toBeGreaterThanOrEqual(2);
  expect(seen[seen.length - 1]).toBe(5);
});

test("a missing root directory is a clear error", async () => {
  const gone = new LocalShareReader(join(root, "nope"));
  await expect(scanShare({ shareId: SHARE, reader: gone, index, now: () => 0 })).rejects.toThrow(/cannot start the scan of local directory .*nope.*does not exist/);
});
