"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.LocalShareReader = void 0;
/**
 * A ShareReader over a directory on disk (for example a mounted Azure Files share). The inode number
 * is the FileId, so renames and moves inside one file system keep their identity; the POSIX mode,
 * owner and group stand in for SMB attributes. Guarantees: entries are listed sorted by name (as the
 * service lists them), an entry deleted between the directory read and its stat is left out, symbolic
 * links and special files are left out (the share holds files and directories only). Does NOT offer
 * snapshots or permission descriptors: asking for one fails with a ShareUnsupportedError saying so.
 */
const node_fs_1 = require("node:fs");
const promises_1 = require("node:fs/promises");
const node_path_1 = require("node:path");
const share_reader_1 = require("../../core/ports/share-reader");
const errors_1 = require("./errors");
const STAT_BATCH = 64;
function micros(ns) {
    return Number(ns / 1000n);
}
function entryOf(name, st) {
    const kind = st.isDirectory() ? "dir" : st.isFile() ? "file" : undefined;
    if (kind === undefined)
        return undefined;
    return {
        name,
        fileId: st.ino.toString(),
        kind,
        size: kind === "file" ? Number(st.size) : 0,
        creationTime: micros(st.birthtimeNs),
        lastWriteTime: micros(st.mtimeNs),
        changeTime: micros(st.ctimeNs),
        attributes: `${st.mode.toString(8)}:${st.uid}:${st.gid}`,
        permissionKey: "",
        etag: `"${st.mtimeNs.toString(16)}-${st.size.toString(16)}"`,
    };
}
class LocalShareReader {
    root;
    description;
    snapshot = undefined;
    constructor(root) {
        this.root = (0, node_path_1.resolve)(root);
        this.description = `local directory ${this.root}`;
    }
    abs(path) {
        const parts = path === "" ? [] : path.split("/");
        if (parts.some((p) => p === "" || p === "." || p === ".."))
            throw new Error(`invalid share path ${JSON.stringify(path)}: use names separated by "/", no "." or ".."`);
        return (0, node_path_1.join)(this.root, ...parts);
    }
    async getDirectory(path) {
        let st;
        try {
            st = await (0, promises_1.lstat)(this.abs(path), { bigint: true });
        }
        catch (err) {
            throw (0, errors_1.translateFsError)(err, this.root, path);
        }
        const entry = entryOf(path.split("/").pop() ?? "", st);
        if (entry?.kind !== "dir")
            throw (0, errors_1.translateFsError)(Object.assign(new Error("not a directory"), { code: "ENOTDIR" }), this.root, path);
        return entry;
    }
    async *listDirectory(path) {
        const dir = this.abs(path);
        let names;
        try {
            names = await (0, promises_1.readdir)(dir);
        }
        catch (err) {
            throw (0, errors_1.translateFsError)(err, this.root, path);
        }
        names.sort();
        for (let i = 0; i < names.length; i += STAT_BATCH) {
            const batch = names.slice(i, i + STAT_BATCH);
            const stats = await Promise.all(batch.map((name) => (0, promises_1.lstat)((0, node_path_1.join)(dir, name), { bigint: true }).catch((err) => {
                if (err.code === "ENOENT")
                    return undefined;
                throw (0, errors_1.translateFsError)(err, this.root, path === "" ? name : `${path}/${name}`);
            })));
            for (let j = 0; j < batch.length; j++) {
                const st = stats[j];
                const entry = st === undefined ? undefined : entryOf(batch[j], st);
                if (entry !== undefined)
                    yield entry;
            }
        }
    }
    async *openFile(path, range) {
        const file = this.abs(path);
        let st;
        try {
            st = await (0, promises_1.lstat)(file);
        }
        catch (err) {
            throw (0, errors_1.translateFsError)(err, this.root, path);
        }
        if (!st.isFile())
            throw (0, errors_1.translateFsError)(Object.assign(new Error("not a file"), { code: "ENOENT" }), this.root, path);
        const start = range?.offset ?? 0;
        if (!Number.isSafeInteger(start) || start < 0)
            throw new Error(`invalid read offset ${start}`);
        if (range?.count !== undefined && (!Number.isSafeInteger(range.count) || range.count < 0))
            throw new Error(`invalid read length ${range.count}`);
        if (range?.count === 0)
            return;
        const end = range?.count === undefined ? undefined : start + range.count - 1;
        try {
            for await (const chunk of (0, node_fs_1.createReadStream)(file, { start, end }))
                yield chunk;
        }
        catch (err) {
            throw (0, errors_1.translateFsError)(err, this.root, path);
        }
    }
    async getPermission(_permissionKey) {
        throw new share_reader_1.ShareUnsupportedError(`${this.description} has no SMB security descriptors (POSIX mode, owner and group are in each entry's attributes)`);
    }
    async createSnapshot() {
        throw this.noSnapshots();
    }
    async deleteSnapshot(_snapshot) {
        throw this.noSnapshots();
    }
    atSnapshot(_snapshot) {
        throw this.noSnapshots();
    }
    noSnapshots() {
        return new share_reader_1.ShareUnsupportedError(`${this.description} has no share snapshots: snapshot the file system yourself, or scan the Azure share (--share) instead`);
    }
}
exports.LocalShareReader = LocalShareReader;
//# sourceMappingURL=share-reader.js.map