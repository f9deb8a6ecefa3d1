/**
 * Sizes of a snapshot and of the repository. A snapshot's logical size and counts come from its root's
 * totals; its stored size is the bytes of its distinct chunks, found by walking its trees (each
 * distinct tree once: a subtree repeated in the snapshot is counted once, its files' chunks were seen).
 * The repository's stored size is the sum of its packs (blob listing only), its logical size the sum
 * of its snapshots' totals (one manifest read each).
 */
import type { DirectoryNode, HexHash, SnapshotManifest, Tree } from "../repository/model";
import type { SnapshotRef } from "../repository/layout";

export interface SnapshotStats {
  readonly files: number;
  readonly directories: number;
  /** Bytes of the files as a user sees them. */
  readonly logicalBytes: number;
  /** Distinct chunks and their bytes: what the snapshot needs stored (shared with others or not). */
  readonly chunks: number;
  readonly chunkBytes: number;
  /** logicalBytes / chunkBytes (1 when nothing repeats; 0 for an empty snapshot). */
  readonly dedupRatio: number;
}

export async function snapshotStats(content: { getTree(id: HexHash): Promise<Tree> }, root: DirectoryNode): Promise<SnapshotStats> {
  const chunks = new Map<HexHash, number>();
  const seenTrees = new Set<HexHash>();
  const stack: HexHash[] = [root.tree];
  while (stack.length > 0) {
    const id = stack.pop()!;
    if (seenTrees.has(id)) continue;
    seenTrees.add(id);
    const tree = await content.getTree(id);
    for (const f of tree.files) for (const c of f.chunks) chunks.set(c.id, c.length);
    for (const d of tree.directories) stack.push(d.tree);
  }
  let chunkBytes = 0;
  for (const n of chunks.values()) chunkBytes += n;
  return { files: root.totalFiles, directories: root.totalDirectories, logicalBytes: root.totalSize, chunks: chunks.size, chunkBytes, dedupRatio: chunkBytes === 0 ? 0 : root.totalSize / chunkBytes };
}

export interface RepositoryStats {
  readonly snapshots: number;
  readonly shares: number;
  readonly logicalBytes: number;
  readonly packs: number;
  readonly storedBytes: number;
  /** logicalBytes / storedBytes over every snapshot (0 for an empty repository). */
  readonly dedupRatio: number;
}

export interface StatsSource {
  listSnapshots(): AsyncIterable<SnapshotRef>;
  getSnapshot(ref: SnapshotRef): Promise<SnapshotManifest>;
  listPacks(): AsyncIterable<{ size: number }>;
}

export async function repositoryStats(repo: StatsSource): Promise<RepositoryStats> {
  let snapshots = 0;
  let logicalBytes = 0;
  const shares = new Set<string>();
  for await (const ref of repo.listSnapshots()) {
    snapshots++;
    shares.add(ref.share);
    logicalBytes += (await repo.getSnapshot(ref)).root.totalSize;
  }
  let packs = 0;
  let storedBytes = 0;
  for await (const p of repo.listPacks()) {
    packs++;
    storedBytes += p.size;
  }
  return { snapshots, shares: shares.size, logicalBytes, packs, storedBytes, dedupRatio: storedBytes === 0 ? 0 : logicalBytes / storedBytes };
}
