"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.normalise = normalise;
exports.union = union;
exports.subtract = subtract;
exports.intersect = intersect;
exports.clip = clip;
function normalise(set) {
    const sorted = set.filter(([s, e]) => e > s).slice().sort((a, b) => a[0] - b[0]);
    const out = [];
    for (const [s, e] of sorted) {
        const last = out[out.length - 1];
        if (last && s <= last[1])
            last[1] = Math.max(last[1], e);
        else
            out.push([s, e]);
    }
    return out;
}
function union(a, b) {
    return normalise([...a, ...b]);
}
function subtract(a, b) {
    const out = [];
    for (const [s0, e0] of a) {
        let s = s0;
        for (const [bs, be] of b) {
            if (be <= s || bs >= e0)
                continue;
            if (bs > s)
                out.push([s, bs]);
            s = Math.max(s, be);
            if (s >= e0)
                break;
        }
        if (s < e0)
            out.push([s, e0]);
    }
    return out;
}
function intersect(a, b) {
    const out = [];
    let i = 0;
    let j = 0;
    while (i < a.length && j < b.length) {
        const s = Math.max(a[i][0], b[j][0]);
        const e = Math.min(a[i][1], b[j][1]);
        if (s < e)
            out.push([s, e]);
        if (a[i][1] < b[j][1])
            i++;
        else
            j++;
    }
    return out;
}
function clip(a, size) {
    return intersect(a, [[0, size]]);
}
//# sourceMappingURL=ranges.js.map