"use strict";
Object.defineProperty(exports, "__esModule", { value: true });
exports.FaultInjector = void 0;
exports.parseFaultSpec = parseFaultSpec;
/** mulberry32: small, fast, good enough for fault dice; deterministic per seed. */
function mulberry32(seed) {
    let a = seed >>> 0;
    return () => {
        a = (a + 0x6d2b79f5) >>> 0;
        let t = a;
        t = Math.imul(t ^ (t >>> 15), t | 1);
        t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
        return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
    };
}
function checkRate(name, v) {
    if (v === undefined)
        return 0;
    if (!Number.isFinite(v) || v < 0 || v > 1)
        throw new Error(`fault ${name} must be a rate between 0 and 1, got ${v}`);
    return v;
}
class FaultInjector {
    busy = 0;
    reset = 0;
    latency = 0;
    dice = mulberry32(1);
    constructor(options = {}) {
        this.set(options);
    }
    set(options) {
        this.busy = checkRate("serverBusyRate", options.serverBusyRate);
        this.reset = checkRate("resetRate", options.resetRate);
        const latency = options.latencyMs ?? 0;
        if (!Number.isFinite(latency) || latency < 0)
            throw new Error(`fault latencyMs must be >= 0, got ${latency}`);
        this.latency = latency;
        this.dice = mulberry32(options.seed ?? 1);
    }
    get latencyMs() {
        return this.latency;
    }
    /** One draw per request: reset first, then busy (a request never gets both). */
    next() {
        if (this.busy === 0 && this.reset === 0)
            return "none";
        const roll = this.dice();
        if (roll < this.reset)
            return "reset";
        if (roll < this.reset + this.busy)
            return "busy";
        return "none";
    }
}
exports.FaultInjector = FaultInjector;
const KEYS = {
    busy: "serverBusyRate",
    serverbusyrate: "serverBusyRate",
    latency: "latencyMs",
    latencyms: "latencyMs",
    reset: "resetRate",
    resetrate: "resetRate",
    seed: "seed",
};
/** Parses `busy=0.1,latency=5,reset=0.05,seed=7` (also `&`-separated); names the bad part on error. */
function parseFaultSpec(spec) {
    const out = {};
    for (const part of spec.split(/[,&]/).map((p) => p.trim()).filter(Boolean)) {
        const [rawKey, rawValue] = part.split("=");
        const key = KEYS[rawKey.trim().toLowerCase()];
        if (!key)
            throw new Error(`unknown fault '${rawKey}' (expected busy, latency, reset or seed)`);
        const value = Number(rawValue);
        if (rawValue === undefined || rawValue.trim() === "" || !Number.isFinite(value)) {
            throw new Error(`fault '${rawKey}' needs a number, got '${rawValue ?? ""}'`);
        }
        out[key] = value;
    }
    return out;
}
//# sourceMappingURL=faults.js.map