/**
 * `afb restore`, run in process against the test stack through explicit settings (the environment
 * variables the Functions app reads): to a local directory and to a folder of a share, by id prefix
 * and by `latest`, with the default conflict policy refusing a second run.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { main } from "../../../src/cli/main";
import { dir, file, SnapshotBuilder } from "../../unit/restore/builder";
import { tempDir } from "../../unit/restore/local-target";
import { startRestoreWorld, type RestoreWorld } from "./world";

jest.setTimeout(60_000);
let world: RestoreWorld;
let work: ReturnType<typeof tempDir>;
let snapshotId: string;
const saved = { ...process.env };

beforeAll(async () => {
  world = await startRestoreWorld();
  Object.assign(process.env, world.stack.productSettings, { AFB_REPOSITORY_CONTAINER: "restore-cli" });
  const builder = new SnapshotBuilder(await world.newRepository("restore-cli"));
  await builder.snapshot([file("old.txt", "old")], "projects", 1_700_000_000_000);
  const { ref } = await builder.snapshot([file("readme.md", "# hello"), dir("docs", [file("a.txt", "alpha"), file("b.txt", "bravo")])], "projects", 1_780_000_000_000);
  snapshotId = ref.id;
  work = tempDir("cli");
}, 60_000);
afterAll(async () => {
  process.env = saved;
  work?.remove();
  await world?.close();
});

async function afb(...args: string[]): Promise<{ code: number; out: string; err: string }> {
  let out = "";
  let err = "";
  const o = jest.spyOn(process.stdout, "write").mockImplementation((s) => ((out += String(s)), true));
  const e = jest.spyOn(process.stderr, "write").mockImplementation((s) => ((err += String(s)), true));
  try {
    process.exitCode = undefined;
    const code = await main(["node", "afb", ...args]);
    return { code, out, err };
  } finally {
    o.mockRestore();
    e.mockRestore();
  }
}

test("restores by id prefix to a local directory, then refuses to overwrite by default", async () => {
  const into = join(work.path, "local");
  const run = await afb("restore", snapshotId.slice(0, 10), "--to-dir", into, "--json");
  expect(run.code).toBe(0);
  expect(JSON.parse(run.out)).toMatchObject({ snapshot: snapshotId, share: "projects", files: 3, verified: 0 });
  expect(run.err).toMatch(/environment: explicit settings/);
  expect(readFileSync(join(into, "docs", "b.txt"), "utf8")).toBe("bravo");

  const again = await afb("restore", snapshotId, "--to-dir", into);
  expect(again.code).toBe(1);
  expect(again.err).toMatch(/3 path\(s\) already exist/);
  expect(again.err).toContain("docs/a.txt");
  for (const secret of [world.stack.productSettings.AFB_REPOSITORY, world.stack.productSettings.AFB_FILES]) {
    const key = /AccountKey=([^;]+)/.exec(secret)?.[1] as string;
    expect(again.err + run.err).not.toContain(key);
  }

  const skip = await afb("restore", snapshotId, "--to-dir", into, "--conflict", "skip");
  expect(skip.code).toBe(0);
  expect(skip.out).toMatch(/^verified\s+3 already restored/m);
});

test("restores `latest` of a share, one folder, into a folder of a new share", async () => {
  const run = await afb("restore", "latest", "docs", "--share", "projects", "--to-share", "cli-target/restored/today", "--json");
  expect(run.code).toBe(0);
  expect(run.err).toMatch(/created share cli-target/);
  expect(JSON.parse(run.out)).toMatchObject({ files: 2 });
  const share = world.service.getShareClient("cli-target");
  expect((await share.rootDirectoryClient.getFileClient("restored/today/docs/a.txt").downloadToBuffer()).toString()).toBe("alpha");
  const names: string[] = [];
  for await (const item of share.getDirectoryClient("restored/today").listFilesAndDirectories()) names.push(item.name);
  expect(names).toEqual(["docs"]);
});

test("explains bad arguments", async () => {
  const both = await afb("restore", snapshotId, "--to-dir", work.path, "--to-share", "x-share");
  expect(both.err).toMatch(/exactly one of --to-share/);
  const policy = await afb("restore", snapshotId, "--to-dir", work.path, "--conflict", "merge");
  expect(policy.code).not.toBe(0);
  expect(policy.err).toMatch(/must be one of fail, skip, overwrite, rename/);
  const latest = await afb("restore", "latest", "--to-dir", work.path);
  expect(latest.err).toMatch(/`latest` needs --share/);
  const missing = await afb("restore", "ffff", "--to-dir", join(work.path, "none"));
  expect(missing.err).toMatch(/no snapshot in the repository has an id starting with ffff/);
  const badShare = await afb("restore", snapshotId, "--to-share", "Bad_Share");
  expect(badShare.err).toMatch(/not a share name/);
  const reserved = await afb("restore", snapshotId, "--to-share", "good-share/CON");
  expect(reserved.err).toMatch(/Windows device name/);
  const notThere = await afb("restore", snapshotId, "nope/file.txt", "--to-dir", join(work.path, "nope"));
  expect(notThere.err).toMatch(/"nope" is not in the snapshot/);
  expect(readdirSync(join(work.path, "nope"))).toEqual([]);
});
