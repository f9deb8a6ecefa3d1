"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.Snapshots = void 0;
/**
 * Snapshot manifests: written create-only under snapshots/<share>/<time>-<id>, listed by share and
 * time from their names alone (one list call per 5,000 snapshots, no manifest read), read back and
 * verified against the id in their name.
 */
const node_crypto_1 = require("node:crypto");
const codec_manifest_1 = require("./codec-manifest");
const errors_1 = require("./errors");
const layout_1 = require("./layout");
const object_store_1 = require("./object-store");
class Snapshots {
    store;
    constructor(store) {
        this.store = store;
    }
    async put(manifest) {
        const bytes = (0, codec_manifest_1.encodeManifest)(manifest);
        const id = (0, node_crypto_1.createHash)("sha256").update(bytes).digest("hex");
        const key = (0, layout_1.snapshotKey)(manifest.share, manifest.time, id);
        await (0, object_store_1.putIfAbsent)(this.store, key, bytes);
        return { share: manifest.share, time: manifest.time, id, key };
    }
    /** Snapshots of one share (or of all shares), oldest first within a share, optionally from..to (ms, inclusive). */
    list(share, range = {}) {
        return this.listUnder(share === undefined ? layout_1.SNAPSHOTS_PREFIX : (0, layout_1.snapshotPrefix)(share), range);
    }
    async *listUnder(prefix, range) {
        for await (const item of (0, object_store_1.listAll)(this.store, prefix)) {
            const ref = (0, layout_1.parseSnapshotKey)(item.key);
            if (ref === undefined)
                continue;
            if (range.from !== undefined && ref.time < range.from)
                continue;
            if (range.to !== undefined && ref.time > range.to)
                continue;
            yield ref;
        }
    }
    async get(ref) {
        const bytes = await (0, object_store_1.readAll)(this.store, ref.key);
        if ((0, node_crypto_1.createHash)("sha256").update(bytes).digest("hex") !== ref.id)
            throw new errors_1.RepositoryCorruptError(`snapshot ${ref.key} does not match its id`);
        const manifest = (0, codec_manifest_1.decodeManifest)(bytes);
        if (manifest.share !== ref.share || manifest.time !== ref.time)
            throw new errors_1.RepositoryCorruptError(`snapshot ${ref.key} holds share ${manifest.share} at ${manifest.time}`);
        return manifest;
    }
}
exports.Snapshots = Snapshots;
//# sourceMappingURL=snapshots.js.map