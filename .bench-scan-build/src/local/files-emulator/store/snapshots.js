"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SnapshotStore = exports.MAX_SNAPSHOTS = void 0;
/**
 * Share snapshots, copy-on-write. Creating one writes a manifest of the share's entry records (names,
 * ids, properties and each file's content version `ver`) and copies no file bytes. Bytes are kept by
 * the live share instead: before a file's content changes, if a snapshot captured its current version,
 * the old bytes are preserved as versions/<id>.<ver> (see share-store). A snapshot reads a file from
 * that preserved copy or, when the live file still has the captured version, from the live file.
 *
 * Layout under the share's sidecar directory: snapshots/index.json (small list), snapshots/<name>.jsonl
 * (one manifest per snapshot, 1,000 entries a line), versions/<id>.<ver>.
 */
const node_fs_1 = require("node:fs");
const node_path_1 = require("node:path");
const errors_1 = require("../errors");
const tree_1 = require("./tree");
exports.MAX_SNAPSHOTS = 200;
class SnapshotStore {
    infos = [];
    views = new Map();
    dir;
    versionsDir;
    /** `<id>.<ver>` of every preserved file version. */
    preserved = new Set();
    constructor(metaDir) {
        this.dir = (0, node_path_1.join)(metaDir, "snapshots");
        this.versionsDir = (0, node_path_1.join)(metaDir, "versions");
        (0, node_fs_1.mkdirSync)(this.dir, { recursive: true });
        (0, node_fs_1.mkdirSync)(this.versionsDir, { recursive: true });
        const index = (0, node_path_1.join)(this.dir, "index.json");
        if ((0, node_fs_1.existsSync)(index))
            this.infos = JSON.parse((0, node_fs_1.readFileSync)(index, "utf8"));
        for (const name of (0, node_fs_1.readdirSync)(this.versionsDir))
            if (!name.endsWith(".tmp"))
                this.preserved.add(name);
    }
    list() {
        return this.infos;
    }
    latestSeq() {
        return this.infos.length ? this.infos[this.infos.length - 1].seq : -1;
    }
    find(name) {
        const info = this.infos.find((s) => s.name === name);
        if (!info)
            throw errors_1.Errors.shareSnapshotNotFound();
        return info;
    }
    saveIndex() {
        const index = (0, node_path_1.join)(this.dir, "index.json");
        (0, node_fs_1.writeFileSync)(`${index}.tmp`, JSON.stringify(this.infos));
        (0, node_fs_1.renameSync)(`${index}.tmp`, index);
    }
    create(info, entries) {
        if (this.infos.length >= exports.MAX_SNAPSHOTS)
            throw errors_1.Errors.shareSnapshotCountExceeded();
        const lines = [];
        for (let i = 0; i < entries.length; i += 1000)
            lines.push(JSON.stringify(entries.slice(i, i + 1000)));
        (0, node_fs_1.writeFileSync)((0, node_path_1.join)(this.dir, `${info.name}.jsonl`), lines.join("\n") + "\n");
        this.infos.push(info);
        this.saveIndex();
        this.views.set(info.name, new tree_1.TreeIndex(new Map(entries.map((e) => [e.id, e]))));
    }
    /** The snapshot's frozen tree (manifest loaded on first use). */
    view(name) {
        this.find(name);
        let tree = this.views.get(name);
        if (!tree) {
            const byId = new Map();
            for (const line of (0, node_fs_1.readFileSync)((0, node_path_1.join)(this.dir, `${name}.jsonl`), "utf8").split("\n")) {
                if (line)
                    for (const e of JSON.parse(line))
                        byId.set(e.id, e);
            }
            tree = new tree_1.TreeIndex(byId);
            this.views.set(name, tree);
        }
        return tree;
    }
    /** Deletes a snapshot and the preserved versions no remaining snapshot refers to. */
    delete(name) {
        this.find(name);
        this.infos = this.infos.filter((s) => s.name !== name);
        this.saveIndex();
        this.views.delete(name);
        (0, node_fs_1.rmSync)((0, node_path_1.join)(this.dir, `${name}.jsonl`), { force: true });
        const keep = new Set();
        for (const s of this.infos) {
            for (const e of this.view(s.name).byId.values())
                if (e.kind === "f")
                    keep.add(`${e.id}.${e.ver}`);
        }
        for (const v of [...this.preserved]) {
            if (!keep.has(v)) {
                (0, node_fs_1.rmSync)((0, node_path_1.join)(this.versionsDir, v), { force: true });
                this.preserved.delete(v);
            }
        }
    }
}
exports.SnapshotStore = SnapshotStore;
//# sourceMappingURL=snapshots.js.map