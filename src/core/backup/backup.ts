/**
 * The backup pipeline: lock -> share snapshot (or live) -> scan against the node index -> store the
 * content of added and modified files -> seal changed directories and their ancestors, deepest first
 * -> write the snapshot manifest -> apply the change set to the index -> share-snapshot housekeeping.
 * Guarantees:
 *  - Nothing reaches the index before the manifest (and everything it references) is durable, so a
 *    crash or a failure at any point before the index step is harmless: the next run sees the same
 *    changes and finds the stored content by dedup. The index step itself is crash-safe (index-update).
 *  - Content is read only for added and modified files (renames, moves and metadata changes read
 *    none); unchanged directories keep their tree ids.
 *  - Memory is bounded by the change set, the directories being sealed and the reads in flight, not
 *    by the size of the share (the tree lives in the index and the repository).
 *  - With no index for the share but snapshots in the repository (a lost or wiped Cosmos account),
 *    the index is first rebuilt from the latest snapshot, so nothing unchanged is read again; an
 *    index whose root names a tree the repository lacks is rebuilt too (emptied when there is no
 *    snapshot), so the backup never reuses a tree id the repository does not hold.
 */
import type { NodeIndex } from "../ports/node-index";
import type { ShareReader } from "../ports/share-reader";
import type { BackupStats, DirectoryNode, FileNode, SnapshotManifest } from "../repository/model";
import type { Repository } from "../repository/repository";
import type { SnapshotRef } from "../repository/layout";
import { NotFoundError } from "../repository/errors";
import type { ChangeSet, NodeChange } from "../scan/change-set";
import { scanShare, ROOT_PARENT } from "../scan/scanner";
import { filesToRead, storeChangedContent } from "./content";
import { rebuildIndex } from "./index-rebuild";
import { updateIndex } from "./index-update";
import { PermissionCache, metadataOf, withUserMetadata } from "./metadata";
import { BackupError, describeError, type BackupLock, type BackupPhase, type BackupProgress, type BackupSummary } from "./model";
import { planSeal } from "./plan";
import { forEachLimit } from "./pool";
import { ProgressReporter } from "./progress";
import { sealDirectory, type SealContext, type SealedDir } from "./seal";
import { dropShareSnapshot, housekeepShareSnapshots, openSource, type Source } from "./source";
import { TreeCache } from "./tree-cache";
import { UntreedWatch } from "./untreed-watch";

export interface BackupConcurrency {
  /** Directory listings in flight during the scan (default 8). */
  readonly listings?: number;
  /** Files read at once (default 8). */
  readonly reads?: number;
  /** Directories sealed at once (default 4). */
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
  /** Runs after each phase completed (tests inject crashes here). */
  readonly afterPhase?: (phase: BackupPhase) => void | Promise<void>;
}

/** The share's latest snapshot, if any. */
export async function latestSnapshot(repository: Repository, share: string): Promise<SnapshotRef | undefined> {
  let last: SnapshotRef | undefined;
  for await (const ref of repository.listSnapshots(share)) last = ref;
  return last;
}

/**
 * Whether the share's index must be rebuilt from the latest snapshot before the scan: when it is empty
 * while snapshots exist (a lost Cosmos account, an embedded stack that lost its state), or when its
 * root claims a tree the repository does not hold (an index left from a repository since deleted).
 */
