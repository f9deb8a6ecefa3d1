/**
 * The demo's share content: a generated tree on the File emulator (through the real SDK) with a few
 * thousand files of mixed sizes, nested directories, an empty directory and some large files, then
 * the changes the incremental backup must find (an edit, a renamed directory holding the large files,
 * deletions, additions). Content comes from a seeded generator, so every run builds the same share.
 */
import type { ShareClient, ShareDirectoryClient } from "@azure/storage-file-share";

export interface CorpusOptions {
  readonly dirs: number;
  readonly filesPerDir: number;
  readonly largeFiles: number;
  readonly largeBytes: number;
  readonly seed?: number;
}

export const DEFAULT_CORPUS: CorpusOptions = { dirs: 40, filesPerDir: 50, largeFiles: 4, largeBytes: 16 * 2 ** 20, seed: 7 };

/** xorshift32: a seeded byte source (the demo must be reproducible, not secret). */
function bytes(seed: number, length: number): Buffer {
  const out = Buffer.allocUnsafe(length);
  let x = seed | 0 || 1;
  for (let i = 0; i + 4 <= length; i += 4) {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    out.writeInt32LE(x, i);
  }
  for (let i = length - (length % 4); i < length; i++) out[i] = i & 0xff;
  return out;
}

async function limit<T>(items: readonly T[], n: number, work: (item: T) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(n, items.length) }, async () => {
    while (next < items.length) await work(items[next++]);
  }));
}

const dirName = (d: number) => `projects/p${String(d).padStart(3, "0")}`;

/** The big directory the demo renames: it holds the large files. */
export const BIG_DIR = "media";
export const BIG_DIR_RENAMED = "media-archive";

export interface BuiltCorpus {
  readonly files: number;
  readonly dirs: number;
  readonly bytes: number;
  readonly bigDirBytes: number;
}

/** Builds the tree into the (empty) share. */
export async function buildCorpus(share: ShareClient, o: CorpusOptions = DEFAULT_CORPUS): Promise<BuiltCorpus> {
  const seed = o.seed ?? 7;
  const dirs: ShareDirectoryClient[] = [];
  let fileCount = 0;
  let total = 0;
  const jobs: { dir: ShareDirectoryClient; name: string; data: Buffer }[] = [];
  for (let d = 0; d < o.dirs; d++) {
    const top = share.getDirectoryClient(dirName(d));
    dirs.push(top, top.getDirectoryClient("docs"));
    for (let f = 0; f < o.filesPerDir; f++) {
      const size = 512 + ((d * 7919 + f * 104729) % (64 * 1024));
      jobs.push({ dir: f % 2 === 0 ? top : top.getDirectoryClient("docs"), name: `file-${f}.dat`, data: bytes(seed + d * 1000 + f, size) });
    }
  }
  const big = share.getDirectoryClient(BIG_DIR);
  dirs.push(big);
  let bigDirBytes = 0;
  for (let i = 0; i < o.largeFiles; i++) {
    jobs.push({ dir: big, name: `video-${i}.bin`, data: bytes(seed + 999_999 + i, o.largeBytes) });
    bigDirBytes += o.largeBytes;
  }
  await share.getDirectoryClient("projects").create();
  await share.getDirectoryClient("empty-folder").create();
  for (const dir of dirs) await dir.createIfNotExists();
  await limit(jobs, 16, async (j) => {
    await j.dir.getFileClient(j.name).uploadData(j.data);
  });
  // REST user metadata on a file and two directories (one of them renamed later): restores must keep it.
  await share.getDirectoryClient(dirName(0)).getFileClient("file-2.dat").setMetadata({ owner: "finance", reviewed: "2026-11" });
  await share.getDirectoryClient(dirName(1)).setMetadata({ project: "p001" });
  await big.setMetadata({ retention: "7y" });
  for (const j of jobs) {
    fileCount++;
    total += j.data.length;
  }
  return { files: fileCount, dirs: dirs.length + 2, bytes: total, bigDirBytes };
}

export interface Changes {
  readonly edited: number;
  readonly deleted: number;
  readonly added: number;
  readonly addedBytes: number;
  readonly editedBytes: number;
}

/** Edits 5 files, renames the big directory, deletes 10 files and adds 20; returns what it did. */
export async function changeCorpus(share: ShareClient, o: CorpusOptions = DEFAULT_CORPUS, seed = 11): Promise<Changes> {
  if (o.dirs < 6 || o.filesPerDir < 20) throw new Error("the demo's changes need a corpus of at least 6 directories of 20 files");
  let editedBytes = 0;
  for (let i = 0; i < 5; i++) {
    const data = bytes(seed + i, 4096 + i);
    await share.getDirectoryClient(dirName(i)).getFileClient("file-0.dat").uploadData(data);
    editedBytes += data.length;
  }
  await share.getDirectoryClient(BIG_DIR).rename(BIG_DIR_RENAMED);
  const victim = dirName(Math.min(10, o.dirs - 1));
  for (let i = 0; i < 10; i++) await share.getDirectoryClient(victim).getFileClient(`file-${i * 2}.dat`).delete();
  const fresh = share.getDirectoryClient("projects/new-work");
  await fresh.create();
  let addedBytes = 0;
  for (let i = 0; i < 20; i++) {
    const data = bytes(seed + 100 + i, 2000 + i * 10);
    await fresh.getFileClient(`draft-${i}.txt`).uploadData(data);
    addedBytes += data.length;
  }
  return { edited: 5, deleted: 10, added: 20, addedBytes, editedBytes };
}
