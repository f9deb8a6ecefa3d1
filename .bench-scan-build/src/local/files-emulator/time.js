"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.TickSource = exports.systemClock = void 0;
exports.isoTicks = isoTicks;
exports.rfc1123 = rfc1123;
exports.parseIsoTicks = parseIsoTicks;
const systemClock = () => Date.now();
exports.systemClock = systemClock;
/** ISO 8601 with 7 fractional digits from milliseconds plus extra 100 ns ticks (0..9999). */
function isoTicks(ms, extraTicks = 0) {
    const iso = new Date(ms).toISOString(); // 2024-01-01T00:00:00.123Z
    return `${iso.slice(0, 23)}${String(extraTicks).padStart(4, "0")}Z`;
}
function rfc1123(ms) {
    return new Date(ms).toUTCString();
}
/** Parses an SMB time header: ISO 8601 with up to 7 fractional digits; undefined when malformed. */
function parseIsoTicks(value) {
    const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?Z$/.exec(value);
    if (!m || Number.isNaN(Date.parse(`${m[1]}Z`)))
        return undefined;
    return `${m[1]}.${(m[2] ?? "").padEnd(7, "0")}Z`;
}
/** A strictly increasing source of 7-digit timestamps (per emulator). */
class TickSource {
    clock;
    lastMs = 0;
    extra = 0;
    constructor(clock) {
        this.clock = clock;
    }
    next() {
        const ms = this.clock();
        if (ms <= this.lastMs) {
            this.extra += 1;
            if (this.extra > 9999) {
                this.lastMs += 1;
                this.extra = 0;
            }
        }
        else {
            this.lastMs = ms;
            this.extra = 0;
        }
        return { ms: this.lastMs, iso: isoTicks(this.lastMs, this.extra) };
    }
}
exports.TickSource = TickSource;
//# sourceMappingURL=time.js.map