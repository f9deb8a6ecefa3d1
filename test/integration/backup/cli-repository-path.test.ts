/**
 * The CLI with its repository in a local folder (AFB_REPOSITORY_PATH), run in process: no Blob server
 * exists in this test, only cosmosdb-server for the node index. Backup, incremental, snapshots, ls,
 * restore, check and the share lock all work from the folder; a command that needs no other service
 * starts no local stack at all.
 */
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afb } from "../../helpers/run-cli";
import { paceGcForBackup } from "../../../src/config/gc-pacing";
import { dirShareKey } from "../../../src/cli/commands/backup-target";
import { FileLeaseLock } from "../../../src/adapters/lock/file-lease-lock";
import { CONNECTION_SETTINGS } from "../../../src/local/stack";
import { startTestStack, type TestStack } from "../../helpers/stack";

// The pacing is process-wide: kept out of the test worker.
jest.mock("../../../src/config/gc-pacing", () => ({ paceGcForStreaming: jest.fn(), paceGcForBackup: jest.fn() }));

const saved = { ...process.env };
const savedCwd = process.cwd();
let work: string;
let source: string;
let repo: string;
let stack: TestStack<"cosmos">;
const json = (r: { out: string }) => JSON.parse(r.out);

beforeAll(async () => {
  work = mkdtempSync(join(tmpdir(), "afb-cli-repo-path-"));
  source = join(work, "source");
  repo = join(work, "repository");
  mkdirSync(join(source, "docs"), { recursive: true });
  writeFileSync(join(source, "docs", "a.txt"), "hello");
  writeFileSync(join(source, "b.bin"), Buffer.alloc(300_000, 7));
  stack = await startTestStack({ services: ["cosmos"] });
  process.env = { ...saved };
  for (const name of CONNECTION_SETTINGS) delete process.env[name];
  Object.assign(process.env, stack.productSettings, { AFB_COSMOS_DATABASE: "cli-repo-path", AFB_REPOSITORY_PATH: repo });
}, 60_000);
afterAll(async () => {
  process.env = saved;
  process.chdir(savedCwd);
  await stack?.stop();
  rmSync(work, { recursive: true, force: true });
});

test("backup, an incremental that reads nothing, snapshots, ls, restore and check, all from the folder", async () => {
  const first = await afb("backup", "--dir", source, "--json");
  expect(first.code).toBe(0);
  expect(first.err).toContain(`repository folder ${repo}`);
  expect(json(first)).toMatchObject({ files: 2, dirs: 1, bytesRead: 300_005 });
  expect(paceGcForBackup).toHaveBeenCalledTimes(1);
  expect(existsSync(join(repo, "objects", "config"))).toBe(true);

  const second = await afb("backup", "--dir", source, "--json");
  expect(json(second)).toMatchObject({ bytesRead: 0, treesWritten: 0, indexRebuilt: false });

  const list = await afb("snapshots", "--dir", source, "--json");
  expect(json(list).map((s: { id: string }) => s.id)).toEqual([json(first).snapshotId, json(second).snapshotId]);
  const ls = await afb("ls", json(second).snapshotId.slice(0, 12), "docs", "--json");
  expect(ls.code).toBe(0);
  expect(json(ls).map((e: { name: string }) => e.name)).toEqual(["a.txt"]);

  const into = join(work, "restored");
  const restored = await afb("restore", "latest", "--dir", source, "--to-dir", into, "--json");
  expect(restored.code).toBe(0);
  expect(readFileSync(join(into, "docs", "a.txt"), "utf8")).toBe("hello");
  expect(readFileSync(join(into, "b.bin")).equals(Buffer.alloc(300_000, 7))).toBe(true);

  const check = await afb("check", "--read-data", "--json");
  expect(check.code).toBe(0);
  expect(json(check)).toMatchObject({ problems: [], snapshots: 2, packsRead: 1 });
}, 90_000);

test("a backup of a directory another backup holds is refused, naming the lock file", async () => {
  const held = await new FileLeaseLock(repo).acquire(dirShareKey(source));
  try {
    const r = await afb("backup", "--dir", source);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`another backup of share ${dirShareKey(source)} is running (its lock file ${join(repo, "locks", dirShareKey(source))} is held)`);
  } finally {
    await held.release();
  }
  expect((await afb("backup", "--dir", source, "--json")).code).toBe(0);
}, 60_000);

test("a command that needs only the repository starts no local stack", async () => {
  const cwd = mkdtempSync(join(work, "cwd-"));
  process.chdir(cwd);
  const saved2 = { ...process.env };
  try {
    for (const name of [...CONNECTION_SETTINGS, "AFB_COSMOS__key", "AFB_COSMOS__caCert"]) delete process.env[name];
    const stats = await afb("stats", "--json");
    expect(stats.code).toBe(0);
    expect(stats.err).toContain(`no service needed; repository folder ${repo}`);
    expect(json(stats)).toMatchObject({ snapshots: 3 });
    expect(existsSync(join(cwd, ".afb"))).toBe(false);
  } finally {
    process.env = saved2;
    process.chdir(savedCwd);
  }
}, 60_000);

test("a repository folder that is a file is refused with a clear error", async () => {
  const notADir = join(work, "a-file");
  writeFileSync(notADir, "x");
  process.env.AFB_REPOSITORY_PATH = notADir;
  try {
    const r = await afb("backup", "--dir", source);
    expect(r.code).toBe(1);
    expect(r.err).toContain(`local repository ${notADir}: cannot create its folders: a file is in the way of the folder`);
  } finally {
    process.env.AFB_REPOSITORY_PATH = repo;
  }
}, 60_000);
