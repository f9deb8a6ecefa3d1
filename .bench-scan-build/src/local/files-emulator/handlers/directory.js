"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.handleDirectory = handleDirectory;
/**
 * Directory operations (`restype=directory`): create, delete (DirectoryNotEmpty unless empty), get
 * properties, set metadata, set properties (SMB attributes, times, permission), list, rename.
 */
const promises_1 = require("node:fs/promises");
const node_path_1 = require("node:path");
const errors_1 = require("../errors");
const context_1 = require("../context");
const common_1 = require("./common");
const listing_1 = require("./listing");
const rename_1 = require("./rename");
const view_1 = require("./view");
const WRITE_HEADERS = { "x-ms-request-server-encrypted": "true" };
async function create(ctx, env, share, names) {
    const store = env.account.get(share);
    if (names.length === 0)
        throw errors_1.Errors.resourceAlreadyExists();
    const parent = store.resolveParent(names);
    const name = names[names.length - 1];
    if (store.tree.child(parent.id, name))
        throw errors_1.Errors.resourceAlreadyExists();
    const now = env.ticks.next();
    const written = (0, common_1.readTime)(ctx, "x-ms-file-last-write-time", undefined, now.iso);
    const e = {
        id: store.newId(), parent: parent.id, name, kind: "d", size: 0,
        created: (0, common_1.readTime)(ctx, "x-ms-file-creation-time", undefined, now.iso), written,
        changed: (0, common_1.readTime)(ctx, "x-ms-file-change-time", undefined, now.iso),
        modifiedMs: now.ms, etag: "", attrs: (0, common_1.readAttributes)(ctx, "d", undefined),
        permKey: (0, common_1.readPermission)(ctx, store, undefined, parent.permKey),
        meta: (0, common_1.readMetadata)(ctx), http: {}, ver: 0, data: [], epochs: [],
    };
    try {
        await (0, promises_1.mkdir)((0, node_path_1.join)(store.diskPath(parent.id), name));
    }
    catch (err) {
        if (err.code === "EEXIST")
            throw errors_1.Errors.resourceAlreadyExists();
        throw err;
    }
    const saved = store.touched(e, {});
    store.commit([saved]);
    (0, context_1.send)(ctx, 201, { ...WRITE_HEADERS, ...(0, common_1.entryHeaders)(saved) });
}
async function remove(ctx, env, share, names) {
    const store = env.account.get(share);
    if (names.length === 0)
        throw errors_1.Errors.invalidInput("the root directory of a share cannot be deleted");
    const e = store.resolve(names);
    if (e.kind !== "d")
        throw errors_1.Errors.resourceNotFound();
    store.reconcile(e.id);
    if (store.tree.childCount(e.id) > 0)
        throw errors_1.Errors.directoryNotEmpty();
    try {
        await (0, promises_1.rmdir)(store.diskPath(e.id));
    }
    catch (err) {
        if (err.code === "ENOTEMPTY")
            throw errors_1.Errors.directoryNotEmpty();
        throw err;
    }
    store.commit([], [e.id]);
    (0, context_1.send)(ctx, 202);
}
function getProperties(ctx, env, share, names) {
    const view = (0, view_1.openView)(ctx, env.account, share);
    const e = view.resolve(names);
    if (e.kind !== "d")
        throw errors_1.Errors.resourceNotFound();
    (0, context_1.send)(ctx, 200, { ...(0, common_1.entryHeaders)(e), ...(0, common_1.metadataHeaders)(e.meta), "x-ms-server-encrypted": "true" });
}
function setMetadata(ctx, env, share, names) {
    const store = env.account.get(share);
    const e = store.resolve(names);
    if (e.kind !== "d")
        throw errors_1.Errors.resourceNotFound();
    const saved = store.touched(e, { meta: (0, common_1.readMetadata)(ctx) });
    store.commit([saved]);
    (0, context_1.send)(ctx, 200, { ...WRITE_HEADERS, ETag: saved.etag, "Last-Modified": new Date(saved.modifiedMs).toUTCString() });
}
function setProperties(ctx, env, share, names) {
    const store = env.account.get(share);
    const e = store.resolve(names);
    if (e.kind !== "d")
        throw errors_1.Errors.resourceNotFound();
    const now = env.ticks.next().iso;
    const parent = store.tree.get(e.parent);
    const saved = store.touched(e, {
        attrs: (0, common_1.readAttributes)(ctx, "d", e.attrs),
        created: (0, common_1.readTime)(ctx, "x-ms-file-creation-time", e.created, now),
        written: (0, common_1.readTime)(ctx, "x-ms-file-last-write-time", e.written, now),
        changed: (0, common_1.readTime)(ctx, "x-ms-file-change-time", now, now),
        permKey: (0, common_1.readPermission)(ctx, store, e.permKey, parent?.permKey ?? e.permKey),
    });
    store.commit([saved]);
    (0, context_1.send)(ctx, 200, { ...WRITE_HEADERS, ...(0, common_1.entryHeaders)(saved) });
}
/** Dispatches `restype=directory` requests. */
async function handleDirectory(ctx, env, share, names) {
    const comp = ctx.query.get("comp");
    const m = ctx.method;
    if (m === "GET" || m === "HEAD") {
        if (comp === "list" && m === "GET")
            return (0, listing_1.listDirectory)(ctx, env, share, names);
        if (comp === undefined || comp === "metadata")
            return getProperties(ctx, env, share, names);
        throw errors_1.Errors.featureNotSupported(`directory comp=${comp}`);
    }
    (0, common_1.refuseSnapshot)(ctx);
    if (m === "DELETE" && comp === undefined)
        return remove(ctx, env, share, names);
    if (m !== "PUT")
        throw errors_1.Errors.unsupportedOperation();
    if (comp === undefined)
        return create(ctx, env, share, names);
    if (comp === "metadata")
        return setMetadata(ctx, env, share, names);
    if (comp === "properties")
        return setProperties(ctx, env, share, names);
    if (comp === "rename")
        return (0, rename_1.rename)(ctx, env, share, names, "d");
    throw errors_1.Errors.featureNotSupported(`directory comp=${comp}`);
}
//# sourceMappingURL=directory.js.map