"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.statusOf = statusOf;
exports.translateCosmosError = translateCosmosError;
/**
 * The one place where @azure/cosmos errors become NodeIndex domain errors (with the SDK error as
 * `cause`). Messages name the operation and the status, never a key or token.
 */
const node_index_1 = require("../../core/ports/node-index");
const redact_1 = require("../../core/redact");
/** HTTP status of an SDK error or a bulk operation result, if it has one. */
function statusOf(err) {
    const e = err;
    if (typeof e?.statusCode === "number")
        return e.statusCode;
    return typeof e?.code === "number" ? e.code : undefined;
}
function firstLine(err) {
    const text = err instanceof Error ? err.message : typeof err === "object" && err !== null && "message" in err ? String(err.message) : String(err);
    // The service puts a JSON body with activity ids in the message: the first sentence is the useful part.
    return (0, redact_1.redact)(text.split(/\r?\n|ActivityId:|, Request URI/)[0].slice(0, 300)).trim();
}
/** Translates anything the SDK threw while doing `what` (e.g. "listing the children of s1:.w3"). */
function translateCosmosError(err, what) {
    if (err instanceof node_index_1.IndexError)
        return err;
    const status = statusOf(err);
    const detail = firstLine(err);
    const msg = (s) => `Cosmos DB node index: ${what}: ${s}`;
    switch (status) {
        case 404:
            return new node_index_1.IndexNotFoundError(msg(`not found (404): ${detail}`), { cause: err });
        case 409:
            return new node_index_1.IndexConflictError(msg(`conflict, the item exists already (409)`), { cause: err });
        case 412:
            return new node_index_1.IndexPreconditionFailedError(msg(`precondition failed, the item changed meanwhile (412)`), { cause: err });
        case 429:
            return new node_index_1.IndexThrottledError(msg(`still throttled (429) after the SDK's retries: raise the container's throughput or lower the concurrency`), { cause: err });
        case 401:
        case 403:
            return new node_index_1.IndexUnavailableError(msg(`access refused (${status}): check AFB_COSMOS__key or the identity's Cosmos DB data role`), { cause: err });
        default: {
            const code = err?.code;
            const why = typeof code === "string" ? `${code}: ${detail}` : status !== undefined ? `status ${status}: ${detail}` : detail;
            return new node_index_1.IndexUnavailableError(msg(why), { cause: err });
        }
    }
}
//# sourceMappingURL=errors.js.map