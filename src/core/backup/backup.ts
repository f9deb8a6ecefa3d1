/**
 * The backup pipeline: lock -> share snapshot (or live) -> one pass over the share that stores new
 * content and seals trees -> the snapshot manifest -> the node index -> share-snapshot housekeeping.
 * The pass is the change-set pipeline (change-pass.ts: scan against the index, content, sealing) for a
 * share the index knows, and a single depth-first walk (first-backup.ts) for one it has never seen.
 * Guarantees:
 *  - Nothing reaches the index before the manifest (and everything it references) is durable, so a
 *    crash or a failure at any point before the index step is harmless: the next run sees the same
 *    changes and finds the stored content by dedup. The index step itself is crash-safe (index-update).
 *  - Content is read only for added and modified files (renames, moves and metadata changes read
 *    none); unchanged directories keep their tree ids.
 *  - Memory: a first backup holds the directories open on its walk and spools its index records
 *    (`recordSpool`); a later one holds its change set, the directories being sealed and the reads in
 *    flight. Neither holds the share (the tree lives in the index and the repository).
 *  - With no index for the share but snapshots in the repository (a lost or wiped Cosmos account),
 *    the index is first rebuilt from the latest snapshot, so nothing unchanged is read again; an
 *    index whose root names a tree the repository lacks is rebuilt too (emptied when there is no
 *    snapshot), so the backup never reuses a tree id the repository does not hold.
 */
import type { NodeIndex } from "../ports/node-index";
import type { RecordSpool, RecordSpoolFactory } from "../ports/record-spool";
import type { ShareReader } from "../ports/share-reader";
import type { BackupStats, SnapshotManifest, UnstableFile } from "../repository/model";
import type { Repository } from "../repository/repository";
import type { SnapshotRef } from "../repository/layout";
import { NotFoundError } from "../repository/errors";
import { recordOf } from "../scan/records";
import { ROOT_PARENT } from "../scan/scanner";
import { runChangePass, type PassContext } from "./change-pass";
import { backUpFirstTime } from "./first-backup";
import { rebuildIndex } from "./index-rebuild";
import { UPSERT_SLICE } from "./index-update";
import { PermissionCache } from "./metadata";
import { BackupError, describeError, type BackupLock, type BackupPhase, type BackupProgress, type BackupSummary, type SealedPass } from "./model";
import { ProgressReporter } from "./progress";
import { rootNode } from "./seal";
import { dropShareSnapshot, housekeepShareSnapshots, openSource, type Source } from "./source";
import { TreeCache } from "./tree-cache";

export interface BackupConcurrency {
  /**
   * Directory listings in flight during the scan (default 8); in a first backup's one pass also the
   * subdirectories walked in parallel beyond each directory's own.
   */
  readonly listings?: number;
  /** Files read at once (default 8). */
  readonly reads?: number;
  /** Directories sealed at once (default 4; a first backup seals each directory as its walk ends). */
  readonly seals?: number;
}

export interface BackupOptions {
  /** The share key snapshots are filed under in the repository. */
  readonly share: string;
  /** The share's id in the node index. */
  readonly shareId: string;
  /** The live share (snapshots are taken from it). */
  readonly reader: ShareReader;
  readonly index: NodeIndex;
  readonly repository: Repository;
  /** Milliseconds since the epoch. */
  readonly now: () => number;
  readonly tags?: readonly string[];
  readonly lock?: BackupLock;
  readonly concurrency?: BackupConcurrency;
  /** Share snapshots to keep after the backup: 1 (default, the latest) or 0. */
  readonly keepShareSnapshots?: number;
  /** Modified files from this size on are read by changed ranges when possible (default 64 MiB). */
  readonly largeFileBytes?: number;
  /** Rebuild an empty index, or one that names trees the repository lacks, from the latest snapshot first (default true). */
  readonly rebuildEmptyIndex?: boolean;
  readonly onProgress?: (p: BackupProgress) => void;
  readonly progressIntervalMs?: number;
  /**
   * Where a first backup parks its index records until the manifest is written (a file in production,
   * so memory does not grow with the share).
   */
  readonly recordSpool: RecordSpoolFactory;
  /** A share the index has never seen is backed up in one pass (default true; false: the change-set pipeline, for tests). */
  readonly streamFirstBackup?: boolean;
  /** Runs after each phase completed (tests inject crashes here). */
  readonly afterPhase?: (phase: BackupPhase) => void | Promise<void>;
}

