/**
 * Repository speed and write cost against Azurite (started through src/local/stack in a child process,
 * so that the emulator has its own event loop, as a real service would, in memory): store about 1 GiB of mixed
 * files (2 x 256 MiB, 100 x 4 MiB, 10,000 small files of 1-21 KiB in 10 directories), then store the
 * same data again from a fresh Repository with 1% of the bytes changed (64 KiB edits at pseudo-random
 * places), and report MB/s, blob writes, bytes added and the dedup ratio of the second pass. Also the
 * chunk index: compaction cost and cold lookups (a fresh process asking "do we have chunk X").
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { cpus, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { blobObjectStore, repositoryConnectionFromSettings } from "../src/adapters/blob/connect";
import { Repository } from "../src/core/repository/repository";
import type { FileNode } from "../src/core/repository/model";
import type { ObjectInfo, ObjectStore, PutOptions } from "../src/core/repository/object-store";
import { report, type BenchRow } from "./lib/report";

const MIB = 1024 * 1024;
const EDIT = 64 * 1024;
const PARALLEL_FILES = 4;

interface BenchFile {
  readonly dir: number;
  readonly name: string;
  readonly data: Buffer;
}

class CountingStore implements ObjectStore {
  puts = 0;
  bytes = 0;
  constructor(private readonly inner: ObjectStore) {}
  put(key: string, data: Uint8Array, options?: PutOptions): Promise<ObjectInfo> {
    this.puts++;
    this.bytes += data.length;
    return this.inner.put(key, data, options);
  }
  get = (key: string, range?: { offset: number; length?: number }) => this.inner.get(key, range);
  head = (key: string) => this.inner.head(key);
  list = (prefix: string, options?: { pageSize?: number; continuation?: string }) => this.inner.list(prefix, options);
  delete = (key: string) => this.inner.delete(key);
}

function xorshift(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return x >>> 0;
  };
}

/**
 * Pseudo-random content per file: xorshift128 seeded from SHA-256(seed). (Seeding one 32-bit xorshift
 * per file is not enough: all seeds walk the same 2^32 cycle, so some files would be copies of parts
 * of others and dedup where real data would not.)
 */
function randomBuffer(size: number, seed: number): Buffer {
  const words = new Uint32Array(Math.ceil(size / 4));
  const s = createHash("sha256").update(`bench file ${seed}`).digest();
  let x = s.readUInt32LE(0) | 1;
  let y = s.readUInt32LE(4);
  let z = s.readUInt32LE(8);
  let w = s.readUInt32LE(12);
  for (let i = 0; i < words.length; i++) {
    const t = x ^ (x << 11);
    x = y;
    y = z;
    z = w;
    w = (w ^ (w >>> 19) ^ (t ^ (t >>> 8))) >>> 0;
    words[i] = w;
  }
  return Buffer.from(words.buffer, 0, size);
}

function dataset(): BenchFile[] {
  const files: BenchFile[] = [];
  for (let i = 0; i < 2; i++) files.push({ dir: 0, name: `large-${i}.bin`, data: randomBuffer(256 * MIB, 1 + i) });
  for (let i = 0; i < 100; i++) files.push({ dir: 1, name: `medium-${i}.bin`, data: randomBuffer(4 * MIB, 100 + i) });
  const sizes = xorshift(7);
  for (let i = 0; i < 10_000; i++) files.push({ dir: 2 + (i % 10), name: `small-${i}.txt`, data: randomBuffer(1024 + (sizes() % (20 * 1024)), 10_000 + i) });
  return files;
}

