"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MAX_TIME_MICROS = exports.IndexUnavailableError = exports.IndexThrottledError = exports.IndexPreconditionFailedError = exports.IndexConflictError = exports.IndexNotFoundError = exports.IndexError = exports.SHARE_ID_PATTERN = void 0;
exports.assertShareId = assertShareId;
exports.assertNodeRecord = assertNodeRecord;
/** Share ids appear inside partition keys: short, and only characters that need no escaping. */
exports.SHARE_ID_PATTERN = /^[A-Za-z0-9._-]{1,64}$/;
/** Throws a clear error for a share id the index cannot hold. */
function assertShareId(shareId) {
    if (!exports.SHARE_ID_PATTERN.test(shareId))
        throw new IndexError(`share id ${JSON.stringify(shareId)} is invalid: use 1-64 characters A-Z a-z 0-9 . _ -`);
}
/** Base of every error a NodeIndex raises; `cause` keeps the backend's error. */
class IndexError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = new.target.name;
    }
}
exports.IndexError = IndexError;
/** The database, container or record does not exist (404). */
class IndexNotFoundError extends IndexError {
}
exports.IndexNotFoundError = IndexNotFoundError;
/** A record with this key exists already (409). */
class IndexConflictError extends IndexError {
}
exports.IndexConflictError = IndexConflictError;
/** A conditional write lost a race (412). */
class IndexPreconditionFailedError extends IndexError {
}
exports.IndexPreconditionFailedError = IndexPreconditionFailedError;
/** Still throttled (429) after the adapter's retries. */
class IndexThrottledError extends IndexError {
}
exports.IndexThrottledError = IndexThrottledError;
/** Unreachable, refused credentials, or another failure of the backend. */
class IndexUnavailableError extends IndexError {
}
exports.IndexUnavailableError = IndexUnavailableError;
/** Times are kept within ±2^54 µs of 1970 (years 1399 to 2541): wide enough for Windows' 1601 epoch. */
exports.MAX_TIME_MICROS = 2 ** 54;
/** Throws an IndexError naming the first field of `node` an index cannot store. */
function assertNodeRecord(node) {
    const bad = (field, why) => {
        throw new IndexError(`node record ${JSON.stringify(node.name)}: ${field} ${why}`);
    };
    const isId = (v) => /^[0-9]{1,20}$/.test(v) && BigInt(v) < 2n ** 64n;
    if (!isId(node.fileId))
        bad("fileId", `must be a 64-bit decimal FileId, got ${JSON.stringify(node.fileId)}`);
    if (!isId(node.parentFileId))
        bad("parentFileId", `must be a 64-bit decimal FileId, got ${JSON.stringify(node.parentFileId)}`);
    if (node.kind !== "file" && node.kind !== "dir")
        bad("kind", `must be "file" or "dir"`);
    if (!Number.isSafeInteger(node.size) || node.size < 0)
        bad("size", `must be a non-negative integer, got ${node.size}`);
    if (!Number.isInteger(node.lastWriteTime) || Math.abs(node.lastWriteTime) > exports.MAX_TIME_MICROS)
        bad("lastWriteTime", `must be an integer number of microseconds within ±2^54 of 1970, got ${node.lastWriteTime}`);
    if (!Number.isInteger(node.metaHash) || node.metaHash < 0 || node.metaHash > 0xffffffff)
        bad("metaHash", "must be a 32-bit unsigned integer");
    if (node.fingerprint !== undefined && !/^[0-9a-f]{16}$/.test(node.fingerprint))
        bad("fingerprint", "must be 16 lowercase hex digits");
    if (node.treeId !== undefined && (node.kind !== "dir" || !/^[A-Za-z0-9_-]{1,64}$/.test(node.treeId)))
        bad("treeId", "is for directories only, 1-64 characters A-Z a-z 0-9 _ -");
}
//# sourceMappingURL=node-index.js.map