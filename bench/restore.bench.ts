/**
 * Restore speed beside restic's, in the same run: the backup benchmark's corpus (bench/lib/corpus.ts:
 * BENCH_FILES, default 20,000 files, BENCH_MIB, default 1,024 MiB), or with BENCH_RESTORE_CORPUS=mixed
 * a smaller one with a sparse file (2 x 64 MiB, 40 x 4 MiB, one 32 MiB file that is mostly zeros,
 * 3,000 small files of 1-16 KiB in 30 directories), is backed up into
 * two afb repositories, a folder on local disk (AFB_REPOSITORY_PATH's store) and a blob container on
 * Azurite (child process, in memory), and into a restic repository on local disk; then each restores
 * it to a local directory, BENCH_RESTORE_ROUNDS times (default 3, alternating restic, afb from the
 * folder, afb from Azurite), and afb also restores it once from Azurite to the File emulator (child
 * process). Rows give MB/s and the ratio of afb's median time to restic's: the goal (<= 1.0) compares
 * like with like, both reading a repository on local disk; the Azurite rows (HTTP, the Azure path) are
 * reported. afb restores in this process (after its backup, which loads the SDKs): its first round
 * runs before V8 has optimized the restore path, later rounds after.
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { blobObjectStore, repositoryConnectionFromSettings } from "../src/adapters/blob/connect";
import { createShareServiceClient } from "../src/adapters/azure-files/client";
import { AzureRestoreTarget } from "../src/adapters/azure-files/share-writer";
import { DirObjectStore } from "../src/adapters/local-fs/dir-object-store";
import { LocalRestoreTarget } from "../src/adapters/local-fs/restore-target";
import type { DirectoryNode, FileNode } from "../src/core/repository/model";
import { EMPTY_STATS } from "../src/core/repository/model";
import { Repository } from "../src/core/repository/repository";
import { repositoryContent } from "../src/core/restore/chunk-batch";
import { restoreSnapshot } from "../src/core/restore/restorer";
import type { RestoreTarget } from "../src/core/ports/share-writer";
import { paceGcForStreaming } from "../src/config/gc-pacing";
import { applyStartFlags } from "../src/cli/code-cache";
import { generate } from "./lib/corpus";
import { report, type BenchRow } from "./lib/report";

const MIB = 1024 * 1024;
const T = 1_700_000_000_000_000;

function randomBuffer(size: number, seed: number): Buffer {
  const words = new Uint32Array(Math.ceil(size / 4));
  const s = createHash("sha256").update(`restore bench ${seed}`).digest();
  let [x, y, z, w] = [s.readUInt32LE(0) | 1, s.readUInt32LE(4), s.readUInt32LE(8), s.readUInt32LE(12)];
  for (let i = 0; i < words.length; i++) {
    const t = x ^ (x << 11);
    [x, y, z] = [y, z, w];
    w = (w ^ (w >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    words[i] = w;
  }
  return Buffer.from(words.buffer, 0, size);
}

/** Writes the corpus under `root`; returns its byte count. */
function writeCorpus(root: string): number {
  let total = 0;
  const put = (rel: string, data: Buffer) => {
    mkdirSync(join(root, rel, ".."), { recursive: true });
    writeFileSync(join(root, rel), data);
    total += data.length;
  };
  for (let i = 0; i < 2; i++) put(`large/large-${i}.bin`, randomBuffer(64 * MIB, i));
  for (let i = 0; i < 40; i++) put(`medium/m-${i}.bin`, randomBuffer(4 * MIB, 100 + i));
  const sparse = Buffer.alloc(32 * MIB);
  randomBuffer(MIB, 7).copy(sparse, 0);
  randomBuffer(MIB, 8).copy(sparse, 31 * MIB);
  put("sparse/disk.img", sparse);
  for (let i = 0; i < 3000; i++) put(`small/d${i % 30}/s-${i}.txt`, randomBuffer(1024 + ((i * 2654435761) % (15 * 1024)), 1000 + i));
  return total;
}

async function* fileChunks(path: string): AsyncGenerator<Buffer> {
  yield readFileSync(path);
}