/** What the index holds at the share's root: whether anything, and the root's tree id. */
export interface IndexRoot {
  readonly empty: boolean;
  readonly treeId: string | undefined;
}

/** One query of the root partition, which the rebuild check and the choice of pass both need. */
export async function indexRoot(index: NodeIndex, shareId: string): Promise<IndexRoot> {
  let treeId: string | undefined;
  let empty = true;
  for await (const r of index.listChildren(shareId, ROOT_PARENT)) {
    empty = false;
    treeId = r.treeId;
  }
  return { empty, treeId };
}

/**
 * Whether the share's index must be rebuilt from the latest snapshot before the scan: when it is empty
 * while snapshots exist (a lost Cosmos account, an embedded stack that lost its state), or when its
 * root claims a tree the repository does not hold (an index left from a repository since deleted).
 */
export async function indexNeedsRebuild(index: NodeIndex, shareId: string, repository: Repository, parent: SnapshotManifest | undefined, known?: IndexRoot): Promise<boolean> {
  const { empty, treeId: rootTree } = known ?? (await indexRoot(index, shareId));
  if (empty) return parent !== undefined;
  if (rootTree === undefined || rootTree === parent?.root.tree) return false;
  try {
    await repository.getTree(rootTree);
    return false;
  } catch (err) {
    if (err instanceof NotFoundError) return true;
    throw new BackupError(`backup failed checking the index of ${shareId} against the repository: ${describeError(err)}`, { cause: err });
  }
}

/** Runs one backup; see the module comment. */
export async function runBackup(opts: BackupOptions): Promise<BackupSummary> {
  const started = opts.now();
  const progress = new ProgressReporter(opts.now, opts.progressIntervalMs ?? 1000, opts.onProgress);
  const done = async (phase: BackupPhase): Promise<void> => {
    await opts.afterPhase?.(phase);
  };
  const held = await opts.lock?.acquire(opts.share);
  try {
    await done("lock");
    return await backupLocked(opts, started, progress, done);
  } finally {
    await held?.release();
  }
}

async function backupLocked(opts: BackupOptions, started: number, progress: ProgressReporter, done: (p: BackupPhase) => Promise<void>): Promise<BackupSummary> {
  const { repository, index, shareId } = opts;
  const repoBefore = { ...repository.stats };
  const packsBefore = repository.packStats.packsWritten;
  // The repository's latest snapshot and the index's root, asked at once: two services, no order between them.
  const [latest, rootBefore] = await Promise.all([repository.latestSnapshot(opts.share), indexRoot(index, shareId)]);
  const parentRef = latest?.ref;
  const parent = latest?.manifest;
  let indexRebuilt = false;
  let root = rootBefore;
  if ((opts.rebuildEmptyIndex ?? true) && (await indexNeedsRebuild(index, shareId, repository, parent, root))) {
    await rebuildIndex(repository, index, shareId, parent);
    indexRebuilt = true;
    root = { empty: parent === undefined, treeId: parent?.root.tree };
  }
  const firstBackup = (opts.streamFirstBackup ?? true) && root.empty && (await neverSeen(index, shareId));

  progress.phase("snapshot");
  const source = await openSource(opts.reader);
  let recorded = false;
  try {
    await done("snapshot");
    const summary = await backupFrom(source, opts, { started, progress, done, parentRef, parent, indexRebuilt, firstBackup, repoBefore, packsBefore, onRecorded: () => (recorded = true) });
    return summary;
  } catch (err) {
    // A share snapshot no manifest references would only cost money: drop it (best effort).
    if (!recorded && source.shareSnapshot !== undefined) await dropShareSnapshot(opts.reader, source.shareSnapshot).catch(() => false);
    throw err;
  }
}

