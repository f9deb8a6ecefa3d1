/**
 * Progress of a backup: one counters object the phases update, and a ticker that hands a copy to the
 * caller at most once per interval of the injected clock (and at every phase change).
 */
import type { BackupPhase, BackupProgress } from "./model";

export class ProgressReporter {
  readonly state: BackupProgress = { phase: "lock", files: 0, dirs: 0, filesRead: 0, filesToRead: 0, bytesRead: 0, bytesToRead: 0, dirsSealed: 0, dirsToSeal: 0 };
  private last: number;

  constructor(
    private readonly now: () => number,
    private readonly intervalMs: number,
    private readonly onProgress: ((p: BackupProgress) => void) | undefined,
  ) {
    this.last = now();
  }

  phase(phase: BackupPhase): void {
    this.state.phase = phase;
    this.emit();
  }

  tick(): void {
    if (this.onProgress === undefined) return;
    const t = this.now();
    if (t - this.last >= this.intervalMs) this.emit();
  }

  emit(): void {
    this.last = this.now();
    this.onProgress?.({ ...this.state });
  }
}
