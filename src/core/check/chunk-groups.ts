/**
 * Bounds what `check` holds in memory: chunk locations are processed by groups of index shards (a
 * shard is the first byte of a chunk id, as in the chunk index), each group holding at most
 * `maxChunkIds` locations (a single shard larger than that is a group of its own, so the bound is
 * max(maxChunkIds, largest shard)). Each group is one pass: the packs' trailers are read again and
 * only the group's entries kept, then every snapshot's chunk references in the group are checked.
 */
import type { ChunkLocation } from "../repository/codec-index";
import { SHARD_COUNT, shardOf } from "../repository/layout";
import type { HexHash } from "../repository/model";
import type { PackInfo } from "../repository/pack-reader";
import type { Repository } from "../repository/repository";

/** Shards [from, to). */
export interface ShardGroup {
  readonly from: number;
  readonly to: number;
}

export const ALL_SHARDS: ShardGroup = { from: 0, to: SHARD_COUNT };

export const inGroup = (g: ShardGroup, id: HexHash): boolean => {
  const s = shardOf(id);
  return s >= g.from && s < g.to;
};

/** Consecutive shards packed into groups of at most `max` entries (by the per-shard counts). */
export function groupShards(perShard: readonly number[], max: number): ShardGroup[] {
  const groups: ShardGroup[] = [];
  let from = 0;
  let held = 0;
  for (let s = 0; s < SHARD_COUNT; s++) {
    if (s > from && held + perShard[s] > max) {
      groups.push({ from, to: s });
      from = s;
      held = 0;
    }
    held += perShard[s];
  }
  groups.push({ from, to: SHARD_COUNT });
  return groups;
}

/** Where the packs put each chunk of one group; `also` keeps the other copies of a chunk stored twice. */
export interface GroupLocations {
  readonly located: Map<HexHash, ChunkLocation>;
  readonly also: Map<HexHash, string[]>;
}

export const emptyLocations = (): GroupLocations => ({ located: new Map(), also: new Map() });

export function addEntry(into: GroupLocations, pack: HexHash, e: { id: HexHash; offset: number; length: number }): void {
  // A chunk stored twice (two writers at once) is fine; the index may point at either copy.
  if (into.located.has(e.id)) (into.also.get(e.id) ?? into.also.set(e.id, []).get(e.id)!).push(`${pack}:${e.offset}:${e.length}`);
  else into.located.set(e.id, { ...e, pack });
}

/** The group's entries of the healthy packs (each pack's trailer read again: two range reads). */
export async function locateGroup(repo: Repository, packs: readonly PackInfo[], group: ShardGroup): Promise<GroupLocations> {
  const out = emptyLocations();
  for (const pack of packs) {
    for (const e of await repo.packEntries(pack)) if (inGroup(group, e.id)) addEntry(out, pack.id, e);
  }
  return out;
}

/** Index problems of one group: chunks the index misses or places where no pack has them. */
export async function checkIndexGroup(repo: Repository, g: GroupLocations, problems: string[]): Promise<void> {
  const ids = [...g.located.keys()].sort();
  for (const id of ids) {
    const at = g.located.get(id)!;
    const indexed = await repo.index.lookup(id);
    if (indexed === undefined) problems.push(`index: chunk ${id} of pack ${at.pack} is not in the chunk index (run index rebuild)`);
    else if (indexed.pack !== at.pack || indexed.offset !== at.offset || indexed.length !== at.length) {
      if (!(g.also.get(id) ?? []).includes(`${indexed.pack}:${indexed.offset}:${indexed.length}`)) problems.push(`index: chunk ${id} is indexed at pack ${indexed.pack} ${indexed.offset}+${indexed.length}, the packs say ${at.pack} ${at.offset}+${at.length}`);
    }
  }
}
