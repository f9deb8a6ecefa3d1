/**
 * ReadWorkers: first blocks of many files read on worker threads, batched, with the descriptor of a
 * file that goes on handed to the caller; and the local reader's use of it leaks no descriptor.
 */
import { createHash } from "node:crypto";
import { closeSync, constants, existsSync, readdirSync, readSync } from "node:fs";
import { mkdtemp, mkdir, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ReadWorkers, STAT_BATCH } from "../../../src/adapters/local-fs/read-workers";
import { LocalShareReader } from "../../../src/adapters/local-fs/share-reader";
import { chunkId, chunkIdOf } from "../../../src/core/chunking/content-hash";
import { MIN_SIZE } from "../../../src/core/chunking/fastcdc";

const FLAGS = constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK;
let root: string;

beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "afb-readworkers-"));
});
afterEach(() => rm(root, { recursive: true, force: true }));

const content = (i: number): Buffer => Buffer.from(`file ${i} `.repeat(i % 37));

/** Open descriptors of this process (Linux), or undefined elsewhere. */
const openFds = (): number | undefined => (existsSync("/proc/self/fd") ? readdirSync("/proc/self/fd").length : undefined);

test("reads the first blocks of 300 files asked for at once, empty ones included, each whole", async () => {
  await Promise.all(Array.from({ length: 300 }, (_, i) => writeFile(join(root, `f${i}`), content(i))));
  const blocks = await Promise.all(Array.from({ length: 300 }, (_, i) => ReadWorkers.shared().firstBlock(join(root, `f${i}`), FLAGS, 1 << 20)));
  blocks.forEach((b, i) => {
    expect(b.data.equals(content(i))).toBe(true);
    expect(b.size).toBe(content(i).length);
    expect(b.fd).toBeUndefined();
  });
  expect(blocks.filter((b) => b.size === 0).length).toBeGreaterThan(0);
});

test("a file longer than the block comes with its open descriptor, for the caller to read on and close", async () => {
  await writeFile(join(root, "long"), "0123456789");
  const b = await ReadWorkers.shared().firstBlock(join(root, "long"), FLAGS, 4);
  expect(b.data.toString()).toBe("0123");
  expect(b.size).toBe(10);
  expect(b.fd).toEqual(expect.any(Number));
  const rest = Buffer.alloc(16);
  const n = readSync(b.fd as number, rest, 0, rest.length, 4);
  closeSync(b.fd as number);
  expect(rest.subarray(0, n).toString()).toBe("456789");
});

test("a whole file of at most digestMax bytes comes hashed; a longer one, an unfinished one and an empty one do not", async () => {
  await writeFile(join(root, "small"), "small file");
  await writeFile(join(root, "over"), "x".repeat(33));
  await writeFile(join(root, "empty"), "");
  await writeFile(join(root, "long"), "0123456789");
  const pool = ReadWorkers.shared();
  const small = await pool.firstBlock(join(root, "small"), FLAGS, 64, 32);
  expect(small.digest?.toString("hex")).toBe(createHash("sha256").update("small file").digest("hex"));
  expect((await pool.firstBlock(join(root, "over"), FLAGS, 64, 32)).digest).toBeUndefined();
  expect((await pool.firstBlock(join(root, "empty"), FLAGS, 64, 32)).digest).toBeUndefined();
  const long = await pool.firstBlock(join(root, "long"), FLAGS, 4, 32);
  closeSync(long.fd as number);
  expect(long.digest).toBeUndefined();
  expect((await pool.firstBlock(join(root, "small"), FLAGS, 64)).digest).toBeUndefined();
});

/** The digest vouched for `bytes`, if any: chunkIdOf returns that very Buffer each time, a computed one is new. */
const vouchedId = (bytes: Uint8Array): Buffer | undefined => {
  const first = chunkIdOf(bytes);
  return chunkIdOf(bytes) === first ? first : undefined;
};

test("the local reader vouches for the chunk id of a whole file below the minimum chunk, and only then", async () => {
  const small = Buffer.alloc(MIN_SIZE, 3);
  const larger = Buffer.alloc(MIN_SIZE + 1, 4);
  await writeFile(join(root, "small"), small);
  await writeFile(join(root, "larger"), larger);
  const reader = new LocalShareReader(root);
  const pieces = async (path: string) => {
    const out: Uint8Array[] = [];
    for await (const piece of reader.openFile(path)) out.push(piece);
    return out;
  };
  const [one] = await pieces("small");
  // The vouched id is the one the repository would compute.
  expect(vouchedId(one)?.equals(chunkId(small))).toBe(true);
  const [whole] = await pieces("larger");
  expect(whole.length).toBe(larger.length);
  expect(vouchedId(whole)).toBeUndefined();
});

test("lstat batches: a file, a directory, what is neither or vanished (null), and an entry's own error", async () => {
  await writeFile(join(root, "file"), "12345");
  await mkdir(join(root, "dir"));
  await symlink(join(root, "file"), join(root, "link"));
  const rows = await ReadWorkers.shared().lstatBatch(root, ["file", "dir", "link", "gone"]);
  expect(rows[0]).toMatchObject({ kind: "file", size: 5n });
  expect(rows[1]).toMatchObject({ kind: "dir" });
  expect(rows.slice(2)).toEqual([null, null]);
  // Below a file, a name is neither there nor absent: ENOTDIR, that entry's error.
  const [below] = await ReadWorkers.shared().lstatBatch(join(root, "file"), ["x"]);
  expect(below).toMatchObject({ code: "ENOTDIR" });
  await expect(ReadWorkers.shared().lstatBatch(root, Array.from({ length: STAT_BATCH + 1 }, (_, i) => `n${i}`))).rejects.toThrow(/at most 256 names/);
});

test("failures keep Node's code; anything but a regular file is ENOTREGULAR", async () => {
  await mkdir(join(root, "dir"));
  await writeFile(join(root, "target"), "x");
  await symlink(join(root, "target"), join(root, "link"));
  const code = (p: string) => ReadWorkers.shared().firstBlock(join(root, p), FLAGS, 64).then(() => "ok", (err: NodeJS.ErrnoException) => err.code);
  expect(await code("missing")).toBe("ENOENT");
  expect(await code("link")).toBe("ELOOP");
  expect(await code("dir")).toBe("ENOTREGULAR");
  expect(await code("target")).toBe("ok");
});

test("the local reader closes the descriptor of a large file whether it is read to the end or abandoned", async () => {
  const big = Buffer.alloc(3 * 1024 * 1024 + 5, 7);
  await writeFile(join(root, "big"), big);
  const reader = new LocalShareReader(root);
  const before = openFds();
  let whole = 0;
  for await (const piece of reader.openFile("big")) whole += piece.length;
  expect(whole).toBe(big.length);
  for await (const piece of reader.openFile("big")) {
    expect(piece.length).toBeGreaterThan(0);
    break;
  }
  if (before !== undefined) expect(openFds()).toBe(before);
});

/** Threads of this process (Linux), or undefined elsewhere. */
const threads = (): number | undefined => (existsSync("/proc/self/task") ? readdirSync("/proc/self/task").length : undefined);

test("an idle worker is stopped after two seconds, and the next request starts another", async () => {
  await writeFile(join(root, "one"), "1");
  const pool = ReadWorkers.shared();
  await pool.firstBlock(join(root, "one"), FLAGS, 64);
  const busy = threads();
  await new Promise((resolve) => setTimeout(resolve, 2500));
  if (busy !== undefined) expect(threads()).toBeLessThan(busy);
  expect((await pool.firstBlock(join(root, "one"), FLAGS, 64)).data.toString()).toBe("1");
});
