/**
 * One content batch of a distributed backup: reads and stores the batch's files with the engine's
 * content phase (storeChangedContent: streamed, bounded, changed ranges for large modified files,
 * unstable files reported, never stored torn), flushes the packs, and only then saves what it stored.
 * Guarantees: the output names only chunks whose packs are durable; a retried batch whose output
 * exists returns the saved counts without reading anything again; a retried batch without output
 * reads again and finds its chunks by dedup.
 */
import { storeChangedContent } from "../backup/content";
import { TreeCache } from "../backup/tree-cache";
import type { ChangeSet, NodeChange } from "../scan/change-set";
import type { FileNode } from "../repository/model";
import { emptyStats } from "../scan/stats";
import { type ContentBatch, type ContentOutput, type RunInfo, type StepCounts } from "./run-model";
import { repositoryMark, stepCounts, type StepDeps } from "./step-counts";

/** Stores content batch `n`; see the module comment. */
export async function contentStep(info: RunInfo, n: number, deps: StepDeps): Promise<StepCounts> {
  const saved = await deps.runs.tryGet<{ counts: StepCounts }>(`content-counts/${n}`);
  if (saved !== undefined) return saved.counts;
  const batch = await deps.runs.get<ContentBatch>(`content/${n}`);
  const changeSet: ChangeSet = { shareId: info.shareId, snapshot: info.shareSnapshot, changes: batch.changes, staleTrees: [], stats: emptyStats() };
  const oldTrees = new Map(batch.oldTrees);
  const trees = new TreeCache(deps.repository);
  const previousFile = async (change: NodeChange): Promise<FileNode | undefined> => {
    const parent = change.previous?.parentFileId;
    if (parent === undefined) return undefined;
    let tree = oldTrees.get(parent);
    if (tree === undefined) tree = (await deps.index.findByFileId(info.shareId, parent)).find((r) => r.treeId !== undefined)?.treeId;
    return tree === undefined ? undefined : (await trees.get(tree)).files.get(change.node.fileId);
  };
  const mark = repositoryMark(deps.repository);
  const counters = { filesRead: 0, bytesRead: 0 };
  const fullReadReasons: Record<string, number> = {};
  const result = await storeChangedContent({
    changeSet, reader: deps.reader, repository: deps.repository, concurrency: deps.concurrency ?? 8, counters, fullReadReasons,
    largeFileBytes: info.largeFileBytes, previousSnapshot: info.parentShareSnapshot, previousFile,
  });
  await deps.repository.flush();
  const output: ContentOutput = { stored: [...result.stored], unstable: result.unstable };
  await deps.runs.put(`content-out/${n}`, output);
  if (result.unstable.length > 0) await deps.runs.put(`unstable/content-${n}`, result.unstable);
  const counts = { ...stepCounts(deps.repository, mark, counters), rangeReads: result.rangeReads, unstable: result.unstable.length, fullReadReasons };
  await deps.runs.put(`content-counts/${n}`, { counts });
  return counts;
}
