"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.HASH_BYTES = exports.FORMAT_VERSION = void 0;
exports.isHexHash = isHexHash;
exports.hashBytes = hashBytes;
exports.hashHex = hashHex;
exports.packIds = packIds;
exports.unpackIds = unpackIds;
exports.fileIdToU64 = fileIdToU64;
exports.microsToTicks = microsToTicks;
exports.ticksToMicros = ticksToMicros;
exports.checkCount = checkCount;
exports.encodeUserMetadata = encodeUserMetadata;
exports.offsetVector = offsetVector;
exports.decodeUserMetadata = decodeUserMetadata;
exports.byteBuffer = byteBuffer;
exports.decodeGuard = decodeGuard;
/**
 * Conversions shared by the FlatBuffers codecs: hex ids <-> raw bytes, decimal FileIds <-> ulong,
 * microseconds <-> 100-ns ticks, user metadata, and the guard every decoder runs in (a version it does
 * not know is UnsupportedFormatError; bytes that do not parse are RepositoryCorruptError).
 */
const flatbuffers_1 = require("flatbuffers");
const generated_1 = require("../../generated");
const errors_1 = require("./errors");
/** The format version this code writes and the newest it reads. */
exports.FORMAT_VERSION = 1;
exports.HASH_BYTES = 32;
const HEX64 = /^[0-9a-f]{64}$/;
const MAX_U64 = (1n << 64n) - 1n;
function isHexHash(value) {
    return typeof value === "string" && HEX64.test(value);
}
/** Raw bytes of a 64-digit hex hash; `what` names the field in the error. */
function hashBytes(hex, what) {
    if (!isHexHash(hex))
        throw new Error(`${what} must be 64 lowercase hex digits, got ${JSON.stringify(hex)}`);
    return Buffer.from(hex, "hex");
}
function hashHex(bytes, what) {
    if (bytes === null || bytes.length !== exports.HASH_BYTES)
        throw new errors_1.RepositoryCorruptError(`${what} is not a 32-byte hash`);
    return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length).toString("hex");
}
/** Concatenates hex ids into one byte vector (32 bytes each). */
function packIds(ids, what) {
    const out = Buffer.allocUnsafe(ids.length * exports.HASH_BYTES);
    ids.forEach((id, i) => hashBytes(id, `${what}[${i}]`).copy(out, i * exports.HASH_BYTES));
    return out;
}
function unpackIds(bytes, what) {
    if (bytes === null)
        return [];
    if (bytes.length % exports.HASH_BYTES !== 0)
        throw new errors_1.RepositoryCorruptError(`${what} length ${bytes.length} is not a multiple of ${exports.HASH_BYTES}`);
    const b = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
    const ids = [];
    for (let at = 0; at < b.length; at += exports.HASH_BYTES)
        ids.push(b.toString("hex", at, at + exports.HASH_BYTES));
    return ids;
}
/** Decimal FileId (Azure's form) -> ulong. */
function fileIdToU64(fileId, what) {
    if (typeof fileId !== "string" || !/^\d{1,20}$/.test(fileId) || BigInt(fileId) > MAX_U64) {
        throw new Error(`${what} must be a decimal 64-bit FileId, got ${JSON.stringify(fileId)}`);
    }
    return BigInt(fileId);
}
/** Microseconds since the epoch -> 100-ns ticks. */
function microsToTicks(micros, what) {
    if (!Number.isSafeInteger(micros))
        throw new Error(`${what} must be an integer number of microseconds, got ${micros}`);
    return BigInt(micros) * 10n;
}
function ticksToMicros(ticks) {
    return Number(ticks / 10n);
}
function checkCount(value, what) {
    if (!Number.isSafeInteger(value) || value < 0)
        throw new Error(`${what} must be a non-negative integer, got ${value}`);
    return BigInt(value);
}
/** User metadata as a vector of KeyValue, keys sorted so equal maps encode to equal bytes. */
function encodeUserMetadata(b, metadata) {
    const keys = Object.keys(metadata).sort();
    const pairs = keys.map((k) => {
        if (typeof metadata[k] !== "string")
            throw new Error(`user metadata ${JSON.stringify(k)} must be a string`);
        return generated_1.KeyValue.createKeyValue(b, b.createString(k), b.createString(metadata[k]));
    });
    return offsetVector(b, pairs);
}
/** A vector of table offsets (what the generated create*Vector helpers do, for any table type). */
function offsetVector(b, offsets) {
    b.startVector(4, offsets.length, 4);
    for (let i = offsets.length - 1; i >= 0; i--)
        b.addOffset(offsets[i]);
    return b.endVector();
}
function decodeUserMetadata(count, at) {
    const out = {};
    for (let i = 0; i < count; i++) {
        const kv = at(i);
        if (kv === null)
            throw new errors_1.RepositoryCorruptError("user metadata entry is missing");
        out[kv.key() ?? ""] = kv.value() ?? "";
    }
    return out;
}
/**
 * A ByteBuffer over `bytes`, copied first when unaligned (typed-array views need aligned offsets),
 * after checking that the root table and its vtable lie inside the bytes: the runtime reads absent
 * fields as defaults, so random bytes would otherwise decode as an empty object.
 */
function byteBuffer(bytes) {
    const aligned = bytes.byteOffset % 8 === 0 ? bytes : new Uint8Array(bytes);
    const view = new DataView(aligned.buffer, aligned.byteOffset, aligned.byteLength);
    const fail = (why) => {
        throw new errors_1.RepositoryCorruptError(`not a FlatBuffer: ${why}`);
    };
    if (view.byteLength < 12)
        fail(`${view.byteLength} bytes`);
    const root = view.getUint32(0, true);
    if (root < 4 || root + 4 > view.byteLength)
        fail("root offset out of range");
    const vtable = root - view.getInt32(root, true);
    if (vtable < 4 || vtable + 4 > view.byteLength)
        fail("vtable out of range");
    const vtableSize = view.getUint16(vtable, true);
    const tableSize = view.getUint16(vtable + 2, true);
    if (vtableSize < 4 || vtableSize % 2 !== 0 || vtable + vtableSize > view.byteLength || root + tableSize > view.byteLength)
        fail("vtable sizes out of range");
    return new flatbuffers_1.ByteBuffer(aligned);
}
/** Runs a decoder: unknown versions and unparseable bytes become the repository's errors. */
function decodeGuard(what, decode) {
    let version;
    let value;
    try {
        ({ version, value } = decode());
    }
    catch (err) {
        throw new errors_1.RepositoryCorruptError(`${what} does not parse`, { cause: err });
    }
    if (version < 1 || version > exports.FORMAT_VERSION)
        throw new errors_1.UnsupportedFormatError(what, version, exports.FORMAT_VERSION);
    try {
        return value();
    }
    catch (err) {
        if (err instanceof errors_1.RepositoryCorruptError)
            throw err;
        throw new errors_1.RepositoryCorruptError(`${what} does not parse`, { cause: err });
    }
}
//# sourceMappingURL=codec-common.js.map