interface RunState {
  readonly started: number;
  readonly progress: ProgressReporter;
  readonly done: (p: BackupPhase) => Promise<void>;
  readonly parentRef: SnapshotRef | undefined;
  readonly parent: SnapshotManifest | undefined;
  readonly indexRebuilt: boolean;
  /** The index has never seen the share: the one-pass first backup applies. */
  readonly firstBackup: boolean;
  readonly repoBefore: Repository["stats"];
  readonly packsBefore: number;
  readonly onRecorded: () => void;
}

async function backupFrom(source: Source, opts: BackupOptions, run: RunState): Promise<BackupSummary> {
  const { repository, index, shareId } = opts;
  const { progress } = run;
  const p = progress.state;
  const counters = { filesRead: 0, bytesRead: 0 };
  const ctx: PassContext = {
    shareId, index, repository, now: opts.now, parent: run.parent, progress, counters, done: run.done,
    concurrency: { listings: opts.concurrency?.listings ?? 8, reads: opts.concurrency?.reads ?? 8, seals: opts.concurrency?.seals ?? 4 },
    largeFileBytes: opts.largeFileBytes, progressIntervalMs: opts.progressIntervalMs ?? 1000,
    onRead: () => {
      p.filesRead = counters.filesRead;
      p.bytesRead = counters.bytesRead;
      progress.tick();
    },
  };
  const pass = run.firstBackup ? await runFirstPass(source, ctx, opts.recordSpool) : await runChangePass(source, ctx);
  try {
    return await recordPass(source, opts, run, pass, counters.bytesRead);
  } finally {
    // A spool that cannot be removed must not fail a recorded backup (the next spool removes it).
    await pass.dispose().catch(() => undefined);
  }
}

/**
 * Whether the index holds nothing of a share whose root partition is empty: then nothing can be moved
 * or deleted (the first pass applies). `hasShare` is a cross-partition query, so it is asked only then.
 */
async function neverSeen(index: NodeIndex, shareId: string): Promise<boolean> {
  if (index.hasShare === undefined) return false;
  try {
    return !(await index.hasShare(shareId));
  } catch (err) {
    throw new BackupError(`backup failed asking ${index.description} about ${shareId}: ${describeError(err)}`, { cause: err });
  }
}

/** The first backup in one pass (first-backup.ts), its index records spooled until after the manifest. */
async function runFirstPass(source: Source, ctx: PassContext, spools: RecordSpoolFactory): Promise<SealedPass> {
  ctx.progress.phase("content");
  let spool: RecordSpool;
  try {
    spool = await spools();
  } catch (err) {
    throw new BackupError(`backup failed creating the spool for its index records: ${describeError(err)}`, { cause: err });
  }
  try {
    const unstable: UnstableFile[] = [];
    const permissions = new PermissionCache(source.reader, ctx.repository);
    const walked = await backUpFirstTime({
      reader: source.reader, repository: ctx.repository, permissions, spool, reads: ctx.concurrency.reads, listings: ctx.concurrency.listings,
      counters: ctx.counters, unstable, progress: ctx.progress.state, onRead: ctx.onRead,
    });
    // The three phases of a change pass end together here (the hooks keep their order).
    for (const phase of ["scan", "content", "trees"] as const) await ctx.done(phase);
    const root = await rootNode(source.reader, { sealed: new Map([[walked.rootEntry.fileId, walked.sealed]]), permissions, index: ctx.index, shareId: ctx.shareId, trees: new TreeCache(ctx.repository) }, ctx.parent);
    return {
      root, stats: walked.stats, unstable, rangeReads: 0, fullReadReasons: {},
      writeIndex: async () => {
        // The root first, without its tree id (the spool ends with it, tree id included): after a
        // crash midway the share's root partition is not empty, so the next backup scans against
        // what was written instead of rebuilding the whole index from the snapshot.
        await ctx.index.write(ctx.shareId, [{ op: "upsert", node: recordOf(walked.rootEntry, ROOT_PARENT) }]);
        for await (const batch of spool.read(UPSERT_SLICE)) await ctx.index.write(ctx.shareId, batch.map((node) => ({ op: "upsert", node })));
      },
      dispose: () => spool.dispose(),
    };
  } catch (err) {
    await spool.dispose().catch(() => undefined);
    throw err;
  }
}

