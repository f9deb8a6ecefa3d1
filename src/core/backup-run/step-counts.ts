/**
 * What a content or seal step of a distributed backup works with, and what it added to the
 * repository, measured as the difference of the Repository's counters before and after (each
 * activity opens its own Repository).
 */
import type { NodeIndex } from "../ports/node-index";
import type { ShareReader } from "../ports/share-reader";
import type { Repository } from "../repository/repository";
import type { RunStore } from "./run-store";
import { ZERO_STEP, type StepCounts } from "./run-model";

export interface StepDeps {
  /** The run's share snapshot (or the live source when read live). */
  readonly reader: ShareReader;
  readonly index: NodeIndex;
  readonly repository: Repository;
  readonly runs: RunStore;
  /** Files read (content) or directories sealed (seal) at once; defaults 8 and 4. */
  readonly concurrency?: number;
}

export interface RepositoryMark {
  readonly bytesAdded: number;
  readonly chunksAdded: number;
  readonly treesWritten: number;
  readonly packsWritten: number;
}

export function repositoryMark(repository: Repository): RepositoryMark {
  const s = repository.stats;
  return { bytesAdded: s.bytesAdded, chunksAdded: s.chunksAdded, treesWritten: s.treesWritten, packsWritten: repository.packStats.packsWritten };
}

export function stepCounts(repository: Repository, before: RepositoryMark, read: { filesRead: number; bytesRead: number }): StepCounts {
  const after = repositoryMark(repository);
  return {
    ...ZERO_STEP,
    filesRead: read.filesRead, bytesRead: read.bytesRead,
    bytesAdded: after.bytesAdded - before.bytesAdded, chunksAdded: after.chunksAdded - before.chunksAdded,
    treesWritten: after.treesWritten - before.treesWritten, packsWritten: after.packsWritten - before.packsWritten,
  };
}
