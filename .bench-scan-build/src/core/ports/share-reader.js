"use strict";
/**
 * The `ShareReader` port: read-only access to one file share (Azure Files, or a directory on disk).
 * Guarantees every adapter gives: a listing streams ALL entries of one directory (every page), each
 * with its FileId, which stays the same across renames and moves; times are microseconds since the
 * Unix epoch; errors are the domain errors below (never a raw SDK error, never a secret in a message).
 * Does NOT guarantee a consistent view of a live share across calls: read from a share snapshot for that.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.ShareUnsupportedError = exports.ShareUnavailableError = exports.ShareAccessDeniedError = exports.PathNotFoundError = exports.ShareNotFoundError = exports.ShareError = void 0;
/** Base of every error a ShareReader raises; `cause` keeps the backend's error. */
class ShareError extends Error {
    constructor(message, options) {
        super(message, options);
        this.name = new.target.name;
    }
}
exports.ShareError = ShareError;
/** The share (or the snapshot) does not exist. */
class ShareNotFoundError extends ShareError {
}
exports.ShareNotFoundError = ShareNotFoundError;
/** A directory or file does not exist (e.g. deleted while a scan ran). */
class PathNotFoundError extends ShareError {
    path;
    constructor(message, path, options) {
        super(message, options);
        this.path = path;
    }
}
exports.PathNotFoundError = PathNotFoundError;
/** The credentials were refused (401/403), or are missing. */
class ShareAccessDeniedError extends ShareError {
}
exports.ShareAccessDeniedError = ShareAccessDeniedError;
/** The backend stayed busy or unreachable after its retries (503 storms, timeouts, resets). */
class ShareUnavailableError extends ShareError {
}
exports.ShareUnavailableError = ShareUnavailableError;
/** The backend cannot do what was asked (e.g. snapshots of a local directory). */
class ShareUnsupportedError extends ShareError {
}
exports.ShareUnsupportedError = ShareUnsupportedError;
//# sourceMappingURL=share-reader.js.map