export async function indexNeedsRebuild(index: NodeIndex, shareId: string, repository: Repository, parent: SnapshotManifest | undefined): Promise<boolean> {
  let rootTree: string | undefined;
  let empty = true;
  for await (const r of index.listChildren(shareId, ROOT_PARENT)) {
    empty = false;
    rootTree = r.treeId;
  }
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
  const parentRef = await latestSnapshot(repository, opts.share);
  const parent = parentRef === undefined ? undefined : await repository.getSnapshot(parentRef);
  let indexRebuilt = false;
  if ((opts.rebuildEmptyIndex ?? true) && (await indexNeedsRebuild(index, shareId, repository, parent))) {
    await rebuildIndex(repository, index, shareId, parent);
    indexRebuilt = true;
  }

  progress.phase("snapshot");
  const source = await openSource(opts.reader);
  let recorded = false;
  try {
    await done("snapshot");
    const summary = await backupFrom(source, opts, { started, progress, done, parentRef, parent, indexRebuilt, repoBefore, packsBefore, onRecorded: () => (recorded = true) });
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
  readonly repoBefore: Repository["stats"];
  readonly packsBefore: number;
  readonly onRecorded: () => void;
}

async function backupFrom(source: Source, opts: BackupOptions, run: RunState): Promise<BackupSummary> {
  const { repository, index, shareId } = opts;
  const { progress } = run;
  const p = progress.state;
  const conc = { listings: opts.concurrency?.listings ?? 8, reads: opts.concurrency?.reads ?? 8, seals: opts.concurrency?.seals ?? 4 };

  progress.phase("scan");
  const watch = new UntreedWatch(index);
  const changeSet = await scanShare({
    shareId,
    reader: source.reader,
    index: watch,
    now: opts.now,
    concurrency: conc.listings,
    progressIntervalMs: opts.progressIntervalMs ?? 1000,
    onProgress: (s) => {
      p.files = s.files;
      p.dirs = s.dirs;
      progress.tick();
    },
  });
  p.files = changeSet.stats.files;
  p.dirs = changeSet.stats.dirs;
  await run.done("scan");

  progress.phase("content");
  const toRead = filesToRead(changeSet);
  p.filesToRead = toRead.length;
  p.bytesToRead = toRead.reduce((n, c) => n + c.node.size, 0);
  const counters = { filesRead: 0, bytesRead: 0 };
  const onRead = () => {
    p.filesRead = counters.filesRead;
    p.bytesRead = counters.bytesRead;
    progress.tick();
  };
  const fullReadReasons: Record<string, number> = {};
  const trees = new TreeCache(repository);
  const content = await storeChangedContent({
    changeSet, reader: source.reader, repository, concurrency: conc.reads, counters, onRead, fullReadReasons,
    largeFileBytes: opts.largeFileBytes, previousSnapshot: run.parent?.shareSnapshot, previousFile: previousFileFinder(changeSet, index, trees),
  });
  await run.done("content");

  progress.phase("trees");
  const plan = await planSeal(changeSet, watch.untreed, index);
  p.dirsToSeal = plan.jobs.length;
  const ctx: SealContext = {
    shareId, reader: source.reader, index, repository, plan, parentRoot: run.parent?.root.tree,
    trees, permissions: new PermissionCache(source.reader, repository),
    stored: content.stored, sealed: new Map<string, SealedDir | undefined>(), fills: new Map(), extraJobs: [],
    unstable: content.unstable, counters, onRead,
  };
  for (const level of byDepth(plan.jobs)) {
    await forEachLimit(level, conc.seals, async (job) => {
      ctx.sealed.set(job.fileId, await sealDirectory(job, ctx));
      p.dirsSealed++;
      progress.tick();
    });
  }
  const root = await rootNode(source.reader, ctx, run.parent);
  await run.done("trees");

  progress.phase("manifest");
  const s = changeSet.stats;
  const repoAfter = repository.stats;
  const packsWritten = repository.packStats.packsWritten - run.packsBefore;
  const stats: BackupStats = {
    files: root.totalFiles, directories: root.totalDirectories, bytes: root.totalSize,
    filesNew: s.added, filesChanged: s.modified, filesUnchanged: Math.max(0, s.files - s.added - s.modified), filesRemoved: s.deleted,
    bytesRead: counters.bytesRead, bytesAdded: repoAfter.bytesAdded - run.repoBefore.bytesAdded,
    chunksAdded: repoAfter.chunksAdded - run.repoBefore.chunksAdded, packsWritten,
    treesWritten: repoAfter.treesWritten - run.repoBefore.treesWritten,
  };
  const manifest: SnapshotManifest = {
    share: opts.share, ...(source.shareSnapshot === undefined ? {} : { shareSnapshot: source.shareSnapshot }),
    time: run.started, root, ...(run.parentRef === undefined ? {} : { parent: run.parentRef.id }),
    tags: opts.tags ?? [], stats: { ...stats, packsWritten: repository.packStats.packsWritten - run.packsBefore }, unstableFiles: ctx.unstable,
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
  await updateIndex(index, { changeSet, plan: { ...plan, jobs: [...plan.jobs, ...ctx.extraJobs] }, sealed: ctx.sealed, fills: ctx.fills, unstable: new Set(ctx.unstable.map((u) => u.fileId)) });
  await run.done("index");

  progress.phase("cleanup");
  const shareSnapshotsDeleted = await housekeepShareSnapshots(opts.reader, opts.keepShareSnapshots ?? 1, source.shareSnapshot, run.parent?.shareSnapshot);
  await run.done("cleanup");
  progress.emit();

  return {
    snapshotId: ref.id, share: opts.share, shareSnapshot: source.shareSnapshot ?? null, rootTree: root.tree,
    files: stats.files, dirs: stats.directories, bytesScanned: stats.bytes, bytesRead: counters.bytesRead,
    bytesNew: stats.bytesAdded, chunksNew: stats.chunksAdded, packsWritten: repository.packStats.packsWritten - run.packsBefore,
    treesWritten: stats.treesWritten, added: s.added, modified: s.modified, renamed: s.renamed, moved: s.moved, deleted: s.deleted,
    metadataOnly: s.metadataOnly, rangeReads: content.rangeReads, fullReadReasons, unstable: ctx.unstable, indexRebuilt: run.indexRebuilt,
    shareSnapshotsDeleted, durationMs: opts.now() - run.started,
  };
}

/**
 * Finds the previous version of a modified file: in the tree its parent had before this backup (from
 * the change set, or the parent's index document).
 */
function previousFileFinder(changeSet: ChangeSet, index: NodeIndex, trees: TreeCache): (change: NodeChange) => Promise<FileNode | undefined> {
  const oldTrees = new Map<string, string>();
  for (const c of changeSet.changes) if (c.previous?.kind === "dir" && c.previous.treeId !== undefined) oldTrees.set(c.previous.fileId, c.previous.treeId);
  for (const r of changeSet.staleTrees) if (r.treeId !== undefined) oldTrees.set(r.fileId, r.treeId);
  return async (change) => {
    const parent = change.previous?.parentFileId;
    if (parent === undefined) return undefined;
    let tree = oldTrees.get(parent);
    if (tree === undefined) tree = (await index.findByFileId(changeSet.shareId, parent)).find((r) => r.treeId !== undefined)?.treeId;
    return tree === undefined ? undefined : (await trees.get(tree)).files.get(change.node.fileId);
  };
}

/** Jobs (deepest first) cut into levels of equal depth: a level starts once the deeper one is sealed. */
export function byDepth<T extends { depth: number }>(jobs: readonly T[]): T[][] {
  const levels: T[][] = [];
  for (const job of jobs) {
    const last = levels[levels.length - 1];
    if (last !== undefined && last[0].depth === job.depth) last.push(job);
    else levels.push([job]);
  }
  return levels;
}

/** The manifest's root entry: the sealed root, or the tree id the index holds for an unchanged one. */
export async function rootNode(reader: ShareReader, ctx: Pick<SealContext, "sealed" | "permissions" | "index" | "shareId" | "trees">, parent: SnapshotManifest | undefined): Promise<DirectoryNode> {
  const entry = await reader.getDirectory("");
  const meta = await withUserMetadata(reader, "", "dir", await metadataOf({ ...entry, name: "" }, "", ctx.permissions), true, undefined);
  const sealed = ctx.sealed.get(entry.fileId);
  if (sealed !== undefined) return { ...meta, tree: sealed.treeId, totalFiles: sealed.totalFiles, totalDirectories: sealed.totalDirectories, totalSize: sealed.totalSize };
  let tree: string | undefined;
  for await (const r of ctx.index.listChildren(ctx.shareId, ROOT_PARENT)) if (r.fileId === entry.fileId) tree = r.treeId;
  if (tree === undefined) throw new BackupError(`the root of ${reader.description} was neither sealed nor found with a tree id in ${ctx.index.description}`);
  const totals = parent?.root.tree === tree ? parent.root : (await ctx.trees.get(tree)).totals;
  return { ...meta, tree, totalFiles: totals.totalFiles, totalDirectories: totals.totalDirectories, totalSize: totals.totalSize };
}