/** afb's side of the backup, straight through the Repository API: one tree per directory. */
async function backupDir(repo: Repository, abs: string, name: string, ids: { next: number }): Promise<DirectoryNode> {
  const fileId = String(ids.next++);
  const files: FileNode[] = [];
  const directories: DirectoryNode[] = [];
  for (const entry of readdirSync(abs, { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
    const p = join(abs, entry.name);
    if (entry.isDirectory()) directories.push(await backupDir(repo, p, entry.name, ids));
    else {
      const s = await repo.storeFile(fileChunks(p));
      const mtime = Math.round(statSync(p).mtimeMs * 1000);
      files.push({ fileId: String(ids.next++), parentId: fileId, name: entry.name, creationTime: T, lastWriteTime: mtime, changeTime: mtime, lastAccessTime: mtime, attributes: 0x20, userMetadata: {}, size: s.size, digest: s.digest, chunks: s.chunks });
    }
  }
  const { id } = await repo.putTree({ fileId, parentId: "0", files, directories });
  const totalSize = files.reduce((n, f) => n + f.size, 0) + directories.reduce((n, d) => n + d.totalSize, 0);
  const totalFiles = files.length + directories.reduce((n, d) => n + d.totalFiles, 0);
  return { fileId, name, creationTime: T, lastWriteTime: T, changeTime: T, lastAccessTime: T, attributes: 0x10, userMetadata: {}, tree: id, totalFiles, totalDirectories: directories.length + directories.reduce((n, d) => n + d.totalDirectories, 0), totalSize };
}

/** A local stack (the given services) in a child process, with its own event loop like a real service. */
async function startStackChild(dataDir: string, services: string[]): Promise<{ settings: Record<string, string>; child: ChildProcess }> {
  const stackModule = join(__dirname, "..", "src", "local", "stack", "local-stack.js");
  const ports = Object.fromEntries(services.map((s) => [s, 0]));
  const script = `
    const { startLocalStack } = require(${JSON.stringify(stackModule)});
    startLocalStack({ dataDir: ${JSON.stringify(dataDir)}, services: ${JSON.stringify(services)}, ports: ${JSON.stringify(ports)}, inMemory: true }).then((stack) => {
      process.stdout.write(JSON.stringify(stack.settings) + "\\n");
      process.stdin.on("end", () => stack.stop().then(() => process.exit(0)));
    }, (err) => { console.error(err); process.exit(1); });`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "inherit"] });
  const settings = await new Promise<Record<string, string>>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve(JSON.parse(out.split("\n")[0]) as Record<string, string>);
    });
    child.once("exit", (code) => reject(new Error(`stack child exited with ${code}`)));
  });
  return { settings, child };
}

/** Rounds of restic's and afb's local restores (BENCH_RESTORE_ROUNDS, default 3). */
const ROUNDS = Math.max(1, Number(process.env.BENCH_RESTORE_ROUNDS ?? 3));

/** The middle element by `key` (the upper one of an even count). */
function median<T>(items: readonly T[], key: (t: T) => number): T {
  return [...items].sort((a, b) => key(a) - key(b))[Math.floor(items.length / 2)];
}

const seconds = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9;

/**
 * CPU seconds (user + system) from /proc (Linux): of process `pid`, or with `children`, of the
 * children this process has waited for (restic). Undefined elsewhere. On a shared machine wall times
 * swing with the load; CPU seconds show what each side costs.
 */
function cpuSeconds(pid: number | "self", children = false): number | undefined {
  try {
    const fields = readFileSync(`/proc/${pid}/stat`, "utf8").split(") ")[1].split(" ");
    const [user, system] = children ? [fields[13], fields[14]] : [fields[11], fields[12]];
    return (Number(user) + Number(system)) / 100;
  } catch {
    return undefined;
  }
}

const delta = (before: number | undefined, after: number | undefined): number | undefined => (before === undefined || after === undefined ? undefined : after - before);

function restic(args: string[], env: NodeJS.ProcessEnv, cwd?: string): number {
  const t0 = process.hrtime.bigint();
  const r = spawnSync("restic", args, { env, cwd, stdio: ["ignore", "ignore", "pipe"] });
  if (r.status !== 0) throw new Error(`restic ${args[0]} failed: ${r.stderr?.toString()}`);
  return seconds(t0);
}

