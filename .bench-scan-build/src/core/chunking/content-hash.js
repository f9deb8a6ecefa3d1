"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FINGERPRINT_BYTES = exports.HASH_BYTES = void 0;
exports.chunkId = chunkId;
exports.contentDigest = contentDigest;
exports.contentFingerprint = contentFingerprint;
/**
 * Content identities: a chunk id is the SHA-256 of the chunk's bytes; a file's content digest is the
 * SHA-256 over its ordered chunk ids (so it depends on every byte and on the order of the chunks, and
 * is computed without reading the data twice); the node index keeps the digest's first 8 bytes as the
 * file's fingerprint. node:crypto uses the CPU's SHA extensions and does no I/O.
 */
const node_crypto_1 = require("node:crypto");
exports.HASH_BYTES = 32;
exports.FINGERPRINT_BYTES = 8;
/** SHA-256 of one chunk. */
function chunkId(data) {
    return (0, node_crypto_1.createHash)("sha256").update(data).digest();
}
/** SHA-256 over the concatenation of the ordered chunk ids (the empty file: SHA-256 of nothing). */
function contentDigest(chunkIds) {
    const h = (0, node_crypto_1.createHash)("sha256");
    for (const id of chunkIds) {
        if (id.length !== exports.HASH_BYTES)
            throw new Error(`chunk id must be ${exports.HASH_BYTES} bytes, got ${id.length}`);
        h.update(id);
    }
    return h.digest();
}
/** The node index's 8-byte fingerprint of a file: the first 8 bytes of its content digest, as 16 hex digits. */
function contentFingerprint(digest) {
    if (digest.length !== exports.HASH_BYTES)
        throw new Error(`content digest must be ${exports.HASH_BYTES} bytes, got ${digest.length}`);
    return Buffer.from(digest.buffer, digest.byteOffset, exports.FINGERPRINT_BYTES).toString("hex");
}
//# sourceMappingURL=content-hash.js.map