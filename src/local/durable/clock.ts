/**
 * The driver's clock: a fake one by default, so durable timers and retry back-offs never really wait.
 * Guarantees: time never goes backwards; `advanceTo` an earlier time is a no-op.
 */
export interface DriverClock {
  /** Milliseconds since the epoch. */
  now(): number;
  /** Moves the clock forward to `ms` if it is later than now (a real clock ignores this). */
  advanceTo(ms: number): void;
}

/** A clock that only moves when told to: starts at `startMs` (default 2026-01-01T00:00:00Z). */
export class FakeClock implements DriverClock {
  private current: number;

  constructor(startMs = Date.UTC(2026, 0, 1)) {
    if (!Number.isFinite(startMs)) throw new Error(`the fake clock needs a finite start time, got ${startMs}`);
    this.current = startMs;
  }

  now(): number {
    return this.current;
  }

  advanceTo(ms: number): void {
    if (ms > this.current) this.current = ms;
  }

  advanceBy(ms: number): void {
    if (!(ms >= 0)) throw new Error(`the fake clock only moves forward, got ${ms} ms`);
    this.current += ms;
  }
}