/** SHA-256 of every file under `root`, by relative path. */
function treeHash(root: string): string {
  const h = createHash("sha256");
  const walk = (rel: string) => {
    for (const e of readdirSync(join(root, rel), { withFileTypes: true }).sort((a, b) => (a.name < b.name ? -1 : 1))) {
      const p = rel === "" ? e.name : `${rel}/${e.name}`;
      if (e.isDirectory()) walk(p);
      else h.update(p).update(readFileSync(join(root, p)));
    }
  };
  walk("");
  return h.digest("hex");
}

async function main(): Promise<void> {
  const work = mkdtempSync(join(tmpdir(), "afb-bench-restore-"));
  let stack: { child: ChildProcess } | undefined;
  try {
    const corpus = join(work, "corpus");
    const mixed = process.env.BENCH_RESTORE_CORPUS === "mixed";
    const bytes = mixed ? writeCorpus(corpus) : generate(corpus, Number(process.env.BENCH_FILES ?? 20_000), Number(process.env.BENCH_MIB ?? 1024));
    const mb = bytes / 1e6;
    const resticEnv = { ...process.env, RESTIC_REPOSITORY: join(work, "restic-repo"), RESTIC_PASSWORD: "bench", RESTIC_CACHE_DIR: join(work, "restic-cache") };
    restic(["init"], resticEnv);
    const resticBackup = restic(["backup", "--quiet", "."], resticEnv, corpus);

    const started = await startStackChild(join(work, "stack"), ["blob", "files"]);
    stack = started;
    const settings: Record<string, string> = { AFB_REPOSITORY: started.settings.blob, AFB_REPOSITORY_CONTAINER: "bench" };
    const store = blobObjectStore(repositoryConnectionFromSettings((n) => settings[n]));
    await store.ensureContainer();
    const repo = await Repository.open(store);
    const t0 = process.hrtime.bigint();
    const root = await backupDir(repo, corpus, "", { next: 10 });
    await repo.putSnapshot({ share: "bench", time: 1_780_000_000_000, root, tags: [], stats: EMPTY_STATS, unstableFiles: [] });
    const afbBackup = seconds(t0);
    const folderStore = new DirObjectStore(join(work, "afb-repository"));
    await folderStore.ensureContainer();
    const t1 = process.hrtime.bigint();
    const folderRepo = await Repository.open(folderStore);
    const folderRoot = await backupDir(folderRepo, corpus, "", { next: 10 });
    await folderRepo.putSnapshot({ share: "bench", time: 1_780_000_000_000, root: folderRoot, tags: [], stats: EMPTY_STATS, unstableFiles: [] });
    const folderBackup = seconds(t1);
    // The same corpus makes the same trees: both repositories restore `root`.
    if (folderRoot.tree !== root.tree) throw new Error("the folder repository's root tree differs from Azurite's");

    // As `afb restore` does (src/config/gc-pacing.ts, and bin/afb.js's START_FLAGS): the restores
    // below run in this process.
    paceGcForStreaming();
    applyStartFlags();
    const run = async (target: RestoreTarget, from: typeof store | DirObjectStore = store) => {
      (globalThis as { gc?: () => void }).gc?.();
      const reader = await Repository.open(from);
      const server0 = cpuSeconds(started.child.pid!);
      const cpu0 = process.cpuUsage();
      const t = process.hrtime.bigint();
      const r = await restoreSnapshot({ content: repositoryContent(reader), root, target, now: () => Date.now() });
      const s = seconds(t);
      const cpu = process.cpuUsage(cpu0);
      return { s, result: r, cpu: (cpu.user + cpu.system) / 1e6, serverCpu: delta(server0, cpuSeconds(started.child.pid!)) };
    };
    // Rounds alternate restic and afb, so both see the same load; the rows give the medians (this
    // machine is shared and noisy) and every round's time. Each round restores into a directory of its
    // own, removed only at the end: deleting thousands of files right before creating as many makes
    // ext4's inode allocator skip the recently freed inodes one by one (perf: ~20% of a restore's
    // samples in ext4_create -> recently_deleted).
    const resticRuns: { s: number; cpu?: number }[] = [];
    const localRuns: Awaited<ReturnType<typeof run>>[] = [];
    const folderRuns: Awaited<ReturnType<typeof run>>[] = [];
    for (let i = 0; i < ROUNDS; i++) {
      const cpu0 = cpuSeconds("self", true);
      const s = restic(["restore", "latest", "--target", join(work, `restic-out-${i}`)], resticEnv);
      resticRuns.push({ s, cpu: delta(cpu0, cpuSeconds("self", true)) });
      folderRuns.push(await run(await LocalRestoreTarget.open(join(work, `afb-folder-out-${i}`)), folderStore));
      localRuns.push(await run(await LocalRestoreTarget.open(join(work, `afb-out-${i}`))));
    }
    const resticMedian = median(resticRuns, (r) => r.s);
    const resticRestore = resticMedian.s;
    const resticCpu = resticMedian.cpu;
    const local = median(localRuns, (r) => r.s);
    const fromFolder = median(folderRuns, (r) => r.s);
    const rounds = (runs: readonly { s: number }[]) => runs.map((r) => r.s.toFixed(2)).join("/");
    const expected = treeHash(corpus);
    const same = [...Array(ROUNDS).keys()].every((i) => ["afb-out", "afb-folder-out", "restic-out"].every((out) => treeHash(join(work, `${out}-${i}`)) === expected));
    const service = createShareServiceClient({ connectionString: started.settings.files });
    const share = await run((await AzureRestoreTarget.open(service, "bench-restore")).target);

    const rows: BenchRow[] = [
      { name: `restic restore -> local dir (median of ${ROUNDS})`, values: { MB: Math.round(mb), seconds: resticRestore, rounds: rounds(resticRuns), "MB/s": mb / resticRestore, ...(resticCpu === undefined ? {} : { "CPU s": resticCpu }) } },
      {
        name: `afb restore from a folder -> local dir (median of ${ROUNDS})`,
        values: { MB: Math.round(mb), seconds: fromFolder.s, rounds: rounds(folderRuns), "MB/s": mb / fromFolder.s, "time / restic": fromFolder.s / resticRestore, "sent MB": Math.round(fromFolder.result.bytesWritten / 1e6), "CPU s": fromFolder.cpu },
        goal: "<= 1.0 x restic",
        met: fromFolder.s <= resticRestore,
      },
      {
        name: `afb restore from Azurite -> local dir (median of ${ROUNDS})`,
        values: { MB: Math.round(mb), seconds: local.s, rounds: rounds(localRuns), "MB/s": mb / local.s, "time / restic": local.s / resticRestore, "sent MB": Math.round(local.result.bytesWritten / 1e6), "CPU s": local.cpu, ...(local.serverCpu === undefined ? {} : { "Azurite CPU s": local.serverCpu }) },
        goal: "(reported)",
      },
      { name: "afb restore from Azurite -> File emulator", values: { MB: Math.round(mb), seconds: share.s, "MB/s": mb / share.s, "time / restic": share.s / resticRestore, "sent MB": Math.round(share.result.bytesWritten / 1e6), "CPU s": share.cpu }, goal: "(reported)" },
      { name: "backup (for reference)", values: { "restic s": resticBackup, "afb s (Azurite)": afbBackup, "afb s (folder)": folderBackup } },
    ];
    if (!same) throw new Error("a restored tree differs from the corpus");
    report("restore", rows, { loadAverage: loadavg(), cpus: cpus().length, corpus: mixed ? "mixed" : "backup benchmark's", files: root.totalFiles, note: "afb reads its repository from a folder on local disk, as restic does, or from Azurite (child process, HTTP). Restored trees verified byte-identical. CPU s: user + system seconds of the restoring process (afb: this process, its thread pool included; the Azurite child's apart)." });
  } finally {
    if (stack !== undefined) {
      const exited = new Promise((resolve) => stack!.child.once("exit", resolve));
      stack.child.stdin!.end();
      // Open keep-alive connections can hold the servers' close; the data is in memory anyway.
      const timer = setTimeout(() => stack!.child.kill(), 5000);
      await exited;
      clearTimeout(timer);
    }
    rmSync(work, { recursive: true, force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exitCode = 1;
});
