/**
 * Codecs of the chunk index structures: PackIndex (a pack's trailer, and the per-pack index blob) and
 * IndexShard (a compacted, sorted run of one shard of the index). Entries are sorted by chunk id on
 * encode; decode checks that every vector has one element per entry.
 */
import { Builder } from "flatbuffers";
import { IndexShard, PackIndex } from "../../generated";
import { byteBuffer, decodeGuard, FORMAT_VERSION, hashBytes, hashHex, packIds, unpackIds } from "./codec-common";
import { RepositoryCorruptError } from "./errors";
import type { HexHash } from "./model";

/** Where a chunk lives inside its pack. */
export interface PackEntry {
  readonly id: HexHash;
  readonly offset: number;
  readonly length: number;
}

/** Where a chunk lives in the repository. */
export interface ChunkLocation extends PackEntry {
  readonly pack: HexHash;
}

const byId = (a: { id: string }, b: { id: string }): number => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

export function encodePackIndex(entries: readonly PackEntry[], pack?: HexHash): Buffer {
  const sorted = [...entries].sort(byId);
  const b = new Builder(64 + sorted.length * 48);
  const packVec = pack === undefined ? 0 : PackIndex.createPackVector(b, hashBytes(pack, "pack id"));
  const ids = PackIndex.createChunkIdsVector(b, packIds(sorted.map((e) => e.id), "pack entry"));
  const offsets = PackIndex.createOffsetsVector(b, sorted.map((e) => e.offset));
  const lengths = PackIndex.createLengthsVector(b, sorted.map((e) => e.length));
  PackIndex.startPackIndex(b);
  PackIndex.addFormatVersion(b, FORMAT_VERSION);
  if (packVec !== 0) PackIndex.addPack(b, packVec);
  PackIndex.addChunkIds(b, ids);
  PackIndex.addOffsets(b, offsets);
  PackIndex.addLengths(b, lengths);
  b.finish(PackIndex.endPackIndex(b));
  return Buffer.from(b.asUint8Array());
}

export function decodePackIndex(bytes: Uint8Array): { pack?: HexHash; entries: PackEntry[] } {
  return decodeGuard("pack index", () => {
    const p = PackIndex.getRootAsPackIndex(byteBuffer(bytes));
    return {
      version: p.formatVersion(),
      value: () => {
        const ids = unpackIds(p.chunkIdsArray(), "pack index chunk ids");
        const offsets = p.offsetsArray() ?? new Uint32Array(0);
        const lengths = p.lengthsArray() ?? new Uint32Array(0);
        if (offsets.length !== ids.length || lengths.length !== ids.length) throw new RepositoryCorruptError("pack index vectors differ in length");
        const packBytes = p.packArray();
        const entries = ids.map((id, i) => ({ id, offset: offsets[i], length: lengths[i] }));
        return packBytes === null ? { entries } : { pack: hashHex(packBytes, "pack id"), entries };
      },
    };
  });
}

export function encodeIndexShard(shard: number, entries: readonly ChunkLocation[]): Buffer {
  const sorted = [...entries].sort(byId);
  const packs = [...new Set(sorted.map((e) => e.pack))].sort();
  const ref = new Map(packs.map((p, i) => [p, i]));
  const b = new Builder(64 + sorted.length * 52);
  const packVec = IndexShard.createPacksVector(b, packIds(packs, "shard pack"));
  const ids = IndexShard.createChunkIdsVector(b, packIds(sorted.map((e) => e.id), "shard entry"));
  const refs = IndexShard.createPackRefsVector(b, sorted.map((e) => ref.get(e.pack)!));
  const offsets = IndexShard.createOffsetsVector(b, sorted.map((e) => e.offset));
  const lengths = IndexShard.createLengthsVector(b, sorted.map((e) => e.length));
  IndexShard.startIndexShard(b);
  IndexShard.addFormatVersion(b, FORMAT_VERSION);
  IndexShard.addShard(b, shard);
  IndexShard.addPacks(b, packVec);
  IndexShard.addChunkIds(b, ids);
  IndexShard.addPackRefs(b, refs);
  IndexShard.addOffsets(b, offsets);
  IndexShard.addLengths(b, lengths);
  b.finish(IndexShard.endIndexShard(b));
  return Buffer.from(b.asUint8Array());
}

/** A shard run in compact form (about 44 bytes per entry), searched without building objects. */
export interface IndexRun {
  readonly shard: number;
  /** Sorted chunk ids, 32 bytes each. */
  readonly ids: Buffer;
  readonly packs: readonly HexHash[];
  readonly packRefs: Uint32Array;
  readonly offsets: Uint32Array;
  readonly lengths: Uint32Array;
}

export function decodeIndexRun(bytes: Uint8Array): IndexRun {
  return decodeGuard("index shard", () => {
    const s = IndexShard.getRootAsIndexShard(byteBuffer(bytes));
    return {
      version: s.formatVersion(),
      value: () => {
        const packs = unpackIds(s.packsArray(), "shard packs");
        const raw = s.chunkIdsArray() ?? new Uint8Array(0);
        const ids = Buffer.from(raw.buffer, raw.byteOffset, raw.length);
        const n = ids.length / 32;
        const packRefs = s.packRefsArray() ?? new Uint32Array(0);
        const offsets = s.offsetsArray() ?? new Uint32Array(0);
        const lengths = s.lengthsArray() ?? new Uint32Array(0);
        if (!Number.isInteger(n) || packRefs.length !== n || offsets.length !== n || lengths.length !== n) throw new RepositoryCorruptError("index shard vectors differ in length");
        for (const r of packRefs) if (r >= packs.length) throw new RepositoryCorruptError(`index shard refers to pack #${r} of ${packs.length}`);
        return { shard: s.shard(), ids, packs, packRefs, offsets, lengths };
      },
    };
  });
}

/** Binary search of a run for one chunk id (32 raw bytes). */
export function findInRun(run: IndexRun, id: Buffer): ChunkLocation | undefined {
  let lo = 0;
  let hi = run.packRefs.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const c = run.ids.compare(id, 0, 32, mid * 32, mid * 32 + 32);
    if (c === 0) return { id: id.toString("hex"), pack: run.packs[run.packRefs[mid]], offset: run.offsets[mid], length: run.lengths[mid] };
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return undefined;
}

/** Every entry of a run, as objects (compaction merges these). */
export function runEntries(run: IndexRun): ChunkLocation[] {
  const out: ChunkLocation[] = [];
  for (let i = 0; i < run.packRefs.length; i++) {
    out.push({ id: run.ids.toString("hex", i * 32, i * 32 + 32), pack: run.packs[run.packRefs[i]], offset: run.offsets[i], length: run.lengths[i] });
  }
  return out;
}
