"use strict";
/**
 * The repository's domain model: what a tree (one directory), a file, a snapshot manifest and a chunk
 * reference hold, in plain TypeScript. Ids and digests are lowercase hex SHA-256 (64 digits); FileIds
 * are decimal strings and times are microseconds since the Unix epoch, as the ShareReader port gives
 * them (the format stores 100-ns ticks, the precision of Azure Files, so that a reader with full
 * precision can fill them later without a format change). Only the codecs know the FlatBuffers types.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.EMPTY_STATS = void 0;
exports.EMPTY_STATS = {
    files: 0, directories: 0, bytes: 0, filesNew: 0, filesChanged: 0, filesUnchanged: 0,
    filesRemoved: 0, bytesRead: 0, bytesAdded: 0, chunksAdded: 0, packsWritten: 0, treesWritten: 0,
};
//# sourceMappingURL=model.js.map