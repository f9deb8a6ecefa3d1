"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.encodePackIndex = encodePackIndex;
exports.decodePackIndex = decodePackIndex;
exports.encodeIndexShard = encodeIndexShard;
exports.decodeIndexRun = decodeIndexRun;
exports.findInRun = findInRun;
exports.runEntries = runEntries;
/**
 * Codecs of the chunk index structures: PackIndex (a pack's trailer, and the per-pack index blob) and
 * IndexShard (a compacted, sorted run of one shard of the index). Entries are sorted by chunk id on
 * encode; decode checks that every vector has one element per entry.
 */
const flatbuffers_1 = require("flatbuffers");
const generated_1 = require("../../generated");
const codec_common_1 = require("./codec-common");
const errors_1 = require("./errors");
const byId = (a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
function encodePackIndex(entries, pack) {
    const sorted = [...entries].sort(byId);
    const b = new flatbuffers_1.Builder(64 + sorted.length * 48);
    const packVec = pack === undefined ? 0 : generated_1.PackIndex.createPackVector(b, (0, codec_common_1.hashBytes)(pack, "pack id"));
    const ids = generated_1.PackIndex.createChunkIdsVector(b, (0, codec_common_1.packIds)(sorted.map((e) => e.id), "pack entry"));
    const offsets = generated_1.PackIndex.createOffsetsVector(b, sorted.map((e) => e.offset));
    const lengths = generated_1.PackIndex.createLengthsVector(b, sorted.map((e) => e.length));
    generated_1.PackIndex.startPackIndex(b);
    generated_1.PackIndex.addFormatVersion(b, codec_common_1.FORMAT_VERSION);
    if (packVec !== 0)
        generated_1.PackIndex.addPack(b, packVec);
    generated_1.PackIndex.addChunkIds(b, ids);
    generated_1.PackIndex.addOffsets(b, offsets);
    generated_1.PackIndex.addLengths(b, lengths);
    b.finish(generated_1.PackIndex.endPackIndex(b));
    return Buffer.from(b.asUint8Array());
}
function decodePackIndex(bytes) {
    return (0, codec_common_1.decodeGuard)("pack index", () => {
        const p = generated_1.PackIndex.getRootAsPackIndex((0, codec_common_1.byteBuffer)(bytes));
        return {
            version: p.formatVersion(),
            value: () => {
                const ids = (0, codec_common_1.unpackIds)(p.chunkIdsArray(), "pack index chunk ids");
                const offsets = p.offsetsArray() ?? new Uint32Array(0);
                const lengths = p.lengthsArray() ?? new Uint32Array(0);
                if (offsets.length !== ids.length || lengths.length !== ids.length)
                    throw new errors_1.RepositoryCorruptError("pack index vectors differ in length");
                const packBytes = p.packArray();
                const entries = ids.map((id, i) => ({ id, offset: offsets[i], length: lengths[i] }));
                return packBytes === null ? { entries } : { pack: (0, codec_common_1.hashHex)(packBytes, "pack id"), entries };
            },
        };
    });
}
function encodeIndexShard(shard, entries) {
    const sorted = [...entries].sort(byId);
    const packs = [...new Set(sorted.map((e) => e.pack))].sort();
    const ref = new Map(packs.map((p, i) => [p, i]));
    const b = new flatbuffers_1.Builder(64 + sorted.length * 52);
    const packVec = generated_1.IndexShard.createPacksVector(b, (0, codec_common_1.packIds)(packs, "shard pack"));
    const ids = generated_1.IndexShard.createChunkIdsVector(b, (0, codec_common_1.packIds)(sorted.map((e) => e.id), "shard entry"));
    const refs = generated_1.IndexShard.createPackRefsVector(b, sorted.map((e) => ref.get(e.pack)));
    const offsets = generated_1.IndexShard.createOffsetsVector(b, sorted.map((e) => e.offset));
    const lengths = generated_1.IndexShard.createLengthsVector(b, sorted.map((e) => e.length));
    generated_1.IndexShard.startIndexShard(b);
    generated_1.IndexShard.addFormatVersion(b, codec_common_1.FORMAT_VERSION);
    generated_1.IndexShard.addShard(b, shard);
    generated_1.IndexShard.addPacks(b, packVec);
    generated_1.IndexShard.addChunkIds(b, ids);
    generated_1.IndexShard.addPackRefs(b, refs);
    generated_1.IndexShard.addOffsets(b, offsets);
    generated_1.IndexShard.addLengths(b, lengths);
    b.finish(generated_1.IndexShard.endIndexShard(b));
    return Buffer.from(b.asUint8Array());
}
function decodeIndexRun(bytes) {
    return (0, codec_common_1.decodeGuard)("index shard", () => {
        const s = generated_1.IndexShard.getRootAsIndexShard((0, codec_common_1.byteBuffer)(bytes));
        return {
            version: s.formatVersion(),
            value: () => {
                const packs = (0, codec_common_1.unpackIds)(s.packsArray(), "shard packs");
                const raw = s.chunkIdsArray() ?? new Uint8Array(0);
                const ids = Buffer.from(raw.buffer, raw.byteOffset, raw.length);
                const n = ids.length / 32;
                const packRefs = s.packRefsArray() ?? new Uint32Array(0);
                const offsets = s.offsetsArray() ?? new Uint32Array(0);
                const lengths = s.lengthsArray() ?? new Uint32Array(0);
                if (!Number.isInteger(n) || packRefs.length !== n || offsets.length !== n || lengths.length !== n)
                    throw new errors_1.RepositoryCorruptError("index shard vectors differ in length");
                for (const r of packRefs)
                    if (r >= packs.length)
                        throw new errors_1.RepositoryCorruptError(`index shard refers to pack #${r} of ${packs.length}`);
                return { shard: s.shard(), ids, packs, packRefs, offsets, lengths };
            },
        };
    });
}
/** Binary search of a run for one chunk id (32 raw bytes). */
function findInRun(run, id) {
    let lo = 0;
    let hi = run.packRefs.length - 1;
    while (lo <= hi) {
        const mid = (lo + hi) >>> 1;
        const c = run.ids.compare(id, 0, 32, mid * 32, mid * 32 + 32);
        if (c === 0)
            return { id: id.toString("hex"), pack: run.packs[run.packRefs[mid]], offset: run.offsets[mid], length: run.lengths[mid] };
        if (c < 0)
            lo = mid + 1;
        else
            hi = mid - 1;
    }
    return undefined;
}
/** Every entry of a run, as objects (compaction merges these). */
function runEntries(run) {
    const out = [];
    for (let i = 0; i < run.packRefs.length; i++) {
        out.push({ id: run.ids.toString("hex", i * 32, i * 32 + 32), pack: run.packs[run.packRefs[i]], offset: run.offsets[i], length: run.lengths[i] });
    }
    return out;
}
//# sourceMappingURL=codec-index.js.map