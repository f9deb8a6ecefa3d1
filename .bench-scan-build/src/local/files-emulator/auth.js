"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.authenticate = authenticate;
/**
 * Authentication of the configured account, as Azure Files checks it:
 *  - SharedKey: the signature over the canonical request (the SDK signs `/account` + the URL path, so
 *    path-style URLs sign `/account/account/share/...`), compared in constant time.
 *  - SAS: account SAS and service (share or file) SAS signatures recomputed from the query, with
 *    start/expiry, resource scope and permission letters checked.
 * Anything else (no credentials, another account, a bad or expired signature) is 403.
 */
const node_crypto_1 = require("node:crypto");
const errors_1 = require("./errors");
const context_1 = require("./context");
function hmac(key, text) {
    return (0, node_crypto_1.createHmac)("sha256", key).update(text, "utf8").digest("base64");
}
function sameSignature(a, b) {
    const x = Buffer.from(a);
    const y = Buffer.from(b);
    return x.length === y.length && (0, node_crypto_1.timingSafeEqual)(x, y);
}
/** Query parameters exactly as the SDK canonicalises them (only `k=v` pairs with a non-empty value). */
function canonicalQuery(rawQuery) {
    const pairs = new Map();
    for (const part of rawQuery.split("&")) {
        const eq = part.indexOf("=");
        if (eq <= 0 || eq !== part.lastIndexOf("=") || eq === part.length - 1)
            continue;
        pairs.set(part.slice(0, eq).toLowerCase(), part.slice(eq + 1));
    }
    let out = "";
    for (const key of [...pairs.keys()].sort()) {
        let value;
        try {
            value = decodeURIComponent(pairs.get(key));
        }
        catch {
            value = pairs.get(key);
        }
        out += `\n${key}:${value}`;
    }
    return out;
}
function canonicalHeaders(ctx) {
    const names = Object.keys(ctx.req.headers).filter((n) => n.startsWith("x-ms-")).sort();
    return names.map((n) => `${n.trimEnd()}:${((0, context_1.header)(ctx, n) ?? "").trimStart()}\n`).join("");
}
function sharedKeyStringsToSign(ctx, account) {
    const h = (n) => (0, context_1.header)(ctx, n) ?? "";
    const length = h("content-length") === "0" ? "" : h("content-length");
    const tail = [h("content-md5"), h("content-type"), h("date"), h("if-modified-since"), h("if-match"), h("if-none-match"), h("if-unmodified-since"), h("range")];
    const rest = `\n${canonicalHeaders(ctx)}/${account}${ctx.rawPath || "/"}${canonicalQuery(ctx.rawQuery)}`;
    // The REST spec orders Content-Encoding before Content-Language; SDK 12.x signs them swapped.
    const spec = [ctx.method, h("content-encoding"), h("content-language"), length, ...tail].join("\n") + rest;
    const sdk = [ctx.method, h("content-language"), h("content-encoding"), length, ...tail].join("\n") + rest;
    return spec === sdk ? [spec] : [spec, sdk];
}
function checkSharedKey(ctx, creds, authorization) {
    const m = /^SharedKey ([^:]+):(.+)$/.exec(authorization);
    if (!m)
        throw errors_1.Errors.authenticationFailed("The Authorization header is not SharedKey <account>:<signature>.");
    if (m[1] !== creds.accountName)
        throw errors_1.Errors.authenticationFailed("The account in the Authorization header is not this account.");
    const ok = sharedKeyStringsToSign(ctx, creds.accountName).some((s) => sameSignature(hmac(creds.key, s), m[2]));
    if (!ok)
        throw errors_1.Errors.authenticationFailed("The MAC signature found in the HTTP request is not the same as any computed signature.");
}
function permissionNeeded(ctx) {
    if (ctx.method === "DELETE")
        return "d";
    if (ctx.method === "GET" || ctx.method === "HEAD")
        return ctx.query.get("comp") === "list" ? "l" : "r";
    return "wc";
}
function checkTimes(q, now) {
    const expiry = Date.parse(q.get("se") ?? "");
    if (Number.isNaN(expiry))
        throw errors_1.Errors.authenticationFailed("Signed expiry time (se) is missing or malformed.");
    if (expiry < now)
        throw errors_1.Errors.authenticationFailed("Signed expiry time has passed.");
    const start = q.get("st");
    if (start !== undefined && start !== "" && (Number.isNaN(Date.parse(start)) || Date.parse(start) > now + 15 * 60_000)) {
        throw errors_1.Errors.authenticationFailed("Signed start time is malformed or in the future.");
    }
}
function checkSas(ctx, creds, share, names, now) {
    const q = ctx.query;
    const g = (k) => q.get(k) ?? "";
    checkTimes(q, now);
    if (g("spr") !== "" && !g("spr").split(",").includes("http"))
        throw errors_1.Errors.authenticationFailed("The SAS does not allow http.");
    let expected;
    if (q.has("ss")) {
        if (!g("ss").includes("f"))
            throw errors_1.Errors.authenticationFailed("The account SAS does not cover the File service.");
        const withScope = g("sv") >= "2020-12-06";
        expected = [creds.accountName, g("sp"), g("ss"), g("srt"), g("st"), g("se"), g("sip"), g("spr"), g("sv"), ...(withScope ? [g("ses")] : []), ""].join("\n");
    }
    else {
        const sr = g("sr");
        if (sr !== "s" && sr !== "f")
            throw errors_1.Errors.authenticationFailed("The signed resource (sr) must be s or f.");
        if (share === undefined)
            throw errors_1.Errors.authorizationResourceTypeMismatch();
        const resource = `/file/${creds.accountName}/${share}${sr === "f" ? `/${names.join("/")}` : ""}`;
        expected = [g("sp"), g("st"), g("se"), resource, g("si"), g("sip"), g("spr"), g("sv"), g("rscc"), g("rscd"), g("rsce"), g("rscl"), g("rsct")].join("\n");
    }
    if (!sameSignature(hmac(creds.key, expected), g("sig"))) {
        throw errors_1.Errors.authenticationFailed("Signature did not match. The SAS was not signed with this account's key for this resource.");
    }
    const needed = permissionNeeded(ctx);
    if (![...needed].some((p) => g("sp").includes(p)))
        throw errors_1.Errors.authorizationPermissionMismatch();
}
/** Throws a 403 StorageError unless the request is signed for this account. */
function authenticate(ctx, creds, share, names, now) {
    const authorization = (0, context_1.header)(ctx, "authorization");
    if (authorization !== undefined)
        return checkSharedKey(ctx, creds, authorization);
    if (ctx.query.has("sig"))
        return checkSas(ctx, creds, share, names, now);
    throw errors_1.Errors.authenticationFailed("The request carries neither a SharedKey Authorization header nor a SAS.");
}
//# sourceMappingURL=auth.js.map