/**
 * `afb restore`, run in process against the test stack through explicit settings (the environment
 * variables the Functions app reads): to a local directory and to a folder of a share, by id prefix
 * and by `latest`, with the default conflict policy refusing a second run.
 */
import { readFileSync, readdirSync } from "node:fs";
import { join } from "node:path";
import { afb } from "../../helpers/run-cli";
import { paceGcForStreaming } from "../../../src/config/gc-pacing";
import { dirShareKey } from "../../../src/cli/commands/backup-target";
import { dir, file, SnapshotBuilder } from "../../unit/restore/builder";
import { tempDir } from "../../unit/restore/local-target";
import { startRestoreWorld, type RestoreWorld } from "./world";

// The pacing is process-wide: kept out of the test worker; bench:restore measures what it does.
jest.mock("../../../src/config/gc-pacing", () => ({ paceGcForStreaming: jest.fn() }));

jest.setTimeout(60_000);
let world: RestoreWorld;
let work: ReturnType<typeof tempDir>;
let snapshotId: string;
let oldId: string;
const saved = { ...process.env };

beforeAll(async () => {
  world = await startRestoreWorld();
  Object.assign(process.env, world.stack.productSettings, { AFB_REPOSITORY_CONTAINER: "restore-cli" });
  const builder = new SnapshotBuilder(await world.newRepository("restore-cli"));
  oldId = (await builder.snapshot([file("old.txt", "old")], "projects", 1_700_000_000_000)).ref.id;
  const { ref } = await builder.snapshot([file("readme.md", "# hello"), file("evil\nname", "x"), dir("docs", [file("a.txt", "alpha"), file("b.txt", "bravo")])], "projects", 1_780_000_000_000);
  snapshotId = ref.id;
  work = tempDir("cli");
  await builder.snapshot([file("from-azure.txt", "a")], "devstoreaccount1.real-share", 1_780_000_000_000);
  await builder.snapshot([file("from-disk.txt", "d")], dirShareKey(join(work.path, "source")), 1_780_000_000_000);
}, 60_000);
afterAll(async () => {
  process.env = saved;
  work?.remove();
  await world?.close();
});

