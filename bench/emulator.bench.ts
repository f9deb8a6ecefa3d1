/**
 * Baselines of the File emulator, measured through the real SDK: files listed per second over a
 * 100,000-entry tree (1,000 directories of 100 files, written straight to disk and adopted on first
 * listing), the cost of a share snapshot and of a restart at that size, and MB/s for a 1 GiB upload
 * (Put Range 4 MiB, 8 in flight) and download (one stream; 4 MiB ranges, 8 in flight). Later scan and
 * backup overheads are measured against these figures.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { ShareServiceClient, type ShareClient } from "@azure/storage-file-share";
import { startFilesEmulator, type FilesEmulator } from "../src/local/files-emulator";
import { report, type BenchRow } from "./lib/report";

const DIRS = 1_000;
const FILES_PER_DIR = 100;
const MIB = 1024 * 1024;
const UPLOAD_BYTES = 1024 * MIB;
const RANGE = 4 * MIB;
const PARALLEL = 8;
const LIST_PARALLEL = 8;

const seconds = (t0: bigint) => Number(process.hrtime.bigint() - t0) / 1e9;

async function pool<T>(items: readonly T[], width: number, fn: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: width }, async () => {
    while (next < items.length) await fn(items[next++]);
  }));
}

/** Lists the whole tree through the SDK: the root, then every directory with bounded concurrency. */
async function listTree(share: ShareClient): Promise<{ files: number; dirs: number }> {
  const dirs: string[] = [];
  let files = 0;
  for await (const e of share.getDirectoryClient("").listFilesAndDirectories()) {
    if (e.kind === "directory") dirs.push(e.name);
    else files++;
  }
  await pool(dirs, LIST_PARALLEL, async (d) => {
    for await (const e of share.getDirectoryClient(d).listFilesAndDirectories({ includeExtendedInfo: true })) if (e.kind === "file") files++;
  });
  return { files, dirs: dirs.length };
}

function client(emu: FilesEmulator): ShareServiceClient {
  return ShareServiceClient.fromConnectionString(emu.connectionString, { retryOptions: { maxTries: 3, retryDelayInMs: 50 } });
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "afb-emulator-bench-"));
  const rows: BenchRow[] = [];
  let emu = await startFilesEmulator({ dataDir, port: 0 });
  try {
    const share = client(emu).getShareClient("bench");
    await share.create();

    let t0 = process.hrtime.bigint();
    const root = join(dataDir, "devstoreaccount1", "bench");
    for (let d = 0; d < DIRS; d++) {
      const dir = join(root, `dir-${String(d).padStart(4, "0")}`);
      mkdirSync(dir);
      for (let f = 0; f < FILES_PER_DIR; f++) writeFileSync(join(dir, `file-${String(f).padStart(3, "0")}.txt`), `${d}/${f}`);
    }
    const total = DIRS * FILES_PER_DIR;
    rows.push({ name: "generate tree on disk", values: { entries: total + DIRS, seconds: seconds(t0), "entries/s": Math.round((total + DIRS) / seconds(t0)) } });

    for (const label of ["list tree, first (adopts every entry)", "list tree, warm"]) {
      t0 = process.hrtime.bigint();
      const { files } = await listTree(share);
      if (files !== total) throw new Error(`listed ${files} files, expected ${total}`);
      rows.push({ name: label, values: { entries: files, seconds: seconds(t0), "files/s": Math.round(files / seconds(t0)) } });
    }

    t0 = process.hrtime.bigint();
    await share.createSnapshot();
    rows.push({ name: "share snapshot of 101,000 entries", values: { entries: total + DIRS, seconds: seconds(t0) } });

    await emu.close();
    t0 = process.hrtime.bigint();
    emu = await startFilesEmulator({ dataDir, port: 0 });
    const again = client(emu).getShareClient("bench");
    const { files } = await listTree(again);
    rows.push({ name: "restart + list tree (sidecar replay)", values: { entries: files, seconds: seconds(t0), "files/s": Math.round(files / seconds(t0)) } });

    const big = again.getDirectoryClient("").getFileClient("one-gib.bin");
    await big.create(UPLOAD_BYTES);
    const block = randomBytes(RANGE);
    const offsets = Array.from({ length: UPLOAD_BYTES / RANGE }, (_, i) => i * RANGE);
    t0 = process.hrtime.bigint();
    await pool(offsets, PARALLEL, async (off) => {
      await big.uploadRange(block, off, RANGE);
    });
    const up = seconds(t0);
    rows.push({ name: "upload 1 GiB (Put Range 4 MiB x8)", values: { MiB: UPLOAD_BYTES / MIB, seconds: up, "MB/s": UPLOAD_BYTES / 1e6 / up } });

    t0 = process.hrtime.bigint();
    const res = await big.download();
    let got = 0;
    for await (const chunk of res.readableStreamBody as NodeJS.ReadableStream) got += (chunk as Buffer).length;
    const down = seconds(t0);
    if (got !== UPLOAD_BYTES) throw new Error(`downloaded ${got} bytes, expected ${UPLOAD_BYTES}`);
    rows.push({ name: "download 1 GiB (one stream)", values: { MiB: got / MIB, seconds: down, "MB/s": got / 1e6 / down } });

    t0 = process.hrtime.bigint();
    const buf = await big.downloadToBuffer(0, undefined, { rangeSize: RANGE, concurrency: PARALLEL });
    const par = seconds(t0);
    if (buf.length !== UPLOAD_BYTES || !buf.subarray(RANGE, 2 * RANGE).equals(block)) throw new Error("downloaded bytes differ from the upload");
    rows.push({ name: "download 1 GiB (4 MiB ranges x8)", values: { MiB: buf.length / MIB, seconds: par, "MB/s": buf.length / 1e6 / par } });
  } finally {
    await emu.close();
    rmSync(dataDir, { recursive: true, force: true });
  }
  report("emulator", rows);
}

main().catch((err: unknown) => {
  process.stderr.write(`emulator bench failed: ${(err as Error)?.stack ?? String(err)}\n`);
  process.exit(1);
});