/** Manifest, index, share-snapshot housekeeping: the steps after a pass. */
async function recordPass(source: Source, opts: BackupOptions, run: RunState, pass: SealedPass, bytesRead: number): Promise<BackupSummary> {
  const { repository, index } = opts;
  const { progress } = run;
  const { root, stats: s } = pass;
  progress.phase("manifest");
  const repoAfter = repository.stats;
  const packsWritten = repository.packStats.packsWritten - run.packsBefore;
  const stats: BackupStats = {
    files: root.totalFiles, directories: root.totalDirectories, bytes: root.totalSize,
    filesNew: s.added, filesChanged: s.modified, filesUnchanged: Math.max(0, s.files - s.added - s.modified), filesRemoved: s.deleted,
    bytesRead, bytesAdded: repoAfter.bytesAdded - run.repoBefore.bytesAdded,
    chunksAdded: repoAfter.chunksAdded - run.repoBefore.chunksAdded, packsWritten,
    treesWritten: repoAfter.treesWritten - run.repoBefore.treesWritten,
  };
  const manifest: SnapshotManifest = {
    share: opts.share, ...(source.shareSnapshot === undefined ? {} : { shareSnapshot: source.shareSnapshot }),
    time: run.started, root, ...(run.parentRef === undefined ? {} : { parent: run.parentRef.id }),
    tags: opts.tags ?? [], stats: { ...stats, packsWritten: repository.packStats.packsWritten - run.packsBefore }, unstableFiles: pass.unstable,
  };
  let ref: SnapshotRef;
  try {
    ref = await repository.putSnapshot(manifest);
  } catch (err) {
    throw new BackupError(`backup failed writing the snapshot manifest of ${opts.share}: ${describeError(err)}`, { cause: err });
  }
  run.onRecorded();
  await run.done("manifest");

  progress.phase("index");
  try {
    await pass.writeIndex();
  } catch (err) {
    throw new BackupError(`backup of ${opts.share} is recorded (snapshot ${ref.id.slice(0, 16)}), but updating ${index.description} failed; the next backup finds the same changes: ${describeError(err)}`, { cause: err });
  }
  await run.done("index");

  progress.phase("cleanup");
  const shareSnapshotsDeleted = await housekeepShareSnapshots(opts.reader, opts.keepShareSnapshots ?? 1, source.shareSnapshot, run.parent?.shareSnapshot);
  await run.done("cleanup");
  progress.emit();

  return {
    snapshotId: ref.id, share: opts.share, shareSnapshot: source.shareSnapshot ?? null, rootTree: root.tree,
    files: stats.files, dirs: stats.directories, bytesScanned: stats.bytes, bytesRead,
    bytesNew: stats.bytesAdded, chunksNew: stats.chunksAdded, packsWritten: repository.packStats.packsWritten - run.packsBefore,
    treesWritten: stats.treesWritten, added: s.added, modified: s.modified, renamed: s.renamed, moved: s.moved, deleted: s.deleted,
    metadataOnly: s.metadataOnly, rangeReads: pass.rangeReads, fullReadReasons: pass.fullReadReasons, unstable: pass.unstable, indexRebuilt: run.indexRebuilt,
    shareSnapshotsDeleted, durationMs: opts.now() - run.started,
  };
}
