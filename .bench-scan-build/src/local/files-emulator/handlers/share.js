"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.handleShare = handleShare;
/**
 * Share operations: create, delete (and delete a snapshot), get properties, set metadata, set
 * properties (quota), create a snapshot, and the share's permission store (create / get permission).
 */
const errors_1 = require("../errors");
const context_1 = require("../context");
const entry_1 = require("../store/entry");
const time_1 = require("../time");
const common_1 = require("./common");
const env_1 = require("./env");
function quotaOf(ctx, fallback) {
    const raw = (0, context_1.header)(ctx, "x-ms-share-quota");
    if (raw === undefined)
        return fallback;
    const q = Number(raw);
    if (!Number.isInteger(q) || q < 1 || q > 102400)
        throw errors_1.Errors.invalidHeaderValue("x-ms-share-quota", raw);
    return q;
}
async function getPermission(ctx, env, share) {
    const key = (0, context_1.header)(ctx, "x-ms-file-permission-key");
    if (key === undefined)
        throw errors_1.Errors.missingRequiredHeader("x-ms-file-permission-key");
    const sddl = env.account.get(share).perms.get(key);
    (0, context_1.send)(ctx, 200, {}, JSON.stringify({ permission: sddl, format: "Sddl" }), "application/json; charset=utf-8");
}
async function createPermission(ctx, env, share) {
    const store = env.account.get(share);
    let body;
    try {
        body = JSON.parse((await (0, env_1.readBody)(ctx.req, 64 * 1024)).toString("utf8"));
    }
    catch {
        throw errors_1.Errors.invalidInput("the body must be JSON {\"permission\": \"<SDDL>\"}");
    }
    const sddl = body.permission;
    if (typeof sddl !== "string")
        throw errors_1.Errors.invalidInput("the body must be JSON {\"permission\": \"<SDDL>\"}");
    const format = body.format;
    if (format !== undefined && String(format).toLowerCase() !== "sddl")
        throw errors_1.Errors.featureNotSupported("binary permission format");
    (0, context_1.send)(ctx, 201, { "x-ms-file-permission-key": store.perms.add(sddl) });
}
async function createSnapshot(ctx, env, share) {
    const store = env.account.get(share);
    const meta = (0, common_1.readMetadata)(ctx);
    const info = await store.gate.withExclusive(async () => {
        store.reconcileAll();
        const seq = store.nextSeq();
        const now = env.ticks.next();
        const snap = {
            name: now.iso, seq, createdMs: now.ms, etag: (0, entry_1.etagOf)(seq, now.ms),
            meta: Object.keys(meta).length ? meta : store.props.meta,
        };
        store.snapshots.create(snap, [...store.tree.byId.values()]);
        return snap;
    });
    (0, context_1.send)(ctx, 201, { "x-ms-snapshot": info.name, ETag: info.etag, "Last-Modified": (0, time_1.rfc1123)(info.createdMs) });
}
async function getProperties(ctx, env, share) {
    const store = env.account.get(share);
    const snapName = (0, common_1.snapshotParam)(ctx);
    const snap = snapName === undefined ? undefined : store.snapshots.find(snapName);
    const p = store.props;
    (0, context_1.send)(ctx, 200, {
        ...(0, common_1.metadataHeaders)(snap ? snap.meta : p.meta),
        ETag: snap ? snap.etag : p.etag,
        "Last-Modified": (0, time_1.rfc1123)(snap ? snap.createdMs : p.modifiedMs),
        "x-ms-share-quota": p.quota,
        "x-ms-lease-status": "unlocked",
        "x-ms-lease-state": "available",
        "x-ms-enabled-protocols": "SMB",
    });
}
async function remove(ctx, env, share) {
    const store = env.account.get(share);
    const snapName = (0, common_1.snapshotParam)(ctx);
    if (snapName !== undefined) {
        store.snapshots.delete(snapName);
    }
    else {
        const include = ((0, context_1.header)(ctx, "x-ms-delete-snapshots") ?? "").toLowerCase();
        if (store.snapshots.list().length > 0 && include !== "include" && include !== "include-leased")
            throw errors_1.Errors.shareHasSnapshots();
        await env.account.remove(share);
    }
    (0, context_1.send)(ctx, 202);
}
function touchProps(env, share, patch) {
    const store = env.account.get(share);
    const now = env.ticks.next();
    const etag = (0, entry_1.etagOf)(store.nextSeq(), now.ms);
    store.saveProps({ ...store.props, ...patch, etag, modifiedMs: now.ms });
    return { etag, ms: now.ms };
}
/** Dispatches `restype=share` requests. */
async function handleShare(ctx, env, share) {
    const comp = ctx.query.get("comp");
    const m = ctx.method;
    if (comp === "filepermission")
        return m === "GET" ? getPermission(ctx, env, share) : m === "PUT" ? createPermission(ctx, env, share) : unsupported();
    if (m === "GET" || m === "HEAD") {
        if (comp === undefined || comp === "metadata")
            return getProperties(ctx, env, share);
        throw errors_1.Errors.featureNotSupported(`share comp=${comp}`);
    }
    if (m === "DELETE")
        return remove(ctx, env, share);
    if (m !== "PUT")
        return unsupported();
    if (comp === "snapshot")
        return createSnapshot(ctx, env, share);
    (0, common_1.refuseSnapshot)(ctx);
    if (comp === undefined) {
        const store = env.account.create(share, quotaOf(ctx, 5120), (0, common_1.readMetadata)(ctx));
        (0, context_1.send)(ctx, 201, { ETag: store.props.etag, "Last-Modified": (0, time_1.rfc1123)(store.props.modifiedMs) });
        return;
    }
    if (comp === "metadata" || comp === "properties") {
        const patch = comp === "metadata" ? { meta: (0, common_1.readMetadata)(ctx) } : { quota: quotaOf(ctx, env.account.get(share).props.quota) };
        const t = touchProps(env, share, patch);
        (0, context_1.send)(ctx, 200, { ETag: t.etag, "Last-Modified": (0, time_1.rfc1123)(t.ms) });
        return;
    }
    throw errors_1.Errors.featureNotSupported(`share comp=${comp}`);
}
function unsupported() {
    throw errors_1.Errors.unsupportedOperation();
}
//# sourceMappingURL=share.js.map