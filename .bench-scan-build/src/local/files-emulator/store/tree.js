"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TreeIndex = void 0;
exports.resolveIn = resolveIn;
/**
 * The name index over a set of entries: parent FileId -> child name -> FileId, plus name lookups
 * and sorted child lists (cached per directory until it changes). Shared by the live share and by
 * share snapshots; knows nothing about disk.
 */
const errors_1 = require("../errors");
const entry_1 = require("./entry");
class TreeIndex {
    byId;
    kids = new Map();
    sorted = new Map();
    constructor(byId) {
        this.byId = byId;
        for (const e of byId.values())
            if (e.id !== entry_1.ROOT_ID)
                this.link(e);
    }
    link(e) {
        let m = this.kids.get(e.parent);
        if (!m)
            this.kids.set(e.parent, (m = new Map()));
        m.set(e.name, e.id);
        this.sorted.delete(e.parent);
    }
    unlink(e) {
        this.kids.get(e.parent)?.delete(e.name);
        this.sorted.delete(e.parent);
    }
    get(id) {
        return this.byId.get(id);
    }
    child(parent, name) {
        const id = this.kids.get(parent)?.get(name);
        return id === undefined ? undefined : this.byId.get(id);
    }
    childCount(parent) {
        return this.kids.get(parent)?.size ?? 0;
    }
    childNames(parent) {
        return [...(this.kids.get(parent)?.keys() ?? [])];
    }
    /** Children in the lexical (UTF-16 code unit) order Azure lists them in. */
    sortedChildren(parent) {
        let names = this.sorted.get(parent);
        if (!names) {
            names = this.childNames(parent).sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
            this.sorted.set(parent, names);
        }
        return names;
    }
    /** Adds or replaces an entry, relinking it if its parent or name changed. */
    set(e) {
        const old = this.byId.get(e.id);
        if (old && old.id !== entry_1.ROOT_ID && (old.parent !== e.parent || old.name !== e.name))
            this.unlink(old);
        this.byId.set(e.id, e);
        if (e.id !== entry_1.ROOT_ID && (!old || old.parent !== e.parent || old.name !== e.name))
            this.link(e);
    }
    /** Removes an entry and everything below it; returns the removed ids. */
    remove(id) {
        const e = this.byId.get(id);
        if (!e)
            return [];
        const removed = [];
        const stack = [id];
        while (stack.length) {
            const cur = stack.pop();
            for (const kid of this.kids.get(cur)?.values() ?? [])
                stack.push(kid);
            this.kids.delete(cur);
            this.sorted.delete(cur);
            this.byId.delete(cur);
            removed.push(cur);
        }
        this.unlink(e);
        return removed;
    }
    /** Names from the root to `id` (the root itself is []). */
    namesOf(id) {
        const names = [];
        let cur = this.byId.get(id);
        while (cur && cur.id !== entry_1.ROOT_ID) {
            names.push(cur.name);
            cur = this.byId.get(cur.parent);
        }
        return names.reverse();
    }
    isAncestor(ancestor, id) {
        let cur = this.byId.get(id);
        while (cur) {
            if (cur.id === ancestor)
                return true;
            if (cur.id === entry_1.ROOT_ID)
                return false;
            cur = this.byId.get(cur.parent);
        }
        return false;
    }
}
exports.TreeIndex = TreeIndex;
/** Resolves names to an entry; a missing intermediate directory is ParentNotFound, as in Azure. */
function resolveIn(tree, names, visit = () => undefined) {
    let cur = tree.get(entry_1.ROOT_ID);
    for (let i = 0; i < names.length; i++) {
        if (cur.kind !== "d")
            throw errors_1.Errors.parentNotFound();
        visit(cur.id);
        const next = tree.child(cur.id, names[i]);
        if (!next)
            throw i === names.length - 1 ? errors_1.Errors.resourceNotFound() : errors_1.Errors.parentNotFound();
        cur = next;
    }
    return cur;
}
//# sourceMappingURL=tree.js.map