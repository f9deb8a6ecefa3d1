"use strict";
/**
 * The 8-byte content fingerprint kept in the index: the first 8 bytes of the file digest (SHA-256 over
 * the ordered SHA-256 chunk ids) that the backup computes. Unlike the seed's XOR of block hashes it
 * depends on block order and on repeated blocks (XOR cancels equal blocks and commutes), so swapping
 * or duplicating blocks changes it. Guarantees: 16 lowercase hex digits, or a clear error.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.fingerprintOf = fingerprintOf;
exports.assertFingerprint = assertFingerprint;
/** Fingerprint of a file digest (32 bytes of SHA-256, or any digest of at least 8 bytes). */
function fingerprintOf(fileDigest) {
    if (fileDigest.length < 8)
        throw new Error(`a file digest has at least 8 bytes, got ${fileDigest.length}`);
    let out = "";
    for (let i = 0; i < 8; i++)
        out += fileDigest[i].toString(16).padStart(2, "0");
    return out;
}
/** Throws unless `fp` is a fingerprint (16 hex digits). */
function assertFingerprint(fp) {
    if (!/^[0-9a-f]{16}$/.test(fp))
        throw new Error(`fingerprint ${JSON.stringify(fp)} is not 16 lowercase hex digits`);
}
//# sourceMappingURL=fingerprint.js.map