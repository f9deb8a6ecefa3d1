"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.snapshotPrefix = exports.shardPrefix = exports.shardOf = exports.sddlKey = exports.treeKey = exports.packIndexKey = exports.packKey = exports.SHARD_COUNT = exports.SNAPSHOTS_PREFIX = exports.SDDL_PREFIX = exports.TREES_PREFIX = exports.SHARDS_PREFIX = exports.PACK_INDEX_PREFIX = exports.PACKS_PREFIX = exports.CONFIG_KEY = void 0;
exports.idFromKey = idFromKey;
exports.snapshotKey = snapshotKey;
exports.parseSnapshotKey = parseSnapshotKey;
/**
 * Blob names of the repository, all in one container (see ARCHITECTURE.md, "Backup repository"):
 *
 *   config                                  format version and chunker of the repository (JSON)
 *   packs/<pack id>                         chunk packs
 *   index/packs/<pack id>                   per-pack index (written only after its pack is durable)
 *   index/shards/<xx>/<run id>              compacted index runs of shard xx (first byte of chunk ids)
 *   trees/<tree id>                         one directory (DirectoryMetadata FlatBuffer)
 *   sddl/<sddl id>                          one security descriptor (UTF-8 SDDL)
 *   snapshots/<share>/<time>-<snapshot id>  one snapshot manifest (BackupManifest FlatBuffer)
 *
 * Every id is the SHA-256 of the object's bytes (a pack: of the whole pack; a chunk: of its data), so
 * a name never points at two different contents. <time> is UTC "YYYYMMDDTHHMMSS.mmmZ": names of a
 * share sort by time.
 */
const codec_common_1 = require("./codec-common");
const codec_manifest_1 = require("./codec-manifest");
exports.CONFIG_KEY = "config";
exports.PACKS_PREFIX = "packs/";
exports.PACK_INDEX_PREFIX = "index/packs/";
exports.SHARDS_PREFIX = "index/shards/";
exports.TREES_PREFIX = "trees/";
exports.SDDL_PREFIX = "sddl/";
exports.SNAPSHOTS_PREFIX = "snapshots/";
exports.SHARD_COUNT = 256;
const packKey = (id) => exports.PACKS_PREFIX + id;
exports.packKey = packKey;
const packIndexKey = (id) => exports.PACK_INDEX_PREFIX + id;
exports.packIndexKey = packIndexKey;
const treeKey = (id) => exports.TREES_PREFIX + id;
exports.treeKey = treeKey;
const sddlKey = (id) => exports.SDDL_PREFIX + id;
exports.sddlKey = sddlKey;
/** Shard of a chunk id: its first byte. */
const shardOf = (chunkId) => parseInt(chunkId.slice(0, 2), 16);
exports.shardOf = shardOf;
const shardPrefix = (shard) => `${exports.SHARDS_PREFIX}${shard.toString(16).padStart(2, "0")}/`;
exports.shardPrefix = shardPrefix;
/** The id at the end of a key under `prefix`, or undefined when the key is not one of ours. */
function idFromKey(key, prefix) {
    const id = key.slice(prefix.length);
    return key.startsWith(prefix) && (0, codec_common_1.isHexHash)(id) ? id : undefined;
}
function formatTime(ms) {
    const iso = new Date(ms).toISOString();
    if (!/^\d{4}-/.test(iso))
        throw new Error(`snapshot time ${ms} is outside years 0000-9999`);
    return iso.replace(/[-:]/g, "");
}
const TIME = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})\.(\d{3})Z$/;
const snapshotPrefix = (share) => {
    (0, codec_manifest_1.checkShareKey)(share);
    return `${exports.SNAPSHOTS_PREFIX}${share}/`;
};
exports.snapshotPrefix = snapshotPrefix;
function snapshotKey(share, time, id) {
    return `${(0, exports.snapshotPrefix)(share)}${formatTime(time)}-${id}`;
}
/** Parses a key written by snapshotKey; undefined for anything else. */
function parseSnapshotKey(key) {
    const parts = key.split("/");
    if (parts.length !== 3 || parts[0] !== exports.SNAPSHOTS_PREFIX.slice(0, -1))
        return undefined;
    const [stamp, id] = parts[2].split("-");
    const m = TIME.exec(stamp ?? "");
    if (m === null || !(0, codec_common_1.isHexHash)(id))
        return undefined;
    const time = Date.UTC(+m[1], +m[2] - 1, +m[3], +m[4], +m[5], +m[6], +m[7]);
    return { share: parts[1], time, id, key };
}
//# sourceMappingURL=layout.js.map