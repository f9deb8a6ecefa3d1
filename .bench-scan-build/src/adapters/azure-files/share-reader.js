"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.AzureShareReader = void 0;
const share_reader_1 = require("../../core/ports/share-reader");
const errors_1 = require("./errors");
const PAGE_SIZE = 5000;
function micros(d) {
    return d === undefined ? 0 : d.getTime() * 1000;
}
function entryOf(item, kind, where) {
    if (item.fileId === undefined)
        throw new share_reader_1.ShareError(`${where}: the listing has no FileId for ${JSON.stringify(item.name)} (service version too old?)`);
    const p = item.properties;
    return {
        name: item.name,
        fileId: item.fileId,
        kind,
        size: kind === "file" ? (p?.contentLength ?? 0) : 0,
        creationTime: micros(p?.creationTime),
        lastWriteTime: micros(p?.lastWriteTime),
        changeTime: micros(p?.changeTime),
        attributes: item.attributes ?? "",
        permissionKey: item.permissionKey ?? "",
        etag: p?.etag ?? "",
    };
}
class AzureShareReader {
    share;
    snapshot;
    description;
    /** `share` may already be bound to a snapshot (ShareClient.withSnapshot). */
    constructor(share, snapshot = undefined) {
        this.share = share;
        this.snapshot = snapshot;
        this.description = `Azure Files share ${share.name}${snapshot ? ` at snapshot ${snapshot}` : ""}`;
    }
    /** A reader of share `name` of `service`, optionally at `snapshot`. */
    static of(service, name, snapshot) {
        const share = service.getShareClient(name);
        return snapshot === undefined ? new AzureShareReader(share) : new AzureShareReader(share.withSnapshot(snapshot), snapshot);
    }
    fail(err, what, path) {
        return (0, errors_1.translateFilesError)(err, this.description, what, path);
    }
    dir(path) {
        return path === "" ? this.share.rootDirectoryClient : this.share.getDirectoryClient(path);
    }
    async getDirectory(path) {
        try {
            const p = await this.dir(path).getProperties();
            return {
                name: path.split("/").pop() ?? "",
                fileId: p.fileId ?? "",
                kind: "dir",
                size: 0,
                creationTime: micros(p.fileCreatedOn),
                lastWriteTime: micros(p.fileLastWriteOn),
                changeTime: micros(p.fileChangeOn),
                attributes: p.fileAttributes ?? "",
                permissionKey: p.filePermissionKey ?? "",
                etag: p.etag ?? "",
            };
        }
        catch (err) {
            throw this.fail(err, `reading directory ${JSON.stringify(path)}`, path);
        }
    }
    async *listDirectory(path) {
        const where = `listing ${JSON.stringify(path)}`;
        const pages = this.dir(path)
            .listFilesAndDirectories({ includeTimestamps: true, includeEtag: true, includeAttributes: true, includePermissionKey: true, includeExtendedInfo: true })
            .byPage({ maxPageSize: PAGE_SIZE });
        while (true) {
            let page;
            try {
                page = await pages.next();
            }
            catch (err) {
                throw this.fail(err, where, path);
            }
            if (page.done)
                return;
            const seg = page.value.segment;
            for (const d of seg.directoryItems)
                yield entryOf(d, "dir", where);
            for (const f of seg.fileItems)
                yield entryOf(f, "file", where);
        }
    }
    async *openFile(path, range) {
        const what = `reading file ${JSON.stringify(path)}`;
        const offset = range?.offset ?? 0;
        if (!Number.isSafeInteger(offset) || offset < 0)
            throw new Error(`invalid read offset ${offset}`);
        if (range?.count !== undefined && (!Number.isSafeInteger(range.count) || range.count < 0))
            throw new Error(`invalid read length ${range.count}`);
        if (range?.count === 0)
            return;
        const file = this.share.rootDirectoryClient.getFileClient(path);
        try {
            const res = await file.download(offset, range?.count);
            const body = res.readableStreamBody;
            if (body === undefined)
                return;
            for await (const chunk of body)
                yield chunk;
        }
        catch (err) {
            throw this.fail(err, what, path);
        }
    }
    async getPermission(permissionKey) {
        try {
            return (await this.share.getPermission(permissionKey)).permission;
        }
        catch (err) {
            throw this.fail(err, `reading permission ${JSON.stringify(permissionKey)}`);
        }
    }
    async createSnapshot() {
        if (this.snapshot !== undefined)
            throw new share_reader_1.ShareError(`${this.description}: cannot snapshot a snapshot`);
        try {
            const { snapshot } = await this.share.createSnapshot();
            if (snapshot === undefined)
                throw new share_reader_1.ShareError(`${this.description}: the service returned no snapshot id`);
            return snapshot;
        }
        catch (err) {
            throw this.fail(err, "creating a share snapshot");
        }
    }
    async deleteSnapshot(snapshot) {
        try {
            await this.share.withSnapshot(snapshot).delete();
        }
        catch (err) {
            throw this.fail(err, `deleting share snapshot ${snapshot}`);
        }
    }
    atSnapshot(snapshot) {
        return new AzureShareReader(this.share.withSnapshot(snapshot), snapshot);
    }
}
exports.AzureShareReader = AzureShareReader;
//# sourceMappingURL=share-reader.js.map