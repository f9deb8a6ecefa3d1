/**
 * Live sources (a local directory has no snapshots): a file that changes or vanishes while it is read
 * is reported in the summary and the manifest, never stored torn, and the next backup picks it up.
 */
import { rm, writeFile } from "node:fs/promises";
import { join } from "node:path";
import { Repository } from "../../../src/core/repository/repository";
import { MeddlingReader } from "../scan/helpers";
import { freshRootTree, newWorld, type World } from "./world";

let world: World;
let meddler: MeddlingReader;
beforeEach(async () => {
  world = await newWorld();
  meddler = new MeddlingReader(world.reader);
  world.reader = meddler;
  await world.write("keep.txt", "steady");
  await world.write("log.txt", "line 1\n");
});
afterEach(() => world.close());

async function manifestUnstable(): Promise<unknown[]> {
  const repo = await Repository.open(world.store);
  let last;
  for await (const r of repo.listSnapshots("local-test")) last = r;
  return (await repo.getSnapshot(last!)).unstableFiles as unknown[];
}

test("a file that grows while it is read is reported, kept out, and read by the next backup", async () => {
  await world.backup();
  meddler.during = async (path) => {
    if (path === "log.txt") await writeFile(join(world.root, "log.txt"), "line 1\nline 2\nline 3\n");
  };
  await world.write("log.txt", "line 1\nline 2\n");
  const s = await world.backup();
  expect(s.unstable).toEqual([{ path: "log.txt", fileId: expect.any(String), reason: "changed" }]);
  expect(await manifestUnstable()).toEqual(s.unstable);
  const next = await world.backup();
  expect(next.unstable).toEqual([]);
  expect(next.bytesRead).toBe(Buffer.byteLength("line 1\nline 2\nline 3\n"));
  expect(next.rootTree).toBe(await freshRootTree(world));
});

test("a file rewritten with the same size right after it was read is caught by the re-check", async () => {
  await world.backup();
  await world.write("log.txt", "LINE 1\n");
  meddler.during = async () => {
    await new Promise((r) => setTimeout(r, 20));
    await writeFile(join(world.root, "log.txt"), "line 9\n");
  };
  const s = await world.backup();
  expect(s.unstable.map((u) => [u.path, u.reason])).toEqual([["log.txt", "changed"]]);
  const next = await world.backup();
  expect(next.unstable).toEqual([]);
  expect(next.rootTree).toBe(await freshRootTree(world));
});

test("a file deleted before it could be read is reported as disappeared", async () => {
  await world.write("gone.txt", "soon gone");
  // The hook runs when the first file is opened: gone.txt goes before it could be read.
  meddler.during = async () => {
    await rm(join(world.root, "gone.txt"), { force: true });
  };
  const s = await world.backup();
  expect(s.unstable.map((u) => [u.path, u.reason])).toEqual([["gone.txt", "disappeared"]]);
  expect(s.files).toBe(2);
  const next = await world.backup();
  expect(next.unstable).toEqual([]);
  expect(next.rootTree).toBe(await freshRootTree(world));
});
