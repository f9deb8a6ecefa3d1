"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.MAX_LIST_PAGE = void 0;
exports.validateKey = validateKey;
exports.validateRange = validateRange;
exports.readAll = readAll;
exports.listAll = listAll;
exports.putIfAbsent = putIfAbsent;
/**
 * The ObjectStore port: the few operations the repository needs from a blob store. Adapters: the
 * Azure Blob one (src/adapters/blob) and an in-memory one (src/adapters/memory); both pass the same
 * conformance suite (test/unit/repository/object-store.conformance.ts).
 *
 * Contract: keys are '/'-separated names; `put` replaces atomically (a reader sees the old or the new
 * bytes, never a mix) and, with `ifNoneMatch`, creates only (AlreadyExistsError if the key exists);
 * `get` streams the object or a byte range of it (NotFoundError, or StoreError "InvalidRange" when
 * the range starts past the end; a range running past the end is cut short); `list` returns keys
 * with a prefix in ascending order, one page at a time; `delete` says whether something was deleted.
 */
const errors_1 = require("./errors");
exports.MAX_LIST_PAGE = 5000;
/** Throws a clear error for keys no adapter should accept (empty, absolute, '..', '\\', too long). */
function validateKey(key) {
    const bad = typeof key !== "string" ||
        key.length === 0 ||
        key.length > 1024 ||
        key.startsWith("/") ||
        key.endsWith("/") ||
        key.includes("\\") ||
        key.split("/").some((part) => part === "" || part === "." || part === "..");
    if (bad)
        throw new errors_1.StoreError("InvalidRequest", `invalid object key ${JSON.stringify(key)}: use non-empty '/'-separated names without '.', '..' or '\\'`);
}
/** Throws for ranges that are not non-negative integers. */
function validateRange(range) {
    if (range === undefined)
        return;
    const ok = Number.isSafeInteger(range.offset) && range.offset >= 0 && (range.length === undefined || (Number.isSafeInteger(range.length) && range.length > 0));
    if (!ok)
        throw new errors_1.StoreError("InvalidRequest", `invalid byte range ${JSON.stringify(range)}: offset >= 0 and length > 0 must be integers`);
}
/** Reads a whole object (or range) into one Buffer: for objects known to be small (packs, trees). */
async function readAll(store, key, range) {
    const parts = [];
    for await (const part of await store.get(key, range))
        parts.push(part);
    return parts.length === 1 ? parts[0] : Buffer.concat(parts);
}
/** Every object under `prefix`, page by page. */
async function* listAll(store, prefix, pageSize) {
    let continuation;
    do {
        const page = await store.list(prefix, { pageSize, continuation });
        yield* page.items;
        continuation = page.continuation;
    } while (continuation !== undefined);
}
/** Creates `key` unless it exists; true when this call created it. Safe to repeat and to race. */
async function putIfAbsent(store, key, data) {
    try {
        await store.put(key, data, { ifNoneMatch: true });
        return true;
    }
    catch (err) {
        if (err instanceof errors_1.StoreError && err.code === "AlreadyExists")
            return false;
        throw err;
    }
}
//# sourceMappingURL=object-store.js.map