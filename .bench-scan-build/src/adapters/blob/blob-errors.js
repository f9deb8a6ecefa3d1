"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.translateBlobError = translateBlobError;
/**
 * The one place where @azure/storage-blob errors become domain StoreErrors. Every message names the
 * operation and the blob, the service's error code and HTTP status, and passes through `redact`, so no
 * key, SAS or connection string reaches a log; the SDK error is kept as `cause`.
 */
const errors_1 = require("../../core/repository/errors");
const redact_1 = require("../../core/redact");
const NETWORK_CODES = new Set(["ECONNREFUSED", "ECONNRESET", "ETIMEDOUT", "EPIPE", "ENOTFOUND", "EAI_AGAIN", "REQUEST_SEND_ERROR"]);
function classify(status, code) {
    if (code === "ContainerNotFound")
        return "ContainerNotFound";
    if (status === 404)
        return "NotFound";
    if (code === "BlobAlreadyExists" || code === "ContainerAlreadyExists")
        return "AlreadyExists";
    if (status === 416 || code === "InvalidRange")
        return "InvalidRange";
    if (status === 401 || status === 403)
        return "Unauthorized";
    if (status === 429 || status === 503 || code === "ServerBusy")
        return "Throttled";
    if (status === undefined || status >= 500 || (code !== undefined && NETWORK_CODES.has(code)))
        return "Unavailable";
    return "InvalidRequest";
}
/**
 * Translates an SDK error raised by `operation` on `key`. `createOnly` marks a put with
 * If-None-Match: * (the service answers 409 BlobAlreadyExists, some versions 412 ConditionNotMet).
 */
function translateBlobError(err, operation, key, createOnly = false) {
    if (err instanceof errors_1.StoreError)
        return err;
    const e = (typeof err === "object" && err !== null ? err : {});
    if (e.name === "AbortError")
        return new errors_1.StoreError("Unavailable", `blob ${operation} ${key}: aborted`, { cause: err });
    let kind = classify(e.statusCode, e.code);
    if (createOnly && (e.statusCode === 409 || e.statusCode === 412))
        kind = "AlreadyExists";
    if (kind === "NotFound")
        return new errors_1.NotFoundError(key, { cause: err });
    if (kind === "AlreadyExists")
        return new errors_1.AlreadyExistsError(key, { cause: err });
    const detail = [e.code, e.statusCode === undefined ? undefined : `HTTP ${e.statusCode}`].filter((x) => x !== undefined).join(", ");
    const firstLine = (0, redact_1.redact)(String(e.message ?? err).split("\n")[0]).slice(0, 300);
    return new errors_1.StoreError(kind, `blob ${operation} ${key} failed (${detail || "no status"}): ${firstLine}`, { cause: err });
}
//# sourceMappingURL=blob-errors.js.map