"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.needsContent = needsContent;
exports.deleteGroups = deleteGroups;
exports.upsertOps = upsertOps;
exports.applyChangeSet = applyChangeSet;
/** True when the backup must read this file's content (new, or size/last-write changed). */
function needsContent(change) {
    return change.node.kind === "file" && (change.kinds.includes("added") || change.kinds.includes("modified"));
}
/** The deletes of a change set, grouped by depth, deepest group first. */
function deleteGroups(changeSet) {
    const byDepth = new Map();
    for (const c of changeSet.changes) {
        const gone = c.kinds.includes("deleted") ? c.node : c.kinds.includes("moved") ? c.previous : undefined;
        if (gone === undefined)
            continue;
        const group = byDepth.get(c.depth) ?? [];
        group.push({ op: "delete", parentFileId: gone.parentFileId, fileId: gone.fileId });
        byDepth.set(c.depth, group);
    }
    return [...byDepth.entries()].sort((a, b) => b[0] - a[0]).map(([, ops]) => ops);
}
/** The upserts of a change set: every surviving changed node, and stale trees with their tree id removed. */
function upsertOps(changeSet) {
    const ops = [];
    for (const c of changeSet.changes)
        if (!c.kinds.includes("deleted"))
            ops.push({ op: "upsert", node: c.node });
    for (const dir of changeSet.staleTrees) {
        const { treeId: _dropped, ...rest } = dir;
        ops.push({ op: "upsert", node: rest });
    }
    return ops;
}
/** Writes a change set to the index in crash-safe order (see the module comment). */
async function applyChangeSet(index, changeSet) {
    let upserts = 0;
    let deletes = 0;
    for (const group of deleteGroups(changeSet)) {
        const r = await index.write(changeSet.shareId, group);
        upserts += r.upserts;
        deletes += r.deletes;
    }
    const ops = upsertOps(changeSet);
    if (ops.length > 0) {
        const r = await index.write(changeSet.shareId, ops);
        upserts += r.upserts;
        deletes += r.deletes;
    }
    return { upserts, deletes };
}
//# sourceMappingURL=change-set.js.map