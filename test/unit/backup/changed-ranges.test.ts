/**
 * Changed-range reads: re-chunking only around the changed ranges of a large file gives exactly the
 * chunks and digest of a full read, while reading a fraction of the file.
 */
import { mkdtemp, open, rm, writeFile, appendFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalShareReader } from "../../../src/adapters/local-fs/share-reader";
import { MemoryObjectStore } from "../../../src/adapters/memory/object-store";
import { asRangeDiffReader, normalizeRanges, storeByChangedRanges, type ChangedRange } from "../../../src/core/backup/changed-ranges";
import { Repository } from "../../../src/core/repository/repository";
import { seededFill, seededState } from "../../helpers/seeded-bytes";

const MiB = 2 ** 20;
let dir: string;
let reader: LocalShareReader;
let repository: Repository;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), "afb-ranges-"));
  reader = new LocalShareReader(dir);
  repository = await Repository.open(new MemoryObjectStore());
  // Seeded: the bytes read depend on where the content's cut points fall (see seeded-bytes.ts).
  const data = seededFill(Buffer.alloc(40 * MiB), seededState(2));
  await writeFile(join(dir, "big.bin"), data);
});
afterEach(() => rm(dir, { recursive: true, force: true }));

async function overwrite(offset: number, count: number): Promise<void> {
  const fh = await open(join(dir, "big.bin"), "r+");
  const patch = seededFill(Buffer.alloc(Math.ceil(count / 4) * 4), seededState(offset)).subarray(0, count);
  await fh.write(patch, 0, count, offset);
  await fh.close();
}

async function full() {
  return repository.storeFile(reader.openFile("big.bin"));
}

async function byRanges(previous: Awaited<ReturnType<typeof full>>, ranges: ChangedRange[], size: number) {
  const counters = { filesRead: 0, bytesRead: 0 };
  const r = await storeByChangedRanges({ reader, path: "big.bin", size, previous, ranges, repository, counters });
  return { ...r, bytesRead: counters.bytesRead };
}

test("one modified region in the middle: the full read's chunks, a fraction of the bytes", async () => {
  const before = await full();
  await overwrite(20 * MiB, 256 * 1024);
  const after = await full();
  const r = await byRanges(before, [{ offset: 20 * MiB, count: 256 * 1024 }], 40 * MiB);
  expect(r.digest).toBe(after.digest);
  expect(r.chunks).toEqual(after.chunks);
  expect(r.rangeReads).toBe(1);
  expect(r.bytesRead).toBeLessThan(26 * MiB);
});

test("several regions, one at the very start, and the file grown at the end", async () => {
  const before = await full();
  await overwrite(0, 1000);
  await overwrite(30 * MiB, 4096);
  await overwrite(31 * MiB, 4096);
  const tail = Buffer.alloc(3 * MiB, 9);
  await appendFile(join(dir, "big.bin"), tail);
  const after = await full();
  const r = await byRanges(before, [{ offset: 0, count: 1000 }, { offset: 30 * MiB, count: 4096 }, { offset: 31 * MiB, count: 4096 }], 43 * MiB);
  expect(r.chunks).toEqual(after.chunks);
  expect(r.digest).toBe(after.digest);
});

test("a file cut short: the chunk holding its new end is re-chunked", async () => {
  const before = await full();
  const fh = await open(join(dir, "big.bin"), "r+");
  await fh.truncate(25 * MiB + 12345);
  await fh.close();
  const after = await full();
  const r = await byRanges(before, [], 25 * MiB + 12345);
  expect(r.chunks).toEqual(after.chunks);
  expect(r.bytesRead).toBeLessThan(10 * MiB);
});

test("no changed range (only the last-write time moved): nothing is read", async () => {
  const before = await full();
  const r = await byRanges(before, [], 40 * MiB);
  expect(r).toMatchObject({ digest: before.digest, bytesRead: 0, rangeReads: 0 });
});

test("ranges are clipped, sorted and merged; a size change adds the tail", () => {
  expect(normalizeRanges([{ offset: 50, count: 10 }, { offset: 0, count: 5 }, { offset: 55, count: 20 }, { offset: 200, count: 10 }], 100, 120)).toEqual([
    { start: 0, end: 5 },
    { start: 50, end: 75 },
    { start: 99, end: 120 },
  ]);
  expect(normalizeRanges([], 100, 60)).toEqual([{ start: 59, end: 60 }]);
  expect(asRangeDiffReader(reader)).toBeUndefined();
});
