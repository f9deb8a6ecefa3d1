/**
 * Every classification, end to end: Azure Files emulator -> azure-files ShareReader -> scanner ->
 * Cosmos node index on cosmosdb-server, with the real SDKs. No test reads file content.
 */
import { FileSystemAttributes, type ShareClient } from "@azure/storage-file-share";
import { HOSTILE_NAMES, TRAILING_DOT_NAMES, XML_UNSAFE_NAMES } from "../../../src/local/files-emulator/hostile-names";
import { CountingReader, countsOf, dumpIndex, pathsOf } from "../../unit/scan/helpers";
import { build, newShare, startWorld, syncShare, type ScanWorld } from "./fixture";

let world: ScanWorld;
let share: ShareClient;
let reader: CountingReader;
let shareId: string;
const ZERO = { added: 0, modified: 0, renamed: 0, moved: 0, deleted: 0, metadataOnly: 0 };
const scan = (concurrency = 1) => syncShare(world, reader, shareId, concurrency);

jest.setTimeout(30_000);

beforeAll(async () => {
  world = await startWorld("classify");
}, 60_000);
afterAll(async () => {
  await world?.close();
});

beforeEach(async () => {
  ({ share, reader, shareId } = await newShare(world));
  await build(share, { "a/": "", "a/one.txt": "1", "a/two.txt": "22", "b/": "", "b/three.txt": "333", "b/deep/": "", "b/deep/four.txt": "4444", "empty.bin": "", "z/": "" });
  const first = await scan();
  expect(countsOf(first.cs)).toEqual({ ...ZERO, added: 10 });
});
afterEach(() => {
  expect(reader.opened).toBe(0);
});

/** The index after incremental syncs equals the index a fresh full scan builds. */
async function expectIndexMatchesFreshScan(): Promise<void> {
  const freshId = `${shareId}-fresh${Math.floor(performance.now())}`;
  await syncShare(world, reader, freshId);
  expect(await dumpIndex(world.index, shareId)).toEqual(await dumpIndex(world.index, freshId));
}

test("a rescan with nothing changed finds nothing and writes nothing; a 0-byte file is indexed", async () => {
  const { cs, writes } = await scan();
  expect(countsOf(cs)).toEqual(ZERO);
  expect(writes).toBe(0);
  expect((await dumpIndex(world.index, shareId))["/empty.bin"]).toMatch(/^file \d+ 0$/);
});

test("renaming a file is one rename", async () => {
  await share.rootDirectoryClient.getFileClient("a/one.txt").rename("a/uno.txt");
  const { cs, writes } = await scan();
  expect(countsOf(cs)).toMatchObject({ renamed: 1, added: 0, deleted: 0 });
  expect(pathsOf(cs, "renamed")).toEqual(["a/uno.txt"]);
  expect(writes).toBeLessThanOrEqual(2);
  await expectIndexMatchesFreshScan();
});

test.each([
  ["a directory listed earlier", "b/deep", "a/deep"],
  ["a directory listed later", "a", "z/a"],
])("moving a subtree to %s is one move", async (_what, from, to) => {
  await share.getDirectoryClient(from).rename(to);
  const { cs, writes } = await scan(4);
  expect(countsOf(cs)).toMatchObject({ moved: 1, added: 0, deleted: 0, renamed: 0 });
  expect(pathsOf(cs, "moved")).toEqual([to]);
  expect(writes).toBeLessThanOrEqual(4);
  await expectIndexMatchesFreshScan();
});

test("swapping two names is two renames", async () => {
  const dir = share.getDirectoryClient("a");
  await dir.getFileClient("one.txt").rename("a/tmp");
  await dir.getFileClient("two.txt").rename("a/one.txt");
  await dir.getFileClient("tmp").rename("a/two.txt");
  const { cs } = await scan();
  expect(countsOf(cs)).toMatchObject({ renamed: 2, added: 0, deleted: 0, modified: 0 });
  await expectIndexMatchesFreshScan();
});

test("deleting and re-creating a file of the same name is a new node (new FileId)", async () => {
  const before = (await dumpIndex(world.index, shareId))["/a/one.txt"];
  await share.rootDirectoryClient.getFileClient("a/one.txt").delete();
  await build(share, { "a/one.txt": "1" });
  const { cs } = await scan();
  expect(countsOf(cs)).toMatchObject({ added: 1, deleted: 1, renamed: 0, modified: 0 });
  expect((await dumpIndex(world.index, shareId))["/a/one.txt"]).not.toEqual(before);
});

test("changing attributes alone is metadata-only; writing content is modified", async () => {
  await share.rootDirectoryClient.getFileClient("a/one.txt").setProperties({ fileAttributes: FileSystemAttributes.parse("ReadOnly|Archive") });
  const file = share.rootDirectoryClient.getFileClient("b/three.txt");
  await file.uploadRange(Buffer.from("x"), 0, 1);
  const { cs } = await scan();
  expect(pathsOf(cs, "metadataOnly")).toEqual(["a/one.txt"]);
  expect(pathsOf(cs, "modified")).toEqual(["b/three.txt"]);
  expect(cs.stats.candidateBytes).toBe(3);
});

test("deleting a directory deletes its indexed subtree", async () => {
  await share.rootDirectoryClient.getFileClient("b/deep/four.txt").delete();
  await share.getDirectoryClient("b/deep").delete();
  await share.rootDirectoryClient.getFileClient("b/three.txt").rename("three.txt");
  await share.getDirectoryClient("b").delete();
  const { cs } = await scan();
  expect(pathsOf(cs, "deleted")).toEqual(["b", "b/deep", "b/deep/four.txt"]);
  expect(pathsOf(cs, "moved")).toEqual(["three.txt"]);
  await expectIndexMatchesFreshScan();
});

test("names from the emulator's hostile set are indexed exactly and can be renamed", async () => {
  const names = [...HOSTILE_NAMES, ...TRAILING_DOT_NAMES, ...XML_UNSAFE_NAMES];
  const spec: Record<string, string> = { "hostile/": "" };
  for (const n of names) spec[`hostile/${n}`] = n.slice(0, 10);
  spec[`hostile/${HOSTILE_NAMES[0]}-dir/`] = "";
  await build(share, spec);
  const { cs } = await scan();
  expect(cs.stats.added).toBe(names.length + 2);
  const indexed = Object.keys(await dumpIndex(world.index, shareId)).filter((p) => p.startsWith("/hostile/")).map((p) => p.slice(9));
  expect(indexed.sort()).toEqual([...names, `${HOSTILE_NAMES[0]}-dir`].sort());
  await share.rootDirectoryClient.getFileClient(`hostile/${HOSTILE_NAMES[3]}`).rename(`hostile/${HOSTILE_NAMES[10]}-renamed`);
  const again = await scan();
  expect(countsOf(again.cs)).toEqual({ ...ZERO, renamed: 1 });
  expect(countsOf((await scan()).cs)).toEqual(ZERO);
});
