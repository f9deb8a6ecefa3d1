"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.accountlessRenameTarget = accountlessRenameTarget;
exports.rename = rename;
/**
 * Rename (`comp=rename`) of a file or a directory within one share. The FileId travels with the item
 * (so does everything below a directory); an existing destination file is replaced only with
 * x-ms-file-rename-replace-if-exists: true, and its captured bytes are kept for snapshots first.
 */
const promises_1 = require("node:fs/promises");
const node_path_1 = require("node:path");
const errors_1 = require("../errors");
const context_1 = require("../context");
const paths_1 = require("../store/paths");
const common_1 = require("./common");
function rawSourcePath(ctx) {
    const raw = (0, context_1.header)(ctx, "x-ms-file-rename-source");
    if (raw === undefined || raw === "")
        return undefined;
    try {
        const path = /^https?:\/\//i.test(raw) ? new URL(raw).pathname : raw.split("?")[0];
        return path.startsWith("/") ? path : `/${path}`;
    }
    catch {
        throw errors_1.Errors.invalidHeaderValue("x-ms-file-rename-source", raw);
    }
}
/**
 * The destination of a rename whose URL has no account segment. The SDK builds rename destinations
 * with setURLPath(url, `/${shareName}/${path}`), which drops the account of a path-style URL; and a
 * client made from such a URL parses its second segment as the share name. So when the source URL is
 * itself account-less, the share is the source's first segment and the destination's first segment
 * is the SDK's misparsed share name.
 */
function accountlessRenameTarget(ctx, account, rest) {
    const source = rawSourcePath(ctx);
    if (source === undefined)
        return [...rest];
    const segments = (0, paths_1.splitRequestPath)(source);
    if (segments.length === 0 || segments[0] === account)
        return [...rest];
    return [segments[0], ...rest.slice(1)];
}
/** The source named by x-ms-file-rename-source: a URL (or path) of an item in the same share. */
function sourceNames(ctx, env, share) {
    const rawPath = rawSourcePath(ctx);
    if (rawPath === undefined)
        throw errors_1.Errors.missingRequiredHeader("x-ms-file-rename-source");
    const segments = (0, paths_1.splitRequestPath)(rawPath);
    if (segments[0] === env.account.name && segments[1] === share)
        segments.shift();
    if (segments[0] !== share)
        throw errors_1.Errors.invalidInput("the rename source must be in the same share");
    return (0, paths_1.itemNames)(segments.slice(1), (0, context_1.flag)(ctx, "x-ms-source-allow-trailing-dot"));
}
async function rename(ctx, env, share, names, kind) {
    const store = env.account.get(share);
    if (names.length === 0)
        throw errors_1.Errors.invalidInput("the root directory cannot be a rename destination");
    const from = sourceNames(ctx, env, share);
    if (from.length === 0)
        throw errors_1.Errors.invalidInput("the root directory cannot be renamed");
    const src = store.resolve(from);
    if (src.kind !== kind)
        throw errors_1.Errors.resourceTypeMismatch();
    const parent = store.resolveParent(names);
    const name = names[names.length - 1];
    if (store.tree.isAncestor(src.id, parent.id))
        throw errors_1.Errors.invalidInput("a directory cannot move below itself");
    const existing = store.tree.child(parent.id, name);
    const del = [];
    if (existing && existing.id !== src.id) {
        if (!(0, context_1.flag)(ctx, "x-ms-file-rename-replace-if-exists") || existing.kind === "d" || src.kind === "d")
            throw errors_1.Errors.resourceAlreadyExists();
        if (existing.attrs.includes("ReadOnly") && !(0, context_1.flag)(ctx, "x-ms-file-rename-ignore-readonly"))
            throw errors_1.Errors.resourceAlreadyExists();
        await store.preserve(existing, true);
        del.push(existing.id);
    }
    const now = env.ticks.next().iso;
    const meta = (0, common_1.readMetadata)(ctx);
    const srcPath = store.diskPath(src.id);
    const dstPath = (0, node_path_1.join)(store.diskPath(parent.id), name);
    if (srcPath !== dstPath)
        await (0, promises_1.rename)(srcPath, dstPath);
    if (del.length)
        store.commit([], del);
    const saved = store.touched(src, {
        parent: parent.id,
        name,
        attrs: (0, common_1.readAttributes)(ctx, kind, src.attrs),
        created: (0, common_1.readTime)(ctx, "x-ms-file-creation-time", src.created, now),
        written: (0, common_1.readTime)(ctx, "x-ms-file-last-write-time", src.written, now),
        changed: (0, common_1.readTime)(ctx, "x-ms-file-change-time", now, now),
        permKey: (0, common_1.readPermission)(ctx, store, src.permKey, parent.permKey),
        meta: Object.keys(meta).length ? meta : src.meta,
    });
    store.commit([saved]);
    (0, context_1.send)(ctx, 200, { "x-ms-request-server-encrypted": "true", ...(0, common_1.entryHeaders)(saved) });
}
//# sourceMappingURL=rename.js.map