/**
 * `npm run bench:backup`: afb's backup against restic (Debian's `restic`, installed with apt-get when
 * missing) on the same generated corpus, side by side in one run. The local stack (Azurite blob,
 * cosmosdb-server) runs in THIS process; each backup runs in a child process (`node bin/afb.js backup
 * --dir ... --json`, with a code-cache folder of the bench's own, or `restic backup`), whose peak RSS
 * (VmHWM) and bytes read through read(2) (rchar) are sampled from /proc every 50 ms.
 *
 * afb backs up twice side by side: into a repository folder on the local disk (AFB_REPOSITORY_PATH),
 * as restic does into its own, and into a blob container on Azurite (the Azure path). The goal rows
 * compare like with like, the folder; the Azurite rows are reported beside them. Both keep the node
 * index in cosmosdb-server.
 *
 * Azurite and cosmosdb-server keep their data in memory (see main); both still share the machine's cores
 * with the backup, which Azure's services do not. A "CPU" row gives each backup process's own CPU time
 * and the services' CPU (this process's) while afb's backup ran: Azurite alone computes the MD5 of
 * every upload, ~2.3 s of CPU per GiB on this machine.
 *
 * Corpus (BENCH_FILES, default 20,000 files; BENCH_MIB, default 1024 MiB), all under corpus/data:
 * every 100th file large, every 10th medium, the rest small, holding 50% / 35% / 15% of the bytes;
 * random (incompressible) content, so restic's compression does not decide the stored-bytes ratio;
 * 100 files per directory. Rows:
 *  - full backup time, ratio afb / restic (goal <= 1.0 with the folder; Azurite reported);
 *  - incremental with nothing changed, ratio of the medians of BENCH_INC_ROUNDS (default 3) alternated
 *    afb (folder), afb (Azurite) and restic rounds (goal <= 0.5 with the folder);
 *  - bytes read after renaming corpus/data (the directory holding every byte): afb's content bytes
 *    (goal 0, both repositories) and the tools' rchar;
 *  - stored bytes after every backup above, ratio (goal <= 1.05; the folder's and restic's whole
 *    folders, the container's blobs reported);
 *  - peak RSS of afb's full backup of BENCH_RSS_FILES (default 50,000) and 4x as many 1 KiB files,
 *    ratio 4N / N of the medians of BENCH_RSS_RUNS (default 3) runs each (goal <= 1.2); each run into
 *    its own Cosmos database and repository container. BENCH_RSS_FILES=0 skips these rows;
 *  - the same corpus from the File emulator (share snapshots): full and incremental times.
 * Note: the local stack answers a directory's children listing from its partition (as Azure Cosmos DB
 * does); other queries still scan the whole container in cosmosdb-server.
 */
import { execFileSync, spawn } from "node:child_process";
import { randomFillSync } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { BlobServiceClient } from "@azure/storage-blob";
import { ShareServiceClient } from "@azure/storage-file-share";
import { DEV_ACCOUNT_NAME, startLocalStack, toProductSettings } from "../src/local/stack";
import { generate } from "./lib/corpus";
import { report, type BenchRow } from "./lib/report";

const FILES = Number(process.env.BENCH_FILES ?? 20_000);
const MIB = Number(process.env.BENCH_MIB ?? 1024);
const RSS_FILES = Number(process.env.BENCH_RSS_FILES ?? 50_000);
const RSS_RUNS = Number(process.env.BENCH_RSS_RUNS ?? 3);
const INC_ROUNDS = Number(process.env.BENCH_INC_ROUNDS ?? 3);
const REPO_ROOT = join(__dirname, "..", "..");
const AFB = join(REPO_ROOT, "bin", "afb.js");

interface Run {
  seconds: number;
  /** User + system CPU of the process (all its threads), sampled from /proc. */
  cpuSeconds: number;
  peakRssMiB: number;
  rcharMiB: number;
  /**
   * CPU of THIS process meanwhile: the local Azure services the backup talks to (Azurite, cosmosdb-server),
   * on the same cores; about zero while restic runs.
   */
  servicesCpuSeconds: number;
  stdout: string;
}

