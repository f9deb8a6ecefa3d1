"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.putRange = putRange;
exports.download = download;
exports.listRanges = listRanges;
/**
 * The bytes of a file: Put Range (update up to 4 MiB, or clear), Get File (whole or one range,
 * streamed from disk, never buffered), and Get Ranges (data ranges, or the exact diff against a
 * previous share snapshot from the per-file write epochs).
 */
const node_crypto_1 = require("node:crypto");
const node_fs_1 = require("node:fs");
const promises_1 = require("node:fs/promises");
const errors_1 = require("../errors");
const context_1 = require("../context");
const ranges_1 = require("../store/ranges");
const xml_1 = require("../xml");
const common_1 = require("./common");
const env_1 = require("./env");
const view_1 = require("./view");
const MAX_PUT = 4 * 1024 * 1024;
const ZEROS = Buffer.alloc(MAX_PUT);
/** `bytes=s-e` or `bytes=s-` from x-ms-range (preferred) or Range; undefined when absent. */
function requestedRange(ctx) {
    const name = (0, context_1.header)(ctx, "x-ms-range") !== undefined ? "x-ms-range" : "range";
    const raw = (0, context_1.header)(ctx, name);
    if (raw === undefined || raw === "")
        return undefined;
    const m = /^bytes=(\d+)-(\d*)$/.exec(raw.trim());
    if (!m)
        throw errors_1.Errors.invalidHeaderValue(name, raw);
    const start = Number(m[1]);
    const end = m[2] === "" ? undefined : Number(m[2]);
    if (end !== undefined && end < start)
        throw errors_1.Errors.invalidHeaderValue(name, raw);
    return { start, end, raw };
}
async function putRange(ctx, env, share, names) {
    const mode = ((0, context_1.header)(ctx, "x-ms-write") ?? "").toLowerCase();
    if (mode !== "update" && mode !== "clear")
        throw errors_1.Errors.invalidHeaderValue("x-ms-write", (0, context_1.header)(ctx, "x-ms-write") ?? "");
    const range = requestedRange(ctx);
    if (!range || range.end === undefined)
        throw errors_1.Errors.missingRequiredHeader("x-ms-range");
    const { start, end } = range;
    const length = end - start + 1;
    const declared = Number((0, context_1.header)(ctx, "content-length") ?? "0");
    if (mode === "update" && length > MAX_PUT)
        throw errors_1.Errors.requestBodyTooLarge();
    if (mode === "update" && declared !== length)
        throw errors_1.Errors.invalidHeaderValue("Content-Length", String(declared));
    if (mode === "clear" && declared !== 0)
        throw errors_1.Errors.invalidHeaderValue("Content-Length", String(declared));
    const body = mode === "update" ? await (0, env_1.readBody)(ctx.req, MAX_PUT).catch(() => { throw errors_1.Errors.invalidInput("the body length differs from Content-Length"); }) : Buffer.alloc(0);
    if (mode === "update" && body.length !== length)
        throw errors_1.Errors.invalidInput("the body is shorter than the range");
    // MD5 costs a third of the emulator's CPU per upload, so it is computed only to check one the client sent.
    const sentMd5 = (0, context_1.header)(ctx, "content-md5");
    const md5 = sentMd5 !== undefined ? (0, node_crypto_1.createHash)("md5").update(body).digest("base64") : undefined;
    if (sentMd5 !== undefined && sentMd5 !== md5)
        throw errors_1.Errors.md5Mismatch();
    const store = env.account.get(share);
    const saved = await store.gate.withShared(async () => {
        const e = store.resolve(names);
        if (e.kind !== "f")
            throw errors_1.Errors.resourceNotFound();
        if (end >= e.size)
            throw errors_1.Errors.invalidRange();
        await store.preserve(e);
        const fh = await (0, promises_1.open)(store.diskPath(e.id), "r+");
        try {
            if (mode === "update")
                await fh.write(body, 0, length, start);
            else
                for (let pos = start; pos <= end; pos += MAX_PUT)
                    await fh.write(ZEROS, 0, Math.min(MAX_PUT, end + 1 - pos), pos);
        }
        finally {
            await fh.close();
        }
        // Re-read the record: other writes to the same file may have committed while this one awaited.
        const now = env.ticks.next().iso;
        const current = store.tree.get(e.id) ?? e;
        return store.contentChanged(current, [[start, end + 1]], mode === "clear", current.size, {
            written: (0, common_1.readTime)(ctx, "x-ms-file-last-write-time", now, now),
            changed: now,
        });
    });
    store.commit([saved]);
    const h = { ETag: saved.etag, "Last-Modified": new Date(saved.modifiedMs).toUTCString(), "x-ms-request-server-encrypted": "true", "x-ms-file-last-write-time": saved.written };
    if (md5)
        h["Content-MD5"] = md5;
    (0, context_1.send)(ctx, 201, h);
}
async function download(ctx, env, share, names) {
    const view = (0, view_1.openView)(ctx, env.account, share);
    const e = view.resolve(names);
    if (e.kind !== "f")
        throw errors_1.Errors.resourceNotFound();
    const range = requestedRange(ctx);
    const headers = (0, common_1.fileHeaders)(e);
    let start = 0;
    let end = e.size - 1;
    let status = 200;
    if (range) {
        if (range.start >= e.size)
            throw errors_1.Errors.invalidRange();
        start = range.start;
        end = Math.min(range.end ?? e.size - 1, e.size - 1);
        status = 206;
        headers["Content-Range"] = `bytes ${start}-${end}/${e.size}`;
    }
    else if (e.http.contentMD5) {
        headers["Content-MD5"] = e.http.contentMD5;
    }
    const length = Math.max(0, end - start + 1);
    const path = view.snapshot ? view.store.contentPath(e) : view.store.diskPath(e.id);
    if (range && ((0, context_1.header)(ctx, "x-ms-range-get-content-md5") ?? "").toLowerCase() === "true") {
        if (length > MAX_PUT)
            throw errors_1.Errors.invalidHeaderValue("x-ms-range-get-content-md5", "true");
        const fh = await (0, promises_1.open)(path, "r");
        try {
            const buf = Buffer.alloc(length);
            await fh.read(buf, 0, length, start);
            headers["Content-MD5"] = (0, node_crypto_1.createHash)("md5").update(buf).digest("base64");
            (0, context_1.send)(ctx, status, { ...headers, "Content-Length": length }, buf);
        }
        finally {
            await fh.close();
        }
        return;
    }
    if (length === 0)
        return (0, context_1.send)(ctx, status, headers);
    // Open before answering so a missing file is still an error response, not a broken stream.
    const fh = await (0, promises_1.open)(path, "r");
    (0, context_1.startStream)(ctx, status, { ...headers, "Content-Length": length });
    const stream = (0, node_fs_1.createReadStream)("", { fd: fh, start, end, highWaterMark: 1024 * 1024 });
    stream.on("error", () => ctx.res.destroy());
    stream.pipe(ctx.res);
    await new Promise((resolve) => ctx.res.on("close", resolve));
}
function rangesXml(ranges, clears) {
    const item = (tag, [s, e]) => `<${tag}>${(0, xml_1.element)("Start", s)}${(0, xml_1.element)("End", e - 1)}</${tag}>`;
    const all = [...ranges.map((r) => ({ r, tag: "Range" })), ...clears.map((r) => ({ r, tag: "ClearRange" }))].sort((a, b) => a.r[0] - b.r[0]);
    return `${xml_1.XML_DECLARATION}<Ranges>${all.map((x) => item(x.tag, x.r)).join("")}</Ranges>`;
}
function listRanges(ctx, env, share, names) {
    const view = (0, view_1.openView)(ctx, env.account, share);
    const e = view.resolve(names);
    if (e.kind !== "f")
        throw errors_1.Errors.resourceNotFound();
    const range = requestedRange(ctx);
    const window = range ? [[range.start, Math.min((range.end ?? e.size - 1) + 1, e.size)]] : [[0, e.size]];
    let ranges = (0, ranges_1.intersect)((0, ranges_1.clip)(e.data, e.size), window);
    let clears = [];
    const prevName = ctx.query.get("prevsharesnapshot");
    if (prevName !== undefined && prevName !== "") {
        const prev = view.store.snapshots.find(prevName);
        if (prev.seq >= view.seq)
            throw errors_1.Errors.invalidQueryParameter("prevsharesnapshot", prevName);
        const before = view.store.snapshots.view(prevName).get(e.id);
        if (before) {
            const touched = e.epochs.filter((ep) => ep.after >= prev.seq && ep.after < view.seq).reduce((acc, ep) => (0, ranges_1.union)(acc, ep.ranges), []);
            const inWindow = (0, ranges_1.intersect)((0, ranges_1.clip)(touched, e.size), window);
            ranges = (0, ranges_1.intersect)(inWindow, e.data);
            clears = (0, ranges_1.subtract)(inWindow, e.data);
        }
    }
    (0, context_1.send)(ctx, 200, { ETag: e.etag, "Last-Modified": new Date(e.modifiedMs).toUTCString(), "x-ms-content-length": e.size }, rangesXml(ranges, clears), "application/xml");
}
//# sourceMappingURL=file-content.js.map