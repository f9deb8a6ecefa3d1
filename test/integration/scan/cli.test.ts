/**
 * `afb scan` and `afb index sync`, run in process against the test stack through explicit settings
 * (the environment variables the Functions app reads).
 */
import { mkdtempSync, rmSync, writeFileSync, mkdirSync, renameSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afb } from "../../helpers/run-cli";
import { build, startWorld, type ScanWorld } from "./fixture";

let world: ScanWorld;
let dir: string;
const saved = { ...process.env };
jest.setTimeout(30_000);

beforeAll(async () => {
  world = await startWorld("cli-unused");
  Object.assign(process.env, world.stack.productSettings, { AFB_COSMOS_DATABASE: "cli" });
  dir = mkdtempSync(join(tmpdir(), "afb-cli-scan-"));
  mkdirSync(join(dir, "docs"));
  writeFileSync(join(dir, "docs", "a.txt"), "hello");
  writeFileSync(join(dir, "b.txt"), "");
}, 60_000);
afterAll(async () => {
  process.env = saved;
  rmSync(dir, { recursive: true, force: true });
  await world?.close();
});

test("scan reports without writing; index sync applies; a rename after it is one renamed node", async () => {
  const scan = await afb("scan", "--dir", dir, "--json");
  expect(scan.code).toBe(0);
  const counts = JSON.parse(scan.out);
  expect(counts).toMatchObject({ files: 2, dirs: 2, added: 4, deleted: 0, errors: [] });
  expect(scan.err).toMatch(/environment: explicit settings/);
  expect(scan.err).not.toContain(world.stack.productSettings.AFB_COSMOS__key);
  expect(JSON.parse((await afb("scan", "--dir", dir, "--json")).out).added).toBe(4);

  const sync = await afb("index", "sync", "--dir", dir, "--json");
  expect(JSON.parse(sync.out)).toMatchObject({ added: 4, applied: { upserts: 4, deletes: 0 } });
  renameSync(join(dir, "docs"), join(dir, "papers"));
  const after = await afb("scan", "--dir", dir);
  expect(after.out).toMatch(/^renamed\s+1$/m);
  expect(after.out).toMatch(/^added\s+0$/m);
});

test("--share scans a share of the resolved Files account, and --snapshot one of its snapshots", async () => {
  const share = world.service.getShareClient("cli-share");
  await share.create();
  await build(share, { "x/": "", "x/y.txt": "y" });
  const { snapshot } = await share.createSnapshot();
  await build(share, { "x/z.txt": "z" });
  expect(JSON.parse((await afb("index", "sync", "--share", "cli-share", "--json")).out)).toMatchObject({ files: 2, added: 4 });
  const snap = await afb("scan", "--share", "cli-share", "--snapshot", snapshot as string, "--json");
  expect(JSON.parse(snap.out)).toMatchObject({ snapshot, files: 1, deleted: 1, added: 0 });
});

test("bad invocations and missing shares are one clear line on stderr", async () => {
  expect(await afb("scan")).toMatchObject({ code: 1, err: expect.stringMatching(/give exactly one of --share NAME or --dir PATH/) });
  expect(await afb("scan", "--dir", dir, "--snapshot", "x")).toMatchObject({ code: 1, err: expect.stringMatching(/--snapshot needs --share/) });
  const missing = await afb("scan", "--share", "no-such-share");
  expect(missing.code).toBe(1);
  expect(missing.err).toMatch(/no-such-share.*the share does not exist/);
  expect(missing.err).not.toMatch(/AccountKey=(?!\*)/);
});