const TICKS_PER_SECOND = 100;

function sample(pid: number, into: { hwm: number; rchar: number; cpu: number }): void {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").replace(/^.*\) /, "").split(" ");
    into.cpu = Math.max(into.cpu, (Number(fields[11]) + Number(fields[12])) / TICKS_PER_SECOND);
    const hwm = /VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, "utf8"));
    if (hwm) into.hwm = Math.max(into.hwm, Number(hwm[1]) / 1024);
    const rchar = /rchar:\s+(\d+)/.exec(readFileSync(`/proc/${pid}/io`, "utf8"));
    if (rchar) into.rchar = Math.max(into.rchar, Number(rchar[1]) / 2 ** 20);
  } catch {
    // The process just exited: keep the last sample.
  }
}

/** Runs a command, sampling its peak RSS and rchar; rejects with its stderr on failure. */
function run(cmd: string, args: string[], env: NodeJS.ProcessEnv): Promise<Run> {
  return new Promise((resolve, reject) => {
    const t0 = process.hrtime.bigint();
    const cpu0 = process.cpuUsage();
    const child = spawn(cmd, args, { env, cwd: REPO_ROOT });
    const seen = { hwm: 0, rchar: 0, cpu: 0 };
    const timer = setInterval(() => sample(child.pid!, seen), 50);
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    child.on("exit", (code) => {
      clearInterval(timer);
      const seconds = Number(process.hrtime.bigint() - t0) / 1e9;
      const cpu = process.cpuUsage(cpu0);
      if (code !== 0) reject(new Error(`${cmd} ${args.join(" ")} failed (${code}): ${stderr.slice(-2000)}`));
      else resolve({ seconds, cpuSeconds: seen.cpu, peakRssMiB: seen.hwm, rcharMiB: seen.rchar, servicesCpuSeconds: (cpu.user + cpu.system) / 1e6, stdout });
    });
  });
}

function smallFiles(root: string, files: number): void {
  const buf = Buffer.alloc(1024);
  for (let i = 0; i < files; i++) {
    const dir = join(root, `d${Math.floor(i / 1000)}`);
    if (i % 1000 === 0) mkdirSync(dir, { recursive: true });
    randomFillSync(buf);
    writeFileSync(join(dir, `f${i}.bin`), buf);
  }
}

function ensureRestic(): string {
  try {
    return execFileSync("restic", ["version"]).toString().trim();
  } catch {
    execFileSync("sudo", ["apt-get", "install", "-y", "restic"], { stdio: "inherit" });
    return execFileSync("restic", ["version"]).toString().trim();
  }
}

function duBytes(path: string): number {
  return Number(execFileSync("du", ["-sb", path]).toString().split(/\s/)[0]);
}

async function containerBytes(connectionString: string, container: string): Promise<number> {
  let bytes = 0;
  for await (const b of BlobServiceClient.fromConnectionString(connectionString).getContainerClient(container).listBlobsFlat()) bytes += b.properties.contentLength ?? 0;
  return bytes;
}

/** The run of median wall time, with the median CPU figures of all runs. */
function medianRun(runs: readonly Run[]): Run {
  const median = (pick: (r: Run) => number) => [...runs].map(pick).sort((x, y) => x - y)[Math.floor(runs.length / 2)];
  const byTime = [...runs].sort((x, y) => x.seconds - y.seconds)[Math.floor(runs.length / 2)];
  return { ...byTime, cpuSeconds: median((x) => x.cpuSeconds), servicesCpuSeconds: median((x) => x.servicesCpuSeconds) };
}

const ratioRow = (name: string, afb: number, restic: number, goal: string, ok: (r: number) => boolean, unit = "s"): BenchRow => ({
  name, values: { [`afb ${unit}`]: afb, [`restic ${unit}`]: restic, ratio: afb / restic }, goal, met: ok(afb / restic),
});

/** Each backup process's own CPU, and the local services' CPU while afb's ran (restic's repository is a local directory). */
function cpuRow(name: string, afb: Run, restic: Run): BenchRow {
  const row = ratioRow(name, afb.cpuSeconds, restic.cpuSeconds, "(reported)", () => true, "CPU s");
  return { ...row, values: { ...row.values, "services CPU s (afb run)": afb.servicesCpuSeconds } };
}

