/**
 * Verifies a repository: (1) every pack is well-formed (footer, trailer checksum, entries inside the
 * body); (2) with read-data, every chunk of every pack (or of a random subset of packs) is re-hashed;
 * (3) the chunk index points every chunk at the pack, offset and length the packs say; (4) every
 * snapshot's manifest, trees and security descriptors exist and match their ids, every file's chunk
 * list matches its size and digest, and every chunk it needs is in a healthy pack. Problems name
 * the object and, for missing or damaged data, the snapshots and files affected (the first few).
 *
 * Memory is bounded: at most `maxChunkIds` chunk locations are held at once (chunk-groups.ts). A
 * repository within the bound is checked in one pass: each pack's trailer read once (two range
 * reads), each distinct tree and SDDL once per snapshot, with read-data each selected pack whole.
 * A larger one is checked in passes by chunk id prefix, each pass reading the pack trailers and the
 * snapshots' trees again: more reads, never more memory. Damaged chunks found by read-data are held
 * as a list of problems, as they are reported.
 */
import { createHash } from "node:crypto";
import { packKey, SHARD_COUNT, shardOf } from "../repository/layout";
import type { HexHash } from "../repository/model";
import { readAll } from "../repository/object-store";
import type { PackInfo } from "../repository/pack-reader";
import type { Repository } from "../repository/repository";
import { addEntry, ALL_SHARDS, checkIndexGroup, emptyLocations, groupShards, inGroup, locateGroup, type GroupLocations } from "./chunk-groups";
import { Affected, walkSnapshots } from "./snapshot-walk";

export interface CheckOptions {
  /** Share of packs whose chunks are re-hashed: 0 (structure only, default) to 1 (all). */
  readonly readDataFraction?: number;
  /** Picks the subset for fractions below 1 (values in [0, 1)). */
  readonly random?: () => number;
  /** Most chunk locations held in memory at once (default 1,000,000, about 200 MB); above it, more passes. */
  readonly maxChunkIds?: number;
}

export interface CheckReport {
  readonly packs: number;
  readonly packsRead: number;
  readonly chunks: number;
  readonly snapshots: number;
  readonly trees: number;
  /** Passes over the packs' trailers and the snapshots (1 when every location fit in memory at once). */
  readonly passes: number;
  /** The most chunk locations held at once. */
  readonly maxChunkIdsHeld: number;
  readonly problems: string[];
}

export const DEFAULT_MAX_CHUNK_IDS = 1_000_000;

interface PackScan {
  readonly healthy: PackInfo[];
  readonly perShard: number[];
  readonly bad: Map<HexHash, string>;
  /** Every location, when they fit under the bound (the one-pass case); undefined otherwise. */
  readonly all: GroupLocations | undefined;
  readonly packs: number;
  readonly packsRead: number;
}

/** Reads every pack's trailer (and, with read-data, its bytes), counting entries per shard. */
async function scanPacks(repo: Repository, o: CheckOptions, max: number, problems: string[]): Promise<PackScan> {
  const fraction = o.readDataFraction ?? 0;
  const healthy: PackInfo[] = [];
  const perShard = new Array<number>(SHARD_COUNT).fill(0);
  const bad = new Map<HexHash, string>();
  let all: GroupLocations | undefined = emptyLocations();
  let packs = 0;
  let packsRead = 0;
  for await (const pack of repo.listPacks()) {
    packs++;
    let entries;
    try {
      entries = await repo.packEntries(pack);
    } catch (err) {
      problems.push(`pack ${pack.id}: ${(err as Error).message}`);
      continue;
    }
    healthy.push(pack);
    for (const e of entries) {
      perShard[shardOf(e.id)]++;
      if (all === undefined) continue;
      if (all.located.size >= max && !all.located.has(e.id)) all = undefined;
      else addEntry(all, pack.id, e);
    }
    if (fraction <= 0 || (fraction < 1 && (o.random ?? (() => 0))() >= fraction)) continue;
    packsRead++;
    const bytes = await readAll(repo.store, packKey(pack.id));
    for (const e of entries) {
      if (createHash("sha256").update(bytes.subarray(e.offset, e.offset + e.length)).digest("hex") !== e.id) {
        bad.set(e.id, `chunk ${e.id} in pack ${pack.id} does not match its id`);
        problems.push(bad.get(e.id)!);
      }
    }
  }
  return { healthy, perShard, bad, all, packs, packsRead };
}

export async function checkRepository(repo: Repository, o: CheckOptions = {}): Promise<CheckReport> {
  const max = o.maxChunkIds ?? DEFAULT_MAX_CHUNK_IDS;
  if (!Number.isInteger(max) || max < 1) throw new Error(`maxChunkIds must be a positive integer, got ${o.maxChunkIds}`);
  const problems: string[] = [];
  const scan = await scanPacks(repo, o, max, problems);
  const groups = scan.all !== undefined ? [ALL_SHARDS] : groupShards(scan.perShard, max);
  const affected = new Affected();
  let chunks = 0;
  let held = scan.all?.located.size ?? 0;
  let walked = { snapshots: 0, trees: 0 };
  for (const [i, group] of groups.entries()) {
    const g = scan.all ?? (await locateGroup(repo, scan.healthy, group));
    held = Math.max(held, g.located.size);
    chunks += g.located.size;
    await checkIndexGroup(repo, g, problems);
    const chunkProblem = (id: HexHash): string | undefined => {
      if (!inGroup(group, id)) return undefined;
      if (!g.located.has(id)) return `chunk ${id} is in no healthy pack`;
      return scan.bad.has(id) ? `chunk ${id} is damaged` : undefined;
    };
    const w = await walkSnapshots(repo, { structure: i === 0, chunkProblem }, affected, problems);
    if (i === 0) walked = w;
  }
  affected.report(problems);
  return { packs: scan.packs, packsRead: scan.packsRead, chunks, snapshots: walked.snapshots, trees: walked.trees, passes: groups.length, maxChunkIdsHeld: held, problems };
}
