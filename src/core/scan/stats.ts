/**
 * Scan statistics and the progress ticker. Guarantees: the ticker calls back at most once per
 * interval of the injected clock (plus once at the end), with a copy the callback may keep.
 */

/** A problem that did not stop the scan (e.g. a directory deleted while it was being scanned). */
export interface ScanProblem {
  readonly path: string;
  readonly message: string;
}

export interface ScanStats {
  /** Entries seen in listings. */
  files: number;
  dirs: number;
  /** Sum of the sizes of the files seen. */
  bytes: number;
  added: number;
  /** Files whose size or last-write time changed (their content is a candidate for reading). */
  modified: number;
  renamed: number;
  moved: number;
  deleted: number;
  /** Changed attributes, permission or times only. */
  metadataOnly: number;
  /** Bytes of the added and modified files: what a backup will read at most. */
  candidateBytes: number;
  errors: ScanProblem[];
}

export function emptyStats(): ScanStats {
  return { files: 0, dirs: 0, bytes: 0, added: 0, modified: 0, renamed: 0, moved: 0, deleted: 0, metadataOnly: 0, candidateBytes: 0, errors: [] };
}

export function copyStats(s: ScanStats): ScanStats {
  return { ...s, errors: [...s.errors] };
}

/** Calls `onProgress` when `intervalMs` of `now()` elapsed since the last call. */
export class ProgressTicker {
  private last: number;

  constructor(
    private readonly now: () => number,
    private readonly intervalMs: number,
    private readonly onProgress: ((stats: ScanStats) => void) | undefined,
  ) {
    if (!(intervalMs >= 0)) throw new Error(`progress interval must be >= 0 ms, got ${intervalMs}`);
    this.last = now();
  }

  tick(stats: ScanStats): void {
    if (this.onProgress === undefined) return;
    const t = this.now();
    if (t - this.last < this.intervalMs) return;
    this.last = t;
    this.onProgress(copyStats(stats));
  }

  finish(stats: ScanStats): void {
    this.onProgress?.(copyStats(stats));
  }
}
