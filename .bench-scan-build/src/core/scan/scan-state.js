"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ScanState = void 0;
const records_1 = require("./records");
const stats_1 = require("./stats");
class ScanState {
    stats = (0, stats_1.emptyStats)();
    /** Changes of surviving nodes, by FileId. */
    changes = new Map();
    /** Deletions decided without matching (a FileId whose kind changed: never a move). */
    replaced = [];
    appeared = new Map();
    disappeared = new Map();
    /** Directories whose children changed -> the index's record of them when it had one. */
    dirty = new Map();
    /** Classifies one listing; returns the subdirectories to list next. */
    classifyDirectory(dir, entries, indexed) {
        const next = [];
        const depth = dir.depth + 1;
        let changed = false;
        for (const entry of entries) {
            this.count(entry);
            const rec = (0, records_1.recordOf)(entry, dir.fileId);
            const path = (0, records_1.childPath)(dir.path, entry.name);
            const prev = indexed.get(entry.fileId);
            indexed.delete(entry.fileId);
            let previous;
            if (prev === undefined) {
                this.appeared.set(rec.fileId, { record: rec, path, depth });
                changed = true;
            }
            else if (prev.kind !== rec.kind) {
                // A FileId reused for the other kind (inodes are reused on local disks): a new node.
                this.replaced.push({ record: prev, path: (0, records_1.childPath)(dir.path, prev.name), depth });
                this.changes.set(rec.fileId, { kinds: ["added"], node: rec, path, depth });
                changed = true;
            }
            else {
                previous = prev;
                const kinds = kindsOf(prev, rec);
                if (kinds.length > 0) {
                    const modified = kinds.includes("modified");
                    const node = { ...rec, ...(modified || prev.fingerprint === undefined ? {} : { fingerprint: prev.fingerprint }), ...(prev.treeId === undefined ? {} : { treeId: prev.treeId }) };
                    this.changes.set(rec.fileId, { kinds, node, previous: prev, path, depth });
                    changed = true;
                }
            }
            if (rec.kind === "dir")
                next.push({ path, fileId: rec.fileId, depth, previous });
        }
        for (const gone of indexed.values()) {
            this.disappeared.set(gone.fileId, { record: gone, path: (0, records_1.childPath)(dir.path, gone.name), depth });
            changed = true;
        }
        if (changed)
            this.dirty.set(dir.fileId, dir.previous);
        return next;
    }
    /** A directory that vanished between its parent's listing and its own: as if the parent had not listed it. */
    vanished(dir, message) {
        this.stats.errors.push({ path: dir.path, message });
        this.changes.delete(dir.fileId);
        this.appeared.delete(dir.fileId);
        if (dir.previous !== undefined)
            this.disappeared.set(dir.fileId, { record: dir.previous, path: dir.path, depth: dir.depth });
    }
    count(entry) {
        if (entry.kind === "dir")
            this.stats.dirs++;
        else {
            this.stats.files++;
            this.stats.bytes += entry.size;
        }
    }
}
exports.ScanState = ScanState;
/** How a node filed under the same parent changed (empty: unchanged). */
function kindsOf(prev, next) {
    const kinds = [];
    if (prev.name !== next.name)
        kinds.push("renamed");
    if ((0, records_1.contentChanged)(prev, next))
        kinds.push("modified");
    if (kinds.length === 0 && (0, records_1.metadataChanged)(prev, next))
        kinds.push("metadataOnly");
    return kinds;
}
//# sourceMappingURL=scan-state.js.map