"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.redact = redact;
/**
 * Removes secrets from any text before it reaches a log, an error or the terminal: account keys,
 * SAS signatures and tokens inside connection strings and URLs. Pure; safe to call on anything.
 */
const PATTERNS = [
    /(AccountKey=)[^;]+/gi,
    /(SharedAccessSignature=)[^;]+/gi,
    /([?&]sig=)[^&\s"']+/gi,
    /(\bkey["']?\s*[:=]\s*["']?)[A-Za-z0-9+/=]{20,}/gi,
    /(Authorization["']?\s*[:=]\s*["']?)[^"'\n]+/gi,
];
/** Returns `text` with every secret value replaced by `***`. */
function redact(text) {
    let out = text;
    for (const re of PATTERNS)
        out = out.replace(re, "$1***");
    return out;
}
//# sourceMappingURL=redact.js.map