async function main(): Promise<void> {
  const resticVersion = ensureRestic();
  const work = mkdtempSync(join(tmpdir(), "afb-bench-backup-"));
  // Azurite and cosmosdb-server keep their data in memory: on disk, Azurite writes every upload to an
  // extent file and reads it back to compute its MD5 (measured: ~5 s of CPU for this corpus, on the same
  // two cores as the backup), work that Azure's service does, not the client. The File emulator is on disk.
  const stack = await startLocalStack({ dataDir: join(work, "stack"), services: ["blob", "cosmos", "files"], ports: { blob: 0, cosmos: 0, files: 0 }, inMemory: true });
  try {
    const settings = toProductSettings(stack.settings);
    // A code cache of the bench's own, as on a fresh install: the first (full) backup writes it, the
    // later runs load it; never a leftover of earlier runs in the user's cache folder.
    const codeCache = join(work, "code-cache");
    const afbEnv = (db: string): NodeJS.ProcessEnv => ({ ...process.env, ...settings, AFB_COSMOS_DATABASE: db, AFB_REPOSITORY_CONTAINER: "bench-backup", AFB_CODE_CACHE_DIR: codeCache });
    const folder = join(work, "afb-repository");
    const folderEnv = (db: string): NodeJS.ProcessEnv => ({ ...afbEnv(db), AFB_REPOSITORY_PATH: folder });
    const resticEnv = { ...process.env, RESTIC_PASSWORD: "bench", RESTIC_REPOSITORY: join(work, "restic"), RESTIC_CACHE_DIR: join(work, "restic-cache") };
    const corpus = join(work, "corpus");
    const bytes = generate(corpus, FILES, MIB);
    execFileSync("restic", ["init"], { env: resticEnv, stdio: "ignore" });
    const afb = (db = "bench") => run(process.execPath, [AFB, "backup", "--dir", corpus, "--json"], afbEnv(db));
    const afbFolder = () => run(process.execPath, [AFB, "backup", "--dir", corpus, "--json"], folderEnv("bench-folder"));
    const restic = () => run("restic", ["backup", "--json", "--quiet", corpus], resticEnv);

    const rows: BenchRow[] = [];
    const corpusName = `${FILES} files, ${(bytes / 2 ** 20).toFixed(0)} MiB`;
    const fullF = await afbFolder();
    const fullA = await afb();
    const fullR = await restic();
    rows.push(ratioRow(`full backup, ${corpusName}: afb into a folder`, fullF.seconds, fullR.seconds, "<= 1.0", (r) => r <= 1.0));
    rows.push(ratioRow(`full backup, ${corpusName}: afb into Azurite`, fullA.seconds, fullR.seconds, "(reported)", () => true));
    rows.push(cpuRow("CPU of the full backup process (user + system), folder", fullF, fullR));
    rows.push(cpuRow("CPU of the full backup process (user + system), Azurite", fullA, fullR));
    // Two seconds each, so host noise moves one run by a third: medians of alternated rounds.
    const incF: Run[] = [];
    const incA: Run[] = [];
    const incR: Run[] = [];
    for (let i = 0; i < INC_ROUNDS; i++) {
      incF.push(await afbFolder());
      incA.push(await afb());
      incR.push(await restic());
      if (JSON.parse(incF[i].stdout).bytesRead !== 0 || JSON.parse(incA[i].stdout).bytesRead !== 0) throw new Error("afb read content on an unchanged incremental backup");
    }
    const f = medianRun(incF);
    const a = medianRun(incA);
    const r = medianRun(incR);
    rows.push(ratioRow(`incremental, nothing changed (median of ${INC_ROUNDS}): afb into a folder`, f.seconds, r.seconds, "<= 0.5", (x) => x <= 0.5));
    rows.push(ratioRow(`incremental, nothing changed (median of ${INC_ROUNDS}): afb into Azurite`, a.seconds, r.seconds, "(reported)", () => true));
    rows.push(cpuRow("CPU of the unchanged incremental process (median), folder", f, r));
    rows.push(cpuRow("CPU of the unchanged incremental process (median), Azurite", a, r));

    renameSync(join(corpus, "data"), join(corpus, "data-renamed"));
    const renF = await afbFolder();
    const renA = await afb();
    const renR = await restic();
    const contentRead = (x: Run) => JSON.parse(x.stdout).bytesRead as number;
    rows.push({
      name: "after renaming the directory holding every byte",
      values: { "afb content MiB (folder)": contentRead(renF) / 2 ** 20, "afb content MiB (Azurite)": contentRead(renA) / 2 ** 20, "afb rchar MiB": renF.rcharMiB, "restic rchar MiB": renR.rcharMiB, "afb s (folder)": renF.seconds, "restic s": renR.seconds },
      goal: "afb content 0",
      met: contentRead(renF) === 0 && contentRead(renA) === 0,
    });

    const storedF = duBytes(folder);
    const storedA = await containerBytes(stack.settings.blob, "bench-backup");
    const storedR = duBytes(join(work, "restic"));
    const stored = ratioRow(`stored bytes after ${INC_ROUNDS + 2} backups (folder; Azurite's blobs beside)`, storedF / 2 ** 20, storedR / 2 ** 20, "<= 1.05", (x) => x <= 1.05, "MiB");
    rows.push({ ...stored, values: { ...stored.values, "afb Azurite MiB": storedA / 2 ** 20 } });
    rows.push(ratioRow("peak RSS of the full backup (folder)", fullF.peakRssMiB, fullR.peakRssMiB, "(reported)", () => true, "MiB"));

    // The same corpus from the File emulator (restic cannot read a share): written on the emulator's
    // disk, which it adopts at the next listing; backed up from share snapshots.
    const shareName = "bench-backup";
    await ShareServiceClient.fromConnectionString(stack.settings.files).getShareClient(shareName).create();
    generate(join(work, "stack", "files", DEV_ACCOUNT_NAME, shareName), FILES, MIB);
    const fromShare = () => run(process.execPath, [AFB, "backup", "--share", shareName, "--json"], afbEnv("bench-share"));
    const shareFull = await fromShare();
    const shareInc = await fromShare();
    rows.push({ name: "File emulator: full, then incremental (nothing changed)", values: { "afb s": shareFull.seconds, "afb incremental s": shareInc.seconds, "afb content MiB": JSON.parse(shareInc.stdout).bytesRead / 2 ** 20 }, goal: "(reported)" });

    if (RSS_FILES > 0) {
      // Peak RSS moves by tens of MiB from run to run with the garbage collector's timing: three runs
      // per size, each into its own database and container (a fresh repository each), and the medians.
      const medians: number[] = [];
      const spreads: string[] = [];
      for (const n of [RSS_FILES, 4 * RSS_FILES]) {
        const dir = join(work, `rss-${n}`);
        smallFiles(dir, n);
        const peaks: number[] = [];
        for (let i = 0; i < RSS_RUNS; i++) {
          const env = { ...afbEnv(`rss${n}-${i}`), AFB_REPOSITORY_CONTAINER: `bench-rss-${n}-${i}` };
          peaks.push((await run(process.execPath, [AFB, "backup", "--dir", dir, "--json"], env)).peakRssMiB);
        }
        rmSync(dir, { recursive: true, force: true });
        peaks.sort((a, b) => a - b);
        medians.push(peaks[Math.floor(peaks.length / 2)]);
        spreads.push(peaks.map((p) => p.toFixed(0)).join("/"));
      }
      rows.push({
        name: `peak RSS, full backup of N=${RSS_FILES} vs 4N files (median of ${RSS_RUNS})`,
        values: { "N MiB": medians[0], "4N MiB": medians[1], ratio: medians[1] / medians[0], "N runs": spreads[0], "4N runs": spreads[1] },
        goal: "<= 1.2",
        met: medians[1] / medians[0] <= 1.2,
      });
    }
    report("backup", rows, { restic: resticVersion, files: FILES, bytes, rssFiles: RSS_FILES });
  } finally {
    await stack.stop();
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench:backup failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exitCode = 1;
});
