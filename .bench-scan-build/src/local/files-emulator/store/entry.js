"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.ROOT_ID = void 0;
exports.etagOf = etagOf;
exports.ROOT_ID = "13835128424026341376";
/** Quoted ETag in Azure's `"0x8D..."` shape; distinct for each change (sequence in the low bits). */
function etagOf(seq, ms) {
    return `"0x${(BigInt(ms) * 65536n + BigInt(seq & 0xffff)).toString(16).toUpperCase()}"`;
}
//# sourceMappingURL=entry.js.map