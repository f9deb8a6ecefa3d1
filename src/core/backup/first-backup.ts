/**
 * The first backup of a share the node index has never seen, in ONE depth-first pass: a directory is
 * listed, its files are stored, its subdirectories are backed up, and it is sealed at once; the index
 * records of its children go to a spool, which reaches the index only after the manifest. In a share
 * the index has never seen nothing can be moved, renamed or deleted, so no change set is needed.
 * Guarantees:
 *  - The trees and index records equal those of the change-set pipeline (scan, content, seal) for
 *    the same source (tested side by side), with three deliberate differences, all on live sources:
 *    a FileId listed under two names (hard links) is kept under both; a file that vanished while it
 *    was read is left out even if it is back when the directory is sealed (the manifest reports it
 *    unstable); a subdirectory that vanished from both listings of its parent leaves the parent
 *    consistent.
 *  - Memory does not grow with the files of the share: each directory walks its subdirectories one
 *    after another, and `listings` more may run in parallel anywhere in the tree, so at most
 *    (listings + 1) x depth directories are open (listed, not yet sealed) at once; reads and listings
 *    are bounded too. What grows is the repository's: about 60 bytes per chunk written (its chunk
 *    table) and one tree id per directory.
 *  - Live sources: a directory is listed again once its files are stored; a file that changed or
 *    vanished meanwhile is reported unstable and left out, and the directory gets no tree id in the
 *    index (as sealDirectory does). A share snapshot cannot change, so it is listed once.
 *  - After the first failure nothing new starts, and the pass rejects with that failure only once
 *    everything it started has settled (no work outlives the backup's lock).
 */
import { PathNotFoundError, type ShareEntry, type ShareReader } from "../ports/share-reader";
import type { RecordSpool } from "../ports/record-spool";
import type { UnstableFile } from "../repository/model";
import type { Repository } from "../repository/repository";
import { childPath, listingDigest, recordOf } from "../scan/records";
import { ROOT_PARENT } from "../scan/scanner";
import { emptyStats, type ScanStats } from "../scan/stats";
import { readSlots, SLOTS_PER_READ, storeOne, type ContentCounters, type StoredFile } from "./content";
import type { PermissionCache } from "./metadata";
import { BackupError, describeError, type BackupProgress } from "./model";
import { Semaphore } from "./pool";
import { childrenOf } from "./first-seal";
import { withTree, type SealedDir } from "./seal";
import { totalsOf } from "./tree-cache";

export interface FirstPassOptions {
  readonly reader: ShareReader;
  readonly repository: Repository;
  readonly permissions: PermissionCache;
  readonly spool: RecordSpool;
  /** Large files read at once (small ones: SLOTS_PER_READ times as many, see readSlots). */
  readonly reads: number;
  /** Directory listings at once; also the directories walked in parallel beyond each one's own. */
  readonly listings: number;
  readonly counters: ContentCounters;
  readonly unstable: UnstableFile[];
  readonly progress: BackupProgress;
  /** Called after listings, reads and seals (copies the counters into the progress and ticks it). */
  readonly onRead: () => void;
}

export interface FirstPassResult {
  /** The root's tree. */
  readonly sealed: SealedDir;
  /** The root as listed (its FileId is the tree's). */
  readonly rootEntry: ShareEntry;
  /** Counts as a scan of the same share would report them (every node added). */
  readonly stats: ScanStats;
}

interface Dir {
  readonly path: string;
  readonly entry: ShareEntry;
  readonly parentFileId: string;
}

type Outcome = PromiseSettledResult<unknown>;

function settled<T>(p: Promise<T>): Promise<Outcome> {
  return p.then(
    (value) => ({ status: "fulfilled", value }),
    (reason: unknown) => ({ status: "rejected", reason }),
  );
}

/** Runs the pass over the whole share; see the module comment. */
export async function backUpFirstTime(opts: FirstPassOptions): Promise<FirstPassResult> {
  let root: ShareEntry;
  try {
    root = { ...(await opts.reader.getDirectory("")), name: "" };
  } catch (err) {
    throw new BackupError(`backup failed reading the root of ${opts.reader.description}: ${describeError(err)}`, { cause: err });
  }
  const pass = new FirstPass(opts);
  pass.stats.dirs++;
  pass.stats.added++;
  opts.progress.dirsToSeal++;
  const sealed = await pass.backUp({ path: "", entry: root, parentFileId: ROOT_PARENT });
  if (sealed === undefined) throw new BackupError(`the root of ${opts.reader.description} vanished during the backup`);
  try {
    await opts.spool.append([withTree(recordOf(root, ROOT_PARENT), sealed)]);
  } catch (err) {
    throw new BackupError(`backup failed spooling the index record of the root: ${describeError(err)}`, { cause: err });
  }
  return { sealed, rootEntry: root, stats: pass.stats };
}

class FirstPass {
  readonly stats = emptyStats();
  private failure: { error: unknown } | undefined;
  private branches: number;
  private readonly reads: Semaphore;
  private readonly listings: Semaphore;

  constructor(private readonly o: FirstPassOptions) {
    this.branches = o.listings;
    this.reads = new Semaphore(o.reads * SLOTS_PER_READ);
    this.listings = new Semaphore(o.listings);
  }

