"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.readMetadata = readMetadata;
exports.metadataHeaders = metadataHeaders;
exports.readAttributes = readAttributes;
exports.readTime = readTime;
exports.readPermission = readPermission;
exports.smbHeaders = smbHeaders;
exports.entryHeaders = entryHeaders;
exports.snapshotParam = snapshotParam;
exports.refuseSnapshot = refuseSnapshot;
exports.fileHeaders = fileHeaders;
/**
 * Pieces every handler shares: metadata headers, the SMB property headers (attributes, the three
 * times, permission or permission key) in and out, and the response headers of an entry.
 */
const errors_1 = require("../errors");
const context_1 = require("../context");
const time_1 = require("../time");
const ATTRIBUTES = ["ReadOnly", "Hidden", "System", "None", "Archive", "Temporary", "Offline", "NotContentIndexed", "NoScrubData", "Directory", "Normal"];
const CANONICAL = new Map(ATTRIBUTES.map((a) => [a.toLowerCase(), a]));
function readMetadata(ctx) {
    const meta = {};
    for (const [name, value] of Object.entries(ctx.req.headers)) {
        if (!name.startsWith("x-ms-meta-"))
            continue;
        const key = name.slice("x-ms-meta-".length);
        if (!/^[A-Za-z_][A-Za-z0-9_]*$/.test(key))
            throw errors_1.Errors.invalidInput(`metadata name '${key}' is not a C# identifier`);
        meta[key] = Array.isArray(value) ? value.join(",") : (value ?? "");
    }
    return meta;
}
function metadataHeaders(meta) {
    const h = {};
    for (const [k, v] of Object.entries(meta))
        h[`x-ms-meta-${k}`] = v;
    return h;
}
/** `preserve` or absent keeps `current`; `None` means no attributes; otherwise a pipe list. */
function readAttributes(ctx, kind, current) {
    const raw = (0, context_1.header)(ctx, "x-ms-file-attributes");
    if (raw === undefined || raw.toLowerCase() === "preserve")
        return current ?? (kind === "d" ? "Directory" : "Archive");
    const parts = raw.split("|").map((p) => p.trim()).filter(Boolean);
    const out = [];
    for (const p of parts) {
        const a = CANONICAL.get(p.toLowerCase());
        if (!a)
            throw errors_1.Errors.invalidHeaderValue("x-ms-file-attributes", raw);
        if (a !== "None" && a !== "Normal" && a !== "Directory" && !out.includes(a))
            out.push(a);
    }
    if (kind === "d")
        out.unshift("Directory");
    return out.length ? out.join(" | ") : "Normal";
}
/** An SMB time header: `now`, `preserve` (or absent: `current`, or now when there is none) or ISO 8601. */
function readTime(ctx, name, current, now) {
    const raw = (0, context_1.header)(ctx, name);
    if (raw === undefined || raw.toLowerCase() === "preserve")
        return current ?? now;
    if (raw.toLowerCase() === "now")
        return now;
    const parsed = (0, time_1.parseIsoTicks)(raw);
    if (!parsed)
        throw errors_1.Errors.invalidHeaderValue(name, raw);
    return parsed;
}
/** The permission key to store: from x-ms-file-permission (SDDL, inherit, preserve) or -key. */
function readPermission(ctx, store, current, inherited) {
    const sddl = (0, context_1.header)(ctx, "x-ms-file-permission");
    const key = (0, context_1.header)(ctx, "x-ms-file-permission-key");
    if (sddl !== undefined && key !== undefined)
        throw errors_1.Errors.invalidPermissionHeaders();
    if (key !== undefined) {
        if (!store.perms.has(key))
            throw errors_1.Errors.invalidHeaderValue("x-ms-file-permission-key", key);
        return key;
    }
    if (sddl === undefined || sddl.toLowerCase() === "preserve")
        return current ?? inherited;
    if (sddl.toLowerCase() === "inherit")
        return inherited;
    const format = ((0, context_1.header)(ctx, "x-ms-file-permission-format") ?? "sddl").toLowerCase();
    if (format !== "sddl")
        throw errors_1.Errors.featureNotSupported("binary permission format");
    return store.perms.add(sddl);
}
function smbHeaders(e) {
    return {
        "x-ms-file-id": e.id,
        "x-ms-file-parent-id": e.parent,
        "x-ms-file-permission-key": e.permKey,
        "x-ms-file-attributes": e.attrs,
        "x-ms-file-creation-time": e.created,
        "x-ms-file-last-write-time": e.written,
        "x-ms-file-change-time": e.changed,
    };
}
function entryHeaders(e) {
    return { ETag: e.etag, "Last-Modified": (0, time_1.rfc1123)(e.modifiedMs), ...smbHeaders(e) };
}
/** The share snapshot a read targets, if any (`sharesnapshot=` query parameter). */
function snapshotParam(ctx) {
    const v = ctx.query.get("sharesnapshot");
    return v === undefined || v === "" ? undefined : v;
}
/** Writes never target a snapshot. */
function refuseSnapshot(ctx) {
    if (snapshotParam(ctx) !== undefined)
        throw errors_1.Errors.shareSnapshotOperationNotSupported();
}
/** The headers GET and HEAD of a file share. */
function fileHeaders(e) {
    const p = e.http;
    const h = {
        ...entryHeaders(e), ...metadataHeaders(e.meta),
        "x-ms-type": "File", "Content-Type": p.contentType ?? "application/octet-stream", "Accept-Ranges": "bytes",
        "x-ms-server-encrypted": "true", "x-ms-lease-state": "available", "x-ms-lease-status": "unlocked",
    };
    if (p.contentEncoding)
        h["Content-Encoding"] = p.contentEncoding;
    if (p.contentLanguage)
        h["Content-Language"] = p.contentLanguage;
    if (p.cacheControl)
        h["Cache-Control"] = p.cacheControl;
    if (p.contentDisposition)
        h["Content-Disposition"] = p.contentDisposition;
    return h;
}
//# sourceMappingURL=common.js.map