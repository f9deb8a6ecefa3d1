"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SHARE_KEY = void 0;
exports.checkShareKey = checkShareKey;
exports.encodeManifest = encodeManifest;
exports.decodeManifest = decodeManifest;
/**
 * Snapshot manifest codec: SnapshotManifest <-> BackupManifest FlatBuffer. Canonical like the tree
 * codec (the snapshot id is the SHA-256 of these bytes). Guarantees: encode validates the share key,
 * ids, counts and time, naming the bad field; decode rejects unknown format versions.
 */
const flatbuffers_1 = require("flatbuffers");
const generated_1 = require("../../generated");
const codec_common_1 = require("./codec-common");
const codec_tree_1 = require("./codec-tree");
const errors_1 = require("./errors");
/** Share keys become blob name segments: keep them to a safe, sortable alphabet. */
exports.SHARE_KEY = /^[a-z0-9](?:[a-z0-9.-]{0,126}[a-z0-9])?$/;
function checkShareKey(share) {
    if (typeof share !== "string" || !exports.SHARE_KEY.test(share) || share.includes("..")) {
        throw new Error(`share key must be 1-128 lowercase letters, digits, '.' or '-' (not at either end), got ${JSON.stringify(share)}`);
    }
}
const STAT_FIELDS = [
    "files", "directories", "bytes", "filesNew", "filesChanged", "filesUnchanged",
    "filesRemoved", "bytesRead", "bytesAdded", "chunksAdded", "packsWritten", "treesWritten",
];
function encodeStats(b, stats) {
    const v = STAT_FIELDS.map((k) => (0, codec_common_1.checkCount)(stats[k], `stats.${k}`));
    return generated_1.BackupStats.createBackupStats(b, v[0], v[1], v[2], v[3], v[4], v[5], v[6], v[7], v[8], v[9], v[10], v[11]);
}
function decodeStats(s) {
    const n = (x) => Number(x ?? 0n);
    return {
        files: n(s?.files()), directories: n(s?.directories()), bytes: n(s?.bytes()),
        filesNew: n(s?.filesNew()), filesChanged: n(s?.filesChanged()), filesUnchanged: n(s?.filesUnchanged()),
        filesRemoved: n(s?.filesRemoved()), bytesRead: n(s?.bytesRead()), bytesAdded: n(s?.bytesAdded()),
        chunksAdded: n(s?.chunksAdded()), packsWritten: n(s?.packsWritten()), treesWritten: n(s?.treesWritten()),
    };
}
function encodeUnstable(b, u, i) {
    if (u.reason !== "changed" && u.reason !== "disappeared")
        throw new Error(`unstableFiles[${i}].reason must be "changed" or "disappeared"`);
    const path = b.createString(u.path);
    return generated_1.UnstableFile.createUnstableFile(b, path, (0, codec_common_1.fileIdToU64)(u.fileId, `unstableFiles[${i}].fileId`), u.reason === "changed" ? generated_1.UnstableReason.Changed : generated_1.UnstableReason.Disappeared);
}
function encodeManifest(m) {
    checkShareKey(m.share);
    if (!Number.isSafeInteger(m.time) || m.time < 0)
        throw new Error(`snapshot time must be milliseconds since the epoch, got ${m.time}`);
    const b = new flatbuffers_1.Builder(1024);
    const share = b.createString(m.share);
    const shareSnapshot = m.shareSnapshot === undefined ? 0 : b.createString(m.shareSnapshot);
    const root = (0, codec_tree_1.encodeDirectoryEntry)(b, m.root, "snapshot root");
    const parent = m.parent === undefined ? 0 : generated_1.BackupManifest.createParentSnapshotVector(b, (0, codec_common_1.hashBytes)(m.parent, "parent snapshot"));
    const tags = generated_1.BackupManifest.createTagsVector(b, [...m.tags].map((t) => b.createString(t)));
    const stats = encodeStats(b, m.stats);
    const unstable = (0, codec_common_1.offsetVector)(b, m.unstableFiles.map((u, i) => encodeUnstable(b, u, i)));
    generated_1.BackupManifest.startBackupManifest(b);
    generated_1.BackupManifest.addFormatVersion(b, codec_common_1.FORMAT_VERSION);
    generated_1.BackupManifest.addShare(b, share);
    if (shareSnapshot !== 0)
        generated_1.BackupManifest.addShareSnapshot(b, shareSnapshot);
    generated_1.BackupManifest.addTime(b, BigInt(m.time));
    generated_1.BackupManifest.addRoot(b, root);
    if (parent !== 0)
        generated_1.BackupManifest.addParentSnapshot(b, parent);
    generated_1.BackupManifest.addTags(b, tags);
    generated_1.BackupManifest.addStats(b, stats);
    generated_1.BackupManifest.addUnstableFiles(b, unstable);
    b.finish(generated_1.BackupManifest.endBackupManifest(b));
    return Buffer.from(b.asUint8Array());
}
function decodeManifest(bytes) {
    return (0, codec_common_1.decodeGuard)("snapshot manifest", () => {
        const m = generated_1.BackupManifest.getRootAsBackupManifest((0, codec_common_1.byteBuffer)(bytes));
        return {
            version: m.formatVersion(),
            value: () => {
                const root = m.root();
                if (root === null)
                    throw new errors_1.RepositoryCorruptError("snapshot manifest has no root");
                const parent = m.parentSnapshotArray();
                const shareSnapshot = m.shareSnapshot();
                const tags = [];
                for (let i = 0; i < m.tagsLength(); i++)
                    tags.push(m.tags(i));
                const unstableFiles = [];
                for (let i = 0; i < m.unstableFilesLength(); i++) {
                    const u = m.unstableFiles(i);
                    unstableFiles.push({ path: u.path() ?? "", fileId: u.fileId().toString(), reason: u.reason() === generated_1.UnstableReason.Changed ? "changed" : "disappeared" });
                }
                return {
                    share: m.share() ?? "",
                    ...(shareSnapshot === null ? {} : { shareSnapshot }),
                    time: Number(m.time()),
                    root: (0, codec_tree_1.decodeDirectoryEntry)(root),
                    ...(parent === null ? {} : { parent: (0, codec_common_1.hashHex)(parent, "parent snapshot") }),
                    tags,
                    stats: decodeStats(m.stats()),
                    unstableFiles,
                };
            },
        };
    });
}
//# sourceMappingURL=codec-manifest.js.map