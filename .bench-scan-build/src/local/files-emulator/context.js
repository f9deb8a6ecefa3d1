"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.SERVICE_VERSION = void 0;
exports.makeCtx = makeCtx;
exports.header = header;
exports.flag = flag;
exports.send = send;
exports.startStream = startStream;
exports.sendError = sendError;
/**
 * One request as the handlers see it: method, decoded path segments, query (split exactly as the SDK
 * signs it), header access, and the response helpers that add the headers every File service response
 * carries (x-ms-request-id, x-ms-version, Date, x-ms-client-request-id).
 */
const node_crypto_1 = require("node:crypto");
const errors_1 = require("./errors");
const xml_1 = require("./xml");
exports.SERVICE_VERSION = "2026-10-06";
function makeCtx(req, res) {
    const url = req.url ?? "/";
    const q = url.indexOf("?");
    const rawPath = q < 0 ? url : url.slice(0, q);
    const rawQuery = q < 0 ? "" : url.slice(q + 1);
    const query = new Map();
    for (const part of rawQuery.split("&")) {
        if (part === "")
            continue;
        const eq = part.indexOf("=");
        const key = eq < 0 ? part : part.slice(0, eq);
        const value = eq < 0 ? "" : part.slice(eq + 1);
        try {
            query.set(decodeURIComponent(key).toLowerCase(), decodeURIComponent(value));
        }
        catch {
            throw errors_1.Errors.invalidQueryParameter(key, value);
        }
    }
    return { req, res, method: (req.method ?? "GET").toUpperCase(), rawPath, rawQuery, query, requestId: (0, node_crypto_1.randomUUID)() };
}
function header(ctx, name) {
    const v = ctx.req.headers[name.toLowerCase()];
    return Array.isArray(v) ? v.join(",") : v;
}
function flag(ctx, name) {
    return (header(ctx, name) ?? "").toLowerCase() === "true";
}
function commonHeaders(ctx) {
    const h = {
        "x-ms-request-id": ctx.requestId,
        "x-ms-version": exports.SERVICE_VERSION,
        Date: new Date().toUTCString(),
        Server: "Windows-Azure-File/1.0 Microsoft-HTTPAPI/2.0 (afb-files-emulator)",
    };
    const clientId = header(ctx, "x-ms-client-request-id");
    if (clientId !== undefined)
        h["x-ms-client-request-id"] = clientId;
    return h;
}
/** Sends a complete response (HEAD never carries a body). */
function send(ctx, status, headers = {}, body, contentType) {
    const h = { ...commonHeaders(ctx), ...headers };
    const payload = body === undefined ? undefined : typeof body === "string" ? Buffer.from(body, "utf8") : body;
    if (payload !== undefined) {
        if (contentType)
            h["Content-Type"] = contentType;
        h["Content-Length"] = payload.length;
    }
    else if (!("Content-Length" in h)) {
        h["Content-Length"] = 0;
    }
    ctx.res.writeHead(status, h);
    ctx.res.end(ctx.method === "HEAD" ? undefined : payload);
}
/** Starts a streamed response; the caller pipes the body. */
function startStream(ctx, status, headers) {
    ctx.res.writeHead(status, { ...commonHeaders(ctx), ...headers });
}
function sendError(ctx, err) {
    const headers = { "x-ms-error-code": err.code };
    if (ctx.method === "HEAD") {
        send(ctx, err.status, headers);
        return;
    }
    const message = `${err.message}\nRequestId:${ctx.requestId}\nTime:${new Date().toISOString()}`;
    send(ctx, err.status, headers, (0, xml_1.errorXml)(err.code, message, err.extraXml), "application/xml");
}
//# sourceMappingURL=context.js.map