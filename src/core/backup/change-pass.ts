/**
 * The backup of a share the node index knows: scan against the index (the change set), store the
 * content of added and modified files, seal the changed directories and their ancestors deepest
 * first; the change set reaches the index only when the caller says so, after the manifest.
 * Guarantees: content is read only for added and modified files (renames, moves and metadata
 * changes read none); unchanged directories keep their tree ids; memory holds the change set, the
 * chunk lists of the files read in this run and the directories being sealed, not the share.
 */
import type { NodeIndex } from "../ports/node-index";
import type { FileNode, SnapshotManifest } from "../repository/model";
import type { Repository } from "../repository/repository";
import type { ChangeSet, NodeChange } from "../scan/change-set";
import { scanShare } from "../scan/scanner";
import { filesToRead, storeChangedContent, type ContentCounters } from "./content";
import { updateIndex } from "./index-update";
import { PermissionCache } from "./metadata";
import type { BackupPhase, SealedPass } from "./model";
import { byDepth, planSeal } from "./plan";
import { forEachLimit } from "./pool";
import type { ProgressReporter } from "./progress";
import { rootNode, sealDirectory, type SealContext, type SealedDir } from "./seal";
import type { Source } from "./source";
import { TreeCache } from "./tree-cache";
import { UntreedWatch } from "./untreed-watch";

export interface PassContext {
  readonly shareId: string;
  readonly index: NodeIndex;
  readonly repository: Repository;
  readonly concurrency: { readonly listings: number; readonly reads: number; readonly seals: number };
  readonly largeFileBytes: number | undefined;
  readonly progressIntervalMs: number;
  readonly now: () => number;
  readonly parent: SnapshotManifest | undefined;
  readonly progress: ProgressReporter;
  readonly counters: ContentCounters;
  /** Copies the counters into the progress and ticks it. */
  readonly onRead: () => void;
  readonly done: (phase: BackupPhase) => Promise<void>;
}

/** Scans, stores and seals; see the module comment. */
export async function runChangePass(source: Source, ctx: PassContext): Promise<SealedPass> {
  const { repository, index, shareId, progress, counters, onRead } = ctx;
  const p = progress.state;
  progress.phase("scan");
  const watch = new UntreedWatch(index);
  const changeSet = await scanShare({
    shareId,
    reader: source.reader,
    index: watch,
    now: ctx.now,
    concurrency: ctx.concurrency.listings,
    progressIntervalMs: ctx.progressIntervalMs,
    onProgress: (s) => {
      p.files = s.files;
      p.dirs = s.dirs;
      progress.tick();
    },
  });
  p.files = changeSet.stats.files;
  p.dirs = changeSet.stats.dirs;
  await ctx.done("scan");

  progress.phase("content");
  const toRead = filesToRead(changeSet);
  p.filesToRead = toRead.length;
  p.bytesToRead = toRead.reduce((n, c) => n + c.node.size, 0);
  const fullReadReasons: Record<string, number> = {};
  const trees = new TreeCache(repository);
  const content = await storeChangedContent({
    changeSet, reader: source.reader, repository, concurrency: ctx.concurrency.reads, counters, onRead, fullReadReasons,
    largeFileBytes: ctx.largeFileBytes, previousSnapshot: ctx.parent?.shareSnapshot, previousFile: previousFileFinder(changeSet, index, trees),
  });
  await ctx.done("content");

  progress.phase("trees");
  const plan = await planSeal(changeSet, watch.untreed, index);
  p.dirsToSeal = plan.jobs.length;
  const seal: SealContext = {
    shareId, reader: source.reader, index, repository, plan, parentRoot: ctx.parent?.root.tree,
    trees, permissions: new PermissionCache(source.reader, repository),
    stored: content.stored, sealed: new Map<string, SealedDir | undefined>(), fills: new Map(), extraJobs: [],
    unstable: content.unstable, counters, onRead,
  };
  for (const level of byDepth(plan.jobs)) {
    await forEachLimit(level, ctx.concurrency.seals, async (job) => {
      seal.sealed.set(job.fileId, await sealDirectory(job, seal));
      p.dirsSealed++;
      progress.tick();
    });
  }
  const root = await rootNode(source.reader, seal, ctx.parent);
  await ctx.done("trees");

  return {
    root, stats: changeSet.stats, unstable: seal.unstable, rangeReads: content.rangeReads, fullReadReasons,
    writeIndex: async () => {
      await updateIndex(index, { changeSet, plan: { ...plan, jobs: [...plan.jobs, ...seal.extraJobs] }, sealed: seal.sealed, fills: seal.fills, unstable: new Set(seal.unstable.map((u) => u.fileId)) });
    },
    dispose: async () => undefined,
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
