"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.readBody = readBody;
/** Reads a request body into memory; only for small bodies (Put Range <= 4 MiB, JSON permissions). */
function readBody(req, limit) {
    const declared = Number(req.headers["content-length"]);
    // One buffer of the declared size (no concat copy); falls back to chunks when the size is unknown.
    const direct = Number.isInteger(declared) && declared >= 0 && declared <= limit ? Buffer.allocUnsafe(declared) : undefined;
    return new Promise((resolve, reject) => {
        const chunks = [];
        let size = 0;
        req.on("data", (c) => {
            if (direct && size + c.length <= direct.length)
                c.copy(direct, size);
            else if (!direct && size + c.length <= limit)
                chunks.push(c);
            size += c.length;
        });
        req.on("end", () => {
            if (size > limit || (direct && size !== direct.length))
                reject(new RangeError("body size differs from Content-Length or is too large"));
            else
                resolve(direct ?? Buffer.concat(chunks));
        });
        req.on("error", reject);
    });
}
//# sourceMappingURL=env.js.map