test("restores by id prefix to a local directory, then refuses to overwrite by default", async () => {
  const into = join(work.path, "local");
  const run = await afb("restore", snapshotId.slice(0, 10), "--to-dir", into, "--json");
  expect(run.code).toBe(0);
  expect(paceGcForStreaming).toHaveBeenCalledTimes(1);
  expect(JSON.parse(run.out)).toMatchObject({ snapshot: snapshotId, share: "projects", files: 4, verified: 0 });
  expect(run.err).toMatch(/environment: explicit settings/);
  expect(readFileSync(join(into, "docs", "b.txt"), "utf8")).toBe("bravo");

  const again = await afb("restore", snapshotId, "--to-dir", into);
  expect(again.code).toBe(1);
  expect(again.err).toMatch(/4 path\(s\) already exist/);
  expect(again.err).toContain("docs/a.txt");
  for (const secret of [world.stack.productSettings.AFB_REPOSITORY, world.stack.productSettings.AFB_FILES]) {
    const key = /AccountKey=([^;]+)/.exec(secret)?.[1] as string;
    expect(again.err + run.err).not.toContain(key);
  }

  const skip = await afb("restore", snapshotId, "--to-dir", into, "--conflict", "skip");
  expect(skip.code).toBe(0);
  expect(skip.out).toMatch(/^verified\s+4 already restored/m);
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

test("ls lists a directory of a snapshot, one file, long and as JSON", async () => {
  const root = await afb("ls", snapshotId.slice(0, 8));
  expect(root.code).toBe(0);
  expect(root.out).toBe('docs/\n"evil\\nname"\nreadme.md\n');
  const long = await afb("ls", "latest", "docs", "-l", "--share", "projects");
  expect(long.out.split("\n")[0]).toMatch(/^- 5 \d{4}-\d\d-\d\dT[\d:.]+Z Archive\s+a\.txt$/);
  const one = JSON.parse((await afb("ls", snapshotId, "docs/b.txt", "--json")).out);
  expect(one).toEqual([expect.objectContaining({ name: "b.txt", type: "file", size: 5, attributes: "Archive" })]);
  const missing = await afb("ls", snapshotId, "docs/zzz");
  expect(missing.code).toBe(1);
  expect(missing.err).toMatch(/"docs\/zzz" is not in the snapshot/);
});

test("--share and --dir name the source the way `afb backup` does", async () => {
  const azure = await afb("ls", "latest", "--share", "real-share");
  expect([azure.code, azure.out]).toEqual([0, "from-azure.txt\n"]);
  const disk = await afb("restore", "latest", "--dir", join(work.path, "source"), "--to-dir", join(work.path, "from-disk"), "--json");
  expect(JSON.parse(disk.out)).toMatchObject({ files: 1 });
  expect(readFileSync(join(work.path, "from-disk", "from-disk.txt"), "utf8")).toBe("d");
  const none = await afb("ls", "latest", "--share", "no-such-share");
  expect(none.err).toMatch(/there is no snapshot of share no-such-share/);
});

test("diff shows what changed between two snapshots", async () => {
  const text = await afb("diff", oldId, snapshotId);
  expect(text.code).toBe(0);
  expect(text.out).toBe(["+ docs/", "+ docs/a.txt", "+ docs/b.txt", '+ "evil\\nname"', "+ readme.md", "- old.txt", "5 added, 1 removed, 0 modified, 0 metadata only, 0 renamed, 0 moved", ""].join("\n"));
  const json = JSON.parse((await afb("diff", oldId.slice(0, 6), "latest", "--share", "projects", "--json")).out);
  expect(json).toMatchObject({ from: oldId, to: snapshotId, removed: [{ path: "old.txt", type: "file", size: 3 }] });
});

test("stats of a snapshot and of the repository", async () => {
  const one = JSON.parse((await afb("stats", snapshotId, "--json")).out);
  expect(one).toMatchObject({ snapshot: snapshotId, share: "projects", files: 4, directories: 1, logicalBytes: 18, chunks: 4 });
  const all = await afb("stats");
  expect(all.code).toBe(0);
  expect(all.out).toMatch(/^snapshots\s+4 of 3 share\(s\)$/m);
  expect(all.out).toMatch(/^dedup ratio\s+\d+\.\d\d$/m);
});

test("history lists the versions of one file", async () => {
  const text = await afb("history", "--share", "projects", "readme.md");
  expect(text.code).toBe(0);
  expect(text.out).toMatch(new RegExp(`^${snapshotId.slice(0, 12)} \\S+ added\\s+7 readme\\.md\\n$`));
  const json = JSON.parse((await afb("history", "--share", "real-share", "from-azure.txt", "--json")).out);
  expect(json).toEqual([expect.objectContaining({ path: "from-azure.txt", event: "added", size: 1 })]);
  const none = await afb("history", "readme.md");
  expect(none.err).toMatch(/exactly one of --share NAME or --dir PATH/);
});

test("check passes on the healthy repository and reads every pack with --read-data", async () => {
  const run = await afb("check", "--read-data");
  expect(run.code).toBe(0);
  expect(run.out).toMatch(/^4 snapshot\(s\), 5 tree\(s\), 4 pack\(s\) with 7 chunk\(s\), 4 pack\(s\) re-hashed: no problem found$/m);
  const bad = await afb("check", "--read-data-subset", "150");
  expect(bad.err).toMatch(/percentage/);
});

test("find lists the snapshots holding a matching path", async () => {
  const all = JSON.parse((await afb("find", "*.txt", "--json")).out);
  expect(all.map((r: { share: string; path: string }) => `${r.share}:${r.path}`).sort()).toEqual(["devstoreaccount1.real-share:from-azure.txt", `${dirShareKey(join(work.path, "source"))}:from-disk.txt`, "projects:docs/a.txt", "projects:docs/b.txt", "projects:old.txt"].sort());
  const text = await afb("find", "docs/*", "--share", "projects");
  expect(text.out).toMatch(/^\w{12} \S+ projects\s+5 docs\/a\.txt\n\w{12} \S+ projects\s+5 docs\/b\.txt\n$/);
});
