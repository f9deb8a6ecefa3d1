"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.PACK_TARGET_BYTES = exports.FOOTER_BYTES = exports.PACK_MAGIC = void 0;
exports.buildPack = buildPack;
exports.parseFooter = parseFooter;
exports.parseTrailer = parseTrailer;
exports.parsePack = parsePack;
/**
 * The pack blob format. A pack is self-describing, so the chunk index can be rebuilt from packs alone:
 *
 *   chunk bytes, concatenated in the order they were added
 *   trailer  = PackIndex FlatBuffer (chunk id, offset, length per chunk, sorted by id; no pack id)
 *   footer   = u32 LE trailer length | SHA-256 of the trailer (32 bytes) | magic "AFBPACK1" (8 bytes)
 *
 * The pack id is the SHA-256 of the whole pack, so writing the same pack twice writes the same blob.
 * Each chunk is verified on read against its id; the footer checksum catches a damaged trailer.
 */
const node_crypto_1 = require("node:crypto");
const codec_index_1 = require("./codec-index");
const errors_1 = require("./errors");
exports.PACK_MAGIC = Buffer.from("AFBPACK1", "ascii");
exports.FOOTER_BYTES = 4 + 32 + exports.PACK_MAGIC.length;
/** Packs are flushed before they would pass this size (a single larger chunk is never produced: MAX_SIZE is 8 MiB). */
exports.PACK_TARGET_BYTES = 16 * 1024 * 1024;
/** Assembles a pack from chunk data already concatenated in `body` and their entries. */
function buildPack(body, entries) {
    const trailer = (0, codec_index_1.encodePackIndex)(entries);
    const footer = Buffer.alloc(exports.FOOTER_BYTES);
    footer.writeUInt32LE(trailer.length, 0);
    (0, node_crypto_1.createHash)("sha256").update(trailer).digest().copy(footer, 4);
    exports.PACK_MAGIC.copy(footer, 36);
    const bytes = Buffer.concat([body, trailer, footer]);
    return { id: (0, node_crypto_1.createHash)("sha256").update(bytes).digest("hex"), bytes, entries };
}
/** Trailer length from the last FOOTER_BYTES of a pack of `packSize` bytes (checks the magic). */
function parseFooter(footer, packSize, pack) {
    if (footer.length !== exports.FOOTER_BYTES || !footer.subarray(36).equals(exports.PACK_MAGIC))
        throw new errors_1.RepositoryCorruptError(`pack ${pack} has no valid footer`);
    const trailerLength = footer.readUInt32LE(0);
    if (trailerLength + exports.FOOTER_BYTES > packSize)
        throw new errors_1.RepositoryCorruptError(`pack ${pack} trailer length ${trailerLength} exceeds the pack size ${packSize}`);
    return { trailerLength, checksum: Buffer.from(footer.subarray(4, 36)) };
}
/** Decodes a trailer after checking it against the footer's checksum; entries lie inside the body. */
function parseTrailer(trailer, checksum, bodyLength, pack) {
    if (!(0, node_crypto_1.createHash)("sha256").update(trailer).digest().equals(checksum))
        throw new errors_1.RepositoryCorruptError(`pack ${pack} trailer checksum mismatch`);
    const { entries } = (0, codec_index_1.decodePackIndex)(trailer);
    for (const e of entries) {
        if (e.offset + e.length > bodyLength)
            throw new errors_1.RepositoryCorruptError(`pack ${pack} entry ${e.id} lies outside the pack body`);
    }
    return entries;
}
/** Entries of a whole pack held in memory. */
function parsePack(bytes, pack) {
    const { trailerLength, checksum } = parseFooter(bytes.subarray(bytes.length - exports.FOOTER_BYTES), bytes.length, pack);
    const bodyLength = bytes.length - exports.FOOTER_BYTES - trailerLength;
    return parseTrailer(bytes.subarray(bodyLength, bodyLength + trailerLength), checksum, bodyLength, pack);
}
//# sourceMappingURL=pack-format.js.map