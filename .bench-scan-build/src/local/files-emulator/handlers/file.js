"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.handleFile = handleFile;
/**
 * File operations on `/{share}/{path}` without restype: create (sparse, zero-filled), get properties,
 * set metadata, set HTTP headers / properties (resize, SMB attributes, times, permission), delete,
 * rename; the byte operations (Put Range, Get, Get Ranges) are in file-content.ts.
 */
const node_fs_1 = require("node:fs");
const promises_1 = require("node:fs/promises");
const node_path_1 = require("node:path");
const errors_1 = require("../errors");
const context_1 = require("../context");
const time_1 = require("../time");
const common_1 = require("./common");
const file_content_1 = require("./file-content");
const rename_1 = require("./rename");
const view_1 = require("./view");
const MAX_FILE = 4 * 1024 ** 4;
const WRITE_HEADERS = { "x-ms-request-server-encrypted": "true" };
function contentLength(ctx, required) {
    const raw = (0, context_1.header)(ctx, "x-ms-content-length");
    if (raw === undefined) {
        if (required)
            throw errors_1.Errors.missingRequiredHeader("x-ms-content-length");
        return undefined;
    }
    const n = Number(raw);
    if (!/^\d+$/.test(raw) || n > MAX_FILE)
        throw errors_1.Errors.invalidHeaderValue("x-ms-content-length", raw);
    return n;
}
function httpProps(ctx) {
    const h = (n) => (0, context_1.header)(ctx, n);
    return {
        contentType: h("x-ms-content-type"), contentEncoding: h("x-ms-content-encoding"), contentLanguage: h("x-ms-content-language"),
        cacheControl: h("x-ms-cache-control"), contentDisposition: h("x-ms-content-disposition"), contentMD5: h("x-ms-content-md5"),
    };
}
async function create(ctx, env, share, names) {
    const type = (0, context_1.header)(ctx, "x-ms-type");
    if ((type ?? "").toLowerCase() !== "file")
        throw errors_1.Errors.invalidHeaderValue("x-ms-type", type ?? "");
    const size = contentLength(ctx, true);
    const store = env.account.get(share);
    if (names.length === 0)
        throw errors_1.Errors.resourceAlreadyExists();
    const parent = store.resolveParent(names);
    const name = names[names.length - 1];
    const existing = store.tree.child(parent.id, name);
    if (existing?.kind === "d")
        throw errors_1.Errors.resourceAlreadyExists();
    const now = env.ticks.next();
    const saved = await store.gate.withShared(async () => {
        const base = existing ?? {
            id: store.newId(), parent: parent.id, name, kind: "f", size: 0, created: now.iso, written: now.iso, changed: now.iso,
            modifiedMs: now.ms, etag: "", attrs: "Archive", permKey: parent.permKey, meta: {}, http: {}, ver: 0, data: [], epochs: [],
        };
        if (existing)
            await store.preserve(existing, true);
        // O_NOFOLLOW: a symlink planted in the share folder is never written through.
        const flags = node_fs_1.constants.O_WRONLY | node_fs_1.constants.O_CREAT | node_fs_1.constants.O_TRUNC | node_fs_1.constants.O_NOFOLLOW;
        const fh = await (0, promises_1.open)((0, node_path_1.join)(store.diskPath(parent.id), name), flags).catch((err) => {
            throw err.code === "ELOOP" || err.code === "EISDIR" ? errors_1.Errors.resourceAlreadyExists() : err;
        });
        try {
            await fh.truncate(size);
        }
        finally {
            await fh.close();
        }
        return store.contentChanged(base, existing ? [[0, existing.size]] : [], true, size, {
            created: (0, common_1.readTime)(ctx, "x-ms-file-creation-time", undefined, now.iso),
            written: (0, common_1.readTime)(ctx, "x-ms-file-last-write-time", undefined, now.iso),
            changed: (0, common_1.readTime)(ctx, "x-ms-file-change-time", undefined, now.iso),
            attrs: (0, common_1.readAttributes)(ctx, "f", undefined),
            permKey: (0, common_1.readPermission)(ctx, store, undefined, parent.permKey),
            meta: (0, common_1.readMetadata)(ctx), http: httpProps(ctx), data: [],
        });
    });
    store.commit([saved]);
    (0, context_1.send)(ctx, 201, { ...WRITE_HEADERS, ...(0, common_1.entryHeaders)(saved) });
}
function getProperties(ctx, env, share, names) {
    const view = (0, view_1.openView)(ctx, env.account, share);
    const e = view.resolve(names);
    if (e.kind !== "f")
        throw errors_1.Errors.resourceNotFound();
    const h = (0, common_1.fileHeaders)(e);
    if (e.http.contentMD5)
        h["Content-MD5"] = e.http.contentMD5;
    (0, context_1.send)(ctx, 200, { ...h, "Content-Length": e.size });
}
function existingFile(env, share, names) {
    const e = env.account.get(share).resolve(names);
    if (e.kind !== "f")
        throw errors_1.Errors.resourceNotFound();
    return e;
}
function setMetadata(ctx, env, share, names) {
    const store = env.account.get(share);
    const saved = store.touched(existingFile(env, share, names), { meta: (0, common_1.readMetadata)(ctx) });
    store.commit([saved]);
    (0, context_1.send)(ctx, 200, { ...WRITE_HEADERS, ETag: saved.etag, "Last-Modified": (0, time_1.rfc1123)(saved.modifiedMs) });
}
async function setProperties(ctx, env, share, names) {
    const store = env.account.get(share);
    const size = contentLength(ctx, false);
    const saved = await store.gate.withShared(async () => {
        const e = existingFile(env, share, names);
        const now = env.ticks.next().iso;
        const patch = {
            http: httpProps(ctx),
            attrs: (0, common_1.readAttributes)(ctx, "f", e.attrs),
            created: (0, common_1.readTime)(ctx, "x-ms-file-creation-time", e.created, now),
            written: (0, common_1.readTime)(ctx, "x-ms-file-last-write-time", e.written, now),
            changed: (0, common_1.readTime)(ctx, "x-ms-file-change-time", now, now),
            permKey: (0, common_1.readPermission)(ctx, store, e.permKey, store.tree.get(e.parent)?.permKey ?? e.permKey),
        };
        if (size === undefined || size === e.size)
            return store.touched(e, patch);
        await store.preserve(e);
        await (0, promises_1.truncate)(store.diskPath(e.id), size);
        const changed = size < e.size ? [[size, e.size]] : [];
        return store.contentChanged(e, changed, true, size, patch);
    });
    store.commit([saved]);
    (0, context_1.send)(ctx, 200, { ...WRITE_HEADERS, ...(0, common_1.entryHeaders)(saved) });
}
async function remove(env, share, names, ctx) {
    const store = env.account.get(share);
    await store.gate.withShared(async () => {
        const e = existingFile(env, share, names);
        if (!(await store.preserve(e, true)))
            await (0, promises_1.unlink)(store.diskPath(e.id));
        store.commit([], [e.id]);
    });
    (0, context_1.send)(ctx, 202);
}
/** Dispatches file requests (no restype). */
async function handleFile(ctx, env, share, names) {
    const comp = ctx.query.get("comp");
    const m = ctx.method;
    if (names.length === 0)
        throw errors_1.Errors.invalidQueryParameter("restype", ctx.query.get("restype") ?? "");
    if (m === "HEAD" && comp === undefined)
        return getProperties(ctx, env, share, names);
    if (m === "GET") {
        if (comp === undefined)
            return (0, file_content_1.download)(ctx, env, share, names);
        if (comp === "rangelist")
            return (0, file_content_1.listRanges)(ctx, env, share, names);
        if (comp === "metadata")
            return getProperties(ctx, env, share, names);
        throw errors_1.Errors.featureNotSupported(`file comp=${comp}`);
    }
    (0, common_1.refuseSnapshot)(ctx);
    if (m === "DELETE" && comp === undefined)
        return remove(env, share, names, ctx);
    if (m !== "PUT")
        throw errors_1.Errors.unsupportedOperation();
    if (comp === undefined)
        return create(ctx, env, share, names);
    if (comp === "range")
        return (0, file_content_1.putRange)(ctx, env, share, names);
    if (comp === "metadata")
        return setMetadata(ctx, env, share, names);
    if (comp === "properties")
        return setProperties(ctx, env, share, names);
    if (comp === "rename")
        return (0, rename_1.rename)(ctx, env, share, names, "f");
    throw errors_1.Errors.featureNotSupported(`file comp=${comp}`);
}
//# sourceMappingURL=file.js.map