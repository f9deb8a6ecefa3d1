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

export function decodeIndexShard(bytes: Uint8Array): { shard: number; entries: ChunkLocation[] } {
  return decodeGuard("index shard", () => {
    const s = IndexShard.getRootAsIndexShard(byteBuffer(bytes));
    return {
      version: s.formatVersion(),
      value: () => {
        const packs = unpackIds(s.packsArray(), "shard packs");
        const ids = unpackIds(s.chunkIdsArray(), "shard chunk ids");
        const refs = s.packRefsArray() ?? new Uint32Array(0);
        const offsets = s.offsetsArray() ?? new Uint32Array(0);
        const lengths = s.lengthsArray() ?? new Uint32Array(0);
        if (refs.length !== ids.length || offsets.length !== ids.length || lengths.length !== ids.length) throw new RepositoryCorruptError("index shard vectors differ in length");
        const entries = ids.map((id, i) => {
          const pack = packs[refs[i]];
          if (pack === undefined) throw new RepositoryCorruptError(`index shard entry ${id} refers to pack #${refs[i]} of ${packs.length}`);
          return { id, pack, offset: offsets[i], length: lengths[i] };
        });
        return { shard: s.shard(), entries };
      },
    };
  });
}