/** Overwrites 1% of all bytes, in EDIT-sized runs at pseudo-random offsets (copies only edited files). */
function editOnePercent(files: readonly BenchFile[]): { files: BenchFile[]; changed: number } {
  const total = files.reduce((n, f) => n + f.data.length, 0);
  const out = files.map((f) => ({ ...f }));
  const next = xorshift(99);
  let changed = 0;
  const copied = new Set<number>();
  while (changed < total / 100) {
    let at = (next() * 4 + (next() & 3)) % total;
    let i = 0;
    while (at >= out[i].data.length) at -= out[i++].data.length;
    if (!copied.has(i)) {
      out[i] = { ...out[i], data: Buffer.from(out[i].data) };
      copied.add(i);
    }
    const n = Math.min(EDIT, out[i].data.length - at);
    randomBuffer(n, next()).copy(out[i].data, at);
    changed += n;
  }
  return { files: out, changed };
}

async function* pieces(data: Buffer): AsyncGenerator<Buffer> {
  for (let at = 0; at < data.length; at += 4 * MIB) yield data.subarray(at, at + 4 * MIB);
}

async function storeAll(repo: Repository, files: readonly BenchFile[], time: number): Promise<void> {
  const byDir = new Map<number, FileNode[]>();
  let next = 0;
  await Promise.all(Array.from({ length: PARALLEL_FILES }, async () => {
    while (next < files.length) {
      const f = files[next++];
      const s = await repo.storeFile(pieces(f.data));
      const node: FileNode = { fileId: String(1000 + next), parentId: String(10 + f.dir), name: f.name, creationTime: 0, lastWriteTime: 0, changeTime: 0, lastAccessTime: 0, attributes: 0x20, userMetadata: {}, size: s.size, digest: s.digest, chunks: s.chunks };
      (byDir.get(f.dir) ?? byDir.set(f.dir, []).get(f.dir)!).push(node);
    }
  }));
  const dirs = [];
  for (const [dir, nodes] of [...byDir].sort((a, b) => a[0] - b[0])) {
    const t = await repo.putTree({ fileId: String(10 + dir), parentId: "1", files: nodes, directories: [] });
    dirs.push({ fileId: String(10 + dir), name: `d${dir}`, creationTime: 0, lastWriteTime: 0, changeTime: 0, lastAccessTime: 0, attributes: 0x10, userMetadata: {}, tree: t.id, totalFiles: nodes.length, totalDirectories: 0, totalSize: nodes.reduce((n, x) => n + x.size, 0) });
  }
  const root = await repo.putTree({ fileId: "1", parentId: "0", files: [], directories: dirs });
  await repo.putSnapshot({ share: "bench", time, root: { ...dirs[0], fileId: "1", name: "", tree: root.id }, tags: [], stats: { files: files.length, directories: dirs.length, bytes: 0, filesNew: 0, filesChanged: 0, filesUnchanged: 0, filesRemoved: 0, bytesRead: 0, bytesAdded: repo.stats.bytesAdded, chunksAdded: repo.stats.chunksAdded, packsWritten: repo.packStats.packsWritten, treesWritten: repo.stats.treesWritten }, unstableFiles: [] });
}

const seconds = (t0: bigint): number => Number(process.hrtime.bigint() - t0) / 1e9;

async function pass(name: string, store: CountingStore, files: readonly BenchFile[], time: number, extra: Record<string, number> = {}): Promise<BenchRow> {
  (globalThis as { gc?: () => void }).gc?.();
  const bytes = files.reduce((n, f) => n + f.data.length, 0);
  const puts0 = store.puts;
  const written0 = store.bytes;
  const repo = await Repository.open(store);
  const t0 = process.hrtime.bigint();
  await storeAll(repo, files, time);
  const s = seconds(t0);
  return {
    name,
    values: {
      "MiB": Math.round(bytes / MIB), files: files.length, seconds: s, "MB/s": bytes / 1e6 / s, "blob writes": store.puts - puts0,
      "MiB written": (store.bytes - written0) / MIB, packs: repo.packStats.packsWritten, "MiB added": repo.stats.bytesAdded / MIB,
      "dedup ratio": 1 - repo.stats.bytesAdded / bytes, ...extra,
    },
  };
}

