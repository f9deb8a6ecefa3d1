/**
 * Both RecordSpool adapters pass the conformance suite; the file spool also keeps its records on disk
 * (not in memory), in a folder of its own that dispose removes, and names a damaged file.
 */
import { existsSync } from "node:fs";
import { mkdtemp, readdir, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { FileRecordSpool } from "../../../src/adapters/local-fs/record-spool";
import { MemoryRecordSpool } from "../../../src/adapters/memory/record-spool";
import { RecordSpoolError } from "../../../src/core/ports/record-spool";
import { recordOf, recordSpoolConformance } from "./record-spool.conformance";

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "afb-spool-test-"));
});
afterAll(() => rm(dir, { recursive: true, force: true }));

recordSpoolConformance("MemoryRecordSpool", () => Promise.resolve(new MemoryRecordSpool()));
recordSpoolConformance("FileRecordSpool", () => FileRecordSpool.create(dir));

describe("FileRecordSpool", () => {
  test("records go to a private folder on disk past the buffer; dispose removes the folder", async () => {
    const spool = await FileRecordSpool.create(dir);
    const [folder] = await readdir(dir).then((names) => names.filter((n) => n.startsWith("afb-spool-")));
    const file = join(dir, folder, "records.jsonl");
    expect((await stat(join(dir, folder))).mode & 0o777).toBe(0o700);
    for (let i = 0; i < 20; i++) await spool.append(Array.from({ length: 1_000 }, (_, k) => recordOf(i * 1_000 + k)));
    // More than the 1 MiB buffer was appended: most of it is on disk before any read.
    expect((await stat(file)).size).toBeGreaterThan(1 << 20);
    await spool.dispose();
    expect(existsSync(join(dir, folder))).toBe(false);
    await expect(spool.append([recordOf(1)])).rejects.toThrow(/disposed/);
  });

  test("a damaged spool file is named, not misread", async () => {
    const before = new Set(await readdir(dir));
    const spool = await FileRecordSpool.create(dir);
    const folder = (await readdir(dir)).find((n) => !before.has(n)) as string;
    for (let i = 0; i < 20; i++) await spool.append(Array.from({ length: 1_000 }, (_, k) => recordOf(i * 1_000 + k)));
    await writeFile(join(dir, folder, "records.jsonl"), "{oops}\n");
    const read = async () => {
      for await (const batch of spool.read(10)) void batch;
    };
    await expect(read()).rejects.toThrow(RecordSpoolError);
    await expect(read()).rejects.toThrow(/spool file is damaged at line 1/);
    await spool.dispose();
  });
});

describe("FileRecordSpool leftovers", () => {
  test("a new spool removes the folders of processes that no longer run, and only those", async () => {
    const { spawnSync } = await import("node:child_process");
    const { mkdir } = await import("node:fs/promises");
    const gone = spawnSync(process.execPath, ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString();
    await mkdir(join(dir, `afb-spool-${gone}-dead1`));
    await writeFile(join(dir, `afb-spool-${gone}-dead1`, "records.jsonl"), "{}\n");
    await mkdir(join(dir, `afb-spool-${process.pid}-alive1`));
    await mkdir(join(dir, "afb-spool-notapid"));
    const spool = await FileRecordSpool.create(dir);
    const names = await readdir(dir);
    expect(names).not.toContain(`afb-spool-${gone}-dead1`);
    expect(names).toContain(`afb-spool-${process.pid}-alive1`);
    expect(names).toContain("afb-spool-notapid");
    await spool.dispose();
  });
});
