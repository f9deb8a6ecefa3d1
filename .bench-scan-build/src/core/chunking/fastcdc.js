"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.CHUNKER_NAME = exports.MAX_SIZE = exports.AVG_SIZE = exports.MIN_SIZE = void 0;
exports.findCut = findCut;
exports.cutPoints = cutPoints;
/**
 * FastCDC content-defined chunking (Xia et al., USENIX ATC 2016, "normalized chunking" level 2) with
 * one fixed configuration: min 512 KiB, average 1 MiB, max 8 MiB. The configuration is part of the
 * repository format: changing any constant or the gear table changes every cut point, so every chunk
 * id, and dedup against existing backups is lost.
 *
 * How a cut is found: the first MIN_SIZE bytes of a chunk are skipped; from there a 32-bit gear hash
 * `h = (h << 1) + GEAR[byte]` rolls over the data (each bit of h depends on at most the last 32 bytes).
 * Up to AVG_SIZE the cut condition uses MASK_SMALL (22 bits: cuts are rare, which pushes sizes up);
 * after it MASK_LARGE (18 bits: cuts are frequent, which pulls sizes down). The masks take h's high
 * bits, the ones that depend on the most bytes. MAX_SIZE forces a cut.
 *
 * Guarantees: `findCut` is pure, depends only on the bytes of the chunk being cut (so a chunk's
 * boundaries do not depend on how the input was split into buffers), and never returns a chunk
 * shorter than MIN_SIZE (except the last chunk of a file) or longer than MAX_SIZE.
 * The hot loop reads only module constants: V8 compiles it once for this configuration.
 */
const node_crypto_1 = require("node:crypto");
exports.MIN_SIZE = 512 * 1024;
exports.AVG_SIZE = 1024 * 1024;
exports.MAX_SIZE = 8 * 1024 * 1024;
/** 22 high bits: used from MIN_SIZE to AVG_SIZE. */
const MASK_SMALL = 0xfffffc00 | 0;
/** 18 high bits: used from AVG_SIZE to MAX_SIZE. */
const MASK_LARGE = 0xffffc000 | 0;
/** Names the configuration in the repository config, so a reader can refuse a repository cut otherwise. */
exports.CHUNKER_NAME = "fastcdc-nc2-gear32-sha256seed-512k-1m-8m";
function buildGear() {
    const gear = new Int32Array(256);
    for (let i = 0; i < 256; i++) {
        gear[i] = (0, node_crypto_1.createHash)("sha256").update(`afb fastcdc gear ${i}`).digest().readInt32BE(0);
    }
    return gear;
}
/** 256 pseudo-random 32-bit values, derived from SHA-256 so that the table is reproducible anywhere. */
const GEAR = buildGear();
/**
 * Returns the end (exclusive, absolute) of the chunk that starts at `start` in `buf[start, end)`.
 * The caller must provide at least MAX_SIZE bytes unless `end` is the end of the file: with fewer
 * bytes, the remainder is returned as one final chunk.
 */
function findCut(buf, start, end) {
    const available = end - start;
    if (available <= exports.MIN_SIZE)
        return end;
    const limit = available > exports.MAX_SIZE ? start + exports.MAX_SIZE : end;
    const normal = available > exports.AVG_SIZE ? start + exports.AVG_SIZE : end;
    let h = 0;
    let i = start + exports.MIN_SIZE;
    for (; i < normal; i++) {
        h = ((h << 1) + GEAR[buf[i]]) | 0;
        if ((h & MASK_SMALL) === 0)
            return i + 1;
    }
    for (; i < limit; i++) {
        h = ((h << 1) + GEAR[buf[i]]) | 0;
        if ((h & MASK_LARGE) === 0)
            return i + 1;
    }
    return limit;
}
/** Cut points of a whole in-memory buffer: the end offset of every chunk, in order. */
function cutPoints(buf) {
    const cuts = [];
    let start = 0;
    while (start < buf.length) {
        start = findCut(buf, start, buf.length);
        cuts.push(start);
    }
    return cuts;
}
//# sourceMappingURL=fastcdc.js.map