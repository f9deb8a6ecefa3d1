"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.listDirectory = listDirectory;
/**
 * List Directories and Files: one directory's children (files and directories intermingled in lexical
 * order), prefix, opaque marker, maxresults up to 5,000, include=Timestamps,Etag,Attributes,PermissionKey
 * (case-insensitive), x-ms-file-extended-info, FileId on every entry, Encoded names. `<Entries>` is
 * always present and the last page ends with an empty `<NextMarker />`, as the SDK expects.
 */
const errors_1 = require("../errors");
const context_1 = require("../context");
const time_1 = require("../time");
const xml_1 = require("../xml");
const service_1 = require("./service");
const view_1 = require("./view");
const INCLUDES = new Set(["timestamps", "etag", "attributes", "permissionkey"]);
function includesOf(ctx) {
    const raw = ctx.query.get("include");
    const out = new Set();
    if (raw === undefined || raw === "")
        return out;
    for (const part of raw.split(",").map((p) => p.trim().toLowerCase())) {
        if (!INCLUDES.has(part))
            throw errors_1.Errors.invalidQueryParameter("include", raw);
        out.add(part);
    }
    return out;
}
/** FileId is sent on every entry (all versions since 2020-10-02 do; x-ms-file-extended-info only adds fresh sizes). */
function entryXml(e, inc) {
    let props = e.kind === "f" ? (0, xml_1.element)("Content-Length", e.size) : "";
    if (inc.has("timestamps")) {
        props +=
            (0, xml_1.element)("CreationTime", e.created) + (0, xml_1.element)("LastAccessTime", e.written) + (0, xml_1.element)("LastWriteTime", e.written) +
                (0, xml_1.element)("ChangeTime", e.changed) + (0, xml_1.element)("Last-Modified", (0, time_1.rfc1123)(e.modifiedMs));
    }
    if (inc.has("etag"))
        props += (0, xml_1.element)("Etag", e.etag);
    const tag = e.kind === "f" ? "File" : "Directory";
    return (`<${tag}>${(0, xml_1.encodedElement)("Name", e.name)}` +
        (0, xml_1.element)("FileId", e.id) +
        (props ? `<Properties>${props}</Properties>` : "<Properties />") +
        (inc.has("attributes") ? (0, xml_1.element)("Attributes", e.attrs) : "") +
        (inc.has("permissionkey") ? (0, xml_1.element)("PermissionKey", e.permKey) : "") +
        `</${tag}>`);
}
function decodeMarker(marker) {
    const name = Buffer.from(marker, "base64url").toString("utf8");
    if (name === "" || Buffer.from(name, "utf8").toString("base64url") !== marker)
        throw errors_1.Errors.invalidQueryParameter("marker", marker);
    return name;
}
function listDirectory(ctx, env, share, names) {
    const view = (0, view_1.openView)(ctx, env.account, share);
    const dir = view.resolve(names);
    if (dir.kind !== "d")
        throw errors_1.Errors.resourceNotFound();
    const inc = includesOf(ctx);
    const prefix = ctx.query.get("prefix") ?? "";
    const marker = ctx.query.get("marker");
    const max = (0, service_1.maxResultsOf)(ctx);
    let kids = view.children(dir.id);
    if (prefix)
        kids = kids.filter((n) => n.startsWith(prefix));
    let start = 0;
    if (marker) {
        const from = decodeMarker(marker);
        start = kids.findIndex((n) => n >= from);
        if (start < 0)
            start = kids.length;
    }
    const page = kids.slice(start, start + max);
    const next = start + max < kids.length ? Buffer.from(kids[start + max], "utf8").toString("base64url") : "";
    const parts = [];
    for (const name of page) {
        const e = view.tree.child(dir.id, name);
        if (e)
            parts.push(entryXml(e, inc));
    }
    const snapAttr = view.snapshot ? ` ShareSnapshot="${(0, xml_1.escapeXml)(view.snapshot.name)}"` : "";
    const path = names.join("/");
    const pathAttr = (0, xml_1.needsEncoding)(path) ? ` Encoded="true" DirectoryPath="${encodeURIComponent(path)}"` : ` DirectoryPath="${(0, xml_1.escapeXml)(path)}"`;
    const xml = `${xml_1.XML_DECLARATION}<EnumerationResults ServiceEndpoint="${(0, xml_1.escapeXml)(env.url)}/" ShareName="${(0, xml_1.escapeXml)(share)}"${snapAttr}${pathAttr}>` +
        (ctx.query.has("marker") ? (0, xml_1.element)("Marker", marker ?? "") : "") +
        (ctx.query.has("prefix") ? (0, xml_1.encodedElement)("Prefix", prefix) : "") +
        (ctx.query.has("maxresults") ? (0, xml_1.element)("MaxResults", max) : "") +
        (0, xml_1.element)("DirectoryId", dir.id) +
        `<Entries>${parts.join("")}</Entries>` +
        (next ? (0, xml_1.element)("NextMarker", next) : "<NextMarker />") +
        `</EnumerationResults>`;
    (0, context_1.send)(ctx, 200, { "Content-Type": "application/xml" }, xml);
}
//# sourceMappingURL=listing.js.map