"use strict";
/**
 * Scan statistics and the progress ticker. Guarantees: the ticker calls back at most once per
 * interval of the injected clock (plus once at the end), with a copy the callback may keep.
 */
Object.defineProperty(exports, "__esModule", { value: true });
exports.ProgressTicker = void 0;
exports.emptyStats = emptyStats;
exports.copyStats = copyStats;
function emptyStats() {
    return { files: 0, dirs: 0, bytes: 0, added: 0, modified: 0, renamed: 0, moved: 0, deleted: 0, metadataOnly: 0, candidateBytes: 0, errors: [] };
}
function copyStats(s) {
    return { ...s, errors: [...s.errors] };
}
/** Calls `onProgress` when `intervalMs` of `now()` elapsed since the last call. */
class ProgressTicker {
    now;
    intervalMs;
    onProgress;
    last;
    constructor(now, intervalMs, onProgress) {
        this.now = now;
        this.intervalMs = intervalMs;
        this.onProgress = onProgress;
        if (!(intervalMs >= 0))
            throw new Error(`progress interval must be >= 0 ms, got ${intervalMs}`);
        this.last = now();
    }
    tick(stats) {
        if (this.onProgress === undefined)
            return;
        const t = this.now();
        if (t - this.last < this.intervalMs)
            return;
        this.last = t;
        this.onProgress(copyStats(stats));
    }
    finish(stats) {
        this.onProgress?.(copyStats(stats));
    }
}
exports.ProgressTicker = ProgressTicker;
//# sourceMappingURL=stats.js.map