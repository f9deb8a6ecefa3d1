/**
 * The local-fs ShareReader: inode as FileId, sorted listings, ranged reads, and clear errors for what
 * a local directory cannot do.
 */
import { execFileSync } from "node:child_process";
import { mkdtemp, mkdir, writeFile, rm, rename, symlink } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { LocalShareReader } from "../../../src/adapters/local-fs/share-reader";
import { PathNotFoundError, ShareNotFoundError, ShareUnsupportedError, type ShareEntry } from "../../../src/core/ports/share-reader";

let root: string;
let reader: LocalShareReader;
beforeEach(async () => {
  root = await mkdtemp(join(tmpdir(), "afb-localfs-"));
  reader = new LocalShareReader(root);
  await mkdir(join(root, "d"));
  await writeFile(join(root, "b.txt"), "0123456789");
  await writeFile(join(root, "a.txt"), "");
  await symlink(join(root, "b.txt"), join(root, "link"));
});
afterEach(() => rm(root, { recursive: true, force: true }));

async function list(path: string): Promise<ShareEntry[]> {
  const out: ShareEntry[] = [];
  for await (const e of reader.listDirectory(path)) out.push(e);
  return out;
}

async function read(path: string, range?: { offset: number; count?: number }): Promise<string> {
  const parts: Buffer[] = [];
  for await (const c of reader.openFile(path, range)) parts.push(Buffer.from(c));
  return Buffer.concat(parts).toString();
}

test("lists files and directories sorted by name, without symbolic links", async () => {
  const entries = await list("");
  expect(entries.map((e) => [e.name, e.kind, e.size])).toEqual([
    ["a.txt", "file", 0],
    ["b.txt", "file", 10],
    ["d", "dir", 0],
  ]);
  expect(entries[1].lastWriteTime).toBeGreaterThan(1_600_000_000_000_000);
});

test("a directory of more entries than one stat batch lists every entry once, sorted, with the fields lstat gives", async () => {
  await mkdir(join(root, "many"));
  const names = Array.from({ length: 700 }, (_, i) => `f${String(i).padStart(4, "0")}`);
  await Promise.all(names.map((n, i) => writeFile(join(root, "many", n), "x".repeat(i % 7))));
  await mkdir(join(root, "many", "f0350-dir"));
  const entries = await list("many");
  expect(entries.map((e) => e.name)).toEqual([...names.slice(0, 351), "f0350-dir", ...names.slice(351)]);
  const st = (await import("node:fs")).lstatSync(join(root, "many", "f0006"), { bigint: true });
  expect(entries.find((e) => e.name === "f0006")).toEqual({
    name: "f0006", fileId: st.ino.toString(), kind: "file", size: 6,
    creationTime: Number(st.birthtimeNs / 1000n), lastWriteTime: Number(st.mtimeNs / 1000n), changeTime: Number(st.ctimeNs / 1000n),
    attributes: `${st.mode.toString(8)}:${st.uid}:${st.gid}`, permissionKey: "", etag: `"${st.mtimeNs.toString(16)}-${st.size.toString(16)}"`,
  });
  expect(entries.find((e) => e.name === "f0350-dir")).toMatchObject({ kind: "dir", size: 0 });
});

test("the FileId (inode) survives a rename and a move", async () => {
  const before = (await list("")).find((e) => e.name === "b.txt")?.fileId;
  await rename(join(root, "b.txt"), join(root, "d", "moved.txt"));
  expect((await list("d"))[0]).toMatchObject({ name: "moved.txt", fileId: before });
});

test("reads whole files and byte ranges", async () => {
  expect(await read("b.txt")).toBe("0123456789");
  expect(await read("b.txt", { offset: 3, count: 4 })).toBe("3456");
  expect(await read("b.txt", { offset: 8 })).toBe("89");
  expect(await read("b.txt", { offset: 2, count: 0 })).toBe("");
});

test("reads files larger than one read block whole, by ranges, and to their end when they grew", async () => {
  const big = Buffer.alloc(3 * 2 ** 20 + 5);
  for (let i = 0; i < big.length; i++) big[i] = (i * 7 + (i >> 12)) & 0xff;
  await writeFile(join(root, "big.bin"), big);
  const whole = async (path: string, range?: { offset: number; count?: number }): Promise<Buffer> => {
    const parts: Buffer[] = [];
    for await (const c of reader.openFile(path, range)) parts.push(Buffer.from(c));
    return Buffer.concat(parts);
  };
  expect((await whole("big.bin")).equals(big)).toBe(true);
  expect((await whole("big.bin", { offset: 2 ** 20 - 3, count: 2 ** 20 + 10 })).equals(big.subarray(2 ** 20 - 3, 2 * 2 ** 20 + 7))).toBe(true);
  expect((await whole("big.bin", { offset: 3 * 2 ** 20 })).toString("hex")).toBe(big.subarray(3 * 2 ** 20).toString("hex"));
  // Grows between the size check and the read: the reader returns what is there, the caller compares sizes.
  const grown = Buffer.concat([big, Buffer.from("tail")]);
  const it = reader.openFile("big.bin")[Symbol.asyncIterator]();
  const parts: Buffer[] = [];
  const first = await it.next();
  if (first.done !== true) parts.push(Buffer.from(first.value));
  await writeFile(join(root, "big.bin"), grown);
  for (let r = await it.next(); r.done !== true; r = await it.next()) parts.push(Buffer.from(r.value));
  expect(Buffer.concat(parts).equals(grown)).toBe(true);
});

test("reading what is not a regular file (a symbolic link, a directory, a FIFO) fails as not found, without blocking", async () => {
  execFileSync("mkfifo", [join(root, "pipe")]);
  for (const path of ["link", "d", "pipe"]) await expect(read(path)).rejects.toBeInstanceOf(PathNotFoundError);
  await expect(read("link")).rejects.toThrow(/"link" in .* does not exist/);
  await expect(read("missing.txt", { offset: 0, count: 0 })).rejects.toBeInstanceOf(PathNotFoundError);
  expect(await read("b.txt", { offset: 0, count: 0 })).toBe("");
});

test("missing paths, a missing root, bad paths, snapshots and permissions fail clearly", async () => {
  await expect(list("nope")).rejects.toBeInstanceOf(PathNotFoundError);
  await expect(new LocalShareReader(join(root, "gone")).getDirectory("")).rejects.toBeInstanceOf(ShareNotFoundError);
  await expect(list("../etc")).rejects.toThrow(/invalid share path/);
  await expect(reader.createSnapshot()).rejects.toThrow(ShareUnsupportedError);
  await expect(reader.createSnapshot()).rejects.toThrow(/has no share snapshots/);
  expect(() => reader.atSnapshot("2024-01-01T00:00:00.0000000Z")).toThrow(/has no share snapshots/);
  await expect(reader.getPermission("1*2")).rejects.toThrow(/no SMB security descriptors/);
});
