"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.resolveChanges = resolveChanges;
exports.dropStaleTrees = dropStaleTrees;
exports.countChanges = countChanges;
const records_1 = require("./records");
function moveOf(from, to) {
    const prev = from.record;
    const modified = (0, records_1.contentChanged)(prev, to.record);
    const kinds = modified ? ["moved", "modified"] : ["moved"];
    const node = {
        ...to.record,
        ...(modified || prev.fingerprint === undefined ? {} : { fingerprint: prev.fingerprint }),
        ...(prev.treeId === undefined ? {} : { treeId: prev.treeId }),
    };
    return { kinds, node, previous: prev, path: to.path, depth: from.depth };
}
/** Turns the pending sightings of `state` into changes; reads deleted subtrees from `index`. */
async function resolveChanges(state, index, shareId) {
    const { appeared, disappeared, changes } = state;
    for (const [fileId, to] of appeared) {
        const from = disappeared.get(fileId);
        if (from === undefined || from.record.kind !== to.record.kind)
            continue;
        changes.set(fileId, moveOf(from, to));
        appeared.delete(fileId);
        disappeared.delete(fileId);
    }
    const deleted = [];
    const stack = [...disappeared.values(), ...state.replaced];
    disappeared.clear();
    while (stack.length > 0) {
        const gone = stack.pop();
        deleted.push({ kinds: ["deleted"], node: gone.record, previous: gone.record, path: gone.path, depth: gone.depth });
        // A FileId also seen alive elsewhere (an index left inconsistent by a scan of a changing live share):
        // remove this stale record only; its subtree is the live directory's.
        if (gone.record.kind !== "dir" || changes.has(gone.record.fileId))
            continue;
        for await (const child of index.listChildren(shareId, gone.record.fileId)) {
            const sighting = { record: child, path: (0, records_1.childPath)(gone.path, child.name), depth: gone.depth + 1 };
            const to = appeared.get(child.fileId);
            if (to !== undefined && to.record.kind === child.kind) {
                changes.set(child.fileId, moveOf(sighting, to));
                appeared.delete(child.fileId);
            }
            else
                stack.push(sighting);
        }
    }
    for (const [fileId, to] of appeared)
        changes.set(fileId, { kinds: ["added"], node: to.record, path: to.path, depth: to.depth });
    appeared.clear();
    return [...changes.values(), ...deleted];
}
/** Directories whose children changed lose their tree id; returns the unchanged ones that must be rewritten for it. */
function dropStaleTrees(changes, dirty) {
    const changedDirs = new Set();
    for (let i = 0; i < changes.length; i++) {
        const c = changes[i];
        if (c.node.kind !== "dir" || c.kinds.includes("deleted"))
            continue;
        changedDirs.add(c.node.fileId);
        if (dirty.has(c.node.fileId) && c.node.treeId !== undefined) {
            const { treeId: _stale, ...node } = c.node;
            changes[i] = { ...c, node };
        }
    }
    const stale = [];
    for (const [fileId, record] of dirty)
        if (record?.treeId !== undefined && !changedDirs.has(fileId))
            stale.push(record);
    return stale;
}
/** Final counts, from the changes themselves. */
function countChanges(stats, changes) {
    stats.added = stats.modified = stats.renamed = stats.moved = stats.deleted = stats.metadataOnly = stats.candidateBytes = 0;
    for (const c of changes) {
        for (const k of c.kinds)
            stats[k]++;
        if (c.node.kind === "file" && (c.kinds.includes("added") || c.kinds.includes("modified")))
            stats.candidateBytes += c.node.size;
    }
}
//# sourceMappingURL=resolve.js.map