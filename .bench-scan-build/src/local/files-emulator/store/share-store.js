"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ShareStore = void 0;
/**
 * One share: its real directory tree on disk, its sidecar (entry records by FileId), its snapshots
 * and its permissions. Guarantees:
 *  - FileIds are allocated once and kept across renames, moves and restarts.
 *  - Files and directories found on disk without a record are adopted (given a FileId) the first time
 *    their directory is visited; records whose item vanished from disk are dropped then.
 *  - Before a file's bytes change or go away, the version a snapshot captured is preserved
 *    (copy-on-write per file), so snapshots stay isolated from later writes.
 *  - Each write records the ranges it touched in the epoch after the latest snapshot, which makes
 *    Get Ranges diffs between snapshots, or a snapshot and the live file, exact.
 */
const node_fs_1 = require("node:fs");
const promises_1 = require("node:fs/promises");
const node_path_1 = require("node:path");
const errors_1 = require("../errors");
const time_1 = require("../time");
const gate_1 = require("./gate");
const entry_1 = require("./entry");
const permissions_1 = require("./permissions");
const ranges_1 = require("./ranges");
const snapshots_1 = require("./snapshots");
const sidecar_1 = require("./sidecar");
const tree_1 = require("./tree");
const ID_BASE = 0xa000000000000000n;
// eslint-disable-next-line no-control-regex
const ADOPTABLE = /^[^"\\/:|<>*?\u0000]+$/;
class ShareStore {
    name;
    root;
    metaDir;
    ticks;
    sidecar;
    tree;
    snapshots;
    perms;
    /** Directory FileId -> its mtime when its children were last matched with the disk. */
    scanned = new Map();
    preserving = new Map();
    propsCache;
    /** Content writes hold this shared; snapshot creation exclusively. */
    gate = new gate_1.Gate();
    constructor(name, root, metaDir, ticks) {
        this.name = name;
        this.root = root;
        this.metaDir = metaDir;
        this.ticks = ticks;
        (0, node_fs_1.mkdirSync)(metaDir, { recursive: true });
        this.sidecar = new sidecar_1.Sidecar(metaDir);
        this.snapshots = new snapshots_1.SnapshotStore(metaDir);
        this.perms = new permissions_1.PermissionStore(metaDir);
        this.tree = new tree_1.TreeIndex(this.sidecar.entries);
        const propsFile = (0, node_path_1.join)(metaDir, "share.json");
        if ((0, node_fs_1.existsSync)(propsFile)) {
            this.propsCache = JSON.parse((0, node_fs_1.readFileSync)(propsFile, "utf8"));
        }
        else {
            const now = ticks.next();
            this.propsCache = { createdMs: now.ms, modifiedMs: now.ms, etag: (0, entry_1.etagOf)(0, now.ms), quota: 5120, meta: {} };
            this.saveProps(this.propsCache);
        }
        if (!this.tree.get(entry_1.ROOT_ID)) {
            const st = (0, node_fs_1.lstatSync)(root);
            this.commit([this.adopted(entry_1.ROOT_ID, "0", "", "d", 0, st.birthtimeMs, st.mtimeMs, st.ctimeMs)]);
        }
    }
    get props() {
        return this.propsCache;
    }
    saveProps(props) {
        this.propsCache = props;
        const file = (0, node_path_1.join)(this.metaDir, "share.json");
        (0, node_fs_1.writeFileSync)(`${file}.tmp`, JSON.stringify(props));
        (0, node_fs_1.renameSync)(`${file}.tmp`, file);
    }
    nextSeq() {
        return ++this.sidecar.seq;
    }
    newId() {
        return (ID_BASE + BigInt(this.sidecar.nextId++)).toString();
    }
    commit(put, del = []) {
        const dirs = new Set();
        for (const id of del)
            dirs.add(this.tree.get(id)?.parent ?? "");
        for (const e of put) {
            dirs.add(e.parent);
            dirs.add(this.tree.get(e.id)?.parent ?? "");
        }
        for (const id of del)
            this.tree.remove(id);
        for (const e of put)
            this.tree.set(e);
        this.sidecar.commit(put, del);
        // Our own changes move directory mtimes too; note them so they do not force a rescan.
        for (const d of dirs)
            if (this.scanned.has(d) && this.tree.get(d))
                this.scanned.set(d, this.dirMtime(d));
    }
    dirMtime(dirId) {
        try {
            return (0, node_fs_1.lstatSync)(this.diskPath(dirId)).mtimeMs;
        }
        catch {
            return -1;
        }
    }
    diskPath(id) {
        return (0, node_path_1.join)(this.root, ...this.tree.namesOf(id));
    }
    adopted(id, parent, name, kind, size, bMs, mMs, cMs) {
        return {
            id, parent, name, kind, size,
            created: (0, time_1.isoTicks)(Math.floor(bMs || mMs)),
            written: (0, time_1.isoTicks)(Math.floor(mMs)),
            changed: (0, time_1.isoTicks)(Math.floor(cMs)),
            modifiedMs: Math.floor(mMs),
            etag: (0, entry_1.etagOf)(this.sidecar.seq, Math.floor(mMs)),
            attrs: kind === "d" ? "Directory" : "Archive",
            permKey: (0, permissions_1.permissionKeyOf)(permissions_1.DEFAULT_SDDL),
            meta: {}, http: {}, ver: 0,
            data: size > 0 ? [[0, size]] : [],
            epochs: [],
        };
    }
    /**
     * Makes the records of a directory's children match the disk. Runs when the directory's mtime differs
     * from the one seen at the last match, so files written straight to disk are adopted at the next visit.
     */
    reconcile(dirId) {
        const dirPath = this.diskPath(dirId);
        const mtime = (0, node_fs_1.lstatSync)(dirPath).mtimeMs;
        if (this.scanned.get(dirId) === mtime)
            return;
        const onDisk = new Set();
        const put = [];
        for (const d of (0, node_fs_1.readdirSync)(dirPath, { withFileTypes: true })) {
            if (!ADOPTABLE.test(d.name) || (!d.isFile() && !d.isDirectory()))
                continue; // never follow symlinks
            onDisk.add(d.name);
            if (this.tree.child(dirId, d.name))
                continue;
            const st = (0, node_fs_1.lstatSync)((0, node_path_1.join)(dirPath, d.name));
            const kind = st.isDirectory() ? "d" : "f";
            put.push(this.adopted(this.newId(), dirId, d.name, kind, kind === "f" ? st.size : 0, st.birthtimeMs, st.mtimeMs, st.ctimeMs));
        }
        const gone = this.tree.childNames(dirId).filter((n) => !onDisk.has(n)).map((n) => this.tree.child(dirId, n)?.id);
        const del = gone.flatMap((id) => this.subtreeIds(id));
        this.scanned.set(dirId, mtime);
        this.commit(put, del);
    }
    subtreeIds(id) {
        const out = [id];
        for (const n of this.tree.childNames(id))
            out.push(...this.subtreeIds(this.tree.child(id, n)?.id));
        return out;
    }
    /** Visits every directory so the whole tree has records (before a snapshot). */
    reconcileAll() {
        const stack = [entry_1.ROOT_ID];
        while (stack.length) {
            const id = stack.pop();
            this.reconcile(id);
            for (const n of this.tree.childNames(id)) {
                const kid = this.tree.child(id, n);
                if (kid?.kind === "d")
                    stack.push(kid.id);
            }
        }
    }
    resolve(names) {
        return (0, tree_1.resolveIn)(this.tree, names, (d) => this.reconcile(d));
    }
    /** The directory that would hold `names` (for creates); its absence is ParentNotFound. */
    resolveParent(names) {
        try {
            const parent = this.resolve(names.slice(0, -1));
            if (parent.kind !== "d")
                throw errors_1.Errors.parentNotFound();
            this.reconcile(parent.id);
            return parent;
        }
        catch (err) {
            if (err.code === "ResourceNotFound")
                throw errors_1.Errors.parentNotFound();
            throw err;
        }
    }
    /** A changed copy of `e` with a fresh ETag and Last-Modified. */
    touched(e, patch) {
        const seq = this.nextSeq();
        const now = this.ticks.next();
        return { ...e, ...patch, etag: (0, entry_1.etagOf)(seq, now.ms), modifiedMs: now.ms };
    }
    /** Records a content change over `ranges` (cleared or written) and, optionally, a new size. */
    contentChanged(e, ranges, cleared, size = e.size, patch = {}) {
        const ver = this.nextSeq();
        const after = this.snapshots.latestSeq();
        const oldest = this.snapshots.list()[0]?.seq ?? Infinity;
        const kept = e.epochs.filter((ep) => ep.after >= oldest);
        const last = kept[kept.length - 1];
        const epochs = last && last.after === after
            ? [...kept.slice(0, -1), { after, ranges: (0, ranges_1.union)(last.ranges, ranges) }]
            : after >= 0 ? [...kept, { after, ranges: (0, ranges_1.normalise)([...ranges]) }] : kept;
        const data = (0, ranges_1.clip)(cleared ? (0, ranges_1.subtract)(e.data, ranges) : (0, ranges_1.union)(e.data, ranges), size);
        return this.touched(e, { ...patch, size, ver, data, epochs });
    }
    /**
     * Copy-on-write: keeps the bytes a snapshot captured before the live file changes. With `move` (the
     * live file is about to go away) the file itself becomes the preserved copy. Returns whether the live
     * file was moved away.
     */
    async preserve(e, move = false) {
        if (e.kind !== "f" || this.snapshots.latestSeq() < e.ver)
            return false;
        const key = `${e.id}.${e.ver}`;
        const pending = this.preserving.get(key);
        if (pending)
            await pending;
        if (this.preserved(key))
            return false;
        const job = (async () => {
            const target = (0, node_path_1.join)(this.snapshots.versionsDir, key);
            if (move) {
                (0, node_fs_1.renameSync)(this.diskPath(e.id), target);
            }
            else {
                await (0, promises_1.copyFile)(this.diskPath(e.id), `${target}.tmp`);
                (0, node_fs_1.renameSync)(`${target}.tmp`, target);
            }
            this.snapshots.preserved.add(key);
        })();
        this.preserving.set(key, job);
        try {
            await job;
        }
        finally {
            this.preserving.delete(key);
        }
        return move;
    }
    preserved(key) {
        return this.snapshots.preserved.has(key);
    }
    /** Where the bytes of `e` (a record from a snapshot, or the live record) are. */
    contentPath(e) {
        const key = `${e.id}.${e.ver}`;
        if (this.preserved(key))
            return (0, node_path_1.join)(this.snapshots.versionsDir, key);
        const live = this.tree.get(e.id);
        if (live && live.ver === e.ver)
            return this.diskPath(e.id);
        throw errors_1.Errors.internalError();
    }
}
exports.ShareStore = ShareStore;
//# sourceMappingURL=share-store.js.map