  /** Backs up `dir` and everything below it; undefined when it vanished (live sources). */
  async backUp(dir: Dir): Promise<SealedDir | undefined> {
    const entries = await this.list(dir.path);
    if (entries === undefined) {
      // As the scan treats it: reported, and not counted as added (its parent's listing counted it).
      this.stats.errors.push({ path: dir.path, message: "directory vanished during the backup (deleted or moved)" });
      this.stats.added--;
      this.o.progress.dirsToSeal--;
      return undefined;
    }
    this.count(entries);
    const stored = new Map<string, StoredFile>();
    const sub = new Map<string, SealedDir | undefined>();
    const reading = this.storeFiles(entries, dir, stored);
    const walking = this.walkDirs(entries, dir, sub);
    const outcomes = [...(await reading), ...(await walking)];
    this.throwFirstFailure(outcomes);
    const final = this.o.reader.snapshot === undefined ? await this.list(dir.path) : entries;
    if (final === undefined) {
      this.o.progress.dirsToSeal--;
      return undefined;
    }
    const sealed = await this.seal(dir, entries, final, stored, sub);
    this.o.progress.dirsSealed++;
    this.o.onRead();
    return sealed;
  }

  private count(entries: readonly ShareEntry[]): void {
    const p = this.o.progress;
    for (const e of entries) {
      this.stats.added++;
      if (e.kind === "dir") {
        this.stats.dirs++;
        p.dirsToSeal++;
      } else {
        this.stats.files++;
        this.stats.bytes += e.size;
        this.stats.candidateBytes += e.size;
        p.filesToRead++;
        p.bytesToRead += e.size;
      }
    }
    p.files = this.stats.files;
    p.dirs = this.stats.dirs;
    this.o.onRead();
  }

  private async list(path: string): Promise<ShareEntry[] | undefined> {
    this.throwIfFailed();
    await this.listings.acquire();
    try {
      this.throwIfFailed();
      return await this.listNow(path);
    } finally {
      this.listings.release();
    }
  }

  private async listNow(path: string): Promise<ShareEntry[] | undefined> {
    const out: ShareEntry[] = [];
    try {
      for await (const e of this.o.reader.listDirectory(path)) out.push(e);
      return out;
    } catch (err) {
      if (err instanceof PathNotFoundError && path !== "") return undefined;
      throw this.failed(new BackupError(`backup failed listing ${JSON.stringify(path || "/")} of ${this.o.reader.description}: ${describeError(err)}`, { cause: err }));
    }
  }

  /** Stores the directory's files, each in a read slot; a slot is awaited before the next file starts. */
  private async storeFiles(entries: readonly ShareEntry[], dir: Dir, stored: Map<string, StoredFile>): Promise<Outcome[]> {
    const running: Promise<Outcome>[] = [];
    for (const e of entries) {
      if (e.kind !== "file") continue;
      const slots = readSlots(e.size);
      await this.reads.acquire(slots);
      if (this.failure !== undefined) {
        this.reads.release(slots);
        break;
      }
      const path = childPath(dir.path, e.name);
      const one = storeOne(path, e.fileId, e.size, this.o, this.o.unstable).then(
        (file) => {
          if (file !== undefined) stored.set(e.fileId, file);
        },
        (err: unknown) => {
          throw this.failed(err);
        },
      );
      running.push(settled(one.finally(() => this.reads.release(slots))));
    }
    return Promise.all(running);
  }

  /** Walks the subdirectories: in parallel while branches are free, else one after another. */
  private async walkDirs(entries: readonly ShareEntry[], dir: Dir, into: Map<string, SealedDir | undefined>): Promise<Outcome[]> {
    const running: Promise<Outcome>[] = [];
    const inline: Outcome[] = [];
    for (const e of entries) {
      if (e.kind !== "dir") continue;
      if (this.failure !== undefined) break;
      const one = this.backUp({ path: childPath(dir.path, e.name), entry: e, parentFileId: dir.entry.fileId }).then(
        (s) => {
          into.set(e.fileId, s);
        },
        (err: unknown) => {
          throw this.failed(err);
        },
      );
      if (this.branches > 0) {
        this.branches--;
        running.push(settled(one.finally(() => this.branches++)));
      } else inline.push(await settled(one));
    }
    return [...inline, ...(await Promise.all(running))];
  }

  /** Seals `dir` from its two listings (first-seal.ts), stores the tree and spools its children's records. */
  private async seal(dir: Dir, listed: readonly ShareEntry[], final: readonly ShareEntry[], stored: Map<string, StoredFile>, sub: ReadonlyMap<string, SealedDir | undefined>): Promise<SealedDir> {
    const fileId = dir.entry.fileId;
    const { files, dirs, records, consistent } = await childrenOf({ path: dir.path, fileId }, listed, final, { ...this.o, stored, sub });
    const tree = { fileId, parentId: dir.parentFileId, files, directories: dirs };
    let id: string;
    try {
      id = (await this.o.repository.putTree(tree)).id;
    } catch (err) {
      throw this.failed(new BackupError(`backup failed storing the tree of ${JSON.stringify(dir.path || "/")}: ${describeError(err)}`, { cause: err }));
    }
    try {
      await this.o.spool.append(records);
    } catch (err) {
      throw this.failed(new BackupError(`backup failed spooling the index records of ${JSON.stringify(dir.path || "/")}: ${describeError(err)}`, { cause: err }));
    }
    // Consistent means every entry of `final` matched the records spooled for it: its digest is theirs.
    return { treeId: id, consistent, listing: listingDigest(final), ...totalsOf(tree) };
  }

  private failed(error: unknown): unknown {
    this.failure ??= { error };
    return error;
  }

  private throwIfFailed(): void {
    if (this.failure !== undefined) throw this.failure.error;
  }

  private throwFirstFailure(outcomes: readonly Outcome[]): void {
    for (const o of outcomes) if (o.status === "rejected") this.failed(o.reason);
    this.throwIfFailed();
  }
}
