"use strict";
/**
 * Domain errors of the repository and of its ObjectStore port. Adapters translate their SDK's errors
 * into these exactly once (keeping the original as `cause`); everything above them matches on `code`
 * or on the class, never on SDK types. Messages name the object and what went wrong, never a secret.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.UnsupportedFormatError = exports.RepositoryCorruptError = exports.AlreadyExistsError = exports.NotFoundError = exports.StoreError = void 0;
/** A failed object store operation. `retryable` says whether trying again later may succeed. */
class StoreError extends Error {
    code;
    name = "StoreError";
    constructor(code, message, options) {
        super(message, options);
        this.code = code;
    }
    get retryable() {
        return this.code === "Throttled" || this.code === "Unavailable";
    }
}
exports.StoreError = StoreError;
class NotFoundError extends StoreError {
    name = "NotFoundError";
    constructor(key, options) {
        super("NotFound", `object ${key} does not exist`, options);
    }
}
exports.NotFoundError = NotFoundError;
class AlreadyExistsError extends StoreError {
    name = "AlreadyExistsError";
    constructor(key, options) {
        super("AlreadyExists", `object ${key} already exists`, options);
    }
}
exports.AlreadyExistsError = AlreadyExistsError;
/** Bytes read from the repository do not match what their name or checksum promises. */
class RepositoryCorruptError extends Error {
    name = "RepositoryCorruptError";
    constructor(what, options) {
        super(`repository data is corrupt: ${what}`, options);
    }
}
exports.RepositoryCorruptError = RepositoryCorruptError;
/** An object was written by a newer (or unknown) format version than this code reads. */
class UnsupportedFormatError extends Error {
    name = "UnsupportedFormatError";
    constructor(what, version, supported) {
        super(`${what} has format version ${version}; this version of afb reads up to ${supported}`);
    }
}
exports.UnsupportedFormatError = UnsupportedFormatError;
//# sourceMappingURL=errors.js.map