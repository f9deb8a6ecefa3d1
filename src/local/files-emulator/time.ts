/**
 * Time formats of the File REST API: SMB times are ISO 8601 with 7 fractional digits (100 ns ticks),
 * HTTP dates are RFC 1123. The clock is injectable; `uniqueTicks` never returns the same instant twice,
 * so snapshot names and ETags stay distinct even within one millisecond.
 */
export type Clock = () => number;

export const systemClock: Clock = () => Date.now();

/** ISO 8601 with 7 fractional digits from milliseconds plus extra 100 ns ticks (0..9999). */
export function isoTicks(ms: number, extraTicks = 0): string {
  const iso = new Date(ms).toISOString(); // 2024-01-01T00:00:00.123Z
  return `${iso.slice(0, 23)}${String(extraTicks).padStart(4, "0")}Z`;
}

export function rfc1123(ms: number): string {
  return new Date(ms).toUTCString();
}

/** Parses an SMB time header: ISO 8601 with up to 7 fractional digits; undefined when malformed. */
export function parseIsoTicks(value: string): string | undefined {
  const m = /^(\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2})(?:\.(\d{1,7}))?Z$/.exec(value);
  if (!m || Number.isNaN(Date.parse(`${m[1]}Z`))) return undefined;
  return `${m[1]}.${(m[2] ?? "").padEnd(7, "0")}Z`;
}

/** A strictly increasing source of 7-digit timestamps (per emulator). */
export class TickSource {
  private lastMs = 0;
  private extra = 0;
  constructor(private readonly clock: Clock) {}

  next(): { ms: number; iso: string } {
    const ms = this.clock();
    if (ms <= this.lastMs) {
      this.extra += 1;
      if (this.extra > 9999) {
        this.lastMs += 1;
        this.extra = 0;
      }
    } else {
      this.lastMs = ms;
      this.extra = 0;
    }
    return { ms: this.lastMs, iso: isoTicks(this.lastMs, this.extra) };
  }
}
