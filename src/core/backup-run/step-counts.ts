/**
 * What one step of a distributed backup added to the repository, measured as the difference of the
 * Repository's counters before and after (each activity opens its own Repository).
 */
import type { Repository } from "../repository/repository";
import { ZERO_STEP, type StepCounts } from "./run-model";

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
