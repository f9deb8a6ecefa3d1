"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.isValidShareName = isValidShareName;
exports.normaliseName = normaliseName;
exports.splitRequestPath = splitRequestPath;
exports.itemNames = itemNames;
/**
 * Request paths to share-relative name lists, validated so that nothing a client sends can name a
 * location outside the share folder: every segment is percent-decoded once and must be a plain name
 * (no `.`/`..`, no separators, no NUL, no characters Azure forbids). The disk path of an item is only
 * ever built from names that passed this check, joined under the share root.
 */
const errors_1 = require("../errors");
/** Characters Azure Files forbids in file and directory names (plus the separators). */
// eslint-disable-next-line no-control-regex
const FORBIDDEN = /["\\/:|<>*?\u0000]/;
const MAX_NAME = 255;
const MAX_PATH = 2048;
function isValidShareName(name) {
    return /^[a-z0-9](?:[a-z0-9]|-(?=[a-z0-9])){2,62}$/.test(name);
}
/** Trailing dots are trimmed unless the client opted in with x-ms-allow-trailing-dot, as Azure does. */
function normaliseName(raw, allowTrailingDot) {
    const name = allowTrailingDot ? raw : raw.replace(/\.+$/, "");
    if (name === "" || name === "." || name === "..")
        throw errors_1.Errors.invalidFileOrDirectoryPathName();
    if (FORBIDDEN.test(name) || name.length > MAX_NAME)
        throw errors_1.Errors.invalidFileOrDirectoryPathName();
    if (/[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/.test(name))
        throw errors_1.Errors.invalidFileOrDirectoryPathName();
    // The emulator keeps names as real directory entries; most file systems cap those at 255 bytes.
    if (Buffer.byteLength(name, "utf8") > 255)
        throw errors_1.Errors.invalidFileOrDirectoryPathName();
    return name;
}
function decodeSegment(raw) {
    try {
        return decodeURIComponent(raw);
    }
    catch {
        throw errors_1.Errors.invalidUri("a path segment is not valid percent-encoding");
    }
}
/** The raw path of a request split into decoded segments; empty segments (`//`, absolute paths) are refused. */
function splitRequestPath(rawPath) {
    if (!rawPath.startsWith("/"))
        throw errors_1.Errors.invalidUri("the request target must be an absolute path");
    if (rawPath.length > MAX_PATH * 3)
        throw errors_1.Errors.invalidUri("the path is too long");
    const body = rawPath.slice(1);
    if (body === "")
        return [];
    const parts = body.split("/");
    // A trailing slash names the same resource (the SDK sends `/account/share/` for a root directory).
    if (parts[parts.length - 1] === "")
        parts.pop();
    return parts.map((p) => {
        if (p === "")
            throw errors_1.Errors.invalidUri("empty path segment");
        const decoded = decodeSegment(p);
        if (decoded === "." || decoded === ".." || decoded.includes("/") || decoded.includes("\\") || decoded.includes("\u0000")) {
            throw errors_1.Errors.invalidUri("path segments must be plain names");
        }
        return decoded;
    });
}
/** Validates the item names below a share; `[]` is the share root. */
function itemNames(segments, allowTrailingDot) {
    const names = segments.map((s) => normaliseName(s, allowTrailingDot));
    if (names.join("/").length > MAX_PATH)
        throw errors_1.Errors.invalidFileOrDirectoryPathName();
    return names;
}
//# sourceMappingURL=paths.js.map