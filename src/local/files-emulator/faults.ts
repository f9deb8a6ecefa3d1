/**
 * Fault injection: added latency, 503 ServerBusy answers and dropped connections, each at a rate, drawn
 * from a seeded generator so a test that fixes the seed sees the same faults in the same order. Off by
 * default; set by options, by AFB_EMULATOR_FAULTS (`busy=0.1,latency=5,reset=0.05,seed=7`) or by the
 * admin endpoint `PUT /.emulator/faults?busy=..` on the emulator itself.
 */
export interface FaultOptions {
  serverBusyRate?: number;
  latencyMs?: number;
  resetRate?: number;
  seed?: number;
}

export type FaultAction = "none" | "busy" | "reset";

/** mulberry32: small, fast, good enough for fault dice; deterministic per seed. */
function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function checkRate(name: string, v: number | undefined): number {
  if (v === undefined) return 0;
  if (!Number.isFinite(v) || v < 0 || v > 1) throw new Error(`fault ${name} must be a rate between 0 and 1, got ${v}`);
  return v;
}

export class FaultInjector {
  private busy = 0;
  private reset = 0;
  private latency = 0;
  private dice: () => number = mulberry32(1);

  constructor(options: FaultOptions = {}) {
    this.set(options);
  }

  set(options: FaultOptions): void {
    this.busy = checkRate("serverBusyRate", options.serverBusyRate);
    this.reset = checkRate("resetRate", options.resetRate);
    const latency = options.latencyMs ?? 0;
    if (!Number.isFinite(latency) || latency < 0) throw new Error(`fault latencyMs must be >= 0, got ${latency}`);
    this.latency = latency;
    this.dice = mulberry32(options.seed ?? 1);
  }

  get latencyMs(): number {
    return this.latency;
  }

  /** One draw per request: reset first, then busy (a request never gets both). */
  next(): FaultAction {
    if (this.busy === 0 && this.reset === 0) return "none";
    const roll = this.dice();
    if (roll < this.reset) return "reset";
    if (roll < this.reset + this.busy) return "busy";
    return "none";
  }
}

const KEYS: Record<string, keyof FaultOptions> = {
  busy: "serverBusyRate",
  serverbusyrate: "serverBusyRate",
  latency: "latencyMs",
  latencyms: "latencyMs",
  reset: "resetRate",
  resetrate: "resetRate",
  seed: "seed",
};

/** Parses `busy=0.1,latency=5,reset=0.05,seed=7` (also `&`-separated); names the bad part on error. */
export function parseFaultSpec(spec: string): FaultOptions {
  const out: FaultOptions = {};
  for (const part of spec.split(/[,&]/).map((p) => p.trim()).filter(Boolean)) {
    const [rawKey, rawValue] = part.split("=");
    const key = KEYS[rawKey.trim().toLowerCase()];
    if (!key) throw new Error(`unknown fault '${rawKey}' (expected busy, latency, reset or seed)`);
    const value = Number(rawValue);
    if (rawValue === undefined || rawValue.trim() === "" || !Number.isFinite(value)) {
      throw new Error(`fault '${rawKey}' needs a number, got '${rawValue ?? ""}'`);
    }
    out[key] = value;
  }
  return out;
}
