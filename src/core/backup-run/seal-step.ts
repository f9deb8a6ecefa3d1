/**
 * One slice of one level of a distributed backup's sealing: the engine's sealDirectory for each of
 * the slice's directories, with the content the slice's batches stored and the trees its deeper
 * slices sealed. Levels run deepest first (the orchestration waits for a level before the next), so
 * every child sealed this run is in a slice this one names.
 * Guarantees: like content batches, the output is saved only after the trees (and any content read
 * here) are durable; a retried slice whose output exists returns its counts without work.
 */
import type { NodeRecord } from "../ports/node-index";
import type { UnstableFile } from "../repository/model";
import type { NodeChange } from "../scan/change-set";
import type { StoredFile } from "../backup/content";
import { PermissionCache } from "../backup/metadata";
import { forEachLimit } from "../backup/pool";
import { sealDirectory, type SealContext, type SealedDir } from "../backup/seal";
import { TreeCache } from "../backup/tree-cache";
import type { ContentOutput, RunInfo, SealOutput, SealSlice, StepCounts } from "./run-model";
import { repositoryMark, stepCounts, type StepDeps } from "./step-counts";

/** Seals slice `key`; see the module comment. */
export async function sealStep(info: RunInfo, key: string, deps: StepDeps): Promise<StepCounts> {
  const saved = await deps.runs.tryGet<{ counts: StepCounts }>(`seal-counts/${key}`);
  if (saved !== undefined) return saved.counts;
  const slice = await deps.runs.get<SealSlice>(`seal/${key}`);
  const stored = new Map<string, StoredFile>();
  const unstable: UnstableFile[] = [];
  for (const n of slice.contentBatches) {
    const out = await deps.runs.get<ContentOutput>(`content-out/${n}`);
    for (const [id, file] of out.stored) stored.set(id, file);
    for (const u of out.unstable) unstable.push(u);
  }
  const sealed = new Map<string, SealedDir | undefined>();
  for (const child of slice.childSlices) {
    const out = await deps.runs.get<SealOutput>(`seal-out/${child}`);
    for (const [id, dir] of out.sealed) sealed.set(id, dir ?? undefined);
  }
  const byParent = new Map<string, readonly NodeChange[]>(slice.byParent);
  const live = new Map<string, NodeChange>();
  for (const changes of byParent.values()) for (const c of changes) live.set(c.node.fileId, c);
  const inherited = unstable.length;
  const ctx: SealContext = {
    shareId: info.shareId, reader: deps.reader, index: deps.index, repository: deps.repository,
    plan: { jobs: slice.jobs, byParent, leftParent: new Map(slice.leftParent.map(([p, ids]) => [p, new Set(ids)])), live, oldTreeOf: new Map(slice.oldTreeOf) },
    parentRoot: info.parentRoot, trees: new TreeCache(deps.repository), permissions: new PermissionCache(deps.reader, deps.repository),
    stored, sealed, fills: new Map<string, NodeRecord | string>(), extraJobs: [], unstable, counters: { filesRead: 0, bytesRead: 0 },
  };
  const mark = repositoryMark(deps.repository);
  const mine = new Map<string, SealedDir | null>();
  await forEachLimit(slice.jobs, deps.concurrency ?? 4, async (job) => {
    const result = await sealDirectory(job, ctx);
    sealed.set(job.fileId, result);
    mine.set(job.fileId, result ?? null);
  });
  for (const job of ctx.extraJobs) mine.set(job.fileId, ctx.sealed.get(job.fileId) ?? null);
  await deps.repository.flush();
  const added = ctx.unstable.slice(inherited);
  const output: SealOutput = { sealed: [...mine], fills: [...ctx.fills], extraJobs: ctx.extraJobs, unstable: added };
  await deps.runs.put(`seal-out/${key}`, output);
  if (added.length > 0) await deps.runs.put(`unstable/seal-${key}`, added);
  const counts = { ...stepCounts(deps.repository, mark, ctx.counters), unstable: added.length };
  await deps.runs.put(`seal-counts/${key}`, { counts });
  return counts;
}
