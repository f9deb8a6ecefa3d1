/**
 * `afb backup`, `afb snapshots` and `afb index rebuild`, run in process: against the test stack
 * through explicit settings, and with no settings at all (the embedded stack under .afb/stack of the
 * current folder), where a second backup reads no content even after the embedded Cosmos lost its
 * state (the index is rebuilt from the latest snapshot).
 */
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afb } from "../../helpers/run-cli";
import { dirShareKey } from "../../../src/cli/commands/backup-target";
import { repositoryConnectionFromSettings } from "../../../src/adapters/blob/connect";
import { BlobLeaseLock } from "../../../src/adapters/lock/blob-lease-lock";
import { CONNECTION_SETTINGS } from "../../../src/local/stack";
import { startTestStack, type TestStack } from "../../helpers/stack";
import { paceGcForBackup } from "../../../src/config/gc-pacing";

// The pacing is process-wide: kept out of the test worker; bench:backup measures what it does.
jest.mock("../../../src/config/gc-pacing", () => ({ paceGcForBackup: jest.fn() }));

const saved = { ...process.env };
const savedCwd = process.cwd();
let dir: string;

const json = (r: { out: string }) => JSON.parse(r.out);

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "afb-cli-backup-"));
  mkdirSync(join(dir, "docs"));
  writeFileSync(join(dir, "docs", "a.txt"), "hello");
  writeFileSync(join(dir, "b.bin"), Buffer.alloc(200_000, 3));
});
afterAll(() => {
  process.env = saved;
  process.chdir(savedCwd);
  rmSync(dir, { recursive: true, force: true });
});

describe("with explicit settings", () => {
  let stack: TestStack<"blob" | "cosmos">;
  beforeAll(async () => {
    stack = await startTestStack({ services: ["blob", "cosmos"] });
    Object.assign(process.env, stack.productSettings, { AFB_COSMOS_DATABASE: "cli-backup-1", AFB_REPOSITORY_CONTAINER: "cli-backup" });
  }, 60_000);
  afterAll(() => stack?.stop());

  test("backup twice, list, lose the index, rebuild", async () => {
    const first = await afb("backup", "--dir", dir, "--tag", "first", "--json");
    expect(first.err).toMatch(/environment: explicit settings/);
    expect(first.code).toBe(0);
    expect(paceGcForBackup).toHaveBeenCalledTimes(1);
    expect(json(first)).toMatchObject({ files: 2, dirs: 1, bytesRead: 200_005, bytesScanned: 200_005, shareSnapshot: null, renamed: 0, moved: 0, deleted: 0, rangeReads: 0 });
    for (const key of ["snapshotId", "bytesNew", "chunksNew", "packsWritten", "treesWritten", "durationMs"]) expect(json(first)).toHaveProperty(key);

    const second = await afb("backup", "--dir", dir, "--json");
    expect(json(second)).toMatchObject({ bytesRead: 0, treesWritten: 0, indexRebuilt: false });

    const list = await afb("snapshots", "--dir", dir, "--json");
    expect(json(list).map((r: { id: string; tags: string[] }) => [r.id, r.tags])).toEqual([[json(first).snapshotId, ["first"]], [json(second).snapshotId, []]]);

    process.env.AFB_COSMOS_DATABASE = "cli-backup-2";
    const third = await afb("backup", "--dir", dir, "--json");
    expect(json(third)).toMatchObject({ bytesRead: 0, indexRebuilt: true, rootTree: json(first).rootTree });

    const rebuilt = await afb("index", "rebuild", "--dir", dir, "--json");
    expect(rebuilt.code).toBe(0);
    expect(json(rebuilt)).toMatchObject({ share: dirShareKey(dir), removed: 4, written: 4, snapshotId: json(third).snapshotId });

    const human = await afb("backup", "--dir", dir);
    expect(human.out).toMatch(/bytes read\s+0 B/);
  }, 60_000);

  test("a backup of a directory another backup holds is refused with a clear error", async () => {
    const lock = BlobLeaseLock.of(repositoryConnectionFromSettings((name) => process.env[name]));
    const held = await lock.acquire(dirShareKey(dir));
    try {
      const r = await afb("backup", "--dir", dir);
      expect(r.code).toBe(1);
      expect(r.err).toMatch(new RegExp(`another backup of share ${dirShareKey(dir)} is running`));
      expect(r.err).not.toMatch(/AccountKey|Eby8vdM02/);
    } finally {
      await held.release();
    }
  }, 30_000);

  test("bad arguments name what is wrong", async () => {
    expect((await afb("backup")).err).toMatch(/give one of --share NAME or --dir PATH/);
    expect((await afb("backup", "--dir", dir, "--share", "x")).err).toMatch(/give only one of/);
    expect((await afb("backup", "--dir", dir, "--tag", "two words")).err).toMatch(/a tag is 1-128 printable characters/);
  });
});

describe("with no settings at all (embedded stack)", () => {
  let cwd: string;
  beforeAll(() => {
    process.env = { ...saved };
    for (const name of [...CONNECTION_SETTINGS, "AFB_COSMOS__key", "AFB_COSMOS__caCert", "AFB_COSMOS_DATABASE", "AFB_REPOSITORY_CONTAINER"]) delete process.env[name];
    cwd = mkdtempSync(join(tmpdir(), "afb-cli-embedded-"));
    process.chdir(cwd);
  });
  afterAll(() => {
    process.chdir(savedCwd);
    rmSync(cwd, { recursive: true, force: true });
  });

  test("the second backup reads nothing, even when the embedded Cosmos lost its state", async () => {
    const first = await afb("backup", "--dir", dir, "--json");
    expect(first.err).toMatch(/environment: embedded stack/);
    expect(json(first)).toMatchObject({ files: 2, bytesRead: 200_005 });
    const second = await afb("backup", "--dir", dir, "--json");
    expect(json(second)).toMatchObject({ bytesRead: 0, treesWritten: 0 });

    const cosmosState = join(cwd, ".afb", "stack", "cosmos", "snapshot.ndjson");
    expect(existsSync(cosmosState)).toBe(true);
    rmSync(cosmosState);
    const third = await afb("backup", "--dir", dir, "--json");
    expect(json(third)).toMatchObject({ bytesRead: 0, indexRebuilt: true, rootTree: json(first).rootTree });
  }, 60_000);
});
