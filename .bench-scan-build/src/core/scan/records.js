"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.metaHashOf = metaHashOf;
exports.recordOf = recordOf;
exports.contentChanged = contentChanged;
exports.metadataChanged = metadataChanged;
exports.childPath = childPath;
const node_index_1 = require("../ports/node-index");
/** Times outside what the index keeps (years 1399-2541) are pinned to its bounds. */
function clampTime(micros) {
    return Math.max(-node_index_1.MAX_TIME_MICROS, Math.min(node_index_1.MAX_TIME_MICROS, Math.trunc(micros)));
}
/** FNV-1a, 32 bits: cheap and stable. Metadata-only changes are missed with probability 2^-32 per change. */
function fnv1a32(text) {
    let h = 0x811c9dc5;
    for (let i = 0; i < text.length; i++) {
        h ^= text.charCodeAt(i);
        h = Math.imul(h, 0x01000193) >>> 0;
    }
    return h >>> 0;
}
/** Hash of everything that is metadata but not content: a change here alone is a metadata-only change. */
function metaHashOf(entry) {
    return fnv1a32(`${entry.attributes}\u0000${entry.permissionKey}\u0000${entry.creationTime}\u0000${entry.changeTime}`);
}
/** The record a listed entry becomes under `parentFileId`, with no fingerprint or tree id yet. */
function recordOf(entry, parentFileId) {
    return {
        fileId: entry.fileId,
        parentFileId,
        name: entry.name,
        kind: entry.kind,
        size: entry.kind === "dir" ? 0 : entry.size,
        lastWriteTime: clampTime(entry.lastWriteTime),
        metaHash: metaHashOf(entry),
    };
}
/** Content may differ: size or last-write time changed (files only; the backup then reads and compares the digest). */
function contentChanged(prev, next) {
    return next.kind === "file" && (prev.size !== next.size || prev.lastWriteTime !== next.lastWriteTime);
}
/** Metadata changed: for directories any time or attribute, for files anything but size and last-write time. */
function metadataChanged(prev, next) {
    if (prev.metaHash !== next.metaHash)
        return true;
    return next.kind === "dir" && prev.lastWriteTime !== next.lastWriteTime;
}
/** `path` joined with a child's name ("" is the root). */
function childPath(path, name) {
    return path === "" ? name : `${path}/${name}`;
}
//# sourceMappingURL=records.js.map