/** Azurite blob in a child process: prints its connection string, stops when its stdin closes. */
async function startAzurite(dataDir: string): Promise<{ connectionString: string; child: ChildProcess }> {
  const stackModule = join(__dirname, "..", "src", "local", "stack", "local-stack.js");
  const script = `
    const { startLocalStack } = require(${JSON.stringify(stackModule)});
    startLocalStack({ dataDir: ${JSON.stringify(dataDir)}, services: ["blob"], ports: { blob: 0 }, inMemory: true }).then((stack) => {
      process.stdout.write(JSON.stringify(stack.settings.blob) + "\\n");
      process.stdin.on("end", () => stack.stop().then(() => process.exit(0)));
      process.stdin.resume();
    }, (err) => { console.error(err); process.exit(1); });`;
  const child = spawn(process.execPath, ["-e", script], { stdio: ["pipe", "pipe", "inherit"] });
  const connectionString = await new Promise<string>((resolve, reject) => {
    let out = "";
    child.stdout!.on("data", (d: Buffer) => {
      out += d.toString();
      if (out.includes("\n")) resolve(JSON.parse(out.split("\n")[0]) as string);
    });
    child.once("exit", (code) => reject(new Error(`Azurite child exited with ${code}`)));
  });
  return { connectionString, child };
}

async function main(): Promise<void> {
  const dataDir = mkdtempSync(join(tmpdir(), "afb-repo-bench-"));
  const azurite = await startAzurite(dataDir);
  try {
    const settings: Record<string, string> = { AFB_REPOSITORY: azurite.connectionString, AFB_REPOSITORY_CONTAINER: "bench" };
    const blob = blobObjectStore(repositoryConnectionFromSettings((n) => settings[n]));
    await blob.ensureContainer();
    const store = new CountingStore(blob);
    const files = dataset();
    const rows: BenchRow[] = [await pass("first backup (1 GiB mixed)", store, files, Date.UTC(2026, 0, 1))];
    const edited = editOnePercent(files);
    rows.push(await pass("same data, 1% of bytes changed", store, edited.files, Date.UTC(2026, 0, 2), { "MiB changed": edited.changed / MIB }));

    const repo = await Repository.open(store);
    const t0 = process.hrtime.bigint();
    const c = await repo.compactIndex();
    rows.push({ name: "index compaction (all L0 -> 256 shards)", values: { seconds: seconds(t0), "L0 merged": c.packIndexesMerged, "runs written": c.runsWritten, "blobs deleted": c.blobsDeleted } });

    const probe = await Repository.open(store);
    const ids = [];
    const tree = await probe.getTree((await probe.getSnapshot((await arrayOf(probe.listSnapshots("bench")))[0])).root.tree);
    for (const d of tree.directories) for (const f of (await probe.getTree(d.tree)).files.slice(0, 30)) ids.push(...f.chunks.map((x) => x.id));
    const t1 = process.hrtime.bigint();
    let found = 0;
    for (const id of ids) if (await probe.hasChunk(id)) found++;
    const s1 = seconds(t1);
    rows.push({ name: "cold lookups (fresh process)", values: { lookups: ids.length, found, "ms per lookup": (s1 * 1000) / ids.length, "shard loads": probe.index.shardLoads } });
    report("repo", rows, { loadAverage: loadavg(), cpus: cpus().length, note: "Azurite blob in memory, in a child process; writes counted at the ObjectStore port" });
    process.stdout.write(`load average during the run: ${loadavg().map((l) => l.toFixed(2)).join(" ")} on ${cpus().length} cores\n`);
  } finally {
    const exited = new Promise((resolve) => azurite.child.once("exit", resolve));
    azurite.child.stdin!.end();
    await exited;
    rmSync(dataDir, { recursive: true, force: true });
  }
}

async function arrayOf<T>(it: AsyncIterable<T>): Promise<T[]> {
  const out: T[] = [];
  for await (const x of it) out.push(x);
  return out;
}

main().catch((err: unknown) => {
  process.stderr.write(`${(err as Error).stack ?? String(err)}\n`);
  process.exit